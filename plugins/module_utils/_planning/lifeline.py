# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether the run that started this module is still there: cancel means stop.

A supervisor that cancels a job (AWX, a CI runner, an operator's ``kill -9``)
often ends ``ansible-playbook`` alone. The module process does not get a signal
then: its own parent (a shell, an Ansible worker) lives on, so a bulk run would
go on writing for minutes with nobody to hear of it. A Lifeline remembers, when
the module starts, the chain of processes above it up to the top of the first
run of Ansible commands (the worker, its ansible-playbook, an ansible-runner
above them), each with its parent and start time; the chain changing (a process gone, or adopted by another parent) means
the run was cancelled. Where the chain cannot be read (no /proc) only the
module's own parent is watched.

Async jobs are meant to outlive the controller (async_wrapper detaches from
it on purpose), so a module started by async_wrapper is never told to stop.
"""

from __future__ import annotations

import os
import threading
import time

PROC = "/proc"
# How far up the chain to look, and how often (at most) to read it again.
MAX_DEPTH = 12
CHECK_EVERY = 0.2
ANSIBLE_COMMANDS = frozenset(("ansible-playbook", "ansible", "ansible-runner", "ansible-pull", "ansible-console",
                              "ansible-test"))


def _stat(pid, proc):
    """(parent pid, start time) of a process, or None when it is gone."""
    try:
        with open(os.path.join(proc, str(pid), "stat"), "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
    except (IOError, OSError):
        return None
    # The command name (field 2) is in parentheses and may hold spaces; the fields after it are fixed.
    fields = text.rsplit(")", 1)[-1].split()
    try:
        return int(fields[1]), fields[19]
    except (IndexError, ValueError):
        return None


def _command(pid, proc):
    try:
        with open(os.path.join(proc, str(pid), "cmdline"), "rb") as handle:
            return [arg.decode("utf-8", "replace") for arg in handle.read().split(b"\0") if arg]
    except (IOError, OSError):
        return []


def _is_ansible(args):
    """Whether a command line runs an Ansible command (directly, as ``python .../ansible-playbook`` or ``python -m ansible``)."""
    return any(os.path.basename(arg) in ANSIBLE_COMMANDS for arg in args[:3])


class Lifeline:
    """The processes above this one, read once at start; ``gone()`` once one of them has ended."""

    def __init__(self, proc=PROC, clock=time.monotonic):
        self.proc = proc
        self._clock = clock
        self.parent = os.getppid()
        self.watched = self._ancestry()
        self._lock = threading.Lock()
        self._checked = None
        self._gone = False

    def _ancestry(self):
        """[(pid, its parent, its start time)] from the parent up to the top of the first run of Ansible commands
        above (a worker and its ansible-playbook; ansible-runner above them); [] when there is none, or when
        async_wrapper comes first (an async job)."""
        chain, seen_ansible = [], False
        pid = self.parent
        for unused in range(MAX_DEPTH):
            stat = _stat(pid, self.proc) if pid > 1 else None
            if stat is None:
                break
            args = _command(pid, self.proc)
            if not seen_ansible and any("async_wrapper" in arg for arg in args):
                self.parent = None  # an async job: it is meant to outlive the run that started it
                return []
            if seen_ansible and not _is_ansible(args):
                break  # above the run that started us: a shell, a terminal, a scheduler
            seen_ansible = seen_ansible or _is_ansible(args)
            chain.append((pid,) + stat)
            pid = stat[0]
        return chain if seen_ansible else []

    def gone(self):
        """True once the run that started this module has ended (read at most every CHECK_EVERY seconds)."""
        with self._lock:
            now = self._clock()
            if self._gone or (self._checked is not None and now - self._checked < CHECK_EVERY):
                return self._gone
            self._checked = now
            if self.parent is not None and os.getppid() != self.parent:
                self._gone = True
            elif any(_stat(pid, self.proc) != (parent, started) for pid, parent, started in self.watched):
                self._gone = True
            return self._gone
