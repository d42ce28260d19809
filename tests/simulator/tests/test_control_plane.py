"""The /__sim__ control plane: health, seed, reset, state, request log."""

from __future__ import annotations

import pytest

from sim_support import timestamp, user_spec


def test_health(sim):
    assert sim.ctl("GET", "/health").status_code == 200


def test_seed_returns_guids_matching_state(sim):
    seeded = sim.seed(
        users=[user_spec("zoe", "publisher"), user_spec("amy")],
        groups=[{"name": "crew", "members": ["zoe", "amy"], "owner": "zoe"}, {"name": "solo", "members": []}],
        api_keys=[{"username": "zoe", "key": "zoe-key"}],
    )
    state = sim.state()
    assert seeded["users"] == {u["username"]: u["guid"] for u in state["users"] if u["username"] != "admin"}
    assert seeded["groups"] == {g["name"]: g["guid"] for g in state["groups"]}
    crew = next(g for g in state["groups"] if g["name"] == "crew")
    assert crew["members"] == ["amy", "zoe"] and crew["owner_guid"] == seeded["users"]["zoe"]
    assert sim.me(key="zoe-key")["guid"] == seeded["users"]["zoe"]


def test_seed_sets_every_user_field(sim):
    when = timestamp(3)
    sim.seed(users=[user_spec("kim", "publisher", first_name="Kim", last_name="Ng", locked=True, active_time=when, password="pw-123456")])
    kim = sim.state_user("kim")
    assert (kim["first_name"], kim["last_name"], kim["email"], kim["user_role"]) == ("Kim", "Ng", "kim@example.com", "publisher")
    assert (kim["locked"], kim["active_time"], kim["has_password"]) == (True, when, True)
    assert sim.get(f"/v1/users/{kim['guid']}")["active_time"] == when


@pytest.mark.parametrize(
    "payload",
    [
        {"users": [user_spec("dup"), user_spec("dup")]},
        {"users": [user_spec("admin")]},
        {"users": [user_spec("bad", "owner")]},
        {"groups": [{"name": "g", "members": ["nobody"]}]},
        {"groups": [{"name": "g", "members": [], "owner": "nobody"}]},
        {"api_keys": [{"username": "nobody", "key": "k"}]},
    ],
    ids=["duplicate user", "existing user", "bad role", "unknown member", "unknown owner", "key for unknown user"],
)
def test_seed_errors_are_400(sim, payload):
    resp = sim.ctl("POST", "/seed", json=payload, expect=400)
    assert resp.status_code == 400


def test_state_is_sorted_and_deterministic(sim):
    sim.seed(
        users=[user_spec(n) for n in ("mike", "bea", "zed", "al")],
        groups=[{"name": n, "members": ["zed", "al", "mike"]} for n in ("yak", "bee", "ant")],
    )
    first = sim.state()
    assert first == sim.state()
    assert [u["username"] for u in first["users"]] == sorted(u["username"] for u in first["users"])
    assert [g["name"] for g in first["groups"]] == ["ant", "bee", "yak"]
    assert all(g["members"] == ["al", "mike", "zed"] for g in first["groups"])


def test_reset_restores_just_admin(sim):
    admin_before = sim.me()
    sim.seed_cast(groups=[{"name": "g", "members": ["vic"]}])
    sim.seed(remote_users=[{"username": "r", "email": "r@example.com", "first_name": "R", "last_name": "R"}], remote_groups=[{"name": "rg", "members": []}])
    sim.set_faults([{"method": "GET", "path": "v1/nothing", "probability": 1, "status": 503}])
    sim.get("/v1/users")
    sim.reset()
    state = sim.state()
    assert [u["username"] for u in state["users"]] == ["admin"]
    assert (state["groups"], state["remote_users"], state["remote_groups"]) == ([], [], [])
    assert sim.request_log() == []
    assert not sim.ctl("GET", "/faults").json().get("rules")
    me = sim.me()
    assert {k: me[k] for k in ("username", "email", "user_role", "first_name", "last_name")} == {
        k: admin_before[k] for k in ("username", "email", "user_role", "first_name", "last_name")
    }
    sim.fails("GET", "/v1/user", 401, 30, key="vic-key")


