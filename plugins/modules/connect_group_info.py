#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: connect_group_info
short_description: Find and count Posit Connect groups, with their members
version_added: 1.0.0
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
status:
  description:
    - The HTTP status of the request that failed.
    - Left out when the task failed before any request did (a bad option, or a refusal while planning).
  returned: on failure, when a request failed
  type: int
  sample: 409
code:
  description:
    - Connect's own error code for the request that failed (see Connect's API error codes).
    - Left out when Connect's answer carried no code.
  returned: on failure, when Connect gave a code
  type: int
  sample: 8
"""

from ansible_collections.posit.connect.plugins.module_utils._planning.info import find_groups
from ansible_collections.posit.connect.plugins.module_utils.module_base import ConnectModule

ARGUMENT_SPEC = dict(
    name=dict(type="str"),
    guid=dict(type="str"),
    prefix=dict(type="str"),
    include_members=dict(type="bool", default=False),
    count_only=dict(type="bool", default=False),
    limit=dict(type="int"),
)


def main():
    module = ConnectModule(ARGUMENT_SPEC, mutually_exclusive=[("name", "guid"), ("name", "prefix"), ("guid", "prefix")])
    groups, count = module.run(find_groups, module.api, module.params)
    module.exit(changed=False, groups=groups, count=count)


if __name__ == "__main__":
    main()
