# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reconciling many users in one task: the planning, the guards and the report of connect_users.

The costs that cannot be avoided are one paged listing of all users and one
call per real change; this module keeps to them. Each entry is planned by the
same UserPlanner as connect_user, from the listing instead of a lookup, and
applied by the same Plan.apply, several accounts at a time (plan.apply_each).

Two rules keep a mistake in the list from locking people out: an entry that
cannot be planned stops the whole run before any write (unless ``partial``),
and the locks of one run are bounded (``max_locks``), with the accounts named.
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._planning.accounts import ListedAccounts
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._api.groups import ProviderOwnsMemberships, provider_owns_memberships
from ansible_collections.posit.connect.plugins.module_utils._planning.memberships import add_member_operation
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import managed_view
from ansible_collections.posit.connect.plugins.module_utils._planning.users import (
    DIFF_FIELDS,
    UserPlanner,
    default_role_note,
    role_left_to_server,
    validate_user_spec,
)

OUTCOMES = ("created", "updated", "locked", "unlocked", "memberships", "unchanged")
# Without max_locks, one run locks at most this many accounts, and at most this share of the unlocked ones.
DEFAULT_MAX_LOCKS = 10
DEFAULT_MAX_LOCK_SHARE = 0.2
# How many names a refusal lists before it says how many more there are.
NAMES_SHOWN = 10


class Refusal(ConnectError):
    """The run was refused before any write; ``details`` go into the failed task's result."""

    def __init__(self, message, **details):
        super().__init__(message)
        self.details = details


def entry_position(labels, option, position):
    """Where a nameless entry is, for its failure: its file and line (``labels``, from src) or its place (users[3])."""
    return labels[position] if labels else "{0}[{1}]".format(option, position)


