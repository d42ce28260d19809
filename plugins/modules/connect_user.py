#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: connect_user
short_description: Manage a Posit Connect user account
version_added: 1.0.0
description:
  - Creates, updates, locks and unlocks one user account of a Posit Connect server through its API.
  - Connect cannot delete users through its API, so O(state=absent) locks the account instead.
  - Reads the account, plans the changes, and applies them unless in check mode;
    a run with nothing to change makes one request.
  - To manage many users in one task, use M(posit.connect.connect_users), which plans each user the same way.
author:
  - Posit Connect collection maintainers (@posit-dev)
options:
  username:
    description:
      - The account's username, matched exactly and case-sensitively.
      - With O(guid), the name the account should have (a rename).
      - Required unless O(guid) is given.
    type: str
  guid:
    description:
      - The account's GUID. When given, it identifies the account and O(username) becomes its desired name.
      - An account cannot be created with a chosen GUID, so an unknown GUID fails unless O(state=absent).
    type: str
  new_username:
    description:
      - Rename the account found by O(username) to this name.
      - When no account has O(username) but one has O(new_username), the rename is taken as done and that account is
        managed, so the task stays idempotent; when neither exists, the account is created as O(new_username).
        This is the idiom of O(posit.connect.connect_group#module:new_name).
      - Renaming onto a username another account has (exactly or but for case) is refused while planning.
      - Not with O(guid); with O(guid), O(username) is the desired name.
    type: str
    version_added: 1.0.0
  state:
    description:
      - V(present) makes sure the account exists and is unlocked.
      - V(absent) locks the account. An account that does not exist is left absent, not created to be locked, and the
        task warns, naming the username, so that a mistyped name in an offboarding is noticed.
    type: str
    choices: [present, absent]
    default: present
  email:
    description:
      - The account's email address. Left as it is when not given.
      - Servers with password authentication need it to create an account.
    type: str
  first_name:
    description: The account's first name. Left as it is when not given.
    type: str
  last_name:
    description: The account's last name. Left as it is when not given.
    type: str
  user_role:
    description:
      - The account's role. Left as it is when not given; new accounts then get the server's default role
        (C(Authorization.DefaultUserRole), V(viewer) or V(publisher)), which the API does not publish, so check mode
        returns such an account with its role V(null) and a warning; a real run returns the role Connect gave.
      - Connect refuses to demote its only administrator, and only administrators may give roles to others.
    type: str
    choices: [administrator, publisher, viewer]
  password:
    description:
      - The initial password, for servers with password authentication.
      - Used only when the account is created; Connect's API cannot change an existing password,
        so this option never causes a change on an existing account and never appears in output.
      - Mutually exclusive with O(user_must_set_password).
    type: str
  user_must_set_password:
    description:
      - On creation with password authentication, have Connect email the user to set their own password.
      - Mutually exclusive with O(password). Used only when the account is created.
    type: bool
    default: false
  unique_id:
    description:
      - The identity provider's unique ID for the account, used on creation.
      - Required to create accounts on servers with SAML or OAuth2 authentication; optional with proxied authentication.
    type: str
  force:
    description:
      - Allow O(state=absent) to lock, or O(user_role) to lower the role of, the account the API key belongs to.
      - Allow creating, or renaming to, a username that looks the same as another account's (letters of another script
        drawn alike, such as a Cyrillic C(а) for a Latin C(a)).
      - Without it, these are refused before anything is written (in check mode too), because the key could not undo
        the first two, and people could not tell the accounts apart.
    type: bool
    default: false
  successor:
    description:
      - With O(state=absent), the account (a username or a GUID) that takes over what this one owns before it is
        locked. Every content item the user owns and every group they own gets the successor as owner (one
        C(transfer) operation each), and the lock comes last, only once every transfer has succeeded.
      - "Refused while planning, naming the account, with the same message in check mode: a successor that is not
        a Connect user, that is locked, that is a viewer (content owners must be publishers or administrators), or
        that is the user themselves, and O(successor) without O(state=absent)."
      - An account already locked that still owns content or groups is handed over without a new lock; one that
        owns nothing is left as it is, so the task can stay in a playbook.
      - Only ownership moves. Permissions the user has on other people's items, their subscriptions and their
        API keys stay as they are; the collaborators and viewers of the items they owned keep their access.
    type: str
    version_added: 1.0.0
  concurrency:
    description:
      - With O(successor), how many transfers are written at the same time (each is one request). The lock is
        always written after all of them.
    type: int
    default: 4
    version_added: 1.0.0
