# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one bulk engine behind connect_users and connect_groups (and any later list module).

A list module reconciles many objects in one task: one listing of the server,
one plan per listed entry (made by the same planner as the single module), the
objects nobody listed handled last (locked, deleted) when asked, and writes
applied several at a time. Two rules keep a mistake in the list from doing
harm: an entry that cannot be planned stops the whole run before any write
(unless ``partial``), and the locks or deletes of one run are bounded, with the
objects named.

A resource configures the engine with a BulkPlanner subclass (how entries are
found and planned, what the unlisted objects are, how what was written is
confirmed), a Work subclass (what an object's outcome is) and a BulkReport
(the outcome names and the diff).

The whole list is planned before any write, and no write may depend on
another entry's write: two entries that claim one name (exactly, but for case,
composed alike or looking the same) are planning errors, so a create can never
meet the account another entry just renamed. The unlisted objects are locked
or deleted last, and only when every listed entry applied. After the writes,
the planner confirms them against the desired state (``verify``), so a run
that another change overtook fails instead of reporting success.
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.posit.connect.plugins.module_utils._api.identity import clash, lookalike_key
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.failures import summary
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import apply_each, managed_view

# Without an explicit limit, one run locks (or deletes) at most this many objects, and at most this share of them.
DEFAULT_MAX_CHANGES = 10
DEFAULT_MAX_SHARE = 0.2
# How many names a refusal lists before it says how many more there are.
NAMES_SHOWN = 10

# What a mass-change guard guards, in words: e.g. lock / accounts / max_locks / would_lock / unlocked accounts /
# users / every account.
MassChange = namedtuple("MassChange", "verb noun option result_key population_noun list_option everything")


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
    """The failures of entries named under ``key`` (user, group), counted by cause: a few lines, whatever the count."""
    return summary(failures, key)


def planned_operations(work):
    """Every operation a bulk plan holds, described (what a refusal returns, so an audit shows it)."""
    return [op.describe() for item in work for op in item.plan.operations]


def guard_mass_change(names, explicit, population, what):
    """Refuse a run that would lock (or delete) more than its guard allows, naming them.

    Without an explicit limit the guard is DEFAULT_MAX_CHANGES or a fifth of the
    ``population``, whichever is smaller (at least 1), so a small server is
    guarded too; an explicit limit is exact. ``what`` is a MassChange.
    """
    if explicit is None:
        limit = min(DEFAULT_MAX_CHANGES, max(1, int(population * DEFAULT_MAX_SHARE)))
        allowed = "{0}: the default, {1} or a fifth of the {2} {3}".format(limit, DEFAULT_MAX_CHANGES, population,
                                                                           what.population_noun)
    else:
        limit, allowed = explicit, str(explicit)
    if len(names) > limit:
        raise Refusal("Refusing to {0} {1} {2} in one run, more than {3} allows ({4}), so nothing was changed: {5}; "
                      "check the {6} list, or set {3} if this is intended.".format(
                          what.verb, len(names), what.noun, what.option, allowed, name_list(names), what.list_option),
                      **{what.result_key: names})


class Work:
    """One object's plan in a bulk run. Subclasses say what its outcome is.

    ``unlisted``: the object no entry names (locked or deleted last); ``force``:
    the entry allows a look-alike name; ``desired``: the managed fields the run
    confirms after writing (None: nothing to confirm).
    """

    unlisted = False
    force = False
    desired = None

    def __init__(self, name, plan):
        self.name = name
        self.plan = plan

    def done(self, check_mode):
        """The operations planned (check mode) or applied (a real run)."""
        return self.plan.operations if check_mode else self.plan.applied

    def outcome(self, check_mode):
        raise NotImplementedError

    def add_to_diff(self, before, after):
        """Add what the object's diff shows beyond its managed fields (members, groups)."""