def name_list(names):
    """'a', 'b', 'c' and 7 more."""
    shown = ", ".join("'{0}'".format(name) for name in names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return shown + (" and {0} more".format(more) if more > 0 else "")


def failure_list(failures, key):
    """'a: why; b: why' for entries named under ``key`` (user, group)."""
    return "; ".join("{0}: {1}".format(f[key], f["msg"].rstrip(".")) for f in failures)


def refuse_unplannable(failures, key, operations):
    """Stop a bulk run before any write when entries cannot be planned (the rule ``partial`` relaxes)."""
    raise Refusal("{0} of the listed {1}s cannot be planned, so nothing was changed: {2} (fix them, or set partial: "
                  "true to apply the others).".format(len(failures), key, failure_list(failures, key)),
                  failures=failures, operations=operations)


def guard_mass_change(names, explicit, population, what):
    """Refuse a run that would lock (or delete) more than its guard allows, naming them.

    ``what`` says it in words: (verb, plural noun, option, result key, what the
    population is, the list option), e.g. ("lock", "accounts", "max_locks",
    "would_lock", "unlocked accounts", "users"). Without an explicit limit the
    guard is DEFAULT_MAX_LOCKS or a fifth of the ``population``, whichever is
    smaller (at least 1), so a small server is guarded too; an explicit limit is exact.
    """
    verb, noun, option, key, counted, listed = what
    if explicit is None:
        limit = min(DEFAULT_MAX_LOCKS, max(1, int(population * DEFAULT_MAX_LOCK_SHARE)))
        allowed = "{0}: the default, {1} or a fifth of the {2} {3}".format(limit, DEFAULT_MAX_LOCKS, population, counted)
    else:
        limit, allowed = explicit, str(explicit)
    if len(names) > limit:
        raise Refusal("Refusing to {0} {1} {2} in one run, more than {3} allows ({4}), so nothing was changed: {5}; "
                      "check the {6} list, or set {3} if this is intended.".format(
                          verb, len(names), noun, option, allowed, name_list(names), listed), **{key: names})


class AccountWork:
    """One account's plan in a bulk run, with the listed groups it is in and those it joins (for the diff)."""

    def __init__(self, name, plan, groups_before=(), groups_added=()):
        self.name = name
        self.plan = plan
        self.groups_before = sorted(groups_before)
        self.groups_added = list(groups_added)

    def outcome(self, check_mode):
        """The account's outcome: from the planned operations in check mode, from the applied ones otherwise."""
        done = self.plan.operations if check_mode else self.plan.applied
        actions = dict((op.action, op) for op in done if op.action != "add")
        create = actions.get("create")
        if create is not None:
            return "unchanged" if create.found_existing else "created"
        for action, outcome in (("lock", "locked"), ("unlock", "unlocked"), ("update", "updated")):
            if action in actions:
                return outcome
        return "memberships" if done else "unchanged"


class BulkUserPlanner:
    """Plans a whole list of desired users against one listing of the server."""

    def __init__(self, api):
        self.api = api
        self.facts = api.facts
        self._group_index = None

    def plan(self, entries, unlisted="keep", max_locks=None, partial=False, labels=None):
        """(work, failures, notes): an AccountWork per account, the entries that could not be planned, and why
        unlisted accounts were left alone when they were. ``labels``: where each entry is (src's file and line)."""
        if unlisted == "lock" and not entries:
            raise Refusal("Refusing unlisted: lock with an empty users list, so nothing was changed: it would lock every "
                          "account; list the users to keep (a variable that did not load looks like this).")
        accounts = ListedAccounts(self.api.users.all())
        planner = UserPlanner(self.api, accounts)
        if any(spec.get("groups") for spec in entries):
            # Read before planning: a failure to read it is the run's failure, with its real cause.
            self._groups_by_name()
        work, failures, listed = self._plan_entries(entries, accounts, planner, labels)
        if failures and not partial:
            refuse_unplannable(failures, "user", planned_operations(work))
        notes = {}
        if unlisted == "lock":
            if failures:
                notes["unlisted_skipped"] = ("unlisted accounts were not locked because {0} entries could not be "
                                             "planned".format(len(failures)))
            else:
                work.extend(self._lock_unlisted(accounts, listed, planner))
        self._guard_locks(work, max_locks, accounts)
        return work, failures, notes

    def _plan_entries(self, entries, accounts, planner, labels):
        work, failures, listed, planned = [], [], set(), set()
        for position, spec in enumerate(entries):
            name = spec.get("username") or spec.get("guid") or entry_position(labels, "users", position)
            try:
                validate_user_spec(spec)
                current, variant = accounts.find(spec)
                # The accounts an entry names are listed even when it fails: unlisted=lock must not lock them.
                listed.update(user["guid"] for user in (current, variant) if user is not None)
                if current is not None:
                    if current["guid"] in planned:
                        raise ConnectError("User '{0}' is listed more than once.".format(current["username"]))
                    planned.add(current["guid"])
                    name = current["username"] if not spec.get("username") else name
                elif spec.get("username") in planned:
                    raise ConnectError("User '{0}' is listed more than once.".format(spec["username"]))
                else:
                    planned.add(spec.get("username"))
                work.append(self._with_memberships(name, spec, planner.plan(spec, current, variant)))
            except ConnectError as error:
                failures.append({"user": name, "msg": error.message})
        return work, failures, listed

    def _lock_unlisted(self, accounts, listed, planner):
        me = self.facts.me["guid"]
        return [AccountWork(user["username"], planner.plan({"username": user["username"], "state": "absent"}, user))
                for user in accounts.all
                if user["guid"] not in listed and not user.get("locked") and user["guid"] != me]

    @staticmethod
    def _guard_locks(work, max_locks, accounts):
        locks = [item.name for item in work if item.outcome(check_mode=True) == "locked"]
        unlocked = sum(1 for user in accounts.all if not user.get("locked"))
        try:
            guard_mass_change(locks, max_locks, unlocked, ("lock", "accounts", "max_locks", "would_lock", "unlocked accounts",
                                                           "users"))
        except Refusal as refusal:
            refusal.details["operations"] = planned_operations(work)
            raise

    # -- memberships ---------------------------------------------------------

    def _with_memberships(self, name, spec, plan):
        """The account's work, its plan extended with the group adds the entry asks for."""
        wanted = spec.get("groups") or []
        if not wanted or spec.get("state") == "absent":
            return AccountWork(name, plan)
        index = self._groups_by_name()
        unknown = [group for group in wanted if group not in index]
        if unknown:
            raise ConnectError("No Connect group is named {0}.".format(", ".join("'{0}'".format(g) for g in unknown)))
        account = _Deferred(plan.live if plan.live is not None else plan.before, plan.after["username"])
        guid = (plan.before or {}).get("guid")
        before, added = [], []
        for group_name in wanted:
            group, members = index[group_name]
            if members is None:
                raise provider_owns_memberships(group)
            if guid is not None and guid in members:
                before.append(group_name)
                continue
            added.append(group_name)
            plan.operations.append(add_member_operation(self.api.groups, account, group))
        return AccountWork(name, plan, before, added)

    def _groups_by_name(self):
        """``{name: (group, member guids, or None when the provider owns them)}``, read once per run.

        Only built when entries name groups; a failure to read it fails the run
        with its real cause (it is never kept half built).
        """
        if self._group_index is None:
            index = {}
            for group in self.api.groups.all():
                try:
                    members = set(member["guid"] for member in self.api.groups.members(group))
                except ProviderOwnsMemberships:
                    members = None
                index[group["name"]] = (group, members)
            self._group_index = index
        return self._group_index


def planned_operations(work):
    """Every operation a bulk plan holds, described (what a refusal returns, so an audit shows it)."""
    return [op.describe() for item in work for op in item.plan.operations]


class _Deferred(dict):
    """An account whose guid is read when an operation runs: after its create, when it is new."""

    def __init__(self, account, username):
        super().__init__(username=username)
        self._account = account

    def __getitem__(self, key):
        if key == "guid":
            return self._account["guid"]
        return super().__getitem__(key)


def summarize(work, failures, check_mode):
    """The task's results: lists per outcome, the operations, and per-user failures."""
    outcomes = dict((key, []) for key in OUTCOMES)
    operations = []
    failures = list(failures)
    for item in work:
        done = item.plan.operations if check_mode else item.plan.applied
        # A create that found its account already made (by a run in parallel) wrote nothing.
        operations.extend(op.describe() for op in done if not op.found_existing)
        outcome = item.outcome(check_mode)
        if item.plan.error is not None:
            failures.append({"user": item.name, "msg": item.plan.error.message})
            # An account created before a later write failed was still created.
            if outcome != "created":
                continue
        outcomes[outcome].append(item.name)
    return outcome_results(outcomes, failures, operations=operations)


def outcome_results(outcomes, failures, **more):
    """A bulk task's results: the names per outcome (not the unchanged ones), their counts, the failures."""
    counts = dict((key, len(names)) for key, names in outcomes.items())
    counts["failed"] = len(failures)
    results = dict((key, names) for key, names in outcomes.items() if key != "unchanged")
    results.update(more, counts=counts, failures=failures)
    return results


def failure_sentence(failures, key):
    """The failed bulk task's sentence, naming every failing entry (listed under ``key``), or None."""
    if not failures:
        return None
    return "{0} of the listed {1}s failed: {2}.".format(len(failures), key, failure_list(failures, key))


def failure_message(failures):
    return failure_sentence(failures, "user")


def check_mode_notes(work):
    """What the plan of the whole list cannot predict, in one sentence each (the roles the server's default decides)."""
    names = [item.name for item in work if role_left_to_server(item.plan)]
    return [default_role_note(names)] if names else []


def diff_of(work):
    """Managed fields before and after (and the listed groups), for the accounts that change."""
    before, after = {}, {}
    for item in work:
        if not item.plan.operations:
            continue
        before[item.name] = managed_view(item.plan.before, DIFF_FIELDS)
        after[item.name] = managed_view(item.plan.after, DIFF_FIELDS)
        if item.groups_added:
            before[item.name]["groups"] = item.groups_before
            after[item.name]["groups"] = sorted(item.groups_before + item.groups_added)
    return {"before": before, "after": after}
