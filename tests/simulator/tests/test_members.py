"""Group members: add, list (paged), remove and their errors."""

from __future__ import annotations

import uuid

import pytest

from sim_support import user_spec


@pytest.fixture
def team(sim):
    ids = sim.seed_cast(groups=[{"name": "team", "members": [], "owner": "admin"}])
    return sim, ids, ids["group:team"]


def member_names(sim, group, **params):
    return sorted(u["username"] for u in sim.get(f"/v1/groups/{group}/members", params=params)["results"])


def test_add_list_remove(team):
    sim, ids, group = team
    assert sim.get(f"/v1/groups/{group}/members") == {"results": [], "current_page": 1, "total": 0}
    assert sim.ok("POST", f"/v1/groups/{group}/members", json={"user_guid": ids["vic"]}) is None
    assert sim.ok("POST", f"/v1/groups/{group}/members", json={"user_guid": ids["pub"]}) is None
    page = sim.get(f"/v1/groups/{group}/members")
    assert page["total"] == 2 and page["current_page"] == 1
    assert {u["guid"]: u for u in page["results"]} == {ids[n]: sim.get(f"/v1/users/{ids[n]}") for n in ("vic", "pub")}
    assert sim.ok("DELETE", f"/v1/groups/{group}/members/{ids['vic']}") is None
    assert member_names(sim, group) == ["pub"]
    assert next(g for g in sim.state()["groups"] if g["name"] == "team")["members"] == ["pub"]


def test_already_member_is_409_16(team):
    sim, ids, group = team
    sim.ok("POST", f"/v1/groups/{group}/members", json={"user_guid": ids["vic"]})
    sim.fails("POST", f"/v1/groups/{group}/members", 409, 16, json={"user_guid": ids["vic"]})
    assert sim.get(f"/v1/groups/{group}/members")["total"] == 1


def test_removing_non_member_is_404_17(team):
    sim, ids, group = team
    sim.fails("DELETE", f"/v1/groups/{group}/members/{ids['vic']}", 404, 17)
    sim.ok("POST", f"/v1/groups/{group}/members", json={"user_guid": ids["vic"]})
    sim.ok("DELETE", f"/v1/groups/{group}/members/{ids['vic']}")
    sim.fails("DELETE", f"/v1/groups/{group}/members/{ids['vic']}", 404, 17)


MISSING = str(uuid.uuid4())


@pytest.mark.parametrize(
    "method,path,body,status,code",
    [
        ("POST", "/v1/groups/{group}/members", {"user_guid": MISSING}, 404, 4),
        ("POST", "/v1/groups/{group}/members", {"user_guid": "not-a-guid"}, 400, 3),
        ("POST", "/v1/groups/{group}/members", {}, 400, 12),
        ("POST", "/v1/groups/{group}/members", {"user_guid": 5}, 400, 121),
        ("POST", f"/v1/groups/{MISSING}/members", {"user_guid": "{vic}"}, 404, 4),
        ("POST", "/v1/groups/bad-guid/members", {"user_guid": "{vic}"}, 400, 3),
        ("GET", f"/v1/groups/{MISSING}/members", None, 404, 4),
        ("GET", "/v1/groups/bad-guid/members", None, 400, 3),
        ("DELETE", f"/v1/groups/{MISSING}/members/{{vic}}", None, 404, 4),
        ("DELETE", "/v1/groups/{group}/members/not-a-guid", None, 400, 3),
        ("DELETE", "/v1/groups/bad-guid/members/{vic}", None, 400, 3),
    ],
)
def test_member_errors(team, method, path, body, status, code):
    sim, ids, group = team
    subst = {"group": group, "vic": ids["vic"]}
    kwargs = {} if body is None else {"json": {k: v.format(**subst) if isinstance(v, str) else v for k, v in body.items()}}
    before = sim.state()
    sim.fails(method, path.format(**subst), status, code, **kwargs)
    assert sim.state() == before


def test_member_listing_pages(sim):
    users = [user_spec(f"m{i:02d}") for i in range(25)]
    seeded = sim.seed(users=users, groups=[{"name": "big", "members": [u["username"] for u in users], "owner": "admin"}])
    group = seeded["groups"]["big"]
    first = sim.get(f"/v1/groups/{group}/members")
    assert (len(first["results"]), first["total"], first["current_page"]) == (20, 25, 1)
    pages = [sim.get(f"/v1/groups/{group}/members", params={"page_size": 10, "page_number": n}) for n in (1, 2, 3, 4)]
    assert [len(p["results"]) for p in pages] == [10, 10, 5, 0]
    assert [p["current_page"] for p in pages] == [1, 2, 3, 4]
    walked = [u["username"] for p in pages for u in p["results"]]
    assert sorted(walked) == [f"m{i:02d}" for i in range(25)]
    assert len(sim.get(f"/v1/groups/{group}/members", params={"page_size": 500})["results"]) == 25


def test_user_in_several_groups(sim):
    ids = sim.seed_cast(
        groups=[
            {"name": "a", "members": ["vic"], "owner": "admin"},
            {"name": "b", "members": ["vic", "pub"], "owner": "admin"},
            {"name": "c", "members": ["pub"], "owner": "admin"},
        ]
    )
    assert member_names(sim, ids["group:b"]) == ["pub", "vic"]
    sim.ok("DELETE", f"/v1/groups/{ids['group:b']}/members/{ids['vic']}", key="vic-key")
    assert member_names(sim, ids["group:b"]) == ["pub"]
    assert member_names(sim, ids["group:a"]) == ["vic"]
