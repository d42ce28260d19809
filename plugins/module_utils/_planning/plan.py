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

import threading
from collections.abc import Mapping

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

    @property
    def kind(self):
        """The kind of write, for stopping the others of its kind after a 403: "create user", "add member"."""
        if self.action in ("add", "remove"):
            return "{0} member".format(self.action)
        return "{0} {1}".format(self.action, self.target.split(" ", 1)[0])

    def describe(self):
        described = {"action": self.action, "target": self.target}
        if self.changes:
            described["changes"] = self.changes
        return described


class PartiallyApplied(ConnectError):
    """An operation failed after earlier operations of the same plan were applied."""

    def __init__(self, failure, applied):
        self.failure = failure
        self.ends_the_run = getattr(failure, "ends_the_run", False)
        self.applied = applied
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

    def apply(self, gate=None):
        """Run every operation in order; PartiallyApplied names what was done if one fails.

        ``gate`` (a RunGate) is asked before each write whether it may still be sent.
        """
        for operation in self.operations:
            try:
                send(operation, gate)
            except ConnectError as failure:
                raise PartiallyApplied(failure, list(self.applied))
            self.applied.append(operation)
        if self.live is not None:
            self.after = self.live
        return self.after

    def early_work(self, gate=None):
        """Writes of this plan that may go out before its turn, side by side with other plans' (apply_each).

        None by default. A plan that has some (a leaver's transfers) returns
        them as calls, each sending its write through ``gate`` (see send), and
        its apply() then goes on from what they did.
        """
        return []

    def describe(self):
        return [operation.describe() for operation in self.operations]

    def diff(self, fields):
        """Before and after, limited to the managed fields."""
        return {"before": managed_view(self.before, fields), "after": managed_view(self.after, fields)}


def send(operation, gate=None):
    """Run one operation if ``gate`` (a RunGate, or None) still lets it go; its failure names the write.

    A refusal by the gate is raised as the ConnectError of a write not sent; a
    failure of the write itself is recorded with the gate, which may stop the
    writes after it.
    """
    reason = gate.why_not(operation) if gate is not None else None
    if reason:
        raise ConnectError(reason)
    try:
        return operation.run()
    except ConnectError as failure:
        failure.with_action("{0} {1}".format(operation.action, operation.target))
        if gate is not None:
            gate.record(operation, failure)
        raise


class RunGate:
    """Whether the next write of a bulk run may still be sent.

    Not after a failure that ends the run (an answer that is not Connect's, a
    refused key, a key whose user is locked or lacks the role, a server gone,
    the retry budget spent); not a write of a kind Connect refused to the key
    with a 403 (a key may act with a lower role than its owner's); and nothing
    once the process that started the module is gone (``lifeline``: the run was
    cancelled, and nobody would hear of what it did).
    """

    def __init__(self, lifeline=None):
        self.lifeline = lifeline
        self._lock = threading.Lock()
        self._ended = None
        self._stopped_kinds = {}

    def why_not(self, operation):
        """None when ``operation`` may be sent, else why not (the sentence of its "not applied" failure)."""
        if self.lifeline is not None and self.lifeline.gone():
            return ("Not applied: the process that started this run has ended (the run was cancelled), so no "
                    "further write was sent.")
        with self._lock:
            ended, refused = self._ended, self._stopped_kinds.get(operation.kind)
        if ended is not None:
            return "Not applied: the run stopped after an earlier failure ({0}).".format(ended.message.rstrip("."))
        if refused is not None:
            return "Not applied: Connect refused an earlier {0} write to this API key ({1}).".format(
                operation.kind, refused.message.rstrip("."))
        return None

    def record(self, operation, failure):
        """Remember a failure that ends the run, or that stops the writes of its kind."""
        with self._lock:
            if _ends_the_run(failure):
                self._ended = self._ended or failure
            elif getattr(failure, "stops_kind", False):
                self._stopped_kinds.setdefault(operation.kind, failure)


def apply_each(plans, run_all=None, gate=None):
    """Apply independent plans (one per account or group), through ``run_all`` (the task's pool's map).

    Each plan runs its own operations in order with Plan.apply; a failure stays
    with its plan (``plan.error``, ``plan.applied``) and the others go on, as
    far as the ``gate`` (a RunGate) lets them. The plans' early work
    (Plan.early_work) goes first, all of it through the pool at once, so that
    one plan with hundreds of independent writes does not send them in turn on
    one of the pool's threads.
    """
    gate = gate or RunGate()
    run_all = run_all or _in_turn

    def apply_one(plan):
        try:
            plan.apply(gate)
        except ConnectError as error:
            plan.error = error

    pending = [plan for plan in plans if plan.operations]
    jobs = [job for plan in pending for job in plan.early_work(gate)]
    if jobs:
        run_all(lambda job: job(), jobs)
    run_all(apply_one, pending)


def _in_turn(function, items):
    return [function(item) for item in items]


def _ends_the_run(error):
    """A failure after which no further write should be sent: not Connect answering, or no retry time left."""
    failure = getattr(error, "failure", error)
    return getattr(failure, "ends_the_run", False) or bool(getattr(failure, "stopped", None))


class Pending(Mapping):
    """An object still to be created, for the operations planned after its create.

    Its ``guid`` is read from the plan's live object when an operation runs
    (after the create filled it in); its other fields are the ones known while
    planning. Every way of reading it (``[]``, ``get``, ``dict()``) answers the
    same, which a dict subclass overriding ``__getitem__`` alone would not.
    """

    def __init__(self, live, **known):
        self._live = live
        self._known = dict(known, guid=None)

    def __getitem__(self, key):
        if key == "guid":
            return self._live.get("guid")
        return self._known[key]

    def __iter__(self):
        return iter(self._known)

    def __len__(self):
        return len(self._known)


def unique_in_order(items):
    """``items`` (None: none) without repeats, each where it first came."""
    return list(dict.fromkeys(items or ()))


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
