"""Fixtures: one simulator process per configuration, started on first use and shared
by the whole session; every test gets its simulators freshly reset."""

from __future__ import annotations

import pathlib
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

HERE = pathlib.Path(__file__).resolve().parent
for entry in (HERE, HERE.parent):  # sim_support / sim_schemas, and connect_sim if not installed
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

from sim_support import CONFIGS, Sim  # noqa: E402


class SimPool:
    """Starts simulators lazily, one per configuration name, and stops them at the end."""

    def __init__(self):
        self._running: list = []  # entered running_simulator context managers
        self._sims: dict[str, Sim] = {}

    def get(self, name: str) -> Sim:
        if name not in self._sims:
            from connect_sim.testing import running_simulator

            manager = running_simulator(**CONFIGS[name])
            ready = manager.__enter__()
            self._running.append(manager)
            self._sims[name] = Sim(name, ready)
        return self._sims[name]

    def close(self):
        for sim in self._sims.values():
            sim.http.close()  # no idle keep-alive connections left for the servers to wait on
        # Stop them all at once: each stop waits for its server's shutdown.
        with ThreadPoolExecutor(max_workers=max(1, len(self._running))) as pool:
            list(pool.map(lambda manager: manager.__exit__(None, None, None), self._running))
        self._running.clear()


@pytest.fixture(scope="session")
def sim_pool():
    pool = SimPool()
    yield pool
    pool.close()


@pytest.fixture
def sims(sim_pool):
    """sims(name) -> the simulator for that configuration, reset for this test."""
    reset_done: set[str] = set()

    def get(name: str = "default") -> Sim:
        sim = sim_pool.get(name)
        if name not in reset_done:
            sim.reset()
            reset_done.add(name)
        return sim

    return get


@pytest.fixture
def sim(sims) -> Sim:
    """The default simulator (password provider, 2025.04.0), reset."""
    return sims("default")


@pytest.fixture
def cast(sim):
    """Default simulator seeded with pub (publisher) and vic (viewer); username -> guid."""
    return sim.seed_cast()
