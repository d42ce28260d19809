#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: connect_groups
short_description: Reconcile many Posit Connect groups and their members in one task
version_added: 1.0.0
description:
  - Makes the groups of a Posit Connect server, and who is in them, match a list, in one task. This is groups as code,
    the group counterpart of M(posit.connect.connect_users).
  - Reads all groups with one paged listing, the users with one listing only when members or owners are named, and
    the member list only of the groups that need it; then makes only the writes that are needed, several at once.
  - Each entry means what the same options mean in M(posit.connect.connect_group) and
    M(posit.connect.connect_group_membership), because the modules use the same planners.
  - In check mode it returns the complete plan, so a scheduled check-mode run is a drift report.
author:
  - Posit Connect collection maintainers (@posit-dev)
options:
  groups:
    description:
      - The desired groups. Entries are matched to groups by O(groups[].guid) when given, otherwise by exact O(groups[].name).
      - Exactly one of O(groups) and O(src) is required.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The group's name, matched exactly. With O(groups[].guid), the name the group should have (a rename).
        type: str
      guid:
        description:
          - The group's GUID. It identifies the group; a group cannot be created with a chosen GUID.
        type: str
      members:
        description:
          - Usernames or GUIDs of the users who must be in the group (they must exist).
          - Without O(exclusive), the missing ones are added and nobody is removed.
          - With O(exclusive=true), the group's members become exactly these; an entry without O(groups[].members)
            is refused rather than emptied. Give O(groups[].members=[]) to empty a group on purpose.
          - Not managed when not given (without O(exclusive)). Not allowed with O(groups[].state=absent).
        type: list
        elements: str
      owner:
        description:
          - The username or GUID of the user who should own the group. Left as it is when not given.
          - LDAP and provisioned groups have no owner; asking for one there is refused while planning.
        type: str
      state:
        description: V(present) (the group exists) or V(absent) (it is deleted; its members' accounts are not touched).
        type: str
        choices: [present, absent]
        default: present
      force:
        description:
          - Allow creating, or renaming to, a name that differs from another group's only in case or that looks the
            same (letters of another script drawn alike); without it, that is refused while planning, naming both.
          - Two entries of the list that claim names that look the same are allowed only when both say V(true); two
            entries that claim one name, or names that differ only in case, are always refused.
        type: bool
        default: false
        version_added: 1.0.0
  src:
    description:
      - "A file of entries on the controller, read instead of O(groups): each entry (row) takes the options of
        O(groups[]) and is validated exactly as an entry of O(groups) is. Errors name the file, the line and the field,
        such as C(groups.csv line 4: value of state must be one of: present, absent, got: gone.)"
      - It is found the way M(ansible.builtin.copy) finds its O(ansible.builtin.copy#module:src), on the controller
        (a role's C(files/), the play's C(files/) and directory, or an absolute path); vault-encrypted files are decrypted.
      - "The extension says how to read it: C(.csv), C(.json), C(.yml) or C(.yaml)."
      - "CSV: UTF-8 (a byte order mark is allowed), comma-separated, quoted as spreadsheets export it. The first line
        names the columns, which are the entry options (V(name), V(guid), V(state), V(owner), V(members), V(force)) in any
        order; an unknown or repeated column is refused. An empty cell means the option is not given.
        O(groups[].members) is one cell, the usernames or GUIDs joined by C(;) (V(ana;bob)). A CSV cannot give an empty
        member list, so with O(exclusive=true) every CSV row of a present group needs a V(members) cell; empty a group
        from JSON or YAML (V(members: [])). Empty lines are skipped."
      - JSON and YAML, a list of entries (mappings), as O(groups) would be written.
    type: str
    version_added: 1.0.0
  exclusive:
    description:
      - V(false) only adds the listed members. V(true) also removes the members who are not listed, in the listed groups.
    type: bool
    default: false
  unlisted:
    description:
      - What to do with the groups that are not in O(groups).
      - V(keep) leaves them alone. V(delete) deletes them (guarded by O(max_deletes)).
    type: str
    choices: [keep, delete]
    default: keep
  max_deletes:
    description:
      - The most groups one run may delete, counting O(unlisted=delete) and entries with O(groups[].state=absent).
      - When a run would delete more, it fails before writing anything, naming the groups (the first ten and how many
        more) and returning the plan in RV(would_delete) and RV(operations).
      - When not set, the guard is 10 groups or a fifth of the server's groups, whichever is smaller (but at least 1).
        Set it to a number to allow exactly that many.
    type: int
  partial:
    description:
      - What to do when some entries cannot be planned (an unknown member, a group whose members the provider owns,
        a rename onto a taken name, an exclusive entry without members...).
      - V(false) fails the task before anything is written, listing every failing entry.
      - V(true) applies the entries that can be planned and lists the others in RV(failures) (the task still fails).
        Unlisted groups are not deleted in such a run.
    type: bool
    default: false
  concurrency:
    description:
      - How many groups are read (member lists) and written at the same time. Each group's own writes stay in order.
    type: int
    default: 4
notes:
  - "An entry that cannot be planned stops the run before any write (see O(partial)). Failures while applying are per
    group: the other groups are still applied, and the task then fails naming the failures."
  - An empty O(groups) list with O(unlisted=delete) is refused.
  - The whole list is planned before any write; two entries that claim one name (exactly, but for case, in composed
    form or by look) are planning errors. Unlisted groups are deleted last, and only when every listed entry applied.
  - After writing, the run reads back the member lists it wrote to and fails, naming the groups, when another change
    overtook it (two exclusive runs at once); see the collection's docs/groups.md for how to serialize runs.
  - Renaming a group onto the name another group has now is refused, even when that group is deleted or renamed in the
    same run; do it in two runs.
  - Where the authentication provider owns group memberships (LDAP, provisioned groups), an entry that would change
    members fails to plan; under LDAP an entry with O(groups[].members) fails, because Connect cannot list them.
  - API cost. One listing of the groups (500 a request); one listing of the users when members that are not members
    yet, or owners, are named; one member listing per existing group whose entry has O(groups[].members) (not empty, or
    with O(exclusive=true)); then one write per change. Also C(server_settings) once when groups are created or
    provider-owned groups changed, and the caller's own account once when groups are created.
extends_documentation_fragment:
  - posit.connect.connect
  - posit.connect.connect.src_entries
  - posit.connect.connect.attributes
attributes:
  check_mode:
    description: Returns the complete plan (groups created, renamed, deleted, and per group the members added and removed).
    support: full
  diff_mode:
    description: Shows, per group that changes, its name and owner and, when its members are managed, the member usernames before and after.
    support: full
seealso:
  - module: posit.connect.connect_group
  - module: posit.connect.connect_group_membership
  - module: posit.connect.connect_group_info
  - module: posit.connect.connect_users
"""

EXAMPLES = r"""
- name: The accounts the groups below hold (see connect_users)
  posit.connect.connect_users:
    users:
      - {username: ana, email: ana@example.com, user_role: publisher, user_must_set_password: true}
      - {username: bob, email: bob@example.com, user_must_set_password: true}
      - {username: chen, email: chen@example.com, user_must_set_password: true}
      - {username: dora, email: dora@example.com, user_must_set_password: true}

- name: The groups and who is in them, as code
  posit.connect.connect_groups:
    groups:
      - name: data-science
        members: [ana, bob]
      - name: finance
        owner: ana
        members: [chen]
      - name: old-team
        state: absent
    exclusive: true

- name: Add people to groups, removing nobody
  posit.connect.connect_groups:
    groups:
      - name: data-science
        members: [dora]

- name: Find a group's GUID (see connect_group_info)
  posit.connect.connect_group_info:
    name: finance
  register: finance

- name: Rename a group by its GUID
  posit.connect.connect_groups:
    groups:
      - guid: "{{ finance.groups[0].guid }}"
        name: finance-team

- name: The groups from a file beside the playbook (or in the role's files/), here a CSV
  # groups.csv: the first line names the columns; members are joined by ";"
  #   name,owner,members
  #   data-science,,ana;bob;chen;dora
  #   finance-team,ana,chen
  posit.connect.connect_groups:
    src: groups.csv
    exclusive: true

- name: Rename it back by its GUID (so that these examples can run again)
  posit.connect.connect_groups:
    groups:
      - guid: "{{ finance.groups[0].guid }}"
        name: finance

- name: Nightly drift report of the complete set of groups
  posit.connect.connect_groups:
    groups: "{{ connect_groups_wanted }}"
    exclusive: true
    unlisted: delete
    max_deletes: 5
  check_mode: true
  diff: true
  register: group_drift
"""

RETURN = r"""
counts:
  description: How many groups were (or, in check mode, would be) created, renamed, updated (owner), deleted, changed
    in their members only, left unchanged, and how many entries failed.
  returned: always
  type: dict
  sample: {created: 1, renamed: 1, updated: 0, deleted: 1, memberships: 3, unchanged: 994, failed: 0}
created:
  description: Names of the groups created.
  returned: always
  type: list
  elements: str
renamed:
  description: New names of the groups renamed; RV(operations) has each name's before and after.
  returned: always
  type: list
  elements: str
updated:
  description: Names of the groups whose owner changed (and that were not renamed).
  returned: always
  type: list
  elements: str
deleted:
  description: Names of the groups deleted.
  returned: always
  type: list
  elements: str
memberships:
  description: Names of the groups whose only change is in their members.
  returned: always
  type: list
  elements: str
members:
  description: Per group whose members change, the usernames added and removed.
  returned: always
  type: dict
  sample: {data-science: {added: [ana], removed: [zed]}}
  contains:
    added:
      description: Usernames added to the group.
      type: list
      elements: str
      returned: always
    removed:
      description: Usernames removed from the group.
      type: list
      elements: str
      returned: always
operations:
  description: Every write made (or planned in check mode), in order per group, with field changes.
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
    - {action: update, target: "group 'finance'", changes: {name: {before: finance, after: finance-team}}}
    - {action: add, target: "user 'ana' to group 'data-science'"}
failures:
  description: The entries that could not be planned or applied, each with C(group) and C(msg). An entry with neither
    name nor guid is named by its position, such as C(groups[3]), or with O(src) by its file and line, such as
    C(groups.csv line 7).
  returned: always
  type: list
  elements: dict
  contains:
    group:
      description: The entry's name, guid, position or file and line.
      type: str
      returned: always
    msg:
      description: Why it failed, in one sentence.
      type: str
      returned: always
would_delete:
  description: When the O(max_deletes) guard refused the run, the names of the groups it would have deleted.
  returned: when the delete guard refused the run
  type: list
  elements: str
unlisted_skipped:
  description: Why unlisted groups were not deleted in this run (with O(partial=true) and failing entries).
  returned: when O(unlisted=delete) was skipped
  type: str
diff:
  description: For each group that changes, keyed by its name after the run, its C(name) and C(owner) (the owner's
    username) before and after, and C(members) (usernames) when its members are managed.
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

from ansible_collections.posit.connect.plugins.module_utils._planning.bulk_groups import BulkGroupPlanner
from ansible_collections.posit.connect.plugins.module_utils._planning.groups import group_entry_spec
from ansible_collections.posit.connect.plugins.module_utils.module_base import ConnectModule
from ansible_collections.posit.connect.plugins.module_utils.sources import src_entries

GROUP_OPTIONS = group_entry_spec()

ARGUMENT_SPEC = dict(
    groups=dict(type="list", elements="dict", options=GROUP_OPTIONS),
    src=dict(type="str"),
    # Filled by the action plugin from src: [[line, entry], ...] as one JSON text (no_log: the invocation
    # need not echo a whole file). Validated by sources.src_entries.
    _src_entries=dict(type="raw", no_log=True),
    exclusive=dict(type="bool", default=False),
    unlisted=dict(type="str", default="keep", choices=["keep", "delete"]),
    max_deletes=dict(type="int"),
    partial=dict(type="bool", default=False),
    concurrency=dict(type="int", default=4),
)


def main():
    module = ConnectModule(ARGUMENT_SPEC, required_one_of=[("groups", "src")], mutually_exclusive=[("groups", "src")])
    params = module.params
    groups, labels = params["groups"], None
    if params["src"] is not None:
        groups, labels = src_entries(module.ansible, params["src"], params["_src_entries"], GROUP_OPTIONS)
    planner = BulkGroupPlanner(module.api, params["exclusive"])
    work, failures, notes = module.run(planner.plan, groups, params["unlisted"] == "delete", params["max_deletes"],
                                       params["partial"], labels)
    module.finish_bulk(planner, work, failures, notes)


if __name__ == "__main__":
    main()
