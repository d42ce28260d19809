"""Who may do what: role table, locked keys, self-lock by version, last administrator."""

from __future__ import annotations

import pytest

from sim_support import user_spec

KEYS = {"admin": None, "pub": "pub-key", "vic": "vic-key", "vic2": "vic2-key"}


@pytest.fixture
def world(sim):
    """pub (publisher), vic and vic2 (viewers); pubgroup owned by pub, admingroup by admin."""
    ids = sim.seed_cast(
        user_spec("vic2"),
        groups=[
            {"name": "pubgroup", "members": ["vic"], "owner": "pub"},
            {"name": "admingroup", "members": ["vic", "vic2"], "owner": "admin"},
        ],
    )
    return sim, ids


def key_for(sim, caller):
    return KEYS[caller] or sim.api_key


def fill(template, ids):
    """Replace {name} placeholders with guids; group names are written {g:name}."""
    out = template
    for name, guid in ids.items():
        out = out.replace("{" + name + "}", guid).replace("{g:" + name.removeprefix("group:") + "}", guid)
    return out


ALLOWED = [
    ("vic", "GET", "/v1/users", None),
    ("vic", "GET", "/v1/users/{pub}", None),
    ("vic", "GET", "/v1/user", None),
    ("vic", "GET", "/v1/groups", None),
    ("vic", "GET", "/v1/groups/{g:admingroup}", None),
    ("vic", "GET", "/v1/groups/{g:admingroup}/members", None),
    ("vic", "PUT", "/v1/users/{vic}", {"first_name": "Victor", "last_name": "V"}),
    ("vic", "PUT", "/v1/users/{vic}", {"email": "victor@example.org"}),
    ("vic", "PUT", "/v1/users/{vic}", {"user_role": "viewer"}),
    ("pub", "PUT", "/v1/users/{pub}", {"user_role": "viewer"}),
    ("pub", "GET", "/server_settings", None),
    ("pub", "POST", "/v1/groups/{g:pubgroup}", {"name": "renamed"}),
    ("pub", "DELETE", "/v1/groups/{g:pubgroup}", None),
    ("pub", "POST", "/v1/groups/{g:pubgroup}/members", {"user_guid": "{vic2}"}),
    ("pub", "DELETE", "/v1/groups/{g:pubgroup}/members/{vic}", None),
    ("vic", "DELETE", "/v1/groups/{g:admingroup}/members/{vic}", None),
    ("vic2", "DELETE", "/v1/groups/{g:admingroup}/members/{vic2}", None),
    ("admin", "PUT", "/v1/users/{vic}", {"user_role": "administrator"}),
    ("admin", "PUT", "/v1/users/{pub}", {"first_name": "P", "email": "p@example.org"}),
    ("admin", "POST", "/v1/users/{vic}/lock", {"locked": True}),
    ("admin", "POST", "/v1/groups/{g:pubgroup}", {"owner_guid": "{vic}"}),
    ("admin", "DELETE", "/v1/groups/{g:pubgroup}/members/{vic}", None),
    ("admin", "DELETE", "/v1/groups/{g:pubgroup}", None),
]


@pytest.mark.parametrize("caller,method,path,body", ALLOWED, ids=lambda v: v if isinstance(v, str) else None)
def test_allowed(world, caller, method, path, body):
    sim, ids = world
    kwargs = {} if body is None else {"json": {k: fill(v, ids) if isinstance(v, str) else v for k, v in body.items()}}
    sim.ok(method, fill(path, ids), key=key_for(sim, caller), **kwargs)


DENIED = [
    ("pub", "POST", "/v1/users", {"username": "newbie", "email": "n@example.com", "password": "secret-pw"}, 22),
    ("vic", "POST", "/v1/users", {"username": "newbie", "email": "n@example.com", "password": "secret-pw"}, 22),
    ("vic", "PUT", "/v1/users/{pub}", {"first_name": "X"}, 21),
    ("pub", "PUT", "/v1/users/{vic}", {"first_name": "X"}, 21),
    ("pub", "PUT", "/v1/users/{admin}", {"email": "evil@example.com"}, 21),
    ("vic", "PUT", "/v1/users/{vic}", {"user_role": "publisher"}, 23),
    ("vic", "PUT", "/v1/users/{vic}", {"user_role": "administrator"}, 23),
    ("pub", "PUT", "/v1/users/{pub}", {"user_role": "administrator"}, 23),
    ("pub", "POST", "/v1/users/{vic}/lock", {"locked": True}, 49),
    ("pub", "POST", "/v1/users/{vic}/lock", {"locked": False}, 49),
    ("vic", "POST", "/v1/users/{vic}/lock", {"locked": True}, 49),
    ("vic", "POST", "/v1/users/{pub}/lock", {"locked": True}, 49),
    ("pub", "GET", "/v1/users?account_status=licensed", None, 22),
    ("vic", "GET", "/v1/users?account_status=locked|inactive", None, 22),
    ("vic", "POST", "/v1/groups", {"name": "mine"}, 22),
    ("pub", "POST", "/v1/groups", {"name": "mine"}, 22),
    ("pub", "POST", "/v1/groups/{g:admingroup}", {"name": "taken-over"}, 22),
    ("vic", "POST", "/v1/groups/{g:pubgroup}", {"name": "taken-over"}, 22),
    ("pub", "DELETE", "/v1/groups/{g:admingroup}", None, 22),
    ("vic", "DELETE", "/v1/groups/{g:pubgroup}", None, 22),
    ("pub", "POST", "/v1/groups/{g:admingroup}/members", {"user_guid": "{pub}"}, 22),
    ("vic", "POST", "/v1/groups/{g:pubgroup}/members", {"user_guid": "{vic2}"}, 22),
    ("vic", "POST", "/v1/groups/{g:admingroup}/members", {"user_guid": "{pub}"}, 22),
    ("vic", "DELETE", "/v1/groups/{g:admingroup}/members/{vic2}", None, 22),
    ("pub", "DELETE", "/v1/groups/{g:admingroup}/members/{vic}", None, 22),
]


