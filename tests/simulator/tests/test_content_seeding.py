"""Content in the control plane: seeding, the state dump, reset, and seeding and listing at scale."""

from __future__ import annotations

import time

import pytest
import requests

from sim_support import user_spec

GUID = "0b3f7a52-5e7d-4c53-9d0e-4f4a3b2c1d0e"


def test_seed_content_with_permissions(sim):
    seeded = sim.seed(
        users=[user_spec("ann", "publisher"), user_spec("bob", "publisher"), user_spec("cy")],
        groups=[{"name": "sales", "members": ["cy"]}],
        content=[
            {"name": "dash", "owner": "ann", "title": "Dash", "description": "About", "access_type": "logged_in",
             "guid": GUID.upper(), "app_mode": "shiny",
             "permissions": [{"user": "bob", "role": "owner"}, {"group": "sales"}, {"user": "cy", "role": "viewer"}]},
            {"name": "dash", "owner": "bob"},
        ],
    )
    users = seeded["users"]
    first, second = seeded["content"]
    assert first == {"guid": GUID, "name": "dash", "owner": "ann", "id": first["id"], "permissions": first["permissions"]}
    assert len(first["permissions"]) == 3 and second["permissions"] == [] and second["owner"] == "bob"
    item = sim.get(f"/v1/content/{GUID}")
    assert (item["title"], item["description"], item["access_type"], item["owner_guid"]) == ("Dash", "About", "logged_in", users["ann"])
    assert (item["app_mode"], item["bundle_id"], item["last_deployed_time"]) == ("shiny", first["id"], item["created_time"])
    listed = sim.permissions(GUID)
    assert [(p["principal_type"], p["role"], p["id"]) for p in listed] == [
        ("user", "owner", first["permissions"][0]), ("group", "viewer", first["permissions"][1]),
        ("user", "viewer", first["permissions"][2])]
    assert sim.get(f"/v1/content/{second['guid']}")["app_mode"] == "unknown"


def test_state_dump_of_content(sim):
    seeded = sim.seed(
        users=[user_spec("zed", "publisher"), user_spec("amy", "publisher"), user_spec("cy")],
        groups=[{"name": "ops"}, {"name": "art"}],
        content=[{"name": "beta", "owner": "zed"}, {"name": "alpha", "owner": "zed"},
                 {"name": "alpha", "owner": "amy",
                  "permissions": [{"user": "cy"}, {"group": "ops", "role": "owner"}, {"group": "art"},
                                  {"user": "zed", "role": "owner"}]}],
    )
    dump = sim.state()["content"]
    assert [(c["name"], c["owner"]) for c in dump] == [("alpha", "amy"), ("alpha", "zed"), ("beta", "zed")]
    alpha = dump[0]
    assert {k: alpha[k] for k in ("guid", "title", "description", "access_type", "owner_guid", "app_mode", "bundle_id",
                                  "last_deployed_time")} == {
        "guid": seeded["content"][2]["guid"], "title": None, "description": "", "access_type": "acl",
        "owner_guid": seeded["users"]["amy"], "app_mode": "unknown", "bundle_id": None, "last_deployed_time": None}
    assert [(p["principal_type"], p["principal"], p["role"]) for p in alpha["permissions"]] == [
        ("group", "art", "viewer"), ("group", "ops", "owner"), ("user", "cy", "viewer"), ("user", "zed", "owner")]
    assert sim.state() == sim.state()


def test_reads_leave_the_dump_alone(sim):
    sim.seed_cast()
    sim.seed(content=[{"name": "dash", "owner": "pub", "permissions": [{"user": "vic"}]}])
    before = sim.state()
    guid = sim.get("/v1/content")[0]["guid"]
    sim.get("/v1/content", params={"include": "owner"}, key="vic-key")
    sim.get(f"/v1/content/{guid}", key="vic-key")
    sim.permissions(guid, key="pub-key")
    sim.ok("PATCH", f"/v1/content/{guid}", json={"title": None, "name": "dash"}, key="pub-key")  # nothing changes
    assert sim.state() == before


def test_reset_clears_content(sim):
    sim.seed_cast()
    sim.create_content("dash", key="pub-key")
    sim.reset()
    assert sim.state()["content"] == []
    assert sim.get("/v1/content") == []
    assert int(sim.create_content("again")["id"]) == 1


