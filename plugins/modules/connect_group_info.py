#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: connect_group_info
short_description: Find and count Posit Connect groups, with their members
version_added: 1.1.0
description:
  - Lists the groups of a Posit Connect server, or those whose name starts with a prefix, counts them, or gets one
    group by exact name or GUID; optionally with each group's members.
  - Pages through the whole result (500 groups a request), so nothing is silently cut off.
  - Read-only; it never changes anything and runs in check mode.
author:
  - Posit Connect collection maintainers (@posit-dev)
options:
  name:
    description:
      - Only the group with exactly this name (case-sensitive, as Connect compares group names).
    type: str
  guid:
    description:
      - Only the group with this GUID. Fails when no group has it.
    type: str
  prefix:
    description:
      - Only groups whose name starts with this text, case-insensitively, in Connect's order (most similar first).
      - Connect before 2025.04 returns only the first 500 matches of a prefix search. When more match, the module
        reads the full listing instead and matches the prefix itself, in Connect's order without a prefix.
    type: str
  include_members:
    description:
      - Add C(members), the list of users (C(guid) and C(username)) in each returned group.
      - Costs one member listing per returned group (500 members a request).
      - Not available where the authentication provider keeps group members to itself (LDAP); the task then fails
        saying so.
    type: bool
    default: false
  count_only:
    description:
      - Return only RV(count), the number of matching groups, at the cost of one request. RV(groups) is then empty.
    type: bool
    default: false
  limit:
    description:
      - Return at most this many groups, and stop reading the server once they are in. RV(count) still counts all.
    type: int
extends_documentation_fragment:
  - posit.connect.connect
  - posit.connect.connect.attributes
attributes:
  check_mode:
    description: Read-only; runs the same in check mode.
    support: full
  diff_mode:
    description: Nothing changes, so there is no diff.
    support: N/A
seealso:
  - module: posit.connect.connect_group
  - module: posit.connect.connect_groups
  - module: posit.connect.connect_user_info
"""

EXAMPLES = r"""
- name: Read one group and who is in it
  posit.connect.connect_group_info:
    name: data-science
    include_members: true
  register: ds

- name: Show the members (groups is empty when no group has that name)
  ansible.builtin.debug:
    msg: "{{ ds.groups | map(attribute='members') | flatten | map(attribute='username') | list }}"

- name: Find the groups whose name starts with "fin"
  posit.connect.connect_group_info:
    prefix: fin
  register: finance_groups

- name: Count the groups (one request)
  posit.connect.connect_group_info:
    count_only: true
  register: group_count
"""

RETURN = r"""
groups:
  description:
    - The matching groups, as Connect returns them, in the server's order; with O(include_members), each has C(members).
  returned: always
  type: list
  elements: dict
  contains:
    guid:
      description: The group's GUID.
      type: str
      returned: always
    name:
      description: The group's name.
      type: str
      returned: always
    owner_guid:
      description: The GUID of the group's owner; V(null) for groups without one (LDAP, provisioned).
      type: str
      returned: always
    members:
      description: The users in the group, each with C(guid) and C(username), sorted by username.
      type: list
      elements: dict
      returned: when O(include_members=true)
  sample:
    - guid: 6f300623-1e0c-48e6-a473-ddf630c0c0c3
      name: data-science
      owner_guid: 8f1c3b0e-2f0e-4f6f-9a57-6b4ad3f1a0c2
      members:
        - {guid: 8f1c3b0e-2f0e-4f6f-9a57-6b4ad3f1a0c2, username: ana}
count:
  description: The number of groups matching, all of them even when O(limit) returned fewer.
  returned: always
  type: int
  sample: 12
"""

from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.groups import read_members
from ansible_collections.posit.connect.plugins.module_utils.module_base import ConnectModule
from ansible_collections.posit.connect.plugins.module_utils._api.resource import is_guid

ARGUMENT_SPEC = dict(
    name=dict(type="str"),
    guid=dict(type="str"),
    prefix=dict(type="str"),
    include_members=dict(type="bool", default=False),
    count_only=dict(type="bool", default=False),
    limit=dict(type="int"),
)


def search(module):
    """(groups, count) for the module's filters: one get, one name search, or one (paged) listing."""
    params, groups_api = module.params, module.api.groups
    if params["limit"] is not None and params["limit"] < 1:
        raise ConnectError("limit must be 1 or more, not {0}.".format(params["limit"]))
    if params["guid"] is not None:
        if not is_guid(params["guid"]):
            raise ConnectError("guid {0!r} is not a valid Connect GUID.".format(params["guid"]))
        group = groups_api.get(params["guid"])
        if group is None:
            raise ConnectError("No Connect group has guid {0}.".format(params["guid"]))
        return [group], 1
    if params["name"] is not None:
        group = groups_api.by_name(params["name"])
        return ([group], 1) if group else ([], 0)
    filters = {"prefix": params["prefix"]} if params["prefix"] else {}
    if params["count_only"]:
        return [], groups_api.count(filters)
    groups = groups_api.all(filters, limit=params["limit"])
    if filters and len(groups) < min(groups.total, params["limit"] or groups.total):
        # Connect before 2025.04 answers every page of a prefix search with the first: match here instead.
        prefix = params["prefix"].casefold()
        matches = [group for group in groups_api.all() if group["name"].casefold().startswith(prefix)]
        return matches[:params["limit"]], groups.total
    return list(groups), groups.total


def find_groups(module):
    groups, count = search(module)
    if module.params["count_only"]:
        return [], count
    if module.params["include_members"]:
        groups = [dict(group, members=sorted(({"guid": member["guid"], "username": member["username"]}
                                              for member in read_members(module.api, group, "include_members")),
                                             key=lambda member: member["username"]))
                  for group in groups]
    return groups, count


def main():
    module = ConnectModule(ARGUMENT_SPEC, mutually_exclusive=[("name", "guid"), ("name", "prefix"), ("guid", "prefix")])
    groups, count = module.run(find_groups, module)
    module.ansible.exit_json(changed=False, groups=groups, count=count)


if __name__ == "__main__":
    main()
