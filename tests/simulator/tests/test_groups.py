"""Groups: create, read, list, rename, change owner, delete."""

from __future__ import annotations

import uuid

import pytest

from sim_support import raw_body


def test_create_get_delete(sim):
    admin = sim.me()["guid"]
    group = sim.create_group("Friends")
    assert (group["name"], group["owner_guid"]) == ("Friends", admin)
    assert sim.get(f"/v1/groups/{group['guid']}") == group
    assert sim.get("/v1/groups") == {"results": [group], "current_page": 1, "total": 1}
    assert sim.ok("DELETE", f"/v1/groups/{group['guid']}") is None
    sim.fails("GET", f"/v1/groups/{group['guid']}", 404, 4)
    sim.fails("DELETE", f"/v1/groups/{group['guid']}", 404, 4)
    assert sim.state()["groups"] == []


def test_list_is_sorted_by_name_and_reversible(sim):
    for name in ["delta", "alpha", "charlie", "bravo"]:
        sim.create_group(name)
    names = [g["name"] for g in sim.get("/v1/groups")["results"]]
    assert names == ["alpha", "bravo", "charlie", "delta"]
    reverse = [g["name"] for g in sim.get("/v1/groups", params={"asc_order": "false"})["results"]]
    assert reverse == names[::-1]


def test_list_paging(sim):
    sim.seed(groups=[{"name": f"g{i:02d}", "members": []} for i in range(25)])
    first = sim.get("/v1/groups")
    assert (len(first["results"]), first["total"], first["current_page"]) == (20, 25, 1)
    second = sim.get("/v1/groups", params={"page_number": 2})
    assert [g["name"] for g in second["results"]] == [f"g{i:02d}" for i in range(20, 25)]
    assert sim.get("/v1/groups", params={"page_number": 3}) == {"results": [], "current_page": 3, "total": 25}


@pytest.mark.parametrize("prefix", ["eng", "ENG", "Eng"])
def test_prefix_is_case_insensitive(sim, prefix):
    for name in ["Engineering", "eng", "english", "Marketing"]:
        sim.create_group(name)
    page = sim.get("/v1/groups", params={"prefix": prefix})
    assert {g["name"] for g in page["results"]} == {"Engineering", "eng", "english"}
    assert page["total"] == 3


def test_rename_and_change_owner(sim):
    ids = sim.seed_cast()
    group = sim.create_group("old-name")
    renamed = sim.ok("POST", f"/v1/groups/{group['guid']}", json={"name": "new-name"})
    assert renamed == {**group, "name": "new-name"}
    moved = sim.ok("POST", f"/v1/groups/{group['guid']}", json={"owner_guid": ids["pub"]})
    assert moved == {**renamed, "owner_guid": ids["pub"]}
    both = sim.ok("POST", f"/v1/groups/{group['guid']}", json={"name": "newest", "owner_guid": None})
    assert both == {**group, "name": "newest", "owner_guid": None}
    assert sim.get(f"/v1/groups/{group['guid']}") == both


def test_new_owner_may_manage_the_group(sim):
    ids = sim.seed_cast()
    group = sim.create_group("handover")["guid"]
    sim.fails("POST", f"/v1/groups/{group}/members", 403, 22, json={"user_guid": ids["vic"]}, key="pub-key")
    sim.ok("POST", f"/v1/groups/{group}", json={"owner_guid": ids["pub"]})
    sim.ok("POST", f"/v1/groups/{group}/members", json={"user_guid": ids["vic"]}, key="pub-key")


def test_duplicate_name_is_409_15(sim):
    sim.create_group("dup")
    other = sim.create_group("other")
    sim.fails("POST", "/v1/groups", 409, 15, json={"name": "dup"})
    sim.fails("POST", f"/v1/groups/{other['guid']}", 409, 15, json={"name": "dup"})
    assert sim.get(f"/v1/groups/{other['guid']}") == other
    assert sim.get("/v1/groups")["total"] == 2


def test_renaming_to_own_name_is_fine(sim):
    group = sim.create_group("same")
    assert sim.ok("POST", f"/v1/groups/{group['guid']}", json={"name": "same"}) == group


BAD_GROUP_BODIES = [
    ("empty name", {"name": ""}, 400, 14),
    ("name too long", {"name": "x" * 4097}, 400, 14),
    ("missing name", {}, 400, 12),
    ("name not a string", {"name": 12}, 400, 121),
    ("unparsable", b"{{", 400, 87),
]


@pytest.mark.parametrize("body,status,code", [c[1:] for c in BAD_GROUP_BODIES], ids=[c[0] for c in BAD_GROUP_BODIES])
def test_create_group_rejects_bad_body(sim, body, status, code):
    sim.fails("POST", "/v1/groups", status, code, **raw_body(body))
    assert sim.state()["groups"] == []


def test_name_of_4096_characters_is_allowed(sim):
    assert sim.create_group("n" * 4096)["name"] == "n" * 4096


@pytest.mark.parametrize(
    "body,status,code",
    [({"name": ""}, 400, 14), ({"name": "y" * 4097}, 400, 14), ({"name": 3}, 400, 121), (b"[", 400, 87)],
    ids=["empty", "too long", "not a string", "unparsable"],
)
def test_modify_group_rejects_bad_body(sim, body, status, code):
    group = sim.create_group("stable")
    sim.fails("POST", f"/v1/groups/{group['guid']}", status, code, **raw_body(body))
    assert sim.get(f"/v1/groups/{group['guid']}") == group


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
@pytest.mark.parametrize("guid,status,code", [(str(uuid.uuid4()), 404, 4), ("zzz", 400, 3)], ids=["unknown", "malformed"])
def test_unknown_and_malformed_group_guid(sim, method, guid, status, code):
    kwargs = {"json": {"name": "x"}} if method == "POST" else {}
    sim.fails(method, f"/v1/groups/{guid}", status, code, **kwargs)


def test_deleting_a_group_drops_its_memberships(sim):
    ids = sim.seed_cast(groups=[{"name": "gone", "members": ["pub", "vic"], "owner": "admin"}])
    sim.ok("DELETE", f"/v1/groups/{ids['group:gone']}")
    assert sim.state()["groups"] == []
    assert {u["username"] for u in sim.users()["results"]} == {"admin", "pub", "vic"}