class BulkReport:
    """What a bulk task returns: the names per outcome, the operations, the failures, and the diff.

    ``key`` names an entry in failures (user, group), ``outcomes`` are the
    result lists, ``diff_fields`` the managed fields of the diff.
    """

    key = "entry"
    outcomes = ()
    diff_fields = ()

    def summarize(self, work, failures, check_mode):
        outcomes = dict((key, []) for key in self.outcomes)
        operations, failures, more = [], list(failures), self.more_results()
        for item in work:
            # A create that found its object already made (by a run in parallel) wrote nothing.
            operations.extend(op.describe() for op in item.done(check_mode) if not op.found_existing)
            self.collect(item, check_mode, more)
            outcome = item.outcome(check_mode)
            if item.plan.error is not None:
                failures.append({self.key: item.name, "msg": item.plan.error.message})
                if not self.counts_after_failure(outcome):
                    continue
            outcomes[outcome].append(item.name)
        return outcome_results(outcomes, failures, operations=operations, **more)

    def more_results(self):
        """Results beyond the outcome lists (filled by ``collect``)."""
        return {}

    def collect(self, item, check_mode, more):
        """Add an object's share of ``more_results``."""

    @staticmethod
    def counts_after_failure(outcome):
        """Whether an object whose plan failed part way is still listed under ``outcome`` (what was applied happened)."""
        return outcome != "unchanged"

    def failure_message(self, failures):
        """The failed bulk task's sentence, naming every failing entry, or None."""
        if not failures:
            return None
        return "{0} of the listed {1}s failed: {2}.".format(len(failures), self.key, failure_list(failures, self.key))

    def check_mode_notes(self, work):
        """What the plan of the whole list cannot predict, one sentence each, shown in check mode only."""
        return []

    def diff_of(self, work):
        """Managed fields before and after (and what ``add_to_diff`` adds), for the objects that change."""
        before, after = {}, {}
        for item in work:
            if not item.plan.operations:
                continue
            before[item.name] = self.view(item, item.plan.before)
            after[item.name] = self.view(item, item.plan.after)
            item.add_to_diff(before[item.name], after[item.name])
        return {"before": before, "after": after}

    def view(self, item, resource):
        """How the diff shows an object (its managed fields; a report may name them as a person reads them)."""
        return managed_view(resource, self.diff_fields)


def outcome_results(outcomes, failures, **more):
    """A bulk task's results: the names per outcome (not the unchanged ones), their counts, the failures."""
    counts = dict((key, len(names)) for key, names in outcomes.items())
    counts["failed"] = len(failures)
    results = dict((key, names) for key, names in outcomes.items() if key != "unchanged")
    results.update(more, counts=counts, failures=failures)
    return results


class BulkPlanner:
    """Plans a whole list of entries against one listing of the server.

    Subclasses set ``report`` and ``unlisted_change`` (a MassChange) and
    implement ``read_server``, ``plan_entries``, ``unlisted_work`` and
    ``guarded_population``.
    """

    report = BulkReport()
    unlisted_change = None
    # The field that holds an object's name (username, name): what two entries may not both claim.
    name_field = "name"

    def plan(self, entries, handle_unlisted=False, limit=None, partial=False, labels=None):
        """(work, failures, notes): a Work per object, the entries that could not be planned, and why unlisted
        objects were left alone when they were. ``labels``: where each entry is (src's file and line)."""
        what = self.unlisted_change
        if handle_unlisted and not entries:
            raise Refusal("Refusing unlisted: {0} with an empty {1} list, so nothing was changed: it would {0} {2}; "
                          "list the {1} to keep (a variable that did not load looks like this).".format(
                              what.verb, what.list_option, what.everything))
        self.read_server(entries)
        work, failures, listed = self.plan_entries(entries, labels)
        work = refuse_shared_claims(work, failures, self.name_field, self.report.key)
        if failures and not partial:
            key = self.report.key
            raise Refusal("{0} of the listed {1}s cannot be planned, so nothing was changed: {2} (fix them, or set "
                          "partial: true to apply the others).".format(len(failures), key, failure_list(failures, key)),
                          failures=failures, operations=planned_operations(work))
        notes = {}
        if handle_unlisted:
            if failures:
                notes["unlisted_skipped"] = ("unlisted {0} were not {1} because {2} entries could not be planned".format(
                    what.noun, _past(what.verb), len(failures)))
            else:
                unlisted = self.unlisted_work(listed)
                for item in unlisted:
                    item.unlisted = True
                work.extend(unlisted)
        self._guard(work, limit)
        return work, failures, notes

    def apply(self, work, run_all=None, gate=None):
        """Apply the listed objects' plans, then, only when every one applied, the unlisted objects' (locks,
        deletes): a failed create can never be paid for with a lock. Unlisted plans not applied get their reason."""
        apply_each([item.plan for item in work if not item.unlisted], run_all, gate)
        failed = [item.name for item in work if not item.unlisted and item.plan.error is not None]
        unlisted = [item for item in work if item.unlisted and item.plan.operations]
        if not failed:
            apply_each([item.plan for item in unlisted], run_all, gate)
            return
        what = self.unlisted_change
        reason = ConnectError("Not applied: unlisted {0} are {1} only after every listed entry applied, and {2} "
                              "failed ({3}).".format(what.noun, _past(what.verb), len(failed), name_list(failed)))
        for item in unlisted:
            item.plan.error = reason

    def confirm(self, work):
        """Failures for the objects whose state, read back after the writes, is not the desired one (``verify``);
        nothing read when nothing was written. A read that fails is reported, not raised: the writes are done."""
        if not any(item.plan.applied for item in work):
            return []
        try:
            return self.verify(work)
        except ConnectError as error:
            if error.code == 50:
                # The key's own account is locked now: by this run (an entry with force), as it wrote until then.
                return []
            return [{self.report.key: "(confirmation)", "msg": "Could not confirm what this run wrote: {0}".format(
                error.message)}]

    def verify(self, work):
        """[{key: name, msg}] for the objects another change overtook; subclasses read what they wrote."""
        return []

    def _guard(self, work, limit):
        what = self.unlisted_change
        names = [item.name for item in work if item.outcome(check_mode=True) == _past(what.verb)]
        try:
            guard_mass_change(names, limit, self.guarded_population(), what)
        except Refusal as refusal:
            refusal.details["operations"] = planned_operations(work)
            raise

    def read_server(self, entries):
        """Read what planning the entries needs, once (a failure here is the run's failure)."""
        raise NotImplementedError

    def plan_entries(self, entries, labels):
        """(work, failures, guids of the objects the entries name)."""
        raise NotImplementedError

    def unlisted_work(self, listed):
        """The Work of every object no entry names that the unlisted rule changes."""
        raise NotImplementedError

    def guarded_population(self):
        """How many objects the mass-change guard's share is of."""
        raise NotImplementedError


