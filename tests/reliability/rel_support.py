# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared machinery of the reliability and security suites: simulators, playbook runs, checks.

Every test runs real ``ansible-playbook`` processes (playbooks generated into
temporary directories) against private ``connect-sim`` processes it starts
itself. RELIABILITY_SCALE=quick (the default, used by ``make test``) or full
(``make reliability``) sets how many runs the statistical suites make.

The collection is found through ANSIBLE_COLLECTIONS_PATH when it is set (the
Makefile points it at the build/ copy); otherwise a temporary
ansible_collections/posit/connect symlink to this checkout is made.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from connect_sim.testing import SimulatorControl

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCALE = os.environ.get("RELIABILITY_SCALE", "quick").strip().lower() or "quick"
if SCALE not in ("quick", "full"):
    raise RuntimeError("RELIABILITY_SCALE must be quick or full, not {0!r}".format(SCALE))
FULL = SCALE == "full"

# Environment variables the modules read; cleared so that a developer's shell cannot leak into a run.
CONNECT_ENV = ("CONNECT_SERVER", "CONNECT_API_KEY", "CONNECT_INSECURE", "CONNECT_CA_CERTIFICATE",
               "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


# Figures the suites record (suite -> figures), written out at the end of the session.
FIGURES = {}


def record(suite, **figures):
    """Note a suite's figures (cases, runs, faults injected, failures) for the summary."""
    FIGURES.setdefault(suite, {}).update(figures)


def sized(quick, full):
    """The quick or the full figure, by RELIABILITY_SCALE."""
    return full if FULL else quick


# -- simulators ---------------------------------------------------------------


class Sim:
    """One private simulator: its URL, admin key, CA file and control plane."""

    def __init__(self, ready):
        self.ready = ready
        self.url = ready["url"]
        self.key = ready["api_key"]
        self.ca_file = ready.get("ca_file")
        self.admin_guid = ready.get("admin_guid")
        self.control = SimulatorControl.from_ready(ready)

    def connection(self, **extra):
        """Module options that reach this simulator with the admin key."""
        options = {"url": self.url, "api_key": self.key}
        if self.ca_file:
            options["ca_path"] = self.ca_file
        options.update(extra)
        return options

    def state(self):
        return self.control.state()

    def writes(self):
        """The successful write calls in the request log."""
        return [r for r in self.control.requests()
                if r["method"] in ("POST", "PUT", "DELETE") and r.get("status") and 200 <= r["status"] < 300]


# -- ansible-playbook -----------------------------------------------------------


def _tool(name):
    beside = os.path.join(os.path.dirname(sys.executable), name)
    return beside if os.path.exists(beside) else shutil.which(name)


def link_collection(base):
    """Make ``base``/ansible_collections/posit/connect point at this checkout; ``base``."""
    parent = os.path.join(base, "ansible_collections", "posit")
    os.makedirs(parent)
    os.symlink(ROOT, os.path.join(parent, "connect"))
    return base


class RunResult:
    """What one ansible-playbook run produced."""

    def __init__(self, rc, stdout, stderr, results, seconds, folder):
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.results = results
        self.seconds = seconds
        self.folder = folder

    @property
    def output(self):
        return self.stdout + "\n" + self.stderr

    def task(self, name):
        found = [entry for entry in self.results if entry["task"] == name]
        assert found, "task {0!r} has no result; output:\n{1}".format(name, self.output[-4000:])
        return found[-1]

    def failed(self):
        return [entry for entry in self.results if entry["status"] == "failed"]

    def describe(self):
        return "rc={0}\n{1}".format(self.rc, self.output[-6000:])


class Ansible:
    """Runs generated playbooks with the collection under test."""

    def __init__(self, collections, tmp_root):
        self.collections = collections
        self.tmp_root = tmp_root
        self.playbook_bin = _tool("ansible-playbook")
        assert self.playbook_bin, "ansible-playbook not found next to {0} or on PATH".format(sys.executable)

    def environment(self, env=None, home=None):
        run_env = dict((k, v) for k, v in os.environ.items() if k not in CONNECT_ENV)
        run_env.update({
            "ANSIBLE_COLLECTIONS_PATH": self.collections,
            "ANSIBLE_CALLBACK_PLUGINS": os.path.join(HERE, "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "result_log",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_LOCALHOST_WARNING": "0",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "ANSIBLE_PIPELINING": "1",
        })
        if home:
            run_env["HOME"] = home
        run_env.update(env or {})
        return run_env

    def run(self, tasks, args=(), env=None, home=None, play=None, timeout=600):
        """Run one play of ``tasks`` on localhost; a RunResult."""
        folder = tempfile.mkdtemp(prefix="pb-", dir=self.tmp_root)
        play_doc = {"name": "reliability", "hosts": "localhost", "gather_facts": False, "tasks": tasks}
        play_doc.update(play or {})
        playbook = os.path.join(folder, "playbook.yml")
        with open(playbook, "w", encoding="utf-8") as handle:
            json.dump([play_doc], handle, indent=1)  # JSON is YAML
        result_log = os.path.join(folder, "results.jsonl")
        run_env = self.environment(env, home)
        run_env["RESULT_LOG"] = result_log
        run_env["ANSIBLE_LOCAL_TEMP"] = os.path.join(folder, "tmp")
        command = [self.playbook_bin, "-i", "localhost,", "-c", "local", playbook] + list(args)
        started = time.monotonic()
        completed = subprocess.run(command, env=run_env, cwd=folder, capture_output=True, text=True,
                                   timeout=timeout, check=False)
        seconds = time.monotonic() - started
        results = []
        if os.path.exists(result_log):
            with open(result_log, encoding="utf-8") as handle:
                results = [json.loads(line) for line in handle if line.strip()]
        return RunResult(completed.returncode, completed.stdout, completed.stderr, results, seconds, folder)


def parallel(function, items, workers):
    """``[function(item) for item in items]``, ``workers`` at a time (subprocesses do the work)."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(function, items))


# -- helpers for tasks and checks -------------------------------------------------


def task(name, module, connection, ignore_errors=False, **options):
    """One task of a posit.connect module, with the connection options merged in."""
    args = dict(connection)
    args.update(options)
    entry = {"name": name, "posit.connect." + module: args}
    if ignore_errors:
        entry["ignore_errors"] = True
    return entry


def visible_text(result):
    """A task result as text, for searching it."""
    return json.dumps(result, sort_keys=True, default=str)


NO_TRACEBACK = "(traceback unavailable)"


def assert_clean_failure(entry, must_mention=()):
    """A failed task whose message is one clear line: no traceback, no exception text."""
    result = entry["result"]
    assert entry["status"] == "failed", "task {0!r} should have failed: {1}".format(entry["task"], visible_text(result)[:2000])
    message = result.get("msg") or ""
    assert message.strip(), "task {0!r} failed without a message: {1}".format(entry["task"], visible_text(result)[:2000])
    assert "\n" not in message.strip(), "message spans lines: {0!r}".format(message)
    # ansible-core 2.19 puts "(traceback unavailable)" into every failed result it hands to callbacks
    # (nothing is shown); anything else there is a real exception.
    assert result.get("exception", NO_TRACEBACK) == NO_TRACEBACK, (
        "task {0!r} shows an exception: {1}".format(entry["task"], result.get("exception")))
    assert "Traceback" not in visible_text(result), "task {0!r} shows a traceback".format(entry["task"])
    assert not result.get("module_stderr") and not result.get("module_stdout"), (
        "task {0!r} crashed: {1}".format(entry["task"], visible_text(result)[:2000]))
    for needle in must_mention:
        assert needle.lower() in message.lower(), "task {0!r}: {1!r} does not mention {2!r}".format(entry["task"], message, needle)
    return message


def user_view(user):
    """The managed fields of a state user, for exact comparisons."""
    return dict((key, user[key]) for key in ("username", "email", "first_name", "last_name", "user_role", "locked"))


def state_view(state):
    """Users (managed fields) and groups (name, owner username, members) of a /__sim__/state dump."""
    by_guid = dict((user["guid"], user["username"]) for user in state["users"])
    users = dict((user["username"], user_view(user)) for user in state["users"])
    groups = dict((group["name"], {"owner": by_guid.get(group["owner_guid"]), "members": sorted(group["members"])})
                  for group in state["groups"])
    return {"users": users, "groups": groups}
