"""Servers configured differently: the default role, keys with a lower role, LDAP groups, times."""

from __future__ import annotations

import re

import pytest

from connect_sim.cli import build_config, parse_args
from connect_sim.config import SimConfig
from connect_sim.timestamps import canonical_time, format_ns, parse_ns, time_key
from sim_support import user_spec

FRACTIONAL = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,9}Z$")


# ---- Authorization.DefaultUserRole ------------------------------------------------------------


@pytest.mark.parametrize("config,role", [("default", "viewer"), ("publisher_default", "publisher")])
def test_post_without_user_role_gets_the_default_role(sims, config, role):
    sim = sims(config)
    created = sim.create_user("newbie")
    assert created["user_role"] == role
    assert sim.state_user("newbie")["user_role"] == role
    assert sim.create_user("chosen", user_role="viewer")["user_role"] == "viewer"


def test_ticket_create_gets_the_default_role(sims):
    sim = sims("ldap_publisher_default")
    sim.seed(remote_users=[{"username": "lara", "email": "lara@corp.example", "first_name": "Lara", "last_name": "Croft"}])
    ticket = sim.get("/v1/users/remote", params={"prefix": "lara"})["results"][0]["temp_ticket"]
    assert sim.ok("PUT", "/v1/users", json={"temp_ticket": ticket})["user_role"] == "publisher"


def test_default_role_is_not_published(sims):
    settings = sims("publisher_default").get("/server_settings")
    assert "publisher" not in str(settings["authentication"]) and "default_user_role" not in settings


def test_default_role_flag_and_ready_file(sims):
    assert sims("publisher_default").ready["default_user_role"] == "publisher"
    assert sims("default").ready["default_user_role"] == "viewer"
    assert build_config(parse_args(["--default-user-role", "publisher"])).default_user_role == "publisher"
    with pytest.raises(SystemExit):
        parse_args(["--default-user-role", "administrator"])
    with pytest.raises(ValueError):
        SimConfig(default_user_role="administrator")


# ---- API keys with a lower role than their owner's ----------------------------------------------


@pytest.fixture
def keyed(sim):
    """boss (administrator) with a full key and a publisher-role key; pub with a viewer-role key."""
    ids = sim.seed_cast(user_spec("boss", "administrator"))
    sim.seed(api_keys=[{"username": "boss", "key": "boss-pub", "role": "publisher"},
                       {"username": "boss", "key": "boss-view", "role": "viewer"},
                       {"username": "pub", "key": "pub-view", "role": "viewer"}])
    return sim, ids


@pytest.mark.parametrize("key", ["boss-key", "boss-pub", "boss-view"])
def test_get_user_answers_the_owner_whatever_the_key_role(keyed, key):
    sim, ids = keyed
    me = sim.me(key=key)
    assert (me["guid"], me["username"], me["user_role"]) == (ids["boss"], "boss", "administrator")


LOWER_KEY_WRITES = [
    ("POST", "/v1/users", {"username": "newbie", "email": "n@example.com", "password": "secret-pw"}, 22),
    ("POST", "/v1/users/{vic}/lock", {"locked": True}, 49),
    ("PUT", "/v1/users/{vic}", {"user_role": "publisher"}, 21),
    ("PUT", "/v1/users/{pub}", {"first_name": "Changed"}, 21),
    ("POST", "/v1/groups", {"name": "keyed"}, 22),
    ("GET", "/v1/users?account_status=locked", None, 22),
]


@pytest.mark.parametrize("method,path,body,code", LOWER_KEY_WRITES, ids=lambda v: v if isinstance(v, str) else None)
def test_publisher_role_key_of_an_admin_cannot_do_admin_things(keyed, method, path, body, code):
    sim, ids = keyed
    path = path.format(**ids)
    kwargs = {} if body is None else {"json": body}
    before = sim.state()
    sim.fails(method, path, 403, code, key="boss-pub", **kwargs)
    assert sim.state() == before
    assert sim.call(method, path, key="boss-key", **kwargs).status_code < 300  # the full key may


def test_lower_role_keys_keep_what_their_role_allows(keyed):
    sim, ids = keyed
    assert sim.ok("PUT", f"/v1/users/{ids['boss']}", json={"first_name": "Bossy"}, key="boss-view")["first_name"] == "Bossy"
    assert sim.users(key="boss-view")["total"] == 4
    group = sim.create_group("bosses")
    sim.fails("DELETE", f"/v1/groups/{group['guid']}", 403, 22, key="boss-pub")  # owned by admin, not boss
    sim.ok("POST", f"/v1/groups/{group['guid']}", json={"owner_guid": ids["boss"]})
    sim.ok("POST", f"/v1/groups/{group['guid']}/members", json={"user_guid": ids["vic"]}, key="boss-pub")
    sim.fails("POST", f"/v1/groups/{group['guid']}/members", 403, 22, json={"user_guid": ids["pub"]}, key="boss-view")


