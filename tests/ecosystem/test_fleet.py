"""The fleet recipe of docs/fleet.md: examples/fleet.yml over an inventory of three Connect servers.

Three simulators stand for dev, staging and production, each with its own drift; the test
writes the inventory (each host's url and key as host variables) and runs the playbook as the
page says, with forks: in check mode (one drift report per server, nothing written), for real
while production refuses every write (the other two converge, production is reported by name,
in its report, the fleet summary and PLAY RECAP), and again once the fault is gone (all three
converge, with writes on production only).
"""
import contextlib
import os
import re
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT, tool
from connect_sim.testing import SimulatorControl, running_simulator

# inventory host -> the simulator's options and what is already on it (the drift).
SERVERS = {
    "connect-dev": ({"version": "2025.04.0"},
                    {"users": [{"username": "carol", "email": "carol@old.example.com", "user_role": "viewer"}]}),
    "connect-staging": ({"version": "2026.01.0"}, {}),
    "connect-prod": ({"version": "2024.08.0"},
                     {"users": [{"username": "dan", "email": "dan@example.com", "user_role": "publisher"}]}),
}
FAILING = "connect-prod"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
# Every write of the failing server answered with HTTP 500 (not retried: the entries fail at once).
WRITE_FAULTS = [{"method": method, "path": "/v1/*", "status": 500} for method in WRITES]
RECAP = re.compile(r"^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)


def directory():
    """The accounts of examples/fleet-people.csv, by username."""
    with open(os.path.join(ROOT, "examples", "fleet-people.csv"), encoding="utf-8") as handle:
        header, *rows = [line.split(",") for line in handle.read().split()]
    return {row[0]: dict(zip(header, row)) for row in rows}


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    """{host: SimulatorControl} of three running simulators, seeded, and an inventory file of them."""
    work = tmp_path_factory.mktemp("fleet")
    with contextlib.ExitStack() as stack:
        controls, hosts = {}, {}
        for host, (options, seed) in SERVERS.items():
            ready = stack.enter_context(running_simulator(**options))
            controls[host] = SimulatorControl.from_ready(ready)
            if seed:
                controls[host].seed(seed)
            hosts[host] = {"connect_url": ready["url"], "connect_api_key": ready["api_key"]}
        inventory = work / "inventory.yml"
        inventory.write_text(yaml.safe_dump({"connect_servers": {"hosts": hosts}}, sort_keys=False))
        # The project as a user has it: the playbook and the directory file side by side.
        project = work / "project"
        project.mkdir()
        for name in ("fleet.yml", "fleet-people.csv"):
            shutil.copy(os.path.join(ROOT, "examples", name), project / name)
        yield {"controls": controls, "inventory": inventory, "playbook": project / "fleet.yml", "keys": hosts}


def run(fleet, collections_path, *options):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CONNECT_", "ANSIBLE_")) and key not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    env.update(ANSIBLE_COLLECTIONS_PATH=str(collections_path), ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="false")
    result = subprocess.run([tool("ansible-playbook"), "-i", str(fleet["inventory"]), str(fleet["playbook"]),
                             "--forks", "3"] + list(options),
                            cwd=str(fleet["playbook"].parent), env=env, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    recap = {host: {"changed": int(changed), "unreachable": int(unreachable), "failed": int(failed)}
             for host, unused_ok, changed, unreachable, failed in RECAP.findall(output)}
    assert set(SERVERS) <= set(recap), output
    for key in (entry["connect_api_key"] for entry in fleet["keys"].values()):
        assert key not in output
    return result.returncode, recap, output


def reports(output):
    """{host: first line of its drift report}, from the task that shows each server's report."""
    section = output.split("TASK [Show this server's drift report]", 1)[1].split("TASK [", 1)[0]
    return dict(re.findall(r'^ok: \[(\S+)\] => \{\n\s+"msg": \[\n\s+"(.*)",$', section, re.MULTILINE))


def summary(output):
    section = output.split("TASK [One line per server]", 1)[1].split("PLAY RECAP", 1)[0]
    return re.findall(r'^\s+"(connect-[a-z]+: .*?)",?$', section, re.MULTILINE)


def writes(control):
    return [entry for entry in control.requests() if entry["method"] in WRITES]


def accounts(control):
    return {user["username"]: user for user in control.state()["users"]}


def converged(control):
    found = accounts(control)
    for name, wanted in directory().items():
        assert name in found, (name, sorted(found))
        for field in ("email", "first_name", "last_name", "user_role"):
            assert found[name][field] == wanted[field], (name, field, found[name])
        assert not found[name]["locked"], found[name]


def test_fleet_check_then_apply_with_a_failing_server_then_rerun(fleet, collections_path):
    controls = fleet["controls"]
    states = {host: control.state() for host, control in controls.items()}

    # 1. The audit: check mode over the fleet, one drift report per server, nothing written.
    code, recap, output = run(fleet, collections_path, "--check")
    assert code == 0, output
    assert all(recap[host]["failed"] == 0 for host in SERVERS), recap
    drift = reports(output)
    assert sorted(drift) == sorted(SERVERS), output
    assert drift["connect-dev"] == ("connect-dev: drift (would be created 3, changed 1, locked 0, unlocked 0; "
                                    "unchanged 0, failed 0)"), output
    assert drift["connect-staging"].startswith("connect-staging: drift (would be created 4, changed 0,"), output
    assert drift["connect-prod"].startswith("connect-prod: drift (would be created 3, changed 1,"), output
    assert "changed: carol" in output and "changed: dan" in output
    for host, control in controls.items():
        assert control.state() == states[host], host
        assert writes(control) == [], host

    # 2. Apply while production refuses every write: the other two converge, production is named.
    controls[FAILING].set_faults(rules=WRITE_FAULTS)
    for control in controls.values():
        control.clear_requests()
    code, recap, output = run(fleet, collections_path)
    assert code == 2, output
    assert recap[FAILING]["failed"] == 1, recap
    assert all(recap[host]["failed"] == 0 for host in SERVERS if host != FAILING), recap
    assert "fatal: [%s]: FAILED!" % FAILING in output
    lines = summary(output)
    assert [line.split(":", 1)[0] for line in lines] == list(SERVERS), output
    assert ("connect-prod: FAILED: 4 entries failed (ana, carol, dan, erin) (were created 0, changed 0, "
            "locked 0, unlocked 0; unchanged 0, failed 4)") in lines, lines
    for host in SERVERS:
        if host != FAILING:
            converged(controls[host])
            assert "%s: drift (were created" % host in " ".join(lines), lines
    assert controls[FAILING].state() == states[FAILING]
    assert writes(controls[FAILING]) and all(entry.get("fault") == "status" for entry in writes(controls[FAILING]))

    # 3. The fault is gone: the rerun converges production too, and writes nowhere else.
    controls[FAILING].clear_faults()
    for control in controls.values():
        control.clear_requests()
    code, recap, output = run(fleet, collections_path)
    assert code == 0, output
    assert {host: (recap[host]["changed"] > 0, recap[host]["failed"]) for host in SERVERS} == {
        "connect-dev": (False, 0), "connect-staging": (False, 0), "connect-prod": (True, 0)}, recap
    for host, control in controls.items():
        converged(control)
    assert [len(writes(controls[host])) for host in SERVERS] == [0, 0, 4], {
        host: writes(control) for host, control in controls.items()}
    assert "connect-prod: drift (were created 3, changed 1," in " ".join(summary(output)), output
