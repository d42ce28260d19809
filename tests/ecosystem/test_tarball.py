"""The collection tarball holds the collection's files: no tests, and nothing a build or a test run leaves behind.

galaxy.yml's build_ignore is what keeps development files (tests/, the Makefile, CI and tool
settings) and such output out when someone builds from a checkout that has it (a non-editable
simulator install leaves tests/simulator/build/, ansible-test leaves tests/output/, the
Makefile .venv*/, .sim/ and build/docs/): the second test seeds a copy with that junk and
builds it. The size limit and the install-and-run check are tests/utils/check_tarball.py's
(`make galaxy` runs them on the real tarball).
"""
import os
import subprocess
import sys

from conftest import ROOT, tool

sys.path.insert(0, os.path.join(ROOT, "tests", "utils"))
import check_tarball  # noqa: E402  pylint: disable=wrong-import-position

# What a development checkout accumulates (path -> content); none of it may be shipped.
JUNK = {
    "tests/simulator/build/lib/connect_sim/app.py": "# a non-editable install's build output\n",
    "tests/simulator/connect_sim.egg-info/PKG-INFO": "Name: connect-sim\n",
    "build/ansible_collections/posit/connect/galaxy.yml": "namespace: posit\n",
    "plugins/module_utils/build/old.py": "# nested build output\n",
    ".venv/pyvenv.cfg": "home = /usr/bin\n",
    ".venv-2.16/pyvenv.cfg": "home = /usr/bin\n",
    ".venv-ecosystem/bin/activate": "# venv\n",
    ".sim/password.json": "{}\n",
    "tests/output/junit/python3.11-modules.xml": "<testsuites/>\n",
    "tests/integration/integration_config.yml": "connect_url: http://127.0.0.1:1\n",
    "tests/reliability/.pytest_cache/v/cache/nodeids": "[]\n",
    "plugins/modules/__pycache__/connect_user.cpython-311.pyc": "",
    ".ansible/collections/x": "",
    "changelogs/.plugin-cache.yaml": "{}\n",
    "importer_result.json": "{}\n",
    "posit-connect-0.9.0.tar.gz": "",
    "build/docs/html/index.html": "<html></html>\n",
    ".venv-docs/pyvenv.cfg": "home = /usr/bin\n",
    "examples/connect-drift-report.md": "# Posit Connect drift report\n",
    "plugins/module_utils/__pycache__/client.cpython-311.pyc": "",
}
# The project's development files: in git, never in the tarball.
DEVELOPMENT = ["tests/unit/requirements.txt", "tests/simulator/connect_sim/app.py", "tests/utils/sims.py",
               "Makefile", ".ci/run", ".gitignore", ".ansible-lint"]


def build(collection_dir, out):
    subprocess.run([tool("ansible-galaxy"), "collection", "build", "--output-path", str(out)],
                   cwd=collection_dir, check=True, capture_output=True)
    (tarball,) = out.glob("posit-connect-*.tar.gz")
    return tarball


def test_the_tarball_holds_only_the_collection(collection_tarball):
    assert check_tarball.problems(str(collection_tarball), check_tarball.shipped_files()) == []
    files = check_tarball.member_files(str(collection_tarball))
    assert [path for path in files if path.startswith("tests/")] == []
    assert "plugins/modules/connect_user.py" in files and "docs/getting-started.md" in files


def test_the_checker_names_what_should_not_ship():
    assert sorted(check_tarball.dev_only(DEVELOPMENT)) == sorted(DEVELOPMENT)
    assert check_tarball.dev_only(["plugins/modules/connect_user.py", "docs/awx.md", "examples/fleet.yml"]) == []


def test_build_ignore_keeps_build_and_test_output_out(tmp_path):
    collection = tmp_path / "ansible_collections" / "posit" / "connect"
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "utils", "sync-collection.py"), str(collection)],
                   check=True, capture_output=True)
    for path, content in JUNK.items():
        (collection / path).parent.mkdir(parents=True, exist_ok=True)
        (collection / path).write_text(content)
    out = tmp_path / "dist"
    out.mkdir()

    files = check_tarball.member_files(str(build(collection, out)))

    assert sorted(set(files) & set(JUNK)) == []
    assert check_tarball.junk(files) == []
    assert check_tarball.dev_only(files) == []
    # ...and the checker would have caught each of them.
    assert sorted(check_tarball.junk(list(JUNK))) == sorted(JUNK)
    # Not by leaving out too much: the modules, guides and examples are there.
    assert "plugins/modules/connect_user.py" in files
    assert "docs/getting-started.md" in files and "examples/audit.yml" in files