@pytest.mark.parametrize(
    "content,message",
    [
        ([{"owner": "ann"}], "content[0]: name is required"),
        ([{"name": "x"}], "content[0]: owner is required"),
        ([{"name": "x", "owner": "ghost"}], "content[0]: unknown user 'ghost'"),
        ([{"name": "x", "owner": "ann"}, {"name": "x", "owner": "ann"}], "content[1]: 'ann' already has content named 'x'"),
        ([{"name": "taken", "owner": "ann"}], "content[0]: 'ann' already has content named 'taken'"),
        ([{"name": "x", "owner": "ann", "access_type": "public"}], "content[0]: unknown access_type 'public'"),
        ([{"name": "x", "owner": "ann", "guid": "nope"}], "content[0]: guid must be a UUID"),
        ([{"name": "x", "owner": "ann", "guid": GUID}, {"name": "y", "owner": "ann", "guid": GUID}], f"content[1]: duplicate guid '{GUID}'"),
        ([{"name": "x", "owner": "ann", "permissions": [{"user": "ann"}]}], "content[0].permissions[0]: 'ann' owns the item and cannot be listed"),
        ([{"name": "x", "owner": "ann", "permissions": [{"user": "cy", "group": "sales"}]}], "content[0].permissions[0]: give exactly one of user and group"),
        ([{"name": "x", "owner": "ann", "permissions": [{"role": "viewer"}]}], "content[0].permissions[0]: give exactly one of user and group"),
        ([{"name": "x", "owner": "ann", "permissions": [{"user": "nobody"}]}], "content[0].permissions[0]: unknown user 'nobody'"),
        ([{"name": "x", "owner": "ann", "permissions": [{"group": "nobody"}]}], "content[0].permissions[0]: unknown group 'nobody'"),
        ([{"name": "x", "owner": "ann", "permissions": [{"user": "cy"}, {"user": "cy", "role": "owner"}]}],
         "content[0].permissions[1]: user listed twice"),
        ([{"name": "x", "owner": "ann", "permissions": [{"group": "sales", "role": "editor"}]}],
         "content[0].permissions[0]: role must be viewer or owner, not 'editor'"),
        ([{"name": "x", "owner": "ann", "permissions": "cy"}], "permissions must be a list"),
    ],
)
def test_seed_content_errors_change_nothing(sim, content, message):
    sim.seed(users=[user_spec("ann", "publisher"), user_spec("cy")], groups=[{"name": "sales"}],
             content=[{"name": "taken", "owner": "ann"}])
    before = sim.state()
    resp = sim.ctl("POST", "/seed", json={"users": [user_spec("newcomer")], "content": content}, expect=400)
    assert resp.json() == {"error": f"seed rejected: {message}"}
    assert sim.state() == before


def test_seed_content_may_name_users_and_groups_of_the_same_seed_and_skips_api_rules(sim):
    seeded = sim.seed(users=[user_spec("demoted"), user_spec("owner9")], groups=[{"name": "fresh"}],
                      content=[{"name": "x", "owner": "owner9",
                                "permissions": [{"user": "demoted", "role": "owner"}, {"group": "fresh", "role": "owner"}]}])
    roles = [p["role"] for p in sim.permissions(seeded["content"][0]["guid"])]
    assert roles == ["owner", "owner"]  # a viewer-role collaborator, as after a demotion


def test_seed_and_list_at_scale(sim):
    """600 items of one owner and 2,000 items with permissions load fast; owner listings use the index."""
    users = [user_spec("leaver", "publisher"), user_spec("heir", "publisher")] + [user_spec(f"u{i:03d}") for i in range(200)]
    groups = [{"name": f"g{i:02d}", "members": [f"u{j:03d}" for j in range(i, 200, 20)]} for i in range(20)]
    content = [{"name": f"leaver-{i:03d}", "owner": "leaver"} for i in range(600)]
    content += [{"name": f"item-{i:04d}", "owner": "heir", "access_type": "acl",
                 "permissions": [{"user": f"u{i % 200:03d}"}, {"group": f"g{i % 20:02d}", "role": "owner"},
                                 {"user": f"u{(i + 1) % 200:03d}", "role": "viewer"}]} for i in range(2000)]
    started = time.perf_counter()
    seeded = sim.seed(users=users, groups=groups, content=content)
    seeding = time.perf_counter() - started
    assert len(seeded["content"]) == 2600 and sum(len(c["permissions"]) for c in seeded["content"]) == 6000
    leaver = seeded["users"]["leaver"]
    session = requests.Session()
    session.trust_env = False
    started = time.perf_counter()
    for unused in range(10):
        resp = session.get(f"{sim.url}/__api__/v1/content", params={"owner_guid": leaver},
                           headers={"Authorization": f"Key {sim.api_key}"}, timeout=30)
        assert len(resp.json()) == 600
    per_listing = (time.perf_counter() - started) / 10
    print(f"\nseeding 2,600 items with 6,000 permissions took {seeding:.2f} s; a 600-item listing {per_listing * 1000:.0f} ms")
    assert seeding < 5.0
    assert per_listing < 0.5
    names = [c["name"] for c in resp.json()]
    assert names == sorted(names) and names[0] == "leaver-000"
    assert len(sim.permissions(seeded["content"][600]["guid"])) == 3
    assert len(sim.state()["content"]) == 2600
