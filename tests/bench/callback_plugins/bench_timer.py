# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Records each task's wall time (first host start to result) into the JSON file named by BENCH_TIMINGS."""

from __future__ import annotations

DOCUMENTATION = r"""
name: bench_timer
type: aggregate
short_description: Per-task wall times for the benchmark
description: Writes [{name, seconds, changed, failed}] to the file in the BENCH_TIMINGS environment variable.
requirements:
  - enabled in callbacks_enabled
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._tasks = []
        self._current = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._current = {"name": task.get_name(), "start": time.monotonic(), "seconds": None,
                         "changed": False, "failed": False}
        self._tasks.append(self._current)

    def _done(self, result, failed=False):
        if self._current is not None:
            self._current["seconds"] = time.monotonic() - self._current["start"]
            self._current["changed"] = bool(result._result.get("changed"))
            self._current["failed"] = failed

    def v2_runner_on_ok(self, result):
        self._done(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._done(result, failed=True)

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("BENCH_TIMINGS")
        if path:
            with open(path, "w") as handle:
                json.dump([dict((k, v) for k, v in t.items() if k != "start") for t in self._tasks], handle)
