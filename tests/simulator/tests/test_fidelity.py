"""Behaviours taken from public evidence about real Connect (docs/simulator.md, table of guesses)."""

from __future__ import annotations

import base64
import time

import pytest

from sim_support import user_spec

OLD_CONFIGS = ["v2024", "v2023", "v2022", "hidden"]


# ---- prefix paging before 2025.04 -------------------------------------------------------


@pytest.mark.parametrize("config", OLD_CONFIGS)
def test_old_servers_user_prefix_page_2_is_empty_group_prefix_page_2_repeats(sims, config):
    sim = sims(config)
    sim.seed(users=[user_spec(f"ops{i}") for i in range(3)], groups=[{"name": f"ops{i}"} for i in range(3)])
    users = sim.users(prefix="ops", page_size=2, page_number=2)
    assert users == {"results": [], "current_page": 2, "total": 3}
    first = sim.get("/v1/groups", params={"prefix": "ops", "page_size": 2})
    assert sim.get("/v1/groups", params={"prefix": "ops", "page_size": 2, "page_number": 2}) == first


# ---- server_settings and self-service renames --------------------------------------------


def test_password_users_rename_themselves(cast, sim):
    sim.ok("PUT", f"/v1/users/{cast['vic']}", json={"username": "victor"}, key="vic-key")
    assert sim.me(key="vic-key")["username"] == "victor"
    sim.fails("PUT", f"/v1/users/{cast['vic']}", 400, 7, json={"username": "9lives"}, key="vic-key")


def test_other_providers_refuse_self_rename(sims):
    sim = sims("saml")
    ids = sim.seed(users=[user_spec("sam", unique_id="sam-1")], api_keys=[{"username": "sam", "key": "sam-key"}])["users"]
    assert sim.get("/server_settings")["authentication"]["username_editable_by"] == "admin"
    sim.fails("PUT", f"/v1/users/{ids['sam']}", 403, 21, json={"username": "samuel"}, key="sam-key")


# ---- fields of newer servers ---------------------------------------------------------------


@pytest.mark.parametrize("config,new", [("v2026", True), ("default", False), ("v2023", False)])
def test_external_id_and_gid_from_2026(sims, config, new):
    sim = sims(config)
    ids = sim.seed(users=[user_spec("ann", unique_id="idp-ann"), user_spec("bo")],
                   groups=[{"name": "team", "members": ["ann", "bo"]}])
    group = ids["groups"]["team"]
    for answer in (sim.get(f"/v1/users/{ids['users']['ann']}"), sim.users(prefix="ann")["results"][0],
                   sim.get(f"/v1/groups/{group}/members")["results"][0]):
        assert ("external_id" in answer) is new
    if new:
        assert sim.get(f"/v1/users/{ids['users']['ann']}")["external_id"] == "idp-ann"
        assert sim.get(f"/v1/users/{ids['users']['bo']}")["external_id"] is None
    assert ("gid" in sim.get(f"/v1/groups/{group}")) is new
    assert all(("gid" in g) is new for g in sim.get("/v1/groups")["results"])


# ---- groups' unique_id -----------------------------------------------------------------------


def test_group_unique_id_with_groups_by_unique_id(sims):
    sim = sims("groups_uid")
    group = sim.ok("POST", "/v1/groups", json={"name": "Analysts", "unique_id": "idp-g-42"})
    assert next(g for g in sim.state()["groups"] if g["name"] == "Analysts")["unique_id"] == "idp-g-42"
    sim.fails("POST", "/v1/groups", 400, 130, json={"name": "Blank"})
    sim.fails("POST", "/v1/groups", 400, 131, json={"name": "Again", "unique_id": "idp-g-42"})
    found = sim.get("/v1/groups", params={"prefix": "idp-g-42"})
    assert [g["guid"] for g in found["results"]] == [group["guid"]]
    assert sim.get("/v1/groups", params={"prefix": "idp-g"})["total"] == 0  # exact match only


@pytest.mark.parametrize("config", ["default", "saml", "ldap"])
def test_group_unique_id_refused_otherwise(sims, config):
    sim = sims(config)
    code = 120 if config == "ldap" else 25
    sim.fails("POST", "/v1/groups", 400, code, json={"name": "Analysts", "unique_id": "idp-g-42"})


# ---- member listings -------------------------------------------------------------------------


@pytest.mark.parametrize("config", ["default", "members_all"])
def test_member_listing_paged_or_all_at_once(sims, config):
    sim = sims(config)
    names = [f"m{i:02d}" for i in range(30)]
    ids = sim.seed(users=[user_spec(n) for n in names], groups=[{"name": "big", "members": names}])
    page = sim.get(f"/v1/groups/{ids['groups']['big']}/members", params={"page_size": 10, "page_number": 2})
    if config == "members_all":
        assert (page["current_page"], page["total"], len(page["results"])) == (1, 30, 30)
    else:
        assert (page["current_page"], page["total"], len(page["results"])) == (2, 30, 10)


# ---- lock and updated_time, remote search, tickets ------------------------------------------------


def test_lock_and_unlock_leave_updated_time(cast, sim):
    before = sim.get(f"/v1/users/{cast['vic']}")["updated_time"]
    time.sleep(1.1)
    sim.ok("POST", f"/v1/users/{cast['vic']}/lock", json={"locked": True})
    sim.ok("POST", f"/v1/users/{cast['vic']}/lock", json={"locked": False})
    assert sim.get(f"/v1/users/{cast['vic']}")["updated_time"] == before


def test_remote_search_ties_by_first_last_username_email(sims):
    sim = sims("ldap")
    sim.seed(remote_users=[
        {"username": "kim.b", "first_name": "Zoe", "last_name": "Kim", "email": "a@example.com"},
        {"username": "kim.a", "first_name": "Ada", "last_name": "Kim", "email": "z@example.com"},
        {"username": "kim.d", "first_name": "Ada", "last_name": "Kim", "email": "b@example.com"},
        {"username": "kim.c", "first_name": "Ada", "last_name": "Jones", "email": "c@example.com"},
    ])
    found = sim.get("/v1/users/remote", params={"prefix": "kim."})["results"]
    assert [u["username"] for u in found] == ["kim.c", "kim.a", "kim.d", "kim.b"]


def test_tickets_are_standard_base64(sims):
    sim = sims("ldap")
    sim.seed(remote_users=[{"username": f"lu{i}"} for i in range(40)])
    tickets = [u["temp_ticket"] for u in sim.get("/v1/users/remote", params={"prefix": "lu", "limit": 40})["results"]]
    for ticket in tickets:
        assert base64.b64encode(base64.b64decode(ticket, validate=True)).decode() == ticket
    assert any("/" in t or "+" in t for t in tickets)  # 40 random tickets without either: about 1 in 10^60
