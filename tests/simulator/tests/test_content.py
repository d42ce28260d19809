"""Content items: create, list and filter, read, change (owner included), delete; who sees what."""

from __future__ import annotations

import re

import pytest

from sim_support import user_spec

FRACTIONAL = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,9}Z$")


@pytest.fixture
def world(sim):
    """pub and pub2 (publishers), vic and val (viewers), each with a <name>-key; group `sales` = {val, pub2}."""
    ids = sim.seed_cast(user_spec("pub2", "publisher"), user_spec("val"),
                        groups=[{"name": "sales", "members": ["val", "pub2"]}])
    return sim, ids


def test_create_answers_a_whole_item(world):
    sim, ids = world
    item = sim.create_content("sales-dash", key="pub-key", title="Sales", description="Numbers")
    assert {k: item[k] for k in ("name", "title", "description", "access_type", "owner_guid", "app_role")} == {
        "name": "sales-dash", "title": "Sales", "description": "Numbers", "access_type": "acl",
        "owner_guid": ids["pub"], "app_role": "owner"}
    assert (item["app_mode"], item["bundle_id"], item["last_deployed_time"], item["content_category"]) == ("unknown", None, None, "")
    assert (item["connection_timeout"], item["run_as"], item["parameterized"], item["run_as_current_user"]) == (None, None, False, False)
    assert item["content_url"] == f"{sim.url}/content/{item['guid']}/"
    assert item["dashboard_url"] == f"{sim.url}/connect/#/apps/{item['guid']}"
    assert FRACTIONAL.match(item["created_time"]) and item["id"].isdigit()
    assert sim.get(f"/v1/content/{item['guid']}", key="pub-key") == item
    assert sim.get(f"/v1/content/{item['guid']}")["app_role"] == "none"  # an admin with no relation
    dumped = sim.state_content("sales-dash")
    assert (dumped["owner"], dumped["guid"], dumped["permissions"]) == ("pub", item["guid"], [])


def test_create_defaults(world):
    sim, unused = world
    item = sim.create_content("bare")
    assert (item["title"], item["description"], item["access_type"]) == (None, "", "acl")
    assert sim.create_content("open", access_type="logged_in")["access_type"] == "logged_in"


def test_ids_count_up(world):
    sim, unused = world
    first, second = sim.create_content("one-1"), sim.create_content("two-2")
    assert int(second["id"]) == int(first["id"]) + 1


@pytest.mark.parametrize("key", ["vic-key", "val-key"])
def test_viewers_cannot_create(world, key):
    sim, unused = world
    before = sim.state()
    sim.fails("POST", "/v1/content", 403, 22, json={"name": "mine"}, key=key)
    assert sim.state() == before


@pytest.mark.parametrize(
    "body,status,code",
    [
        ({}, 400, 12),
        ({"name": "ab"}, 400, 5),
        ({"name": "has space"}, 400, 5),
        ({"name": "dots.not.allowed"}, 400, 5),
        ({"name": "x" * 65}, 400, 5),
        ({"name": 42}, 400, 121),
        ({"name": "fine", "access_type": "public"}, 400, 117),
        ({"name": "fine", "title": "ab"}, 400, 122),
        ({"name": "fine", "description": "d" * 4097}, 400, 123),
        ({"name": "fine", "owner_guid": "{pub2}"}, 400, 66),
    ],
)
def test_create_refusals(world, body, status, code):
    sim, ids = world
    body = {k: v.format(**ids) if isinstance(v, str) else v for k, v in body.items()}
    before = sim.state()
    sim.fails("POST", "/v1/content", status, code, json=body, key="pub-key")
    assert sim.state() == before


def test_create_accepts_names_at_the_limits_and_the_callers_own_guid(world):
    sim, ids = world
    for name in ("abc", "A-b_9", "x" * 64):
        assert sim.create_content(name, key="pub-key")["name"] == name
    assert sim.create_content("mine-own", key="pub-key", owner_guid=ids["pub"])["owner_guid"] == ids["pub"]


def test_names_are_unique_per_owner(world):
    sim, ids = world
    sim.create_content("dash", key="pub-key")
    error = sim.fails("POST", "/v1/content", 409, 26, json={"name": "dash"}, key="pub-key")
    assert "dash" in error["error"]
    assert sim.create_content("dash", key="pub2-key")["owner_guid"] == ids["pub2"]
    assert sim.create_content("dash")["owner_guid"] == ids["admin"]
    assert sorted(c["owner"] for c in sim.state()["content"]) == ["admin", "pub", "pub2"]