@pytest.mark.parametrize("caller,method,path,body,code", DENIED, ids=lambda v: v if isinstance(v, str) else None)
def test_denied_with_403_and_no_change(world, caller, method, path, body, code):
    sim, ids = world
    before = sim.state()
    kwargs = {} if body is None else {"json": {k: fill(v, ids) if isinstance(v, str) else v for k, v in body.items()}}
    sim.fails(method, fill(path, ids), 403, code, key=key_for(sim, caller), **kwargs)
    assert sim.state() == before


def test_role_change_really_applies(world):
    sim, ids = world
    sim.ok("PUT", f"/v1/users/{ids['pub']}", json={"user_role": "viewer"}, key="pub-key")
    assert sim.get(f"/v1/users/{ids['pub']}")["user_role"] == "viewer"
    # pub is a viewer now and cannot climb back
    sim.fails("PUT", f"/v1/users/{ids['pub']}", 403, 23, json={"user_role": "publisher"}, key="pub-key")


def test_publishers_can_own_groups_flag(sims):
    sim = sims("pub_groups")
    ids = sim.seed_cast()
    group = sim.ok("POST", "/v1/groups", json={"name": "pubs-own"}, key="pub-key")
    assert group["owner_guid"] == ids["pub"]
    sim.ok("POST", f"/v1/groups/{group['guid']}/members", json={"user_guid": ids["vic"]}, key="pub-key")
    sim.fails("POST", "/v1/groups", 403, 22, json={"name": "vics"}, key="vic-key")
    sim.ok("DELETE", f"/v1/groups/{group['guid']}", key="pub-key")


@pytest.mark.parametrize(
    "method,path",
    [("GET", "/v1/user"), ("GET", "/v1/users"), ("GET", "/v1/groups"), ("PUT", "/v1/users/{vic}")],
)
def test_locked_users_key_is_403_50(world, method, path):
    sim, ids = world
    sim.ok("POST", f"/v1/users/{ids['vic']}/lock", json={"locked": True})
    kwargs = {"json": {"first_name": "V"}} if method == "PUT" else {}
    sim.fails(method, fill(path, ids), 403, 50, key="vic-key", **kwargs)
    sim.ok("POST", f"/v1/users/{ids['vic']}/lock", json={"locked": False})
    assert sim.me(key="vic-key")["username"] == "vic"


def test_last_admin_cannot_be_demoted_or_locked(sim):
    admin = sim.me()["guid"]
    sim.fails("PUT", f"/v1/users/{admin}", 400, 61, json={"user_role": "publisher"})
    sim.fails("PUT", f"/v1/users/{admin}", 400, 61, json={"user_role": "viewer"})
    sim.fails("POST", f"/v1/users/{admin}/lock", 400, 61, json={"locked": True})
    me = sim.me()
    assert (me["user_role"], me["locked"]) == ("administrator", False)


def test_admin_can_be_demoted_when_another_admin_exists(sim):
    ids = sim.seed_cast(user_spec("boss", "administrator"))
    sim.ok("PUT", f"/v1/users/{ids['admin']}", json={"user_role": "publisher"}, key="boss-key")
    assert sim.me()["user_role"] == "publisher"
    # boss is now the last administrator
    sim.fails("PUT", f"/v1/users/{ids['boss']}", 400, 61, json={"user_role": "viewer"}, key="boss-key")
    sim.fails("POST", f"/v1/users/{ids['boss']}/lock", 400, 61, json={"locked": True}, key="boss-key")


def test_admin_may_demote_self_when_not_last(sim):
    ids = sim.seed_cast(user_spec("boss", "administrator"))
    assert sim.ok("PUT", f"/v1/users/{ids['admin']}", json={"user_role": "viewer"})["user_role"] == "viewer"


@pytest.mark.parametrize(
    "config,allowed",
    [("v2022", False), ("v2023", True), ("v2024", True), ("default", True), ("hidden", True)],
)
def test_self_lock_by_version(sims, config, allowed):
    sim = sims(config)
    ids = sim.seed_cast(user_spec("boss", "administrator"))  # so the last-admin rule does not apply
    path = f"/v1/users/{ids['admin']}/lock"
    if not allowed:
        sim.fails("POST", path, 403, 49, json={"locked": True})
        assert sim.me()["locked"] is False
        return
    assert sim.ok("POST", path, json={"locked": True}) == {}
    sim.fails("GET", "/v1/user", 403, 50)
    sim.ok("POST", path, json={"locked": False}, key="boss-key")
    assert sim.me()["locked"] is False
