#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: connect_group
short_description: Manage a Posit Connect group
version_added: 1.0.0
description:
  - Creates, renames, changes the owner of, and deletes one group of a Posit Connect server.
  - On servers with LDAP authentication, a group is created from the LDAP directory entry of the same name,
    and Connect fills its members from the directory.
  - Members are managed with M(posit.connect.connect_group_membership).
author:
  - Posit Connect collection maintainers (@posit-dev)
options:
  name:
    description:
      - The group's name, matched exactly. Required unless O(guid) is given.
    type: str
  guid:
    description:
      - The group's GUID. When given, it identifies the group; use O(new_name) to rename it.
      - With O(guid), a O(name) other than the group's current name is refused (it would otherwise rename the group
        silently); set O(new_name) to rename.
    type: str
  new_name:
    description:
      - Rename the group to this name.
      - When no group has O(name) but one has O(new_name), the rename is taken as done, so the task stays idempotent.
    type: str
  owner:
    description:
      - The username or GUID of the user who should own the group.
      - Only where the authentication provider allows group owners; LDAP and provisioned groups have none, so asking
        for one there is refused while planning (in check mode too).
    type: str
  state:
    description:
      - V(present) makes sure the group exists; V(absent) deletes it. Deleting a group does not touch its members' accounts.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - posit.connect.connect
  - posit.connect.connect.attributes
attributes:
  check_mode:
    description: Reads the server and reports the planned changes and the predicted group without writing.
    support: full
  diff_mode:
    description: Shows the group's name and owner before and after.
    support: full
seealso:
  - module: posit.connect.connect_group_membership
"""

EXAMPLES = r"""
- name: Make sure the data-science group exists
  posit.connect.connect_group:
    name: data-science
  register: data_science

- name: Rename it
  posit.connect.connect_group:
    name: data-science
    new_name: data-science-team

- name: Make sure Ana has an account, to own groups (see connect_user)
  posit.connect.connect_user:
    username: ana
    email: ana@example.com
    user_role: publisher
    user_must_set_password: true

- name: Hand the group to Ana
  posit.connect.connect_group:
    name: data-science-team
    owner: ana

- name: Rename the group with this GUID (back to data-science here, so that these examples can run again)
  posit.connect.connect_group:
    guid: "{{ data_science.group.guid }}"
    new_name: data-science

- name: Delete a group nobody uses any more
  posit.connect.connect_group:
    name: old-team
    state: absent
"""

RETURN = r"""
group:
  description:
    - The group after the task (predicted in check mode; a new group's C(guid) is then V(null)). V(null) when absent.
  returned: always
  type: dict
  contains:
    guid: {description: The group's GUID (V(null) for a group predicted in check mode)., type: str}
    name: {description: The group's name., type: str}
    owner_guid: {description: "The GUID of the group's owner; V(null) for groups from LDAP or group provisioning.", type: str}
  sample:
    guid: 6f300623-1e0c-48e6-a473-ddf630c0c0c3
    name: data-science
    owner_guid: 8f1c3b0e-2f0e-4f6f-9a57-6b4ad3f1a0c2
operations:
  description: The writes the task made, or would make in check mode.
  returned: always
  type: list
  elements: dict
diff:
  description: The group's name and owner (by username) before and after, with C(--diff).
  returned: when diff mode is on
  type: dict
status:
  description: The HTTP status of the failed request, when a request failed.
  returned: on failure
  type: int
code:
  description: Connect's error code, when Connect gave one.
  returned: on failure
  type: int
"""

from ansible_collections.posit.connect.plugins.module_utils._planning.groups import GroupPlanner, group_diff
from ansible_collections.posit.connect.plugins.module_utils.module_base import ConnectModule

ARGUMENT_SPEC = dict(
    name=dict(type="str"),
    guid=dict(type="str"),
    new_name=dict(type="str"),
    owner=dict(type="str"),
    state=dict(type="str", default="present", choices=["present", "absent"]),
)


def main():
    module = ConnectModule(ARGUMENT_SPEC, required_one_of=[("name", "guid")])
    planner = GroupPlanner(module.api)
    spec = dict((name, module.params[name]) for name in ARGUMENT_SPEC)
    group_plan = module.run(planner.plan_one, spec)
    # The diff names the owner by username, as a person reads it; the returned group keeps owner_guid.
    module.finish(group_plan, "group", lambda plan: group_diff(plan, planner.owner_name))


if __name__ == "__main__":
    main()