# ---- listing ------------------------------------------------------------------------------


@pytest.fixture
def catalog(world):
    """Items of pub and pub2 with every kind of access."""
    sim, ids = world
    sim.seed(content=[
        {"name": "private", "owner": "pub"},
        {"name": "shared", "owner": "pub", "permissions": [{"user": "vic", "role": "viewer"}]},
        {"name": "team", "owner": "pub", "permissions": [{"group": "sales", "role": "owner"}]},
        {"name": "everyone", "owner": "pub2", "access_type": "logged_in"},
        {"name": "public", "owner": "pub2", "access_type": "all"},
        {"name": "shared", "owner": "pub2"},
    ])
    return sim, ids


def test_admin_lists_everything_in_creation_order(catalog):
    sim, unused = catalog
    listing = sim.get("/v1/content")
    assert isinstance(listing, list)
    assert [c["name"] for c in listing] == ["private", "shared", "team", "everyone", "public", "shared"]
    assert "owner" not in listing[0]


@pytest.mark.parametrize(
    "key,visible",
    [
        ("pub-key", ["private", "shared", "team", "everyone", "public"]),
        ("pub2-key", ["team", "everyone", "public", "shared"]),
        ("vic-key", ["shared", "everyone", "public"]),
        ("val-key", ["team", "everyone", "public"]),
    ],
)
def test_callers_list_what_they_may_view(catalog, key, visible):
    sim, unused = catalog
    assert sim.content_names(key=key) == visible


def test_app_role_is_the_callers_relation(catalog):
    sim, unused = catalog
    roles = {(c["name"], c["owner_guid"]): c["app_role"] for c in sim.get("/v1/content", key="pub2-key")}
    assert sorted(roles.values()) == ["editor", "owner", "owner", "owner"]
    by_name = {c["name"]: c["app_role"] for c in sim.get("/v1/content", key="vic-key")}
    assert by_name == {"shared": "viewer", "everyone": "viewer", "public": "viewer"}
    assert {c["app_role"] for c in sim.get("/v1/content", key="val-key")} == {"editor", "viewer"}
    assert {c["app_role"] for c in sim.get("/v1/content")} == {"none", "viewer"}


def test_filters(catalog):
    sim, ids = catalog
    assert sim.content_names(owner_guid=ids["pub2"]) == ["everyone", "public", "shared"]
    assert [c["owner_guid"] for c in sim.get("/v1/content", params={"name": "shared"})] == [ids["pub"], ids["pub2"]]
    both = sim.get("/v1/content", params={"name": "shared", "owner_guid": ids["pub2"]})
    assert [(c["name"], c["owner_guid"]) for c in both] == [("shared", ids["pub2"])]
    assert sim.get("/v1/content", params={"owner_guid": ids["vic"]}) == []
    assert sim.get("/v1/content", params={"name": "nothing"}) == []
    assert sim.content_names(key="vic-key", owner_guid=ids["pub"]) == ["shared"]
    assert sim.content_names(key="vic-key", name="private") == []
    sim.fails("GET", "/v1/content", 400, 3, params={"owner_guid": "not-a-guid"})


@pytest.mark.parametrize("include", ["owner", "owner,tags", "tags,owner", " owner , bogus"])
def test_include_owner(catalog, include):
    sim, ids = catalog
    listing = sim.get("/v1/content", params={"include": include, "owner_guid": ids["pub"]})
    assert {tuple(sorted(c["owner"].items())) for c in listing} == {
        (("first_name", "Pub"), ("guid", ids["pub"]), ("last_name", "Tester"), ("username", "pub"))}


def test_unknown_include_is_ignored(catalog):
    sim, unused = catalog
    assert all("owner" not in c for c in sim.get("/v1/content", params={"include": "tags,bogus"}))


def test_items_stay_when_their_owner_is_locked(catalog):
    sim, ids = catalog
    sim.ok("POST", f"/v1/users/{ids['pub']}/lock", json={"locked": True})
    assert sim.content_names(owner_guid=ids["pub"]) == ["private", "shared", "team"]
    assert [c["owner"] for c in sim.state()["content"]].count("pub") == 3


