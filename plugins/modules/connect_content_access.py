#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: connect_content_access
short_description: Manage who may view and who may change a Posit Connect content item
version_added: 1.0.0
description:
  - Sets the access type of one content item of a Posit Connect server, and grants or revokes its viewers and
    collaborators (users and groups).
  - Connect calls the collaborator role V(owner) in its API; the item's own owner is never listed there and is never
    touched by this module.
  - Nothing is revoked unless asked. O(state=absent) revokes what is listed; O(exclusive=true) also revokes, in each
    role given, whoever is not listed.
  - Everything the server would refuse is refused while planning, in check mode too, before anything is written
    (an unknown user or group, a viewer-role account as collaborator, a principal in both roles, the item's owner).
author:
  - Posit Connect collection maintainers (@posit-dev)
options:
  guid:
    description:
      - The item's GUID.
    type: str
  name:
    description:
      - The item's name, matched exactly (not its title). Names are unique per owner only; when several owners have
        an item of this name, the task is refused naming each one's GUID and owner, and O(owner) (or O(guid)) chooses.
    type: str
  owner:
    description:
      - The username (or GUID) of the owner of the item named O(name). Only with O(name).
    type: str
  access_type:
    description:
      - Who may view the item besides its viewers, collaborators and owner. V(all) is anyone, without logging in;
        V(logged_in) every account; V(acl) only the listed viewers and collaborators (and administrators).
      - Left as it is when not given.
    type: str
    choices: [all, logged_in, acl]
  viewers:
    description:
      - The users and groups who may view the item (Connect's role V(viewer)).
      - With O(exclusive=true), exactly these; a missing O(viewers.users) or O(viewers.groups) counts as an empty list.
        Left alone when not given.
    type: dict
    suboptions:
      users:
        description: Usernames or GUIDs of users; any account may be a viewer.
        type: list
        elements: str
      groups:
        description: Names or GUIDs of groups (LDAP and provisioned groups work like any other).
        type: list
        elements: str
  collaborators:
    description:
      - The users and groups who may change the item and its settings (Connect's role V(owner)).
      - Users must have publisher or administrator accounts (Connect's rule); a viewer-role account is refused.
      - With O(exclusive=true), exactly these; a missing key inside counts as an empty list. Left alone when not given.
    type: dict
    suboptions:
      users:
        description: Usernames or GUIDs of users with publisher or administrator accounts.
        type: list
        elements: str
      groups:
        description: Names or GUIDs of groups.
        type: list
        elements: str
  exclusive:
    description:
      - With O(state=present), also revoke, in each role whose option is given, the users and groups not listed there.
        A role whose option is left out is left alone.
      - A principal listed in the other role is moved to it (one write), not revoked.
      - Not allowed with O(state=absent).
    type: bool
    default: false
  state:
    description:
      - V(present) grants the listed users and groups their role, moving them from the other role where they hold it.
      - V(absent) revokes the listed users and groups from the role they are listed under; one that holds the other
        role keeps it (with a warning).
    type: str
    choices: [present, absent]
    default: present
notes:
  - "API cost: one lookup of the item (a get by GUID, or one listing filtered by name), one read of its permission list,
    then one write per change. Names are found with one exact lookup each when a task needs at most five users (or
    groups), counting the listed ones, those already in the list, and the owner; otherwise with one listing of all
    users (or groups). An exclusive run that wrote reads the permission list once more to confirm it."
  - A locked user stays in the permission list (Connect keeps the row, and the permission comes back when the account
    is unlocked); the module grants and keeps such a user as asked and warns that the account cannot sign in.
  - A user or group granted or revoked by someone else between the read and the write is not an error; the task then
    makes the wanted role hold.
  - With O(exclusive=true), the permission list is read again after the writes (one more request); when another change
    came in between (a principal not listed holds a given role, or a listed one lacks its role), the task fails saying
    so, and running it again converges.
  - Users and groups are named as Connect stores them, composed (NFC) and with case; a name that differs from an
    existing one's only in case, or that looks the same (letters of another script drawn alike), is not that user or
    group, and the refusal names the one it resembles. GUIDs are compared without case.
extends_documentation_fragment:
  - posit.connect.connect
  - posit.connect.connect.attributes
attributes:
  check_mode:
    description: Reads the server and reports the planned grants, role changes and revocations, without writing.
    support: full
  diff_mode:
    description: Shows the access type and the names of the viewers and collaborators before and after.
    support: full
seealso:
  - module: posit.connect.connect_content_info
  - module: posit.connect.connect_group
"""

EXAMPLES = r"""
# These examples act on an item named sales-dashboard, published by the user ana
# (any content item made through the API or the dashboard by a publisher).
- name: The people and the group below (see connect_users and connect_group); collaborators must be publishers
  posit.connect.connect_users:
    users:
      - {username: bob, email: bob@example.com, user_role: publisher, user_must_set_password: true}
      - {username: chen, email: chen@example.com, user_role: publisher, user_must_set_password: true}

- name: The sales group
  posit.connect.connect_group:
    name: sales

- name: Let the sales group view the dashboard and Bob change it
  posit.connect.connect_content_access:
    name: sales-dashboard
    owner: ana
    viewers:
      groups: [sales]
    collaborators:
      users: [bob]

- name: Only logged-in accounts, and exactly these viewers (other viewers lose access; collaborators are left alone)
  posit.connect.connect_content_access:
    name: sales-dashboard
    access_type: logged_in
    viewers:
      users: [chen]
      groups: [sales]
    exclusive: true

- name: Make Chen a collaborator instead of a viewer (one role change)
  posit.connect.connect_content_access:
    name: sales-dashboard
    collaborators:
      users: [chen]

- name: Revoke the sales group's view access
  posit.connect.connect_content_access:
    name: sales-dashboard
    viewers:
      groups: [sales]
    state: absent

- name: Review what would change, without changing it
  posit.connect.connect_content_access:
    name: sales-dashboard
    viewers:
      users: []
      groups: []
    collaborators:
      users: [bob, chen]
    exclusive: true
  check_mode: true
  diff: true
  register: sales_access

- name: Show the access the dashboard has
  ansible.builtin.debug:
    msg: "{{ sales_access.permissions | map(attribute='name') | list }}"
"""

RETURN = r"""
content:
  description: The item after the task (predicted in check mode).
  returned: success
  type: dict
  contains:
    guid: {description: The item's GUID., type: str}
    name: {description: The item's name., type: str}
    title: {description: "The item's title, or V(null).", type: str}
    owner: {description: The username of the item's owner., type: str}
    access_type: {description: "V(all), V(logged_in) or V(acl).", type: str}
  sample:
    guid: 2d6e5b62-9c2a-4c1e-8f7a-1f4f0d8a3b21
    name: sales-dashboard
    title: Sales dashboard
    owner: ana
    access_type: logged_in
permissions:
  description:
    - The item's permission list after the task (predicted in check mode), sorted by principal type (groups first),
      then name. The owner is not in it.
  returned: success
  type: list
  elements: dict
  contains:
    principal_type: {description: "V(user) or V(group).", type: str}
    principal_guid: {description: The user's or group's GUID., type: str}
    name: {description: The username or the group name., type: str}
    role: {description: "V(viewer) or V(collaborator) (Connect's V(owner)).", type: str}
  sample:
    - {principal_type: group, principal_guid: 6f300623-1e0c-48e6-a473-ddf630c0c0c3, name: sales, role: viewer}
    - {principal_type: user, principal_guid: 8f1c3b0e-2f0e-4f6f-9a57-6b4ad3f1a0c2, name: bob, role: collaborator}
operations:
  description:
    - The writes the task made, or would make in check mode, in order. C(action) is V(grant), V(change_role),
      V(revoke) or V(update) (the access type); C(target) names the user or group and the item; C(changes) gives
      C(role) (or C(access_type)) before and after.
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
  sample:
    - action: grant
      target: "group 'sales' on content 'sales-dashboard'"
      changes: {role: {before: null, after: viewer}}
    - action: change_role
      target: "user 'chen' on content 'sales-dashboard'"
      changes: {role: {before: viewer, after: collaborator}}
diff:
  description:
    - With C(--diff), the access type and the names of the users and groups holding each role, before and after.
  returned: when diff mode is on
  type: dict
  sample:
    before: {access_type: acl, viewers: {users: [], groups: []}, collaborators: {users: [], groups: []}}
    after: {access_type: acl, viewers: {users: [], groups: [sales]}, collaborators: {users: [bob], groups: []}}
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

from ansible_collections.posit.connect.plugins.module_utils._planning.access import AccessPlanner
from ansible_collections.posit.connect.plugins.module_utils.module_base import ConnectModule


def principals_option():
    return dict(type="dict", options=dict(users=dict(type="list", elements="str"), groups=dict(type="list", elements="str")))


ARGUMENT_SPEC = dict(
    guid=dict(type="str"),
    name=dict(type="str"),
    owner=dict(type="str"),
    access_type=dict(type="str", choices=["all", "logged_in", "acl"]),
    viewers=principals_option(),
    collaborators=principals_option(),
    exclusive=dict(type="bool", default=False),
    state=dict(type="str", default="present", choices=["present", "absent"]),
)


def main():
    module = ConnectModule(ARGUMENT_SPEC, required_one_of=[("guid", "name")], mutually_exclusive=[("guid", "name")],
                           required_by={"owner": "name"})
    spec = dict((name, module.params[name]) for name in ARGUMENT_SPEC)
    planner = AccessPlanner(module.api)
    access_plan = module.run(planner.plan_one, spec)
    # An exclusive task is the one source of truth for the roles it gives: it reads the list back after its writes,
    # so that a run another change overtook fails instead of reporting access that does not hold.
    verify = planner.verify if spec["exclusive"] else None
    module.finish(access_plan, "content", None, verify=verify, permissions=access_plan.permissions)


if __name__ == "__main__":
    main()
