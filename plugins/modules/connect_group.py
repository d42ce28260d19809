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
      - With O(guid), the name the group should have (a rename when it differs), as in the entries of
        M(posit.connect.connect_groups).
    type: str
  guid:
    description:
      - The group's GUID. When given, it identifies the group, and O(name) (or O(new_name)) is the name it should have.
      - A O(name) and a O(new_name) that disagree are refused.
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
  force:
    description:
      - Allow creating, or renaming to, a name that differs from another group's only in case or that looks the same
        (letters of another script drawn alike, such as a Cyrillic C(а) for a Latin C(a); see the collection's
        docs/groups.md). Without it, that is refused while planning (in check mode too), naming both groups.
      - A name another group has exactly is always refused, as Connect refuses it.
    type: bool
    default: false
    version_added: 1.0.0
notes:
  - Names are compared as Connect stores them, in Unicode's composed form (NFC), so a decomposed C(Équipe) names the
    group C(Équipe); a name with an invisible format character (a zero-width space, a byte order mark, a direction
    mark) is refused.
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
  contains:
    action: {description: "What the write does: create, update, lock, unlock, add, remove, delete, transfer...", type: str, returned: always}
    target: {description: "What it writes to, by name, such as C(user 'ana') or C(user 'ana' to group 'eng').", type: str, returned: always}
    changes:
      description: The fields it changes, each as C(before) and C(after); left out when it changes no field (member adds and removes).
      type: dict
      returned: when the write changes fields
diff:
  description: The group's name and owner (by username) before and after, with C(--diff).
  returned: when diff mode is on
  type: dict
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

from ansible_collections.posit.connect.plugins.module_utils._planning.groups import GroupPlanner, group_diff
from ansible_collections.posit.connect.plugins.module_utils.module_base import ConnectModule

ARGUMENT_SPEC = dict(
    name=dict(type="str"),
    guid=dict(type="str"),
    new_name=dict(type="str"),
    owner=dict(type="str"),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    force=dict(type="bool", default=False),
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
