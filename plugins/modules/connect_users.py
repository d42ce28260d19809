#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: connect_users
short_description: Reconcile many Posit Connect users in one task
version_added: 1.0.0
description:
  - Makes the accounts of a Posit Connect server match a list of users, in one task. This is the directory-as-code module.
  - Reads all accounts with one paged listing (500 a request), then makes only the writes that are needed,
    several at once. A loop of M(posit.connect.connect_user) over thousands of users starts one module process per user.
  - Each entry means exactly what the same options mean in M(posit.connect.connect_user), because both modules use the same planner.
  - In check mode it returns the complete plan, so a scheduled check-mode run is a drift report.
author:
  - Posit Connect collection maintainers (@posit-dev)
options:
  users:
    description:
      - The desired users. Entries are matched to accounts by O(users[].guid) when given, otherwise by exact O(users[].username).
      - Exactly one of O(users) and O(src) is required.
    type: list
    elements: dict
    suboptions:
      username:
        description: The account's username (exact, case-sensitive); with O(users[].guid), its desired name.
        type: str
      guid:
        description: The account's GUID.
        type: str
      state:
        description: V(present) (exists and unlocked) or V(absent) (locked; Connect cannot delete users through its API).
        type: str
        choices: [present, absent]
        default: present
      email:
        description: Email address. Left as it is when not given.
        type: str
      first_name:
        description: First name. Left as it is when not given.
        type: str
      last_name:
        description: Last name. Left as it is when not given.
        type: str
      user_role:
        description: Role. Left as it is when not given.
        type: str
        choices: [administrator, publisher, viewer]
      password:
        description: Initial password, used only on creation with password authentication. Never printed.
        type: str
      user_must_set_password:
        description: On creation with password authentication, let the user set their own password.
        type: bool
        default: false
      unique_id:
        description: The identity provider's unique ID, used on creation (required with SAML and OAuth2).
        type: str
      force:
        description:
          - Allow this entry to lock, or lower the role of, the account the API key belongs to.
            Without it, that is refused while planning, because the key could not undo it.
        type: bool
        default: false
      groups:
        description:
          - Names of groups the account must be in. Memberships are only added, never removed, by this module;
            use M(posit.connect.connect_group_membership) with O(posit.connect.connect_group_membership#module:exclusive=true) to remove.
        type: list
        elements: str
      successor:
        description:
          - With O(users[].state=absent), the account (a username or a GUID) that takes over the content items and
            groups this one owns, before it is locked; as O(posit.connect.connect_user#module:successor) does, with
            the same refusals.
          - The successor must exist before the run, and must not be locked or lowered to viewer by the same run.
        type: str
        version_added: 1.0.0
  src:
    description:
      - "A file of entries on the controller, read instead of O(users): each entry (row) takes the options of
        O(users[]) and is validated exactly as an entry of O(users) is. Errors name the file, the line and the field,
        such as C(people.csv line 7: email must not begin or end with whitespace; remove the spaces around it.)"
      - It is found the way M(ansible.builtin.copy) finds its O(ansible.builtin.copy#module:src), on the controller
        (a role's C(files/), the play's C(files/) and directory, or an absolute path); vault-encrypted files are decrypted.
      - "The extension says how to read it: C(.csv), C(.json), C(.yml) or C(.yaml)."
      - "CSV: UTF-8 (a byte order mark is allowed), comma-separated, quoted as spreadsheets export it. The first line
        names the columns, which are the entry options (V(username), V(guid), V(state), V(email), V(first_name),
        V(last_name), V(user_role), V(password), V(user_must_set_password), V(unique_id), V(force), V(groups),
        V(successor)) in any
        order; an unknown or repeated column is refused. An empty cell means the option is not given (the field is
        left as it is). O(users[].groups) is one cell, the group names joined by C(;) (V(data-science;finance)).
        Booleans are V(true) or V(false). Empty lines are skipped."
      - JSON and YAML, a list of entries (mappings), as O(users) would be written.
      - Reading the file on the controller and passing it as one value spares Ansible's per-entry work on
        a long O(users) list (see the collection's docs/performance.md).
    type: str
    version_added: 1.0.0
  unlisted:
    description:
      - What to do with accounts that are not in O(users) (or O(src)).
      - V(keep) leaves them alone. V(lock) locks them, except the account the API key belongs to.
    type: str
    choices: [keep, lock]
    default: keep
  unlisted_successor:
    description:
      - With O(unlisted=lock), the account (a username or a GUID) that takes over the content items and groups of
        every account locked because it is not listed, before those accounts are locked.
      - It must be listed itself (or be the API key's account), or it would be locked too; the run is refused
        otherwise, and when it is not a Connect user, is locked or is a viewer.
      - O(max_locks) still guards the run; a refusal also says what would have been handed over, and to whom.
    type: str
    version_added: 1.0.0
  max_locks:
    description:
      - The most accounts one run may lock, counting O(unlisted=lock) and entries with O(users[].state=absent).
      - When a run would lock more, it fails before writing anything, naming the accounts (the first ten and how many
        more) and returning the plan in RV(would_lock) and RV(operations), so a check-mode audit shows them.
        This stops an empty, truncated or mistyped list from locking everyone.
      - When not set, the guard is 10 accounts or a fifth of the unlocked accounts, whichever is smaller
        (but at least 1), so small servers are protected too. Set it to a number to allow exactly that many.
    type: int
  partial:
    description:
      - What to do when some entries cannot be planned (an unknown group, a username Connect would refuse, a
        username that differs from an account's only in case...).
      - V(false) fails the task before anything is written, listing every failing entry.
      - V(true) applies the entries that can be planned and lists the others in RV(failures) (the task still fails).
        Unlisted accounts are not locked in such a run, because a failing entry may be about one of them.
    type: bool
    default: false
  concurrency:
    description:
      - How many accounts are written at the same time. Each account's own writes stay in order.
    type: int
    default: 4
notes:
  - O(src) is read by the collection's action plugin on the controller, so the file never has to be on the managed
    host; the module then runs where the task runs (C(delegate_to) and M(ansible.builtin.copy)-style search paths work
    as usual), in check mode and with diff as with O(users).
  - "An entry that cannot be planned stops the run before any write (see O(partial)). Failures while applying are per
    user: every other entry is still applied, and the task then fails naming all the failures. It is not atomic:
    Connect has no transactions."
  - An empty O(users) list with O(unlisted=lock) is refused.
  - The guard O(max_locks) is checked on the whole plan, before any write.
  - Creates, renames, demotions and locks that Connect would refuse are refused while planning, with the same message
    in check mode and in a real run (see M(posit.connect.connect_user)).
  - The whole list is planned before any write; two entries that claim one username (exactly, but for case, in
    composed form or by look) are planning errors. Unlisted accounts are locked last, and only when every listed
    entry applied.
  - A refused key (HTTP 401), a key whose user is locked or lacks the role (HTTP 403), or a server gone ends the run;
    another 403 on a write stops the writes of that kind; a run whose C(ansible-playbook) is gone (cancelled)
    sends no further write. The rest are listed in RV(failures) as not applied.
  - After writing, the run confirms what it wrote and fails, naming the accounts, when another change overtook it
    (two runs at once); see the collection's docs/bulk.md for how to serialize runs.
  - API cost. One listing of all users (ceil(accounts / 500) requests) and one write per change.
    Also C(server_settings) once when accounts are created, the caller's own account once when accounts are locked,
    and one listing of groups plus one member listing per group when entries name groups. A run that writes also
    reads back the listing pages holding the accounts it locked or unlocked and the member lists it wrote to.
  - With successors (O(users[].successor) or O(unlisted_successor)), one listing of all content (C(GET /v1/content),
    whatever the number of leavers) and one of all groups, then one C(PATCH /v1/content/{guid}) per item and one
    C(POST /v1/groups/{guid}) per group handed over. All transfers of the run are sent O(concurrency) at a time before
    any account's lock, and a leaver is locked only once every one of its transfers succeeded.
extends_documentation_fragment:
  - posit.connect.connect
  - posit.connect.connect.src_entries
  - posit.connect.connect.attributes
attributes:
  check_mode:
    description: Returns the complete plan (who would be created, updated field by field, locked, unlocked, added to groups).
    support: full
  diff_mode:
    description: Shows the managed fields of each account that changes, before and after, keyed by username. Never a password.
    support: full
seealso:
  - module: posit.connect.connect_user
  - module: posit.connect.connect_group_membership
"""

EXAMPLES = r"""
- name: The groups the accounts below join (see connect_groups)
  posit.connect.connect_groups:
    groups:
      - name: data-science
      - name: finance

- name: Reconcile the accounts from a variable file
  posit.connect.connect_users:
    users:
      - username: ana
        email: ana@example.com
        first_name: Ana
        last_name: Lima
        user_role: publisher
        user_must_set_password: true
        groups: [data-science]
      - username: bob
        email: bob@example.com
        user_role: viewer
        user_must_set_password: true
      - username: chen
        email: chen@example.com
        user_must_set_password: true  # no user_role: the server's default (viewer, or publisher where so set)
      - username: carol
        state: absent
    concurrency: 8

- name: Reconcile the accounts from an HR export (files/people.csv in the role or beside the play)
  # people.csv:
  #   username,email,first_name,last_name,user_role,groups
  #   ana,ana@example.com,Ana,Lima,publisher,data-science;finance
  #   bob,bob@example.com,Bob,Stone,viewer,
  posit.connect.connect_users:
    src: people.csv

- name: Directory as code, as a nightly check-mode drift report
  posit.connect.connect_users:
    users: "{{ connect_people }}"
    unlisted: lock
    max_locks: 25
  check_mode: true
  diff: true
  register: drift

- name: Carol leaves; what she owns goes to Ana first
  posit.connect.connect_users:
    users:
      - username: ana
      - username: carol
        state: absent
        successor: ana
"""

RETURN = r"""
counts:
  description:
    - How many accounts were (or, in check mode, would be) created, updated, locked, unlocked, given memberships only,
      left unchanged, and how many entries failed. An account found already made (by a run in
      parallel) counts as unchanged, not created; an account created whose later write failed counts as created and failed.
    - In a run with successors (O(users[].successor) or O(unlisted_successor)), also C(handed_over) (already locked
      accounts that only handed over), C(content_handed_over) and C(groups_handed_over) (the content items and groups
      given to successors).
  returned: always
  type: dict
  sample: {created: 2, updated: 5, locked: 1, unlocked: 0, memberships: 1, unchanged: 9990, failed: 0}
created:
  description: Usernames of the accounts created.
  returned: always
  type: list
  elements: str
updated:
  description: Usernames of the accounts whose attributes changed; RV(operations) has each field's before and after.
  returned: always
  type: list
  elements: str
locked:
  description: Usernames of the accounts locked.
  returned: always
  type: list
  elements: str
unlocked:
  description: Usernames of the accounts unlocked.
  returned: always
  type: list
  elements: str
handed_over:
  description:
    - Usernames of already locked accounts whose content or groups went to a successor (without a new lock).
      A leaver that is also locked by the run is listed in RV(locked).
  returned: in a run with successors
  type: list
  elements: str
  version_added: 1.0.0
handovers:
  description:
    - One entry per account whose content or groups went (or, in check mode, would go) to a successor, with
      C(user), C(successor), C(content) (each C(guid), C(name), C(title)) and C(groups) (each C(guid), C(name)).
    - In a run that failed part way, only what was handed over.
  returned: in a run with successors
  type: list
  elements: dict
  version_added: 1.0.0
  sample:
    - user: carol
      successor: ana
      content: [{guid: 0d3c7a8e-6a1e-4c5b-9a3f-2f6f4f0b9c11, name: sales-dashboard, title: Sales}]
      groups: [{guid: 5b2a9f6e-1c4d-4e8a-b7f0-3d2c1e0a9b88, name: data-science}]
would_hand_over:
  description:
    - When the O(max_locks) guard refused a run with successors, what it would have handed over, each with C(user),
      C(successor) and the numbers of C(content) items and C(groups).
  returned: when the lock guard refused a run with successors
  type: list
  elements: dict
  version_added: 1.0.0
memberships:
  description: Usernames of the accounts that only gained group memberships.
  returned: always
  type: list
  elements: str
operations:
  description: Every write made (or planned in check mode), in order per account, with field changes.
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
    - {action: update, target: "user 'ana'", changes: {user_role: {before: viewer, after: publisher}}}
    - {action: add, target: "user 'ana' to group 'data-science'"}
failures:
  description: The entries that could not be planned or applied, each with C(user) and C(msg). An entry with neither
    username nor guid is named by its position, such as C(users[3]), or with O(src) by its file and line, such as
    C(people.csv line 7).
  returned: always
  type: list
  elements: dict
would_lock:
  description: When the O(max_locks) guard refused the run, the usernames it would have locked.
  returned: when the lock guard refused the run
  type: list
  elements: str
unlisted_skipped:
  description: Why unlisted accounts were not locked in this run (with O(partial=true) and failing entries).
  returned: when O(unlisted=lock) was skipped
  type: str
diff:
  description: For each account that changes, its managed fields before and after, keyed by username; for an account
    that joins groups, also C(groups), the listed groups it is in before and after; for a leaver with a successor,
    also C(content) and C(owned_groups), the names of what it owns before and after.
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

from ansible_collections.posit.connect.plugins.module_utils._planning.bulk_users import BulkUserPlanner
from ansible_collections.posit.connect.plugins.module_utils.module_base import ConnectModule
from ansible_collections.posit.connect.plugins.module_utils.sources import src_entries
from ansible_collections.posit.connect.plugins.module_utils._planning.users import user_entry_spec

USER_OPTIONS = user_entry_spec()

ARGUMENT_SPEC = dict(
    # password with user_must_set_password is refused per entry by the planner (an explicit
    # user_must_set_password: false beside a password is fine, which mutually_exclusive would refuse).
    users=dict(type="list", elements="dict", options=USER_OPTIONS),
    src=dict(type="str"),
    # Filled by the action plugin from src: [[line, entry], ...] as one JSON text (no_log: the rows
    # may hold passwords, and the invocation need not echo them). Validated by sources.src_entries.
    _src_entries=dict(type="raw", no_log=True),
    unlisted=dict(type="str", default="keep", choices=["keep", "lock"]),
    max_locks=dict(type="int"),
    partial=dict(type="bool", default=False),
    concurrency=dict(type="int", default=4),
    unlisted_successor=dict(type="str"),
)


def main():
    module = ConnectModule(ARGUMENT_SPEC, required_one_of=[("users", "src")], mutually_exclusive=[("users", "src")])
    params = module.params
    users, labels = params["users"], None
    if params["src"] is not None:
        users, labels = src_entries(module.ansible, params["src"], params["_src_entries"], USER_OPTIONS)
    planner = BulkUserPlanner(module.api, params["unlisted_successor"])
    work, failures, notes = module.run(planner.plan, users, params["unlisted"] == "lock", params["max_locks"],
                                       params["partial"], labels)
    module.finish_bulk(planner, work, failures, notes)


if __name__ == "__main__":
    main()