notes:
  - How an account is created follows the server's authentication provider, read from the server when (and only when) an
    account must be created. With LDAP, or OAuth2 with Google, the user is looked up in the provider's directory and created
    from its entry; the attributes the directory lacks are then set.
  - When O(state=absent), the attributes are not managed; the account is only locked.
  - O(email) is compared without regard to case, so V(Ana@Example.com) and V(ana@example.com) are no change.
  - Names are compared and sent in Unicode's composed form (NFC), so a decomposed C(josé) names the account C(josé) and
    a first name that differs only in its composition is no change; a username with an invisible format character
    (a zero-width space, a byte order mark, a direction mark) is refused. GUIDs are compared without case.
  - "Refused while planning, with the same message in check mode and in a real run, because Connect would refuse them or
    they would lock someone out: a username in the server's C(prohibited_usernames); a new username that differs from an
    existing account's only in case; a rename onto a taken username; with password authentication, a create without
    O(email), without O(password) or O(user_must_set_password), or with a password shorter than 6 characters; with SAML
    or OAuth2, a create without O(unique_id); lowering the role of, or locking, the only unlocked administrator; and
    locking or demoting the API key's own account without O(force)."
  - Connect does not publish the rules of its username validator, so a username it rejects is only refused when the
    task is applied.
  - "With O(successor), the run reads the account, the successor, the content the account owns
    (C(GET /v1/content?owner_guid=)) and the groups (C(GET /v1/groups)), then writes one C(PATCH /v1/content/{guid})
    per item, one C(POST /v1/groups/{guid}) per group and the lock. A transfer that fails stops the run before the
    lock; the failure names what was already handed over, and a rerun hands over the rest and locks."
extends_documentation_fragment:
  - posit.connect.connect
  - posit.connect.connect.attributes
attributes:
  check_mode:
    description: Reads the server and reports the planned changes and the predicted account without writing.
    support: full
  diff_mode:
    description: Shows the managed fields (username, email, names, role, locked) before and after. Never a password.
    support: full
seealso:
  - module: posit.connect.connect_user_info
  - module: posit.connect.connect_users
  - module: posit.connect.connect_group_membership
"""

EXAMPLES = r"""
- name: Make sure Ana has a publisher account
  posit.connect.connect_user:
    username: ana
    email: ana@example.com
    first_name: Ana
    last_name: Lima
    user_role: publisher
    user_must_set_password: true
  register: ana_account

- name: Promote Ana to administrator, leaving her other details as they are
  posit.connect.connect_user:
    username: ana
    user_role: administrator

- name: Audit a user without changing anything
  posit.connect.connect_user:
    username: ana
    user_role: administrator
  check_mode: true
  diff: true
  register: audit

- name: Rename the account with this GUID
  posit.connect.connect_user:
    guid: "{{ ana_account.user.guid }}"
    username: ana.lima

- name: Rename it back by its old name (when only ana exists, the rename is taken as done)
  posit.connect.connect_user:
    username: ana.lima
    new_username: ana

- name: Make sure Bob has an account, with the server's default role (viewer, or publisher where so set)
  posit.connect.connect_user:
    username: bob
    email: bob@example.com
    user_must_set_password: true

- name: Lock a leaver's account (Connect cannot delete users through its API)
  posit.connect.connect_user:
    username: bob
    state: absent

- name: Unlock it again
  posit.connect.connect_user:
    username: bob
    state: present

- name: A group Bob owns, handed over below (see connect_group)
  posit.connect.connect_group:
    name: bobs-team
    owner: bob

- name: Offboard bob - check mode lists what would go to Ana, and writes nothing
  posit.connect.connect_user:
    username: bob
    state: absent
    successor: ana
  check_mode: true
  diff: true
  register: offboarding_report

- name: Offboard bob - his content and groups go to Ana, then his account is locked
  posit.connect.connect_user:
    username: bob
    state: absent
    successor: ana
