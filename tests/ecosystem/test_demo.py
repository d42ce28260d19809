"""`make demo` works: the demo does what it says, and its second run changes nothing.

The run is the Makefile's `demo` target step by step (the Makefile is not changed for
it): a password simulator started with tests/utils/sims.py, the connection taken from
`sims.py env password`, examples/demo-seed.yml, then examples/demo.yml twice. Here the
simulator's state is private (--state-dir), so that a developer's own .sim/ and
integration_config.yml are left alone. The PLAY RECAP of each run gives the number of
changed tasks, and the simulator's state the demo's effect.
"""
import os
import re
import shlex
import subprocess
import sys

import pytest

from conftest import ROOT, tool
from connect_sim.testing import SimulatorControl

SIMS = os.path.join(ROOT, "tests", "utils", "sims.py")
RECAP = re.compile(r"^localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)


@pytest.fixture()
def demo_env(tmp_path, collections_path):
    """The environment `make demo` gives ansible-playbook: the simulator's url and key, the collection."""
    state = str(tmp_path / "sims")
    started = subprocess.run([sys.executable, SIMS, "start", "--state-dir", state, "--print-vars", "password"],
                             capture_output=True, text=True, check=False)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        printed = subprocess.run([sys.executable, SIMS, "env", "--state-dir", state, "password"],
                                 capture_output=True, text=True, check=True).stdout
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("CONNECT_", "ANSIBLE_", "DEMO_")) and key not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
        for line in printed.splitlines():  # export NAME=value, as the Makefile's eval reads them
            name, value = shlex.split(line.replace("export ", "", 1))[0].split("=", 1)
            env[name] = value
        assert env.get("CONNECT_SERVER") and env.get("CONNECT_API_KEY"), printed
        env.update(ANSIBLE_COLLECTIONS_PATH=str(collections_path), ANSIBLE_NOCOLOR="1",
                   ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
        yield env
    finally:
        subprocess.run([sys.executable, SIMS, "stop", "--state-dir", state], capture_output=True, check=False)


def playbook(name, env):
    """Run examples/NAME from the repository's root, as make does; (changed from the PLAY RECAP, output)."""
    result = subprocess.run([tool("ansible-playbook"), os.path.join("examples", name)], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    recap = RECAP.findall(output)
    assert result.returncode == 0 and len(recap) == 1, output
    (unused_ok, changed, unreachable, failed), = recap
    assert (unreachable, failed) == ("0", "0"), output
    return int(changed), output


def test_demo_makes_what_it_says_and_its_second_run_changes_nothing(demo_env):
    control = SimulatorControl(demo_env["CONNECT_SERVER"])
    playbook("demo-seed.yml", demo_env)
    seeded = control.state()
    assert sorted(user["username"] for user in seeded["users"]) == ["admin", "bob", "carol", "dan"], seeded

    changed, output = playbook("demo.yml", demo_env)
    # ana, carol, bob's lock, the group, its members, the team (dan and erin), the groups as code;
    # the audit and the count change nothing.
    assert changed == 7, output
    assert "An exclusive data-science membership would remove ['carol']" in output, output
    state = control.state()
    users = {user["username"]: user for user in state["users"]}
    assert sorted(users) == ["admin", "ana", "bob", "carol", "dan", "erin"], users
    ana, bob, carol, dan, erin = (users[name] for name in ("ana", "bob", "carol", "dan", "erin"))
    assert (ana["user_role"], ana["email"], ana["last_name"], ana["has_password"]) == (
        "publisher", "ana@example.com", "Lima", True), ana
    assert (carol["user_role"], carol["email"], carol["last_name"]) == ("publisher", "carol@example.com", "Chen"), carol
    assert bob["locked"] and not any(users[name]["locked"] for name in users if name != "bob"), users
    assert dan["user_role"] == "publisher", dan
    assert (erin["email"], erin["first_name"], erin["user_role"], erin["has_password"]) == (
        "erin@example.com", "Erin", "viewer", True), erin
    groups = {group["name"]: group for group in state["groups"]}
    assert {name: group["members"] for name, group in groups.items()} == {
        "analytics": ["ana", "erin"], "data-science": ["ana", "carol", "dan"], "platform": ["carol", "dan"],
        "sales-team": ["bob"]}, groups
    assert groups["platform"]["owner_guid"] == carol["guid"], groups["platform"]
    assert groups["analytics"]["owner_guid"] == users["admin"]["guid"], groups["analytics"]
    # bob's offboarding: his group and content went to ana before his lock
    assert groups["sales-team"]["owner_guid"] == ana["guid"], groups["sales-team"]
    assert sorted((item["name"], item["owner"]) for item in state["content"]) == [
        ("churn-model", "ana"), ("sales-dashboard", "ana")], state["content"]

    control.clear_requests()
    again, output = playbook("demo.yml", demo_env)
    assert again == 0, output
    assert [entry for entry in control.requests() if entry["method"] != "GET"] == [], "the second run wrote"
    assert control.state() == state
