"""Shared fixtures of the ecosystem tests (AWX-style runs, execution environments).

They need the tools of tests/utils/requirements-ecosystem.txt (ansible-runner,
ansible-builder, ansible-core) and the simulator (`pip install -e tests/simulator`);
`make ecosystem` provides both in .venv-ecosystem/.
"""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def tool(name):
    """A console script of the interpreter running the tests (ansible-galaxy, ansible-builder...)."""
    path = os.path.join(BIN, name)
    return path if os.path.exists(path) else name


@pytest.fixture(scope="session")
def collections_path(tmp_path_factory):
    """A private copy of the collection at ansible_collections/posit/connect (what git would ship)."""
    base = tmp_path_factory.mktemp("collections")
    dest = base / "ansible_collections" / "posit" / "connect"
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "utils", "sync-collection.py"), str(dest)],
                   check=True, capture_output=True)
    return base


@pytest.fixture(scope="session")
def collection_tarball(collections_path, tmp_path_factory):
    """The collection built with ansible-galaxy, as users get it."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([tool("ansible-galaxy"), "collection", "build", "--output-path", str(out)],
                   cwd=collections_path / "ansible_collections" / "posit" / "connect",
                   check=True, capture_output=True)
    (tarball,) = out.glob("posit-connect-*.tar.gz")
    return tarball
