"""Injected faults: error statuses, Retry-After, counted rules, latency and dropped connections.

Fault paths are relative to /__api__ and start with "/" (e.g. "/v1/users*")."""

from __future__ import annotations

import time

import pytest
import requests


def fault(path, **rule):
    return {"path": path, "probability": 1, **rule}


def status_of(sim, method, path, **kwargs):
    return sim.call(method, path, validate=False, **kwargs).status_code


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_status_fault(sim, status):
    sim.set_faults([fault("/v1/users", method="GET", status=status)])
    assert status_of(sim, "GET", "/v1/users") == status
    assert status_of(sim, "GET", "/v1/groups") == 200


def test_429_carries_retry_after(sim):
    sim.set_faults([fault("/v1/users", status=429, retry_after=7)])
    resp = sim.call("GET", "/v1/users", validate=False)
    assert resp.status_code == 429
    assert resp.headers["Retry-After"] == "7"


def test_times_limits_a_rule(sim):
    sim.set_faults([fault("/v1/user", status=503, times=2)])
    assert [status_of(sim, "GET", "/v1/user") for unused in range(4)] == [503, 503, 200, 200]


def test_probability_zero_never_fires(sim):
    sim.set_faults([{"path": "/v1/user", "probability": 0, "status": 500}])
    assert {status_of(sim, "GET", "/v1/user") for unused in range(10)} == {200}


@pytest.mark.parametrize(
    "rule_path,method,hit,miss",
    [
        ("/v1/users/*", None, "/v1/users/{guid}/lock", "/v1/users"),
        ("/v1/users*", "POST", "/v1/users/{guid}/lock", "/v1/groups"),
        ("/v1/groups*", None, "/v1/groups", "/v1/user"),
        ("*", "GET", "/v1/user", None),
    ],
)
def test_rule_matching(sim, rule_path, method, hit, miss):
    guid = sim.create_user("target")["guid"]
    rule = fault(rule_path, status=500)
    if method:
        rule["method"] = method
    sim.set_faults([rule])
    hit_method = method or ("POST" if hit.endswith("lock") else "GET")
    body = {"json": {"locked": True}} if hit.endswith("lock") else {}
    assert status_of(sim, hit_method, hit.format(guid=guid), **body) == 500
    if miss:
        assert status_of(sim, "GET", miss) == 200


def test_method_filter(sim):
    sim.set_faults([fault("/v1/users", method="POST", status=503)])
    assert status_of(sim, "GET", "/v1/users") == 200
    assert status_of(sim, "POST", "/v1/users", json={"username": "nope", "email": "n@example.com", "password": "secret-pw"}) == 503
    assert sim.state_user("nope") is None


def test_global_latency(sim):
    sim.set_faults([], latency_ms=300)
    started = time.monotonic()
    sim.get("/v1/user")
    assert time.monotonic() - started >= 0.29


def test_rule_delay(sim):
    sim.set_faults([fault("/v1/groups", delay_ms=400)])
    started = time.monotonic()
    sim.get("/v1/groups")
    assert time.monotonic() - started >= 0.39
    started = time.monotonic()
    sim.get("/v1/user")
    assert time.monotonic() - started < 0.39


def test_get_and_delete_faults(sim):
    rules = [fault("/v1/users", method="GET", status=503, times=3)]
    sim.set_faults(rules, latency_ms=5)
    shown = sim.ctl("GET", "/faults").json()
    assert shown["latency_ms"] == 5
    assert [(r["path"], r["method"], r["status"], r["times"]) for r in shown["rules"]] == [("/v1/users", "GET", 503, 3)]
    sim.clear_faults()
    assert not sim.ctl("GET", "/faults").json().get("rules")
    assert status_of(sim, "GET", "/v1/users") == 200


def test_bad_fault_plan_is_400(sim):
    sim.ctl("PUT", "/faults", json={"rules": [{"path": "*", "drop": "sometimes"}]}, expect=400)


NEW_USER = {"username": "dropped", "email": "d@example.com", "password": "secret-pw"}


def post_fresh(sim, path, body):
    """POST on a brand-new connection (no keep-alive reuse)."""
    return requests.post(f"{sim.url}/__api__{path}", json=body, headers={"Authorization": f"Key {sim.api_key}", "Connection": "close"}, timeout=10)


def test_drop_before_commit_loses_the_change(sim):
    sim.set_faults([fault("/v1/users", method="POST", drop="before_commit", times=1)])
    with pytest.raises(requests.exceptions.ConnectionError):
        post_fresh(sim, "/v1/users", NEW_USER)
    assert sim.state_user("dropped") is None
    assert post_fresh(sim, "/v1/users", NEW_USER).status_code == 200  # times=1: the retry goes through
    assert sim.state_user("dropped") is not None


def test_drop_after_commit_keeps_the_change(sim):
    sim.set_faults([fault("/v1/users", method="POST", drop="after_commit", times=1)])
    with pytest.raises(requests.exceptions.ConnectionError):
        post_fresh(sim, "/v1/users", NEW_USER)
    assert sim.state_user("dropped") is not None
    retry = post_fresh(sim, "/v1/users", NEW_USER)
    assert (retry.status_code, retry.json()["code"]) == (409, 8)


def test_drop_after_commit_on_group_member_add(sim):
    ids = sim.seed_cast(groups=[{"name": "g", "members": [], "owner": "admin"}])
    group = ids["group:g"]
    sim.set_faults([fault(f"/v1/groups/{group}/members", method="POST", drop="after_commit")])
    with pytest.raises(requests.exceptions.ConnectionError):
        post_fresh(sim, f"/v1/groups/{group}/members", {"user_guid": ids["vic"]})
    sim.clear_faults()
    assert sim.state()["groups"][0]["members"] == ["vic"]


def test_reset_clears_faults(sim):
    sim.set_faults([fault("*", status=500)], latency_ms=10)
    sim.reset()
    assert status_of(sim, "GET", "/v1/user") == 200
