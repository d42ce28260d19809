# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One concurrency budget per task: listing pages, member reads and writes share it.

A task sends at most ``size`` requests at once, on threads that live for the
whole task, so each thread's session (and its TLS connection) serves every
phase. Work started from inside the pool (a member listing whose pages could
be read in parallel) runs in turn on its thread: a pool inside the pool would
multiply the budget, and a bounded pool waiting on itself could deadlock.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor


class WorkPool:
    """Runs calls ``size`` at a time on threads reused across the task's phases."""

    def __init__(self, size):
        self.size = max(1, int(size))
        self._executor = None
        self._guard = threading.Lock()
        self._local = threading.local()

    def map(self, function, items):
        """``[function(item) for item in items]``, ``size`` at a time; in turn inside the pool or for one item."""
        items = list(items)
        if self.size <= 1 or len(items) <= 1 or self.inside:
            return [function(item) for item in items]
        return list(self._pool().map(lambda item: self._run_inside(function, item), items))

    @property
    def inside(self):
        """Whether the calling thread is one of the pool's."""
        return getattr(self._local, "inside", False)

    def _run_inside(self, function, item):
        self._local.inside = True
        try:
            return function(item)
        finally:
            self._local.inside = False

    def _pool(self):
        with self._guard:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=self.size)
            return self._executor
