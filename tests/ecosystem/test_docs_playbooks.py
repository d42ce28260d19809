"""The documentation's playbooks work as written.

Every ```yaml block of the pages below that is a playbook is run with ansible-playbook
against a fresh simulator, literally: the only change is the connection, which comes
from CONNECT_SERVER and CONNECT_API_KEY (as getting-started.md tells readers to set
it); a play whose module_defaults name a url or api_key (an example server, a vault
variable) has those two keys removed so that the environment's apply. Each playbook
must succeed and change nothing on its second run; getting-started.md's must also make
what it says it makes, and then find nothing to change in check mode, as it promises.
"""
import os
import re
import subprocess

import pytest
import yaml

from conftest import ROOT, tool
from connect_sim.testing import SimulatorControl, running_simulator

PAGES = ["docs/getting-started.md", "docs/users.md", "docs/groups.md", "docs/authentication.md", "docs/offboarding.md",
         "docs/access.md", "README.md"]

# What a page takes as given on the server (the simulator starts with only its admin).
GIVEN = {
    "docs/groups.md": {
        "users": [{"username": name, "email": name + "@example.com"} for name in ("ana", "bob", "chen")],
        "groups": [{"name": "data-science", "members": ["ana"], "owner": "admin"}],
    },
    # The leaver, who owns two items and a group, and the successor.
    "docs/offboarding.md": {
        "users": [{"username": name, "email": name + "@example.com", "user_role": "publisher"} for name in ("ana", "bob")],
        "groups": [{"name": "sales-team", "members": ["bob"], "owner": "bob"}],
        "content": [{"name": "sales-dashboard", "owner": "bob"}, {"name": "churn-model", "owner": "bob"}],
    },
    "docs/access.md": {
        "users": [{"username": name, "email": name + "@example.com", "user_role": "publisher"} for name in ("ana", "bob")],
        "groups": [{"name": "sales", "owner": "admin"}, {"name": "analysts", "owner": "admin"}],
        "content": [{"name": "sales-dashboard", "owner": "ana", "permissions": [{"group": "sales", "role": "owner"}]}],
    },
}
CONNECTION_KEYS = ("url", "api_key")
RECAP = re.compile(r"^\S+\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)


def doc_playbooks():
    """(page, number on the page, YAML text) of each playbook in PAGES."""
    found = []
    for page in PAGES:
        with open(os.path.join(ROOT, page), encoding="utf-8") as handle:
            blocks = re.findall(r"^```ya?ml\n(.*?)^```", handle.read(), re.DOTALL | re.MULTILINE)
        for number, text in enumerate(blocks, 1):
            data = yaml.safe_load(text)
            if isinstance(data, list) and data and all(isinstance(play, dict) and "hosts" in play for play in data):
                found.append((page, number, text))
    return found


def with_connection_from_environment(text):
    """The playbook's text, without url/api_key in its module_defaults (unchanged when it has none)."""
    plays, dropped = yaml.safe_load(text), False
    for play in plays:
        for defaults in (play.get("module_defaults") or {}).values():
            for key in CONNECTION_KEYS:
                dropped = defaults.pop(key, None) is not None or dropped
    return yaml.safe_dump(plays, sort_keys=False) if dropped else text


@pytest.fixture(scope="module")
def sim():
    with running_simulator() as ready:
        yield ready


def run(playbook, sim, collections_path, *options):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CONNECT_", "ANSIBLE_")) and key not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    env.update(CONNECT_SERVER=sim["url"], CONNECT_API_KEY=sim["api_key"], ANSIBLE_COLLECTIONS_PATH=str(collections_path),
               ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    result = subprocess.run([tool("ansible-playbook"), str(playbook)] + list(options), cwd=str(playbook.parent),
                            env=env, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    recap = RECAP.findall(output)
    assert result.returncode == 0 and recap, output
    (unused_ok, changed, unreachable, failed), = recap
    assert (unreachable, failed) == ("0", "0"), output
    return int(changed), output


def getting_started_made_what_it_says(state, changed, output):
    users = {user["username"]: user for user in state["users"]}
    assert users["ana"]["user_role"] == "publisher" and users["ana"]["email"] == "ana@example.com", users
    assert "bob" not in users or users["bob"]["locked"], users
    groups = [group for group in state["groups"] if group["name"] == "data-science"]
    assert len(groups) == 1 and groups[0]["members"] == ["ana"], state["groups"]
    assert changed == 3 and output.count("changed: [localhost]") == 3, output


# page -> check of the server's state after the first run.
MADE = {"docs/getting-started.md": getting_started_made_what_it_says}


def test_getting_started_has_its_playbook():
    assert [page for page, unused_number, unused_text in doc_playbooks()].count("docs/getting-started.md") == 1


@pytest.mark.parametrize("page, number, text", doc_playbooks(), ids=lambda value: value if isinstance(value, str) and
                         "\n" not in value else None)
def test_doc_playbook_works_as_written(page, number, text, sim, collections_path, tmp_path):
    control = SimulatorControl.from_ready(sim)
    control.reset()
    if page in GIVEN:
        control.seed(GIVEN[page])
    playbook = tmp_path / "playbook.yml"
    playbook.write_text(with_connection_from_environment(text))

    changed, output = run(playbook, sim, collections_path)
    if page in MADE:
        MADE[page](control.state(), changed, output)
    second, output = run(playbook, sim, collections_path)
    assert second == 0, "{0} playbook {1} changed something on its second run:\n{2}".format(page, number, output)
    if page in MADE:
        # The page's audit: check mode after that finds nothing to change.
        audit, output = run(playbook, sim, collections_path, "--check", "--diff")
        assert audit == 0, output