def test_reads_never_change_state(sim):
    ids = sim.seed_cast(
        user_spec("old", active_time=timestamp(400)),
        groups=[{"name": "g", "members": ["vic", "pub"], "owner": "pub"}],
    )
    before = sim.state()
    for key in (None, "pub-key", "vic-key"):
        kw = {} if key is None else {"key": key}
        sim.get("/v1/user", **kw)
        sim.get("/v1/users", **kw)
        sim.get("/v1/users", params={"prefix": "o", "user_role": "viewer|publisher"}, **kw)
        sim.get(f"/v1/users/{ids['vic']}", **kw)
        sim.get("/v1/groups", params={"prefix": "g"}, **kw)
        sim.get(f"/v1/groups/{ids['group:g']}", **kw)
        sim.get(f"/v1/groups/{ids['group:g']}/members", **kw)
        sim.get("/server_settings", **kw)
    sim.get("/v1/users", params={"account_status": "licensed|inactive"})
    sim.call("GET", f"/v1/users/{ids['vic']}", key="bogus")
    assert sim.state() == before
    assert sim.state_user("vic")["active_time"] is None


def test_failed_writes_do_not_change_state(sim):
    ids = sim.seed_cast()
    before = sim.state()
    sim.call("POST", "/v1/users", json={"username": "connect", "email": "c@example.com", "password": "secret-pw"})
    sim.call("PUT", f"/v1/users/{ids['vic']}", json={"user_role": "boss"})
    sim.call("POST", "/v1/groups", json={"name": ""})
    assert sim.state() == before


def test_request_log_records_api_calls(sim):
    sim.clear_request_log()
    sim.get("/v1/users", params={"prefix": "ad", "page_size": 2})
    sim.call("POST", "/v1/users", json={"username": "x"})
    sim.call("GET", "/v1/nope")
    sim.call("GET", "/v1/user", key=None)
    sim.state()  # control plane calls are not logged
    log = sim.request_log()
    assert [(r["method"], r["path"], r["query"], r["status"]) for r in log] == [
        ("GET", "/__api__/v1/users", "prefix=ad&page_size=2", 200),
        ("POST", "/__api__/v1/users", "", 400),
        ("GET", "/__api__/v1/nope", "", 404),
        ("GET", "/__api__/v1/user", "", 401),
    ]
    assert all(r["ms"] >= 0 for r in log)


def test_request_log_keeps_raw_query_and_clears(sim):
    sim.clear_request_log()
    sim.call("GET", "/v1/users?user_role=viewer|publisher&user_role=viewer&x=%20")
    assert sim.request_log()[0]["query"] in ("user_role=viewer|publisher&user_role=viewer&x=%20", "user_role=viewer%7Cpublisher&user_role=viewer&x=%20")
    sim.clear_request_log()
    assert sim.request_log() == []


def test_request_log_counts(sim):
    sim.clear_request_log()
    for unused in range(7):
        sim.get("/v1/users")
    for unused in range(3):
        sim.get("/v1/groups")
    log = sim.request_log()
    assert len(log) == 10
    assert sum(r["path"] == "/__api__/v1/users" for r in log) == 7


def test_admin_key_option(sims):
    sim = sims("fixed_key")
    assert sim.api_key == "fixed-admin-key"
    assert sim.me(key="fixed-admin-key")["username"] == "admin"
    sim.reset()
    assert sim.me(key="fixed-admin-key")["username"] == "admin"


def test_state_lists_the_directory(sim):
    sim.seed(
        remote_users=[{"username": "dir1", "email": "d1@corp.example", "first_name": "D", "last_name": "One"}],
        remote_groups=[{"name": "dirgroup", "members": ["dir1"]}],
    )
    state = sim.state()
    assert [u["username"] for u in state["remote_users"]] == ["dir1"]
    assert [g["name"] for g in state["remote_groups"]] == ["dirgroup"]


def test_request_log_includes_faulted_calls_and_latency(sim):
    sim.set_faults([{"path": "/v1/groups", "probability": 1, "status": 503}], latency_ms=150)
    sim.clear_request_log()
    sim.call("GET", "/v1/groups", validate=False)
    sim.call("GET", "/v1/user")
    log = sim.request_log()
    assert [(r["path"], r["status"]) for r in log] == [("/__api__/v1/groups", 503), ("/__api__/v1/user", 200)]
    assert all(r["ms"] >= 140 for r in log)