"""

RETURN = r"""
user:
  description:
    - The account after the task; in check mode, as it is predicted to be.
    - A predicted new account has O(guid) and the timestamps V(null).
    - V(null) when the account does not exist and O(state=absent).
  returned: always
  type: dict
  contains:
    guid: {description: The account's GUID (V(null) for an account predicted in check mode)., type: str}
    username: {description: The username., type: str}
    email: {description: The email address (empty when Connect hides addresses from the key's user)., type: str}
    first_name: {description: First name., type: str}
    last_name: {description: Last name., type: str}
    user_role: {description: "V(administrator), V(publisher) or V(viewer).", type: str}
    locked: {description: Whether the account is locked., type: bool}
    confirmed: {description: Whether the user confirmed the account (password authentication)., type: bool}
    created_time: {description: When the account was made (RFC 3339)., type: str}
    updated_time: {description: When the account last changed (RFC 3339)., type: str}
    active_time: {description: "When the user was last active (RFC 3339), or V(null).", type: str}
  sample:
    guid: 8f1c3b0e-2f0e-4f6f-9a57-6b4ad3f1a0c2
    username: ana
    email: ana@example.com
    first_name: Ana
    last_name: Lima
    user_role: publisher
    locked: false
    confirmed: true
    created_time: "2026-11-28T10:00:00Z"
    updated_time: "2026-11-28T10:00:00Z"
    active_time: null
operations:
  description:
    - The writes the task made, or would make in check mode, in order. Empty when nothing changed.
    - The actions are C(create), C(update), C(lock), C(unlock) and, with O(successor), C(transfer) (one per content
      item, then one per group, all before the lock).
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
    - action: update
      target: user 'ana'
      changes:
        user_role: {before: publisher, after: administrator}
    - action: transfer
      target: content 'sales-dashboard' (0d3c7a8e-6a1e-4c5b-9a3f-2f6f4f0b9c11)
      changes:
        owner: {before: bob, after: ana}
diff:
  description:
    - The managed fields before and after, with C(--diff).
    - With O(successor), also C(content) and C(owned_groups), the names of the content items and groups the account
      owns before and after (nothing, after a handover).
  returned: when diff mode is on
  type: dict
  sample:
    before: {username: ana, user_role: publisher, locked: false}
    after: {username: ana, user_role: administrator, locked: false}
handover:
  description:
    - With O(successor), what the task hands over (or would, in check mode) before the lock.
  returned: when O(successor) is given
  type: dict
  version_added: 1.0.0
  contains:
    successor: {description: The username of the account that takes over., type: str}
    content:
      description: The content items the user owned, each with C(guid), C(name) and C(title).
      type: list
      elements: dict
    groups:
      description: The groups the user owned, each with C(guid) and C(name).
      type: list
      elements: dict
  sample:
    successor: ana
    content:
      - {guid: 0d3c7a8e-6a1e-4c5b-9a3f-2f6f4f0b9c11, name: sales-dashboard, title: Sales}
    groups:
      - {guid: 5b2a9f6e-1c4d-4e8a-b7f0-3d2c1e0a9b88, name: data-science}
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

from ansible_collections.posit.connect.plugins.module_utils.module_base import ConnectModule
from ansible_collections.posit.connect.plugins.module_utils._planning.offboarding import OffboardingPlanner
from ansible_collections.posit.connect.plugins.module_utils._planning.users import DIFF_FIELDS, UserPlanner, user_argument_spec

# new_username is not an entry option of connect_users, whose entries rename with guid and username.
ARGUMENT_SPEC = dict(user_argument_spec(), new_username=dict(type="str"), successor=dict(type="str"),
                     concurrency=dict(type="int", default=4))


def plan(module):
    spec = dict((name, module.params[name]) for name in ARGUMENT_SPEC)
    if spec["successor"] is None:
        return UserPlanner(module.api).plan_one(spec)
    # The transfers go through the task's pool, which is concurrency requests wide.
    return OffboardingPlanner(module.api).plan_one(spec)


def main():
    # password with user_must_set_password is refused by validate_user_spec, not mutually_exclusive,
    # which would also refuse an explicit user_must_set_password: false.
    module = ConnectModule(ARGUMENT_SPEC, required_one_of=[("username", "guid")], mutually_exclusive=[("guid", "new_username")])
    user_plan = module.run(plan, module)
    extra = {"handover": user_plan.handover()} if module.params["successor"] is not None else {}
    module.finish(user_plan, "user", DIFF_FIELDS, **extra)


if __name__ == "__main__":
    main()
