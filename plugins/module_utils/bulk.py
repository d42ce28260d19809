# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reconciling many users in one task: the planning and the parallel apply of connect_users.

The costs that cannot be avoided are one paged listing of all users and one
call per real change; this module keeps to them. Each entry is planned by the
same UserPlanner as connect_user, from the listing instead of a lookup.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.posit.connect.plugins.module_utils.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils.groups import GroupFinder
from ansible_collections.posit.connect.plugins.module_utils.memberships import add_member_operation
from ansible_collections.posit.connect.plugins.module_utils.plan import Operation, managed_view
from ansible_collections.posit.connect.plugins.module_utils.users import DIFF_FIELDS, UserPlanner, validate_user_spec


class UserWork:
    """One account's plan in a bulk run: its operations run in order, accounts in parallel."""

    def __init__(self, name, plan, membership_operations=()):
        self.name = name
        self.plan = plan
        self.operations = list(plan.operations) + list(membership_operations)
        self.error = None
        self.applied = []

    @property
    def outcome(self):
        """created, updated, locked, unlocked, memberships or unchanged, from the account's operations."""
        actions = [op.action for op in self.plan.operations]
        for action in ("create", "lock", "unlock", "update"):
            if action in actions:
                return {"create": "created", "lock": "locked", "unlock": "unlocked", "update": "updated"}[action]
        return "memberships" if self.operations else "unchanged"

    def apply(self):
        for operation in self.operations:
            try:
                operation.run()
            except ConnectError as failure:
                self.error = failure.with_action("{0} {1}".format(operation.action, operation.target))
                return
            self.applied.append(operation)


class BulkUserPlanner:
    """Plans a whole list of desired users against one listing of the server."""

    def __init__(self, client, facts):
        self.client = client
        self.facts = facts
        self.planner = UserPlanner(client, facts)
        self.groups = GroupFinder(client)
        self._group_index = None

    def plan(self, entries, unlisted="keep", max_locks=10):
        """(work, failures): a UserWork per account with something to do or to report."""
        accounts = self.planner.finder.all()
        by_username = dict((user["username"], user) for user in accounts)
        by_guid = dict((user["guid"], user) for user in accounts)
        work, failures, listed, planned = [], [], set(), set()
        for name, spec in _named_entries(entries, failures):
            # An account an entry names is listed even when the entry fails: unlisted=lock must not lock it.
            for named in (by_guid.get(spec.get("guid")), by_username.get(spec.get("username"))):
                if named is not None:
                    listed.add(named["guid"])
            try:
                validate_user_spec(spec)
                current = by_guid.get(spec["guid"]) if spec.get("guid") else by_username.get(spec["username"])
                if current is not None:
                    listed.add(current["guid"])
                    # The same account named twice, once by guid and once by username.
                    if current["guid"] in planned:
                        raise ConnectError("User '{0}' is listed more than once.".format(current["username"]))
                    planned.add(current["guid"])
                    if not spec.get("username"):
                        name = current["username"]
                plan = self.planner.plan(spec, current)
                work.append(UserWork(name, plan, self._membership_operations(spec, plan)))
            except ConnectError as error:
                failures.append({"user": name, "msg": error.message})
        if unlisted == "lock":
            work.extend(self._lock_unlisted(accounts, listed))
        self._guard_locks(work, max_locks)
        return work, failures

    def _lock_unlisted(self, accounts, listed):
        candidates = [user for user in accounts if user["guid"] not in listed and not user.get("locked")]
        if not candidates:
            return []
        me = self.facts.me.get("guid")
        return [UserWork(user["username"], self.planner.plan({"username": user["username"], "state": "absent", "force": True}, user))
                for user in candidates if user["guid"] != me]

    @staticmethod
    def _guard_locks(work, max_locks):
        locks = [item.name for item in work if item.outcome == "locked"]
        if len(locks) > max_locks:
            raise ConnectError(
                "Refusing to lock {0} accounts in one run, more than max_locks ({1}), so nothing was changed; "
                "check the users list, or raise max_locks if this is intended.".format(len(locks), max_locks))

    # -- memberships ---------------------------------------------------------

    def _membership_operations(self, spec, plan):
        wanted = spec.get("groups") or []
        if not wanted:
            return []
        index = self._groups_by_name()
        unknown = [name for name in wanted if name not in index]
        if unknown:
            raise ConnectError("No Connect group is named {0}.".format(", ".join("'{0}'".format(n) for n in unknown)))
        account = plan.live if plan.live is not None else (plan.before or {})
        guid = (plan.before or {}).get("guid")
        operations = []
        for name in wanted:
            group, members = index[name]
            if guid is None or guid not in members:
                operations.append(_deferred_add(self.client, account, plan.after["username"], group))
        return operations

    def _groups_by_name(self):
        """``{name: (group, member guids)}``, read once per run and only when entries name groups."""
        if self._group_index is None:
            self._group_index = {}
            for group in self.groups.all():
                members = set(member["guid"] for member in self.groups.members(group))
                self._group_index[group["name"]] = (group, members)
        return self._group_index


def _deferred_add(client, account, username, group):
    """Add an account to a group, with its guid read when the operation runs (after a create)."""
    def run():
        add_member_operation(client, dict(account, username=username), group).run()

    return Operation("add", "user '{0}' to group '{1}'".format(username, group["name"]), run)


def _named_entries(entries, failures):
    """(name, spec) for each entry; entries naming the same account twice are failures."""
    seen = {}
    for spec in entries:
        name = spec.get("username") or spec.get("guid") or "(unnamed)"
        key = spec.get("guid") or spec.get("username")
        if key in seen:
            failures.append({"user": name, "msg": "User '{0}' is listed more than once.".format(name)})
            continue
        seen[key] = True
        yield name, spec


def apply_all(work, concurrency):
    """Apply every account's operations, several accounts at a time."""
    pending = [item for item in work if item.operations]
    if not pending:
        return
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        list(pool.map(lambda item: item.apply(), pending))


def summarize(work, failures, check_mode):
    """The task's results: lists per outcome, the operations, and per-user failures."""
    outcomes = dict((key, []) for key in ("created", "updated", "locked", "unlocked", "memberships", "unchanged"))
    operations = []
    for item in work:
        if item.error is not None:
            failures.append({"user": item.name, "msg": item.error.message})
        else:
            outcomes[item.outcome].append(item.name)
        done = item.operations if check_mode else item.applied
        operations.extend(op.describe() for op in done)
    counts = dict((key, len(names)) for key, names in outcomes.items())
    counts["failed"] = len(failures)
    results = dict((key, names) for key, names in outcomes.items() if key != "unchanged")
    results.update(counts=counts, operations=operations, failures=failures)
    return results


def diff_of(work):
    """Managed fields before and after, for the accounts that change."""
    before, after = {}, {}
    for item in work:
        if item.plan.operations:
            before[item.name] = managed_view(item.plan.before, DIFF_FIELDS)
            after[item.name] = managed_view(item.plan.after, DIFF_FIELDS)
    return {"before": before, "after": after}
