# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan, then apply: the shape every module's work takes.

A planner reads the server and returns a Plan: the resource before, the
resource predicted after, and the operations (writes) that get from one to the
other. Check mode stops after planning; a real run applies the operations in
order. ``changed`` is simply "the plan has operations", so check mode and a real
run cannot disagree about it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError


class Operation:
    """One write to Connect.

    ``changes`` maps a field to ``{"before": ..., "after": ...}`` and is what
    audits read; it must never hold a secret. ``run`` performs the write.
    """

    def __init__(self, action, target, run, changes=None):
        self.action = action
        self.target = target
        self.changes = changes or {}
        self._run = run
        # Set by a create that found its object already made (by a run in parallel):
        # the operation succeeded, but this run did not create anything.
        self.found_existing = False

    def run(self):
        return self._run(self)

    def describe(self):
        described = {"action": self.action, "target": self.target}
        if self.changes:
            described["changes"] = self.changes
        return described


class PartiallyApplied(ConnectError):
    """An operation failed after earlier operations of the same plan were applied."""

    def __init__(self, failure, applied, remaining):
        self.failure = failure
        self.ends_the_run = getattr(failure, "ends_the_run", False)
        self.applied = applied
        self.remaining = remaining
        done = "; ".join("{0} {1}".format(op.action, op.target) for op in applied)
        message = failure.message
        if applied:
            message = "{0}; already applied before the failure: {1}.".format(message.rstrip("."), done)
        super().__init__(message, status=failure.status, code=failure.code, error=failure.error,
                         method=failure.method, path=failure.path, attempts=failure.attempts)


class Plan:
    """Where a resource is, where it should be, and the writes between.

    ``live`` is the resource as the applied operations leave it: operations
    update it from the server's answers, so a real run returns what Connect
    said rather than what was predicted. ``warnings`` are true of any run;
    ``notes`` say what the plan could not predict, and are shown in check mode
    only (a real run returns the server's answer instead).
    """

    def __init__(self, before, after, operations=None, live=None, warnings=None, notes=None):
        self.before = before
        self.after = after
        self.operations = list(operations or [])
        self.live = live
        self.warnings = list(warnings or [])
        self.notes = list(notes or [])
        self.applied = []
        self.error = None

    @property
    def changed(self):
        return bool(self.operations)

    def apply(self):
        """Run every operation in order; PartiallyApplied names what was done if one fails."""
        for index, operation in enumerate(self.operations):
            try:
                operation.run()
            except ConnectError as failure:
                failure.with_action("{0} {1}".format(operation.action, operation.target))
                raise PartiallyApplied(failure, list(self.applied), self.operations[index:])
            self.applied.append(operation)
        if self.live is not None:
            self.after = self.live
        return self.after

    def describe(self):
        return [operation.describe() for operation in self.operations]

    def diff(self, fields):
        """Before and after, limited to the managed fields."""
        return {"before": managed_view(self.before, fields), "after": managed_view(self.after, fields)}


def apply_each(plans, concurrency=1):
    """Apply independent plans (one per account or group), ``concurrency`` at a time.

    Each plan runs its own operations in order with Plan.apply; a failure stays
    with its plan (``plan.error``, ``plan.applied``) and the others go on,
    unless the failure says the server cannot be trusted or the task's retry
    budget is spent: then the plans not yet started are not started.
    """
    stop = []

    def apply_one(plan):
        if stop:
            plan.error = ConnectError("Not applied: the run stopped after an earlier failure ({0}).".format(
                stop[0].message.rstrip(".")))
            return
        try:
            plan.apply()
        except ConnectError as error:
            plan.error = error
            if _ends_the_run(error):
                stop.append(error)

    pending = [plan for plan in plans if plan.operations]
    if concurrency <= 1 or len(pending) <= 1:
        for plan in pending:
            apply_one(plan)
        return
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(apply_one, pending))


def _ends_the_run(error):
    """A failure after which no further write should be sent: not Connect answering, or no retry time left."""
    failure = getattr(error, "failure", error)
    return getattr(failure, "ends_the_run", False) or bool(getattr(failure, "stopped", None))


def managed_view(resource, fields):
    """The managed fields of a resource, for diffs; {} for a resource that does not exist."""
    if not resource:
        return {}
    return dict((field, resource.get(field)) for field in fields if field in resource)


def field_changes(current, desired, same=None):
    """``{field: {before, after}}`` for each desired field whose value differs.

    ``same`` maps a field to how its values compare (email ignores case).
    """
    changes = {}
    for field, value in desired.items():
        if value is None:
            continue
        equal = (same or {}).get(field, _equal)
        if not equal(current.get(field), value):
            changes[field] = {"before": current.get(field), "after": value}
    return changes


def _equal(left, right):
    return left == right
