# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""connect_users on the bulk engine: many users reconciled against one listing of the server.

The costs that cannot be avoided are one paged listing of all users and one
call per real change; this module keeps to them. Each entry is planned by the
same UserPlanner as connect_user, from the listing instead of a lookup; the
engine (bulk.py) applies the plans, guards the locks and reports.
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._api.groups import provider_owns_memberships
from ansible_collections.posit.connect.plugins.module_utils._api.identity import guid_key, nfc
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.accounts import ListedAccounts
from ansible_collections.posit.connect.plugins.module_utils._planning.bulk import (
    BulkPlanner,
    BulkReport,
    MassChange,
    Refusal,
    Work,
    entry_position,
)
from ansible_collections.posit.connect.plugins.module_utils._planning.bulk_offboarding import (
    BulkHandover,
    handover_results,
    hands_over,
    read_ownership,
    with_what_would_move,
)
from ansible_collections.posit.connect.plugins.module_utils._planning.failures import overtaken
from ansible_collections.posit.connect.plugins.module_utils._planning.handover import HandoverPlan
from ansible_collections.posit.connect.plugins.module_utils._planning.memberships import (
    add_member_operation,
    member_differences,
    touched_groups,
)
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import Pending
from ansible_collections.posit.connect.plugins.module_utils._planning.users import (
    ATTRIBUTES,
    DIFF_FIELDS,
    SAME,
    UserPlanner,
    default_role_note,
    role_left_to_server,
    validate_user_spec,
)

# The fields a create's or an update's own answer carries, so that they need no read back.
ANSWERED = ("username",) + ATTRIBUTES


class AccountWork(Work):
    """One account's plan, with the listed groups it is in and those it joins (for the diff)."""

    def __init__(self, name, plan, groups_before=(), groups_added=()):
        super().__init__(name, plan)
        self.groups_before = sorted(groups_before)
        self.groups_added = list(groups_added)

    def outcome(self, check_mode):
        actions = dict((op.action, op) for op in self.done(check_mode) if op.action != "add")
        create = actions.get("create")
        if create is not None:
            return "unchanged" if create.found_existing else "created"
        for action, outcome in (("lock", "locked"), ("unlock", "unlocked"), ("update", "updated"),
                                ("transfer", "handed_over")):
            if action in actions:
                return outcome
        return "memberships" if self.done(check_mode) else "unchanged"

    def add_to_diff(self, before, after):
        if self.groups_added:
            before["groups"] = self.groups_before
            after["groups"] = sorted(self.groups_before + self.groups_added)
        if isinstance(self.plan, HandoverPlan):
            self.plan.add_ownership(before, after)


class UserReport(BulkReport):
    key = "user"
    outcomes = ("created", "updated", "locked", "unlocked", "memberships", "unchanged")
    diff_fields = DIFF_FIELDS

    @staticmethod
    def counts_after_failure(outcome):
        # An account created before a later write failed was still created.
        return outcome == "created"

    def check_mode_notes(self, work):
        """One sentence for the accounts created without user_role: the server's default decides their role."""
        names = [item.name for item in work if role_left_to_server(item.plan)]
        return [default_role_note(names)] if names else []


class HandoverReport(UserReport):
    """The report of a run with successors: also what was handed over (the other runs' results keep their shape)."""

    # handed_over: already locked accounts whose content and groups went to a successor (no new lock).
    outcomes = ("created", "updated", "locked", "unlocked", "handed_over", "memberships", "unchanged")

    def summarize(self, work, failures, check_mode):
        """The engine's results, with ``handovers`` and the counts of content items and groups handed over."""
        results = super().summarize(work, failures, check_mode)
        results["handovers"], totals = handover_results(work, check_mode)
        results["counts"].update(totals)
        return results