def claimed_name(plan, field):
    """The name a plan gives its object by a create or a rename, or None (a plan that keeps its name claims none)."""
    for operation in plan.operations:
        if operation.action in ("create", "update") and field in operation.changes:
            return operation.changes[field]["after"]
    return None


def refuse_shared_claims(work, failures, field, key):
    """The work without the entries that claim a name another entry of the list claims too, each added to
    ``failures`` naming the other. Compared exactly, but for case, composed alike and by look (a look-alike pair
    passes when both entries say force); Connect holds one of each, and which entry wins would be a matter of
    timing (the second write meeting the first one's object)."""
    claims = {}
    for item in work:
        name = claimed_name(item.plan, field)
        if name is not None:
            claims.setdefault(lookalike_key(name), []).append((item, name))
    refused = {}
    for claimants in claims.values():
        for item, name in claimants:
            for other, other_name in claimants:
                how = clash(name, other_name) if other is not item else None
                if how and not (how == "lookalike" and item.force and other.force):
                    refused[id(item)] = (name, other, other_name, how)
                    break
    for item in work:
        if id(item) in refused:
            name, other, other_name, how = refused[id(item)]
            failures.append({key: item.name, "msg": _shared_claim(key, field, item, name, other, other_name, how)})
    return [item for item in work if id(item) not in refused]


def _claimant(key, field, item, name):
    """An entry's claim in words: "the new user 'carol'", "the rename of user 'alice' to 'jsmith'"."""
    if item.plan.before:
        return "the rename of {0} '{1}' to '{2}'".format(key, item.plan.before.get(field), name)
    return "the new {0} '{1}'".format(key, name)


def _shared_claim(key, field, item, name, other, other_name, how):
    alike = {"exact": "", "case": " (the same but for case)", "lookalike": " (a name that looks the same)"}[how]
    return ("Cannot plan {0}: {1} in the same list claims '{2}'{3}, and Connect holds one of them; nothing was "
            "changed (give each its own name, or make one change in a later run).".format(
                _claimant(key, field, item, name), _claimant(key, field, other, other_name), other_name, alike))


def _past(verb):
    """lock -> locked, delete -> deleted (the outcome names of the unlisted changes)."""
    return verb + ("d" if verb.endswith("e") else "ed")
