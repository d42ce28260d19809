"""The documentation's playbooks work as written, on a fresh server, and do what they say.

Every ```yaml block of the pages below that is a playbook is run with ansible-playbook,
literally: the only change is the connection, which comes from CONNECT_SERVER and
CONNECT_API_KEY (as getting-started.md tells readers to set it); a play whose
module_defaults name a url or api_key (an example server, a vault variable) has those
two keys removed so that the environment's apply. A page's playbooks run in the page's
order on one simulator that starts with only its admin, as a reader's new server would:
nothing the page assumes is seeded (one exception, PREMISE, for what no module of this
collection can make). Each playbook must make what the page says it makes
(read from the simulator's state, with the number of changed tasks), change nothing on
its second run, and then find nothing to change in check mode with diff, writing nothing.
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

# The pages that start from a server the collection cannot make: offboarding hands over content, and
# access manages who may use it, and content is published (rsconnect, the IDE), never made by these
# modules. Each page's text names exactly its premise: for offboarding, the leaver bob owns sales-dashboard,
# churn-model and the group sales-team, and ana takes over; for access, ana published sales-dashboard, the
# group sales may change it, and bob (a publisher) and the group analysts exist.
PREMISE = {
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


def users_of(state):
    return {user["username"]: user for user in state["users"]}


def members_of(state):
    return {group["name"]: group["members"] for group in state["groups"]}


def made_by_getting_started_1(state, changed):
    users = users_of(state)
    assert sorted(users) == ["admin", "ana", "bob"], users
    ana, bob = users["ana"], users["bob"]
    assert (ana["user_role"], ana["email"], ana["first_name"], ana["last_name"]) == (
        "publisher", "ana@example.com", "Ana", "Lima"), ana
    assert not ana["confirmed"] and not ana["has_password"], ana  # user_must_set_password
    assert (bob["user_role"], bob["email"], bob["locked"]) == ("viewer", "bob@example.com", False), bob
    assert members_of(state) == {"data-science": ["ana", "bob"]}, state["groups"]
    assert changed == 4


def made_by_getting_started_2(state, changed):
    users = users_of(state)
    assert sorted(users) == ["admin", "ana", "bob"], users
    assert users["bob"]["locked"], users["bob"]
    assert not users["ana"]["locked"] and users["ana"]["user_role"] == "publisher", users["ana"]
    # A locked account keeps its memberships.
    assert members_of(state) == {"data-science": ["ana", "bob"]}, state["groups"]
    assert changed == 1


def made_by_users_1(state, changed):
    users = users_of(state)
    assert sorted(users) == ["admin", "ana"], users
    ana = users["ana"]
    assert (ana["user_role"], ana["email"], ana["first_name"], ana["last_name"], ana["confirmed"]) == (
        "publisher", "ana@example.com", "Ana", "Lima", False), ana
    assert changed == 1


def made_by_groups_1(state, changed):
    assert sorted(users_of(state)) == ["admin", "ana", "bob", "chen"], state["users"]
    assert members_of(state) == {"data-science": ["ana", "bob", "chen"]}, state["groups"]
    assert changed == 3


def made_by_authentication_1(state, changed):
    # A count only reads: the server is as it started.
    assert [user["username"] for user in state["users"]] == ["admin"] and state["groups"] == [], state
    assert changed == 0


def made_by_offboarding_1(state, changed):
    users = users_of(state)
    assert users["bob"]["locked"] and not users["ana"]["locked"], users
    owners = dict((item["name"], item["owner"]) for item in state["content"])
    assert owners == {"sales-dashboard": "ana", "churn-model": "ana"}, state["content"]
    assert [group["owner_guid"] for group in state["groups"] if group["name"] == "sales-team"] == [users["ana"]["guid"]], \
        state["groups"]
    assert changed == 2  # the check-mode plan, then the handover


def access_of(state, name):
    """{principal: role} of the item ``name`` in the simulator's state, with its owner and access type."""
    item, = [item for item in state["content"] if item["name"] == name]
    return item["owner"], item["access_type"], dict((entry["principal"], entry["role"]) for entry in item["permissions"])


def made_by_access_1(state, changed):
    # Exactly these: sales moved from collaborator to viewer, bob and analysts granted; ana, the owner, untouched.
    assert access_of(state, "sales-dashboard") == ("ana", "acl", {"sales": "viewer", "bob": "owner", "analysts": "owner"})
    assert changed == 1


def made_by_access_3(state, changed):
    # A read: the item is as the first playbook left it.
    assert access_of(state, "sales-dashboard") == ("ana", "acl", {"sales": "viewer", "bob": "owner", "analysts": "owner"})
    assert changed == 0


def made_by_readme_1(state, changed):
    users = users_of(state)
    assert sorted(users) == ["admin", "jdoe"], users
    jdoe = users["jdoe"]
    assert (jdoe["user_role"], jdoe["email"], jdoe["confirmed"], jdoe["locked"]) == (
        "publisher", "jdoe@example.com", False, False), jdoe
    assert changed == 1


# (page, number of the playbook on the page) -> check of the server's state, and of the changed
# count, after the playbook's first run. Every playbook of PAGES must have one.
MADE = {
    ("docs/getting-started.md", 1): made_by_getting_started_1,
    ("docs/getting-started.md", 2): made_by_getting_started_2,
    ("docs/users.md", 1): made_by_users_1,
    ("docs/groups.md", 1): made_by_groups_1,
    ("docs/authentication.md", 1): made_by_authentication_1,
    ("docs/offboarding.md", 1): made_by_offboarding_1,
    ("docs/access.md", 1): made_by_access_1,
    ("docs/access.md", 3): made_by_access_3,
    ("README.md", 1): made_by_readme_1,
}


def test_every_doc_playbook_has_its_check():
    found = [(page, number) for page, number, unused_text in doc_playbooks()]
    assert sorted(found) == sorted(MADE), "playbooks without a check, or checks without a playbook"
    assert [number for page, number in found if page == "docs/getting-started.md"] == [1, 2]


def writes(control):
    return [entry for entry in control.requests() if entry["method"] != "GET"]


@pytest.mark.parametrize("page", PAGES)
def test_doc_playbooks_work_as_written(page, sim, collections_path, tmp_path):
    control = SimulatorControl.from_ready(sim)
    control.reset()  # just the admin: what a reader's new server has
    if page in PREMISE:
        control.seed(PREMISE[page])
    playbooks = [(number, text) for found_page, number, text in doc_playbooks() if found_page == page]
    assert playbooks, page
    for number, text in playbooks:
        where = "{0} playbook {1}".format(page, number)
        playbook = tmp_path / "playbook-{0}.yml".format(number)
        playbook.write_text(with_connection_from_environment(text))

        changed, output = run(playbook, sim, collections_path)
        try:
            MADE[(page, number)](control.state(), changed)
        except AssertionError as error:
            raise AssertionError("{0} did not make what the page says: {1}\n{2}".format(where, error, output))
        made = control.state()

        second, output = run(playbook, sim, collections_path)
        assert second == 0, "{0} changed something on its second run:\n{1}".format(where, output)
        # The audit the pages promise: check mode with diff finds nothing to change and writes nothing.
        control.clear_requests()
        audit, output = run(playbook, sim, collections_path, "--check", "--diff")
        assert audit == 0, "{0} found changes in check mode after its runs:\n{1}".format(where, output)
        assert writes(control) == [] and control.state() == made, where
