"""examples/audit.yml run exactly as docs/audits.md says, on a fresh simulator with nothing seeded.

From a checkout, with CONNECT_SERVER and CONNECT_API_KEY set and nothing else:
`ansible-playbook examples/audit.yml --check --diff -e audit_report_path=...` (the scheduled audit), then
without --check (the plan applied), then the audit again, which must find no drift. Run from another
directory without audit_report_path, the report lands in that directory, never beside the playbook.
"""
import os
import subprocess

import pytest

from conftest import ROOT, tool
from connect_sim.testing import SimulatorControl, running_simulator

PLAYBOOK = os.path.join(ROOT, "examples", "audit.yml")
PEOPLE = ("ana", "carol", "dan", "frank")


@pytest.fixture(scope="module")
def sim():
    with running_simulator() as ready:
        yield ready


def audit(sim, collections_path, cwd, *options):
    """ansible-playbook examples/audit.yml OPTIONS, as a reader runs it; (return code, output)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CONNECT_", "ANSIBLE_")) and key not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    # PWD as the reader's shell sets it: the report goes to the current directory by default.
    env.update(PWD=str(cwd), CONNECT_SERVER=sim["url"], CONNECT_API_KEY=sim["api_key"],
               ANSIBLE_COLLECTIONS_PATH=str(collections_path),
               ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    playbook = os.path.relpath(PLAYBOOK, str(cwd))
    result = subprocess.run([tool("ansible-playbook"), playbook] + list(options), cwd=str(cwd), env=env,
                            capture_output=True, text=True, check=False)
    return result.returncode, result.stdout + result.stderr


def usernames(control):
    return sorted(user["username"] for user in control.state()["users"])


def test_the_documented_audit_works_on_a_fresh_server(sim, collections_path, tmp_path):
    control = SimulatorControl.from_ready(sim)
    control.reset()
    report = tmp_path / "drift.md"

    code, output = audit(sim, collections_path, ROOT, "--check", "--diff", "-e", "audit_report_path=" + str(report))
    assert code == 0, output
    text = report.read_text(encoding="utf-8")
    assert "Check-mode audit: this is the plan, nothing was changed." in text
    assert "## Would be created" in text and "| frank | frank@example.com |  |  | viewer |" in text
    for name in PEOPLE:
        assert "| {0} | {0}@example.com |".format(name) in text, text
    assert "## Failures" not in text and "could not be made" not in text
    assert usernames(control) == ["admin"], "the audit wrote to the server"
    assert not os.path.exists(os.path.join(ROOT, "examples", "connect-drift-report.md"))

    code, output = audit(sim, collections_path, ROOT, "-e", "audit_report_path=" + str(report))
    assert code == 0, output
    assert "Applied run: these changes were made." in report.read_text(encoding="utf-8")
    assert usernames(control) == ["admin"] + sorted(PEOPLE)

    code, output = audit(sim, collections_path, ROOT, "--check", "--diff", "-e", "audit_report_path=" + str(report))
    assert code == 0, output
    assert "**No drift:** the server matches the directory." in report.read_text(encoding="utf-8")


def test_the_report_goes_to_the_current_directory_by_default(sim, collections_path, tmp_path):
    SimulatorControl.from_ready(sim).reset()
    code, output = audit(sim, collections_path, tmp_path, "--check")
    assert code == 0, output
    assert (tmp_path / "connect-drift-report.md").is_file(), output
    assert not os.path.exists(os.path.join(ROOT, "examples", "connect-drift-report.md"))
