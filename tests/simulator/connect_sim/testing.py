"""Helpers for test suites: run the simulator in a subprocess and drive its control plane.

    from connect_sim.testing import running_simulator, SimulatorControl

    with running_simulator(provider="ldap", version="2024.08.0") as ready:
        sim = SimulatorControl.from_ready(ready)
        sim.seed(users=[{"username": "alice"}])
        ...
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from typing import Iterator

import requests

START_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0


def simulator_command(ready_file: str, **options) -> list[str]:
    """Turn keyword options into CLI flags: provider="ldap" -> --provider ldap, tls=True -> --tls."""
    command = [sys.executable, "-m", "connect_sim", "--port", "0", "--ready-file", ready_file]
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            command.append(flag)
        elif value is False or value is None:
            continue
        else:
            command.extend([flag, str(value)])
    return command


def _wait_for_ready(process: subprocess.Popen, ready_file: str, log_path: str) -> dict:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if os.path.exists(ready_file):
            with open(ready_file) as handle:
                return json.load(handle)
        if process.poll() is not None:
            break
        time.sleep(0.02)
    with open(log_path, errors="replace") as handle:
        output = handle.read()
    raise RuntimeError(f"connect-sim did not become ready (exit code {process.poll()}):\n{output}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def running_simulator(**options) -> Iterator[dict]:
    """Start ``connect-sim`` on a free port, yield its ready dict, stop it afterwards.

    Options are the CLI flags in keyword form (provider, google, version, tls,
    admin_key, username_case, group_provisioning, publishers_can_own_groups,
    groups_by_unique_id, member_listing, default_user_role, verbose).
    """
    with tempfile.TemporaryDirectory(prefix="connect-sim-") as folder:
        ready_file = os.path.join(folder, "ready.json")
        log_path = os.path.join(folder, "server.log")
        with open(log_path, "wb") as log:
            # Output goes to a file so a chatty server can never block on a full pipe.
            process = subprocess.Popen(simulator_command(ready_file, **options),
                                       stdout=log, stderr=subprocess.STDOUT)
        try:
            yield _wait_for_ready(process, ready_file, log_path)
        finally:
            _stop(process)


class SimulatorControl:
    """Thin client for the /__sim__ control plane."""

    def __init__(self, url: str, ca_file: str | None = None, timeout: float = 30) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        # Passed on every call: a Session-level verify loses to REQUESTS_CA_BUNDLE.
        self.verify = ca_file or True

    @classmethod
    def from_ready(cls, ready: dict) -> "SimulatorControl":
        return cls(ready["url"], ready.get("ca_file"))

    def _call(self, method: str, path: str, payload=None):
        response = self.session.request(method, f"{self.url}/__sim__/{path}", json=payload,
                                        timeout=self.timeout, verify=self.verify)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} /__sim__/{path} failed: "
                               f"{response.status_code} {response.text}")
        return response.json() if response.content else None

    def health(self) -> dict:
        return self._call("GET", "health")

    def reset(self) -> None:
        self._call("POST", "reset")

    def seed(self, payload: dict | None = None, **sections) -> dict:
        """seed({"users": [...]}) or seed(users=[...], groups=[...])."""
        return self._call("POST", "seed", {**(payload or {}), **sections})

    def state(self) -> dict:
        return self._call("GET", "state")

    def requests(self) -> list[dict]:
        return self._call("GET", "requests")["requests"]

    def clear_requests(self) -> None:
        self._call("DELETE", "requests")

    def faults(self) -> dict:
        return self._call("GET", "faults")

    def set_faults(self, rules: list[dict] | None = None, latency_ms: float = 0,
                   seed: int | None = None) -> dict:
        plan = {"latency_ms": latency_ms, "rules": rules or []}
        if seed is not None:
            plan["seed"] = seed
        return self._call("PUT", "faults", plan)

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")
