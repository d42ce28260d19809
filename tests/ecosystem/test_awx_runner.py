"""The AWX recipe of docs/awx.md, end to end, through ansible-runner (what AWX runs jobs with).

The job gets exactly the environment that the custom credential type in
docs/awx/ injects (its injector templates are rendered here like AWX renders
them, the CA going to a file), and runs examples/audit.yml against a TLS
simulator: in check mode (the scheduled audit), for real, and in check mode again. The seed is drift for
the report to show (an old email, a role, a locked leaver), not anything examples/people.yml needs:
test_audit_example.py runs the same playbook on a fresh server.
"""
import json
import os
import shutil
import sys

import ansible_runner
import jinja2
import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from conftest import BIN, ROOT
from connect_sim.testing import SimulatorControl, running_simulator

AWX = os.path.join(ROOT, "docs", "awx")
SEED = {
    "users": [
        {"username": "bob", "email": "bob@example.com", "first_name": "Bob", "last_name": "Berg",
         "user_role": "publisher"},
        {"username": "carol", "email": "carol@old.example.com", "first_name": "Carol", "last_name": "Chen",
         "user_role": "viewer"},
        {"username": "dan", "email": "dan@example.com", "user_role": "viewer"},
        {"username": "frank", "email": "frank@example.com", "locked": True},
    ],
}