# ---- reading ------------------------------------------------------------------------------


def test_get_hides_what_the_caller_may_not_view(catalog):
    sim, ids = catalog
    private = sim.get("/v1/content", params={"name": "private"})[0]["guid"]
    error = sim.fails("GET", f"/v1/content/{private}", 404, 4, key="vic-key")
    assert set(error) == {"code", "error", "payload"}
    sim.fails("GET", "/v1/content/6f300623-1e0c-48e6-a473-ddf630c0c0c3", 404, 4)
    sim.fails("GET", "/v1/content/not-a-guid", 400, 3)
    assert sim.get(f"/v1/content/{private.upper()}")["guid"] == private


def test_get_with_include_owner(catalog):
    sim, ids = catalog
    private = sim.get("/v1/content", params={"name": "private"})[0]["guid"]
    assert "owner" not in sim.get(f"/v1/content/{private}")
    item = sim.get(f"/v1/content/{private}", params={"include": "owner,tags,vanity_url"})
    assert item["owner"] == {"guid": ids["pub"], "username": "pub", "first_name": "Pub", "last_name": "Tester"}


# ---- changing -----------------------------------------------------------------------------


def guid_of(sim, name, owner_guid):
    return sim.get("/v1/content", params={"name": name, "owner_guid": owner_guid})[0]["guid"]


def test_owner_and_collaborators_change_fields(catalog):
    sim, ids = catalog
    team = guid_of(sim, "team", ids["pub"])
    changed = sim.ok("PATCH", f"/v1/content/{team}", key="pub-key",
                     json={"title": "Team board", "description": "Ours", "access_type": "logged_in"})
    assert (changed["title"], changed["description"], changed["access_type"], changed["app_role"]) == (
        "Team board", "Ours", "logged_in", "owner")
    renamed = sim.ok("PATCH", f"/v1/content/{team}", key="pub2-key", json={"name": "team-board"})  # via sales
    assert (renamed["name"], renamed["app_role"]) == ("team-board", "editor")
    assert sim.get(f"/v1/content/{team}") == {**renamed, "app_role": "viewer"}  # logged_in now
    assert sim.state_content("team-board")["title"] == "Team board"
    cleared = sim.ok("PATCH", f"/v1/content/{team}", key="pub-key", json={"title": None})
    assert cleared["title"] is None


def test_patch_refusals(catalog):
    sim, ids = catalog
    shared = guid_of(sim, "shared", ids["pub"])
    private = guid_of(sim, "private", ids["pub"])
    before = sim.state()
    sim.fails("PATCH", f"/v1/content/{shared}", 403, 22, json={"title": "Mine now"}, key="vic-key")
    sim.fails("PATCH", f"/v1/content/{private}", 404, 4, json={"title": "Mine now"}, key="vic-key")
    sim.fails("PATCH", f"/v1/content/{shared}", 409, 26, json={"name": "private"}, key="pub-key")
    sim.fails("PATCH", f"/v1/content/{shared}", 400, 5, json={"name": "no"}, key="pub-key")
    sim.fails("PATCH", f"/v1/content/{shared}", 400, 117, json={"access_type": "open"}, key="pub-key")
    sim.fails("PATCH", f"/v1/content/{shared}", 400, 87, data=b"{", headers={"Content-Type": "application/json"}, key="pub-key")
    assert sim.state() == before


def test_admin_changes_the_owner(catalog):
    sim, ids = catalog
    private = guid_of(sim, "private", ids["pub"])
    moved = sim.ok("PATCH", f"/v1/content/{private}", json={"owner_guid": ids["pub2"]})
    assert (moved["owner_guid"], moved["app_role"]) == (ids["pub2"], "none")
    assert sim.get(f"/v1/content/{private}", key="pub2-key")["app_role"] == "owner"
    sim.fails("GET", f"/v1/content/{private}", 404, 4, key="pub-key")  # the old owner keeps nothing
    assert sim.content_names(owner_guid=ids["pub"]) == ["shared", "team"]
    assert sim.content_names(owner_guid=ids["pub2"]) == ["private", "everyone", "public", "shared"]
    assert sim.state_content("private")["owner"] == "pub2"
    same = sim.ok("PATCH", f"/v1/content/{private}", json={"owner_guid": ids["pub2"]})
    assert same == moved