class BulkUserPlanner(BulkPlanner):
    """Plans a whole list of desired users against one listing of the server."""

    report = UserReport()
    unlisted_change = MassChange("lock", "accounts", "max_locks", "would_lock", "unlocked accounts", "users",
                                 "every account")
    name_field = "username"

    def __init__(self, api, unlisted_successor=None):
        self.api = api
        self.accounts = None
        self.planner = None
        self._groups = None
        self.unlisted_successor = unlisted_successor
        self.handover = None  # a BulkHandover, when entries or the unlisted rule have successors

    def plan(self, entries, handle_unlisted=False, limit=None, partial=False, labels=None):
        """The engine's plan, and the checks successors need once every account's plan is known."""
        if self.unlisted_successor is not None and not handle_unlisted:
            raise Refusal("unlisted_successor is only for unlisted: lock (it takes over what the accounts locked "
                          "because nobody listed them own); nothing was changed.")
        try:
            work, failures, notes = super().plan(entries, handle_unlisted, limit, partial, labels)
        except Refusal as refusal:
            raise with_what_would_move(refusal) from None
        if self.handover is not None:
            self.handover.check_successors_stay(work)
        return work, failures, notes

    def read_server(self, entries):
        self.accounts = ListedAccounts(self.api.users.all())
        self.planner = UserPlanner(self.api, self.accounts)
        wanted = set(nfc(name) for spec in entries if spec.get("state") != "absent" for name in spec.get("groups") or ())
        groups = None
        if hands_over(entries, self.unlisted_successor):
            # One listing of all content and one of all groups, whatever the number of leavers.
            content, groups = read_ownership(self.api)
            self.handover = BulkHandover(self.api, self.accounts, content, groups, self.unlisted_successor)
            self.report = HandoverReport()
        if wanted:
            self._read_groups(wanted, groups)

    def guarded_population(self):
        return sum(1 for user in self.accounts.all if not user.get("locked"))

    def plan_entries(self, entries, labels):
        work, failures, listed, planned = [], [], set(), set()
        for position, spec in enumerate(entries):
            name = spec.get("username") or spec.get("guid") or entry_position(labels, "users", position)
            try:
                validate_user_spec(spec)
                current, variant = self.accounts.find(spec)
                # The accounts an entry names are listed even when it fails: unlisted=lock must not lock them.
                listed.update(user["guid"] for user in (current, variant) if user is not None)
                name = self._claim(spec, current, planned, name)
                planner = self.handover if spec.get("successor") is not None else self.planner
                item = self._with_memberships(name, spec, planner.plan(spec, current, variant))
                item.force, item.desired = bool(spec.get("force")), desired_account(spec, item.plan)
                work.append(item)
            except ConnectError as error:
                failures.append({"user": name, "msg": error.message})
        return work, failures, listed

    @staticmethod
    def _claim(spec, current, planned, name):
        """Refuse a second entry for one account; the entry's name (the account's, when found by guid)."""
        key = guid_key(current["guid"]) if current is not None else nfc(spec.get("username"))
        if key in planned:
            raise ConnectError("User '{0}' is listed more than once.".format(
                current["username"] if current is not None else spec["username"]))
        planned.add(key)
        return current["username"] if current is not None and not spec.get("username") else name

    def unlisted_work(self, listed):
        me = self.api.facts.me["guid"]
        unlisted = [user for user in self.accounts.all
                    if user["guid"] not in listed and not user.get("locked") and user["guid"] != me]
        if self.unlisted_successor is not None:
            self.handover.check_unlisted_successor(listed, me)
            work = [AccountWork(user["username"], self.handover.plan_unlisted(user)) for user in unlisted]
        else:
            work = [AccountWork(user["username"], self.planner.plan(lock_entry(user), user)) for user in unlisted]
        for item in work:
            item.desired = {"locked": True}
        return work

    # -- confirming what was written ------------------------------------------

    def verify(self, work):
        """Failures for the accounts another change overtook: each entry's fields compared, after the writes,
        with the account as a write answered it (creates, updates) or as read back (the listing pages that hold
        the accounts locked or unlocked, every listed account on them included), and the groups written to read
        back once each."""
        written = [item for item in work if item.plan.applied and item.plan.error is None]
        read_back = self._read_back(written)
        touched = touched_groups([op for item in written for op in item.plan.applied])
        members = self.api.groups.members_of(touched) if touched else {}
        failures = []
        for item in work:
            if item.plan.error is not None or item.desired is None:
                continue
            account = _as_left(item, read_back)
            words = account_differences(account, item.desired, item.name) if account is not None else []
            words.extend(member_differences(item.plan.applied, members))
            if words:
                failures.append({"user": item.name, "msg": overtaken(words)})
        return failures

    def _read_back(self, written):
        """``{guid: account}`` from the listing pages that hold the accounts locked or unlocked ({} for none):
        those writes answer nothing, and the pages show their neighbours too."""
        numbers = set(self.accounts.all.page_of.get(item.plan.before["guid"]) for item in written
                      if item.plan.before and any(op.action in ("lock", "unlock") for op in item.plan.applied))
        numbers.discard(None)
        if not numbers:
            return {}
        return dict((guid_key(user["guid"]), user) for user in self.api.users.pages(numbers))

    # -- memberships ---------------------------------------------------------

    def _with_memberships(self, name, spec, plan):
        """The account's work, its plan extended with the group adds the entry asks for."""
        # A group named twice is asked for once (a second add would be a second POST).
        wanted = list(dict.fromkeys(nfc(group) for group in spec.get("groups") or []))
        if not wanted or spec.get("state") == "absent":
            return AccountWork(name, plan)
        unknown = [group for group in wanted if group not in self._groups]
        if unknown:
            raise ConnectError("No Connect group is named {0}.".format(", ".join("'{0}'".format(g) for g in unknown)))
        account = Pending(plan.live if plan.live is not None else plan.before, username=plan.after["username"])
        guid = (plan.before or {}).get("guid")
        before, added = [], []
        for group_name in wanted:
            group, members = self._groups[group_name]
            if members is None:
                raise provider_owns_memberships(group)
            if guid is not None and guid in members:
                before.append(group_name)
                continue
            added.append(group_name)
            plan.operations.append(add_member_operation(self.api.groups, account, group))
        return AccountWork(name, plan, before, added)

    def _read_groups(self, wanted, groups=None):
        """``{name: (group, member guids, or None when the provider owns them)}`` for the groups entries name.

        Read before planning, once: a failure to read it fails the run with its
        real cause. Only the named groups' members are read. ``groups``: the
        groups listing when the run has read it already (for successors).
        """
        listing = groups if groups is not None else self.api.groups.all()
        named = [group for group in listing if nfc(group["name"]) in wanted]
        members = self.api.groups.members_of(named)
        self._groups = {}
        for group in named:
            guids = members[group["guid"]]
            self._groups[nfc(group["name"])] = (group, None if guids is None else set(m["guid"] for m in guids))


