# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A handover's plan: transfers written several at a time, then the account's own operations (the lock).

A leaver may own hundreds of items, each a PATCH of its own; sent one after
the other at 50 ms a call that is most of a minute, so the transfers go out
through the task's pool (its ``concurrency`` at a time; in turn when the plan
itself runs inside the pool, as one of a bulk run's plans, so the budget is
never multiplied). The lock must never come before every transfer has
succeeded (a locked owner's items can no longer be managed through it), so the
account's own operations run only after the last transfer, and not at all when
one failed: the run stops, names what was already handed over, and a rerun
plans only what is left.
"""

from __future__ import annotations

import functools
import threading

from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import PartiallyApplied, Plan, managed_view, send

# How many handed-over objects a failure's sentence names before it counts the rest.
NAMES_SHOWN = 10


class HandoverStopped(PartiallyApplied):
    """A transfer failed: nothing after it was started, and the account was not locked."""

    def __init__(self, failure, applied):
        super().__init__(failure, applied)
        done = [op.target for op in applied]
        said = failure.message.rstrip(".")
        if done:
            shown = "; ".join(done[:NAMES_SHOWN])
            more = len(done) - NAMES_SHOWN
            said += "; already handed over before the failure: {0}{1}".format(
                shown, " and {0} more".format(more) if more > 0 else "")
        self._message = said + "; the account was not locked, and a rerun hands over the rest."
        self.args = (self._message,)


class HandoverPlan(Plan):
    """The user plan of a leaver (``lock_plan``: a lock or nothing) with ``transfers`` before it.

    ``content`` and ``groups`` are what the account owns, for the diff and the
    results; ``run_all`` is the task pool's ``map`` (in turn without one).
    """

    def __init__(self, lock_plan, transfers, successor, content, groups, run_all=None):
        super().__init__(lock_plan.before, lock_plan.after, list(transfers) + lock_plan.operations, lock_plan.live,
                         lock_plan.warnings)
        self.transfers = list(transfers)
        self.own_operations = list(lock_plan.operations)
        self.successor = successor
        self.content = list(content)
        self.groups = list(groups)
        self.run_all = run_all or _in_turn
        # The outcome of each transfer by its place in the plan, filled by _transfer (from the pool's threads).
        self._done, self._failures, self._guard = {}, {}, threading.Lock()
        self._started = False
        self._gate = None  # the run's RunGate, once the transfers start

    def apply(self, gate=None):
        """Every transfer (through the pool, unless done early), then, only if all of them succeeded, the lock.

        ``gate`` (a RunGate) is asked before each write, as in Plan.apply.
        """
        if not self._started:
            self._started, self._gate = True, gate
            self.run_all(self._transfer, list(enumerate(self.transfers)))
        if self._failures:
            raise HandoverStopped(self._failures[min(self._failures)], self.applied)
        for operation in self.own_operations:
            try:
                send(operation, gate)
            except ConnectError as error:
                raise PartiallyApplied(error, self.applied)
            self._own_applied.append(operation)
        if self.live is not None:
            self.after = self.live
        return self.after

    @property
    def applied(self):
        """The transfers that succeeded (in plan order, whenever and wherever they ran), then the own operations."""
        return [self._done[index] for index in sorted(self._done)] + self._own_applied

    @applied.setter
    def applied(self, operations):
        self._own_applied = list(operations)

    def early_work(self, gate=None):
        """The transfers, for a bulk run to send side by side with other leavers' (plan.apply_each)."""
        self._started, self._gate = True, gate
        return [functools.partial(self._transfer, pair) for pair in enumerate(self.transfers)]

    def _transfer(self, numbered):
        """Run one transfer, keeping its outcome; none is started once one failed (a rerun goes on from there)."""
        index, operation = numbered
        if self._failures:
            return None
        try:
            send(operation, self._gate)
        except ConnectError as error:
            with self._guard:
                self._failures[index] = error
            return error
        with self._guard:
            self._done[index] = operation
        return None

    def handover(self):
        """What goes (or went) to the successor, for the task's results."""
        return {
            "successor": self.successor["username"],
            "content": [dict((key, item.get(key)) for key in ("guid", "name", "title")) for item in self.content],
            "groups": [{"guid": group["guid"], "name": group.get("name")} for group in self.groups],
        }

    def diff(self, fields):
        """The account's managed fields, and what it owns: before the handover, and after (nothing)."""
        before, after = managed_view(self.before, fields), managed_view(self.after, fields)
        self.add_ownership(before, after)
        return {"before": before, "after": after}

    def add_ownership(self, before, after):
        """Put what the account owns into a diff: ``content`` and ``owned_groups`` (``groups`` are memberships)."""
        if self.before is not None:
            before.update(content=owned_names(self.content), owned_groups=owned_names(self.groups))
            after.update(content=[], owned_groups=[])


def owned_names(items):
    """What an account owns, as a diff shows it: names in a stable order."""
    return sorted(item.get("name") or item["guid"] for item in items)


def _in_turn(function, items):
    return [function(item) for item in items]
