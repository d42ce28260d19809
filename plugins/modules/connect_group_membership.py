#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: connect_group_membership
short_description: Manage who is in Posit Connect groups
version_added: 1.0.0
description:
  - Adds users to and removes users from Posit Connect groups, in one of two forms
    (exactly one per task). One O(group) with a list of O(users), or one O(user) with a list of O(groups).
  - Nothing is removed unless asked. O(state=absent) removes what is listed.
    O(exclusive=true) also removes what is not listed.
  - Every user and group named must exist. An unknown name fails the task before anything is written.
  - Where the authentication provider owns group memberships (LDAP, or provisioned groups), the task fails before writing.
author:
  - Posit Connect collection maintainers (@posit-dev)
options:
  group:
    description:
      - The name or GUID of the group whose members to manage. Use with O(users).
    type: str
  users:
    description:
      - Usernames or GUIDs of the users to add to (or remove from) O(group).
    type: list
    elements: str
  user:
    description:
      - The username or GUID of the user whose groups to manage. Use with O(groups).
    type: str
  groups:
    description:
      - Names or GUIDs of the groups to add O(user) to (or remove O(user) from).
    type: list
    elements: str
  state:
    description:
      - V(present) adds what is missing; V(absent) removes what is listed.
    type: str
    choices: [present, absent]
    default: present
  exclusive:
    description:
      - With O(state=present), also remove what is not listed, meaning the group's other members, or the user's other groups.
      - An empty list with O(exclusive=true) empties the group (or takes the user out of every group).
    type: bool
    default: false
notes:
  - API cost. The group form reads the group and its member list once, then writes only the changes.
    Users who are not yet members cost one lookup each.
  - The user form reads the list of groups and the member list of each listed group, because Connect has no endpoint
    that lists a user's groups. With O(exclusive=true) it reads the member list of every group.
  - A member added or removed by someone else between the read and the write is not an error. The desired state holds.
  - With O(exclusive=true), the task reads back the member lists it wrote to (one member listing per group written
    to; nothing when nothing was written) and fails, naming the differences, when another change overtook it
    (such as a second exclusive run at the same time); running it again converges.
extends_documentation_fragment:
  - posit.connect.connect
  - posit.connect.connect.attributes
attributes:
  check_mode:
    description: Reports exactly who would be added and removed, without writing.
    support: full
  diff_mode:
    description: Shows the member usernames (or the user's group names) before and after.
    support: full
seealso:
  - module: posit.connect.connect_group
  - module: posit.connect.connect_user_info
"""

EXAMPLES = r"""
- name: The accounts these examples use (see connect_users)
  posit.connect.connect_users:
    users:
      - {username: ana, email: ana@example.com, user_must_set_password: true}
      - {username: bob, email: bob@example.com, user_must_set_password: true}
      - {username: chen, email: chen@example.com, user_must_set_password: true}

- name: The groups they join (see connect_group)
  posit.connect.connect_group:
    name: "{{ item }}"
  loop: [data-science, finance]
  register: groups_made

- name: Add Ana to one group
  posit.connect.connect_group_membership:
    user: ana
    groups: [data-science]

- name: Add Ana to several groups
  posit.connect.connect_group_membership:
    user: ana
    groups: [data-science, finance]

- name: Add a user to a group by GUID (here the finance group's)
  posit.connect.connect_group_membership:
    user: bob
    groups: ["{{ groups_made.results[1].group.guid }}"]

- name: Remove Ana from a group
  posit.connect.connect_group_membership:
    user: ana
    groups: [finance]
    state: absent

- name: Make the data-science group exactly these people
  posit.connect.connect_group_membership:
    group: data-science
    users: [ana, bob, chen]
    exclusive: true

- name: List Ana's groups (check mode with exclusive and an empty list reads them all and changes nothing)
  posit.connect.connect_group_membership:
    user: ana
    groups: []
    exclusive: true
  check_mode: true
  register: ana_groups

- name: Show them
  ansible.builtin.debug:
    msg: "{{ ana_groups.removed }}"
"""

RETURN = r"""
membership:
  description:
    - The membership after the task (predicted in check mode).
    - In the group form, the group with C(members), a list of C(guid) and C(username).
    - In the user form, the user's C(guid) and C(username) with C(groups), a list of C(guid) and C(name).
      Without O(exclusive), only the listed groups are read, so only those appear.
  returned: always
  type: dict
  contains:
    guid: {description: The group's GUID (group form) or the user's (user form)., type: str}
    name: {description: The group's name (group form)., type: str}
    owner_guid: {description: The group's owner (group form)., type: str}
    members: {description: "Group form: the members after the task, each with C(guid) and C(username).", type: list, elements: dict}
    username: {description: The user's username (user form)., type: str}
    groups: {description: "User form: the groups after the task, each with C(guid) and C(name).", type: list, elements: dict}
  sample:
    guid: 6f300623-1e0c-48e6-a473-ddf630c0c0c3
    name: data-science
    owner_guid: null
    members:
      - {guid: 8f1c3b0e-2f0e-4f6f-9a57-6b4ad3f1a0c2, username: ana}
added:
  description: The usernames (group form) or group names (user form) added, or to be added in check mode.
  returned: always
  type: list
  elements: str
  sample: [ana]
removed:
  description: The usernames (group form) or group names (user form) removed, or to be removed in check mode.
  returned: always
  type: list
  elements: str
  sample: [bob]
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
  description: Member usernames (or group names) before and after, with C(--diff).
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

from ansible_collections.posit.connect.plugins.module_utils._planning.memberships import MembershipPlanner
from ansible_collections.posit.connect.plugins.module_utils.module_base import ConnectModule

ARGUMENT_SPEC = dict(
    group=dict(type="str"),
    users=dict(type="list", elements="str"),
    user=dict(type="str"),
    groups=dict(type="list", elements="str"),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    exclusive=dict(type="bool", default=False),
)


def plan(module, planner):
    params = module.params
    if params["group"] is not None:
        return planner.plan_group(params["group"], params["users"], params["state"], params["exclusive"])
    return planner.plan_user(params["user"], params["groups"], params["state"], params["exclusive"])


def main():
    module = ConnectModule(
        ARGUMENT_SPEC,
        required_one_of=[("group", "user")],
        mutually_exclusive=[("group", "user"), ("group", "groups"), ("user", "users")],
        required_together=[("group", "users"), ("user", "groups")],
    )
    if module.params["exclusive"] and module.params["state"] == "absent":
        module.fail_message("exclusive applies to state=present only; state=absent removes just what is listed.")
    planner = MembershipPlanner(module.api)
    membership_plan = module.run(plan, module, planner)
    # An exclusive task is the one source of truth for the membership: it reads back what it wrote, so that a run
    # another change overtook (two exclusive runs at once) fails instead of reporting a state that does not hold.
    verify = planner.verify if module.params["exclusive"] else None
    module.finish(membership_plan, "membership", None, verify=verify,
                  added=membership_plan.added, removed=membership_plan.removed)


if __name__ == "__main__":
    main()
