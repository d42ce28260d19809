# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A callback for the reliability suites: every task result as one JSON line.

The file is named by the RESULT_LOG environment variable. Each line is
{"task": name, "status": ok|failed|skipped|unreachable, "result": {...}}, with
the result as the module returned it (after Ansible's no_log masking).
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: result_log
type: aggregate
short_description: Write every task result to the file named by RESULT_LOG, one JSON object a line
description:
  - Used by tests/reliability only.
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "result_log"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._started = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._started[task._uuid] = time.monotonic()

    def _write(self, status, result):
        path = os.environ.get("RESULT_LOG")
        if not path:
            return
        started = self._started.get(result._task._uuid)
        seconds = round(time.monotonic() - started, 3) if started is not None else None
        entry = {"task": result.task_name, "status": status, "seconds": seconds, "result": result._result}
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, default=str) + "\n")

    def v2_runner_on_ok(self, result):
        self._write("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write("failed", result)

    def v2_runner_on_skipped(self, result):
        self._write("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._write("unreachable", result)