def test_owner_change_drops_the_new_owners_own_entry(catalog):
    sim, ids = catalog
    shared = guid_of(sim, "shared", ids["pub"])
    sim.ok("PUT", f"/v1/users/{ids['vic']}", json={"user_role": "publisher"})
    sim.ok("PATCH", f"/v1/content/{shared}", json={"owner_guid": ids["vic"]})
    assert sim.permissions(shared) == []
    assert sim.get(f"/v1/content/{shared}", key="vic-key")["app_role"] == "owner"


@pytest.mark.parametrize(
    "key,owner,status,code",
    [
        ("pub-key", "{pub2}", 403, 22),
        ("pub2-key", "{pub2}", 403, 22),  # a collaborator, through sales
        ("admin", "{vic}", 403, 156),
        ("admin", "6f300623-1e0c-48e6-a473-ddf630c0c0c3", 404, 9),
        ("admin", "not-a-guid", 400, 3),
        ("admin", 7, 400, 121),
    ],
)
def test_owner_change_refusals(catalog, key, owner, status, code):
    sim, ids = catalog
    team = guid_of(sim, "team", ids["pub"])
    owner = owner.format(**ids) if isinstance(owner, str) else owner
    before = sim.state()
    sim.fails("PATCH", f"/v1/content/{team}", status, code, json={"owner_guid": owner},
              key=sim.api_key if key == "admin" else key)
    assert sim.state() == before


def test_owner_change_onto_a_taken_name_is_409(catalog):
    sim, ids = catalog
    shared = guid_of(sim, "shared", ids["pub"])
    before = sim.state()
    sim.fails("PATCH", f"/v1/content/{shared}", 409, 26, json={"owner_guid": ids["pub2"]})
    assert sim.state() == before
    moved = sim.ok("PATCH", f"/v1/content/{shared}", json={"owner_guid": ids["pub2"], "name": "shared-too"})
    assert (moved["name"], moved["owner_guid"]) == ("shared-too", ids["pub2"])


# ---- deleting -----------------------------------------------------------------------------


def test_delete(catalog):
    sim, ids = catalog
    team = guid_of(sim, "team", ids["pub"])
    shared = guid_of(sim, "shared", ids["pub"])
    before = sim.state()
    sim.fails("DELETE", f"/v1/content/{shared}", 403, 22, key="vic-key")
    sim.fails("DELETE", f"/v1/content/{team}", 404, 4, key="vic-key")
    sim.fails("DELETE", "/v1/content/not-a-guid", 400, 3)
    assert sim.state() == before
    assert sim.ok("DELETE", f"/v1/content/{team}", key="pub2-key") is None  # a collaborator may
    assert sim.ok("DELETE", f"/v1/content/{shared}", key="pub-key") is None
    sim.fails("GET", f"/v1/content/{shared}", 404, 4)
    sim.fails("DELETE", f"/v1/content/{shared}", 404, 4)
    assert sim.content_names(owner_guid=ids["pub"]) == ["private"]
    assert [c["name"] for c in sim.state()["content"] if c["owner"] == "pub"] == ["private"]
    assert sim.create_content("shared", key="pub-key")["name"] == "shared"  # the name is free again


# ---- keys with a lower role ---------------------------------------------------------------


def test_lower_role_keys_act_with_their_role(catalog):
    sim, ids = catalog
    sim.seed(api_keys=[{"username": "admin", "key": "admin-pub", "role": "publisher"},
                       {"username": "pub", "key": "pub-view", "role": "viewer"}])
    private = guid_of(sim, "private", ids["pub"])
    assert sim.content_names(key="admin-pub") == ["everyone", "public"]
    sim.fails("GET", f"/v1/content/{private}", 404, 4, key="admin-pub")
    mine = sim.create_content("admins-own", key="admin-pub")
    sim.fails("PATCH", f"/v1/content/{mine['guid']}", 403, 22, json={"owner_guid": ids["pub"]}, key="admin-pub")
    sim.fails("POST", "/v1/content", 403, 22, json={"name": "viewer-key"}, key="pub-view")
    assert sim.get(f"/v1/content/{private}", key="pub-view")["app_role"] == "owner"
    sim.fails("PATCH", f"/v1/content/{private}", 403, 22, json={"title": "Nope"}, key="pub-view")
    sim.fails("DELETE", f"/v1/content/{private}", 403, 22, key="pub-view")