def load(name):
    with open(os.path.join(AWX, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def inject(credential, folder):
    """The job environment AWX makes from a credential of our type (env and file injectors)."""
    inputs, injectors = load("credential-type-inputs.yml"), load("credential-type-injectors.yml")
    fields = {field["id"]: field for field in inputs["fields"]}
    assert set(injectors) <= {"env", "file", "extra_vars"}
    assert set(inputs["required"]) <= set(fields)
    # AWX: a missing boolean is False, a missing string "".
    namespace = {name: credential.get(name, False if field["type"] == "boolean" else "")
                 for name, field in fields.items()}
    render = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)
    filenames = {}
    for key, template in injectors.get("file", {}).items():
        path = os.path.join(folder, "awx_cred_" + key.split(".", 1)[1])
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(render.from_string(template).render(namespace))
        filenames[key.split(".", 1)[1]] = path
    namespace["tower"] = {"filename": filenames}
    return {name: render.from_string(template).render(namespace)
            for name, template in injectors["env"].items()}


def test_credential_type_shape():
    inputs = load("credential-type-inputs.yml")
    fields = {field["id"]: field for field in inputs["fields"]}
    assert fields["api_key"].get("secret") is True
    assert fields["ca_certificate"].get("multiline") is True
    assert fields["insecure"]["type"] == "boolean"
    assert sorted(load("credential-type-injectors.yml")["env"]) == [
        "CONNECT_API_KEY", "CONNECT_CA_CERTIFICATE", "CONNECT_INSECURE", "CONNECT_SERVER"]


@pytest.fixture(scope="module")
def sim():
    with running_simulator(tls=True) as ready:
        yield ready


@pytest.fixture(scope="module")
def job(sim, collections_path, tmp_path_factory):
    """Runs examples/audit.yml like an AWX job template; returns a function (check) -> results."""
    work = tmp_path_factory.mktemp("awx-job")
    with open(sim["ca_file"], encoding="utf-8") as handle:
        credential = {"server": sim["url"], "api_key": sim["api_key"], "ca_certificate": handle.read(),
                      "insecure": False}
    env = inject(credential, str(work))
    assert env["CONNECT_CA_CERTIFICATE"] and os.path.isfile(env["CONNECT_CA_CERTIFICATE"])
    assert env["CONNECT_INSECURE"] == "False"
    control = SimulatorControl.from_ready(sim)
    control.reset()
    control.seed(SEED)
    runs = []

    def run(check):
        number = len(runs) + 1
        report = work / ("report-%d.md" % number)
        # A new private data dir per job, as AWX makes (runner keeps settings in its env/).
        private = work / ("job%d" % number)
        shutil.copytree(os.path.join(ROOT, "examples"), private / "project")  # the project checkout
        envvars = dict(env, ANSIBLE_COLLECTIONS_PATH=str(collections_path),
                       PATH=BIN + os.pathsep + os.environ.get("PATH", ""),
                       ANSIBLE_PYTHON_INTERPRETER=sys.executable)
        result = ansible_runner.run(
            private_data_dir=str(private), playbook="audit.yml", ident="run%d" % number,
            envvars=envvars, extravars={"audit_report_path": str(report)},
            cmdline="--check --diff" if check else None, quiet=True)
        stdout = result.stdout.read()
        events = list(result.events)
        assert result.status == "successful", stdout
        assert result.rc == 0
        runs.append(result)
        return {"result": result, "stdout": stdout, "events": events,
                "report": report.read_text(encoding="utf-8"), "api_key": sim["api_key"],
                "state": control.state(), "artifacts": str(private / "artifacts" / ("run%d" % number))}

    return run


def module_result(events):
    (event,) = [e for e in events if e["event"] == "runner_on_ok"
                and e["event_data"].get("task_action") == "posit.connect.connect_users"]
    return event["event_data"]["res"]


def stats(events):
    (event,) = [e for e in events if e["event"] == "playbook_on_stats"]
    return event["event_data"]


def users(state):
    return {user["username"]: user for user in state["users"]}


def assert_secret_kept(run):
    """The API key appears nowhere in the job's output, events or artifacts."""
    assert run["api_key"] not in run["stdout"]
    assert run["api_key"] not in json.dumps(run["events"])
    for folder, _dirs, files in os.walk(run["artifacts"]):
        for name in files:
            # runner's own records of the job's command and environment (AWX keeps those private)
            if name not in ("env", "command"):
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
                    assert run["api_key"] not in handle.read(), name


def test_check_mode_audit_then_apply_then_clean(job):
    audit = job(check=True)
    res = module_result(audit["events"])
    assert res["counts"] == {"created": 1, "updated": 2, "locked": 1, "unlocked": 1, "memberships": 0,
                             "unchanged": 0, "failed": 0}
    assert res["created"] == ["ana"] and sorted(res["updated"]) == ["carol", "dan"]
    assert res["locked"] == ["bob"] and res["unlocked"] == ["frank"]
    artifact = stats(audit["events"])["artifact_data"]["connect_drift"]
    assert artifact["mode"] == "check" and artifact["drift"] is True
    report = audit["report"]
    assert "Check-mode audit: this is the plan, nothing was changed." in report
    assert "## Would be created" in report
    assert "| ana | ana@example.com | Ana | Lima | publisher |" in report
    assert "| carol | email | carol@old.example.com | carol@example.com |" in report
    assert "| carol | user_role | viewer | publisher |" in report
    assert "| dan | user_role | viewer | publisher |" in report
    assert "## Would be locked\n\n- bob\n" in report
    assert "## Would be unlocked\n\n- frank\n" in report
    # Nothing changed on the server.
    before = users(audit["state"])
    assert "ana" not in before and before["carol"]["email"] == "carol@old.example.com"
    assert not before["bob"]["locked"] and before["frank"]["locked"]
    assert_secret_kept(audit)

    applied = job(check=False)
    assert "Applied run: these changes were made." in applied["report"]
    assert "## Created" in applied["report"] and "## Locked\n\n- bob\n" in applied["report"]
    after = users(applied["state"])
    assert after["carol"]["email"] == "carol@example.com" and after["carol"]["user_role"] == "publisher"
    assert after["bob"]["locked"] and not after["frank"]["locked"] and "ana" in after
    assert stats(applied["events"])["changed"].get("localhost")
    assert_secret_kept(applied)

    clean = job(check=True)
    assert module_result(clean["events"])["counts"]["unchanged"] == 5
    assert "**No drift:** the server matches the directory." in clean["report"]
    assert "## Would be" not in clean["report"]
    assert stats(clean["events"])["artifact_data"]["connect_drift"]["drift"] is False