def lock_entry(user):
    """The entry that locks an account nobody listed."""
    return {"username": user["username"], "state": "absent"}


def desired_account(spec, plan):
    """The fields an entry manages, as the run should leave them (what ``verify`` compares): its name, the
    attributes it gives, and locked for state absent, unlocked otherwise. None for an account that is not there."""
    account = plan.after
    if not account:
        return None
    if spec.get("state") == "absent":
        return {"locked": True}
    desired = {"username": account["username"], "locked": False}
    desired.update((field, spec[field]) for field in ATTRIBUTES if spec.get(field) is not None)
    return desired


def _as_left(item, read_back):
    """The account as read back, or as the run's own writes answered (a create: the whole account; an update: the
    fields it carries), or None when neither says."""
    guid = (item.plan.live or {}).get("guid") or (item.plan.before or {}).get("guid")
    if guid and guid_key(guid) in read_back:
        return read_back[guid_key(guid)]
    actions = set(op.action for op in item.plan.applied)
    if "create" in actions:
        return item.plan.live
    if "update" in actions:
        return dict((field, item.plan.live[field]) for field in ANSWERED if field in item.plan.live)
    return None


def account_differences(account, desired, name):
    """Words for each desired field the account (as read back, or as a write answered) does not have."""
    words = []
    for field, value in sorted(desired.items()):
        if field not in account or (field == "email" and account[field] == ""):
            continue  # not said, or hidden (Connect blanks emails for keys that may not see them)
        same = SAME.get(field, lambda current, wanted: current == wanted)
        if not same(account[field], value):
            words.append("user '{0}' has {1} {2!r}, not {3!r}".format(name, field, account[field], value))
    return words
