#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: connect_content_info
short_description: Find Posit Connect content items, with who may view and change them
version_added: 1.0.0
description:
  - Lists the content items of a Posit Connect server (all of them, by name, by owner, or one by GUID), counts them,
    and optionally adds each item's owner and permission list with the users and groups named.
  - The audit side of M(posit.connect.connect_content_access), for access reviews.
  - Connect shows a key the items its user may see; an administrator's key sees all of them.
  - Read-only; it never changes anything and runs in check mode.
author:
  - Posit Connect collection maintainers (@posit-dev)
options:
  guid:
    description:
      - Only the item with this GUID. Fails when there is none.
    type: str
  name:
    description:
      - Only items with exactly this name. Names are unique per owner only, so several owners may each have one.
    type: str
  owner:
    description:
      - Only items owned by this user (a username or GUID). Fails when no user has that name.
    type: str
  include_permissions:
    description:
      - Add C(owner), the owner's username, and C(permissions), who besides the owner may view or change the item,
        to each returned item.
      - Costs one request per returned item, read O(concurrency) at a time, and for the names one listing of users and
        one of groups (or, when at most five of a kind are needed, one exact lookup each).
    type: bool
    default: false
  count_only:
    description:
      - Return only RV(count), the number of matching items (one request). RV(content) is then empty.
    type: bool
    default: false
  limit:
    description:
      - Return at most this many items (the first ones in the server's order). RV(count) still counts all.
      - With O(include_permissions), only the returned items' permission lists are read.
    type: int
  concurrency:
    description:
      - How many requests are in flight at the same time while permission lists and listing pages are read.
    type: int
    default: 4
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
  - module: posit.connect.connect_content_access
"""

EXAMPLES = r"""
- name: Count the content items (one request)
  posit.connect.connect_content_info:
    count_only: true
  register: content_count

- name: Read every item with who may view and change it
  posit.connect.connect_content_info:
    include_permissions: true
    concurrency: 8
  register: everything

- name: List the items anyone may open without logging in
  ansible.builtin.debug:
    msg: "{{ everything.content | selectattr('access_type', 'equalto', 'all') | map(attribute='name') | list }}"

- name: Read Ana's items named sales-dashboard, with their permissions
  posit.connect.connect_content_info:
    name: sales-dashboard
    owner: ana
    include_permissions: true
  register: sales

- name: Show who may change them
  ansible.builtin.debug:
    msg: "{{ sales.content | map(attribute='permissions') | flatten | selectattr('role', 'equalto', 'collaborator')
             | map(attribute='name') | list }}"
"""

RETURN = r"""
content:
  description:
    - The matching items as Connect returns them, in the server's order (creation order); with
      O(include_permissions), each also has C(owner) and C(permissions).
  returned: always
  type: list
  elements: dict
  contains:
    guid: {description: The item's GUID., type: str, returned: always}
    name: {description: The item's name., type: str, returned: always}
    title: {description: "The item's title, or V(null).", type: str, returned: always}
    owner_guid: {description: The GUID of the item's owner., type: str, returned: always}
    access_type: {description: "V(all), V(logged_in) or V(acl).", type: str, returned: always}
    content_url: {description: Where the item is served., type: str, returned: always}
    dashboard_url: {description: The item's page in the dashboard., type: str, returned: always}
    owner:
      description: The owner's username.
      type: str
      returned: when O(include_permissions=true)
    permissions:
      description:
        - Who besides the owner may view or change the item, sorted by principal type (groups first), then name.
        - Each has C(principal_type) (V(user) or V(group)), C(principal_guid), C(name) (the username or group name)
          and C(role), V(viewer) or V(collaborator) (Connect's V(owner)).
      type: list
      elements: dict
      returned: when O(include_permissions=true)
  sample:
    - guid: 2d6e5b62-9c2a-4c1e-8f7a-1f4f0d8a3b21
      name: sales-dashboard
      title: Sales dashboard
      owner_guid: 8f1c3b0e-2f0e-4f6f-9a57-6b4ad3f1a0c2
      access_type: acl
      content_url: https://connect.example.com/content/2d6e5b62-9c2a-4c1e-8f7a-1f4f0d8a3b21/
      dashboard_url: https://connect.example.com/connect/#/apps/2d6e5b62-9c2a-4c1e-8f7a-1f4f0d8a3b21
      owner: ana
      permissions:
        - {principal_type: group, principal_guid: 6f300623-1e0c-48e6-a473-ddf630c0c0c3, name: sales, role: viewer}
count:
  description: The number of matching items, all of them even when O(limit) returned fewer.
  returned: always
  type: int
  sample: 42
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

from ansible_collections.posit.connect.plugins.module_utils._planning.content_info import ContentQuery, find_content
from ansible_collections.posit.connect.plugins.module_utils.module_base import ConnectModule

ARGUMENT_SPEC = dict(
    guid=dict(type="str"),
    name=dict(type="str"),
    owner=dict(type="str"),
    include_permissions=dict(type="bool", default=False),
    count_only=dict(type="bool", default=False),
    limit=dict(type="int"),
    concurrency=dict(type="int", default=4),
)


def main():
    module = ConnectModule(ARGUMENT_SPEC, mutually_exclusive=[("guid", "name"), ("guid", "owner")])
    query = ContentQuery(**dict((key, module.params[key]) for key in ARGUMENT_SPEC if key != "concurrency"))
    # The concurrency option is the task's one budget (module.client.pool), which the permission reads share.
    content, count = module.run(find_content, module.api, query)
    module.exit(changed=False, content=content, count=count)


if __name__ == "__main__":
    main()