def test_key_never_acts_above_a_demoted_owner(keyed):
    sim, ids = keyed
    sim.seed(api_keys=[{"username": "boss", "key": "boss-admin", "role": "administrator"}])
    sim.ok("PUT", f"/v1/users/{ids['boss']}", json={"user_role": "publisher"})
    sim.fails("POST", "/v1/users", 403, 22, json={"username": "late", "email": "l@example.com", "password": "secret-pw"}, key="boss-admin")
    assert sim.me(key="boss-admin")["user_role"] == "publisher"


@pytest.mark.parametrize(
    "entry,message",
    [
        ({"username": "pub", "key": "k1", "role": "administrator"},
         "role 'administrator' is above the role of its owner 'pub' (publisher)"),
        ({"username": "vic", "key": "k2", "role": "publisher"},
         "role 'publisher' is above the role of its owner 'vic' (viewer)"),
        ({"username": "pub", "key": "k3", "role": "owner"}, "unknown role 'owner'"),
    ],
)
def test_seed_refuses_a_key_role_above_the_owner(sim, entry, message):
    sim.seed_cast()
    before = sim.state()
    resp = sim.ctl("POST", "/seed", json={"api_keys": [entry]}, expect=400)
    assert resp.json() == {"error": f"seed rejected: api_keys[0]: {message}"}
    assert sim.state() == before
    sim.fails("GET", "/v1/user", 401, 30, key=entry["key"])


# ---- LDAP groups ----------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [{"name": "renamed"}, {"owner_guid": "{pub}"}, {"name": "eng", "owner_guid": None}])
def test_ldap_groups_cannot_be_renamed_or_given_owners(sims, body):
    sim = sims("ldap")
    ids = sim.seed_cast(groups=[{"name": "eng", "members": ["vic"]}])
    body = {k: v.format(**ids) if isinstance(v, str) else v for k, v in body.items()}
    before = sim.state()
    error = sim.fails("POST", f"/v1/groups/{ids['group:eng']}", 400, 132, json=body)
    assert "LDAP" in error["error"]
    assert sim.state() == before
    sim.ok("DELETE", f"/v1/groups/{ids['group:eng']}")  # deleting stays allowed (a guess)


def test_other_providers_still_rename_groups(sims):
    sim = sims("saml")
    group = sim.create_group("before")
    assert sim.ok("POST", f"/v1/groups/{group['guid']}", json={"name": "after"})["name"] == "after"


# ---- fractional seconds ------------------------------------------------------------------------


def test_new_records_carry_fractional_seconds(sim):
    created = sim.create_user("stamped")
    assert FRACTIONAL.match(created["created_time"]), created["created_time"]
    assert created["updated_time"] == created["created_time"]
    edited = sim.ok("PUT", f"/v1/users/{created['guid']}", json={"first_name": "Stamp"})
    assert FRACTIONAL.match(edited["updated_time"])
    assert time_key(edited["updated_time"]) > time_key(created["created_time"])
    assert FRACTIONAL.match(sim.me()["created_time"])


def test_seeded_times_keep_their_precision(sim):
    sim.seed(users=[user_spec("whole", active_time="2025-01-02T03:04:05Z"),
                    user_spec("nano", active_time="2023-07-24T18:49:28.584906476Z"),
                    user_spec("offset", active_time="2025-01-02T05:04:05.25+02:00")])
    times = {u["username"]: u["active_time"] for u in sim.state()["users"]}
    assert (times["whole"], times["nano"], times["offset"]) == (
        "2025-01-02T03:04:05Z", "2023-07-24T18:49:28.584906476Z", "2025-01-02T03:04:05.25Z")


def test_time_helpers():
    assert format_ns(1_500_000_000) == "1970-01-01T00:00:01.5Z"
    assert format_ns(0) == "1970-01-01T00:00:00Z"
    assert canonical_time("0001-01-01T00:00:00Z") == "0001-01-01T00:00:00Z"
    assert parse_ns("1970-01-01T00:00:00.000000001Z") == 1
    assert time_key("2025-01-01T00:00:05Z") < time_key("2025-01-01T00:00:05.5Z") < time_key("2025-01-01T00:00:06Z")
    for bad in ("2025-01-01", "yesterday", "2025-01-01T00:00:00.1234567890Z"):
        with pytest.raises(ValueError):
            parse_ns(bad)
