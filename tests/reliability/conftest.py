# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the reliability and security suites (the machinery is in rel_support.py).

RELIABILITY_SCALE=quick (the default, used by ``make test``) or full
(``make reliability``) sets how many runs the statistical suites make.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading

import pytest

from connect_sim.testing import running_simulator
from rel_support import FIGURES, SCALE, Ansible, Sim, link_collection


def pytest_report_header(config):
    return "reliability scale: {0}".format(SCALE)


def pytest_terminal_summary(terminalreporter):
    """Print the figures each suite recorded; RELIABILITY_REPORT=path also writes them as JSON."""
    if not FIGURES:
        return
    terminalreporter.section("reliability figures ({0})".format(SCALE))
    for suite in sorted(FIGURES):
        figures = ", ".join("{0}={1}".format(k, v) for k, v in FIGURES[suite].items())
        terminalreporter.write_line("{0}: {1}".format(suite, figures))
    path = os.environ.get("RELIABILITY_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"scale": SCALE, "figures": FIGURES}, handle, indent=2, sort_keys=True)


@pytest.fixture(scope="session")
def simulators():
    """start(**options) -> Sim; every simulator started is stopped at the end of the session."""
    stack = contextlib.ExitStack()
    lock = threading.Lock()

    def start(**options):
        with lock:
            return Sim(stack.enter_context(running_simulator(**options)))

    with stack:
        yield start


@pytest.fixture(scope="module")
def sim(simulators):
    """A password-provider simulator shared by the tests of one module (each resets it)."""
    return simulators()


@pytest.fixture(scope="session")
def collections_path(tmp_path_factory):
    """ANSIBLE_COLLECTIONS_PATH when set (the Makefile's build/ copy), else a link to this checkout."""
    configured = os.environ.get("ANSIBLE_COLLECTIONS_PATH")
    if configured:
        return configured
    return link_collection(str(tmp_path_factory.mktemp("collections")))


@pytest.fixture(scope="session")
def ansible(collections_path, tmp_path_factory):
    return Ansible(collections_path, str(tmp_path_factory.mktemp("playbooks")))
