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
found and planned, what the unlisted objects are), a Work subclass (what an
object's outcome is) and a BulkReport (the outcome names and the diff).
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import managed_view

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
    """'a: why; b: why' for entries named under ``key`` (user, group)."""
    return "; ".join("{0}: {1}".format(f[key], f["msg"].rstrip(".")) for f in failures)


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
    """One object's plan in a bulk run. Subclasses say what its outcome is."""

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

    def diff_of(self, work):
        """Managed fields before and after (and what ``add_to_diff`` adds), for the objects that change."""
        before, after = {}, {}
        for item in work:
            if not item.plan.operations:
                continue
            before[item.name] = managed_view(item.plan.before, self.diff_fields)
            after[item.name] = managed_view(item.plan.after, self.diff_fields)
            item.add_to_diff(before[item.name], after[item.name])
        return {"before": before, "after": after}


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
                work.extend(self.unlisted_work(listed))
        self._guard(work, limit)
        return work, failures, notes

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


def _past(verb):
    """lock -> locked, delete -> deleted (the outcome names of the unlisted changes)."""
    return verb + ("d" if verb.endswith("e") else "ed")
