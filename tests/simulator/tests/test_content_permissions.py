"""Content permission lists: add, read, change, remove; the rules on principals; who may."""

from __future__ import annotations

import pytest

from sim_support import user_spec

UNKNOWN = "6f300623-1e0c-48e6-a473-ddf630c0c0c3"


@pytest.fixture
def item(sim):
    """`board` owned by pub; pub2 (publisher), vic and val (viewers); groups sales = {val, pub2}, ops = {}."""
    ids = sim.seed_cast(user_spec("pub2", "publisher"), user_spec("val"),
                        groups=[{"name": "sales", "members": ["val", "pub2"]}, {"name": "ops", "members": []}])
    board = sim.create_content("board", key="pub-key")
    return sim, ids, board["guid"]


def entry(principal_guid, principal_type="user", role="viewer"):
    return {"principal_guid": principal_guid, "principal_type": principal_type, "role": role}


def test_add_read_change_remove(item):
    sim, ids, board = item
    base = f"/v1/content/{board}/permissions"
    assert sim.permissions(board, key="pub-key") == []  # the owner is never listed
    added = sim.ok("POST", base, json=entry(ids["vic"]), key="pub-key")
    assert added == {"id": added["id"], "content_guid": board, "principal_guid": ids["vic"],
                     "principal_type": "user", "role": "viewer"}
    assert added["id"].isdigit()
    group = sim.ok("POST", base, json=entry(ids["group:sales"], "group", "owner"), key="pub-key")
    assert sim.permissions(board, key="pub-key") == [added, group]
    assert sim.get(f"{base}/{added['id']}", key="pub-key") == added
    moved = sim.ok("PUT", f"{base}/{group['id']}", json=entry(ids["group:sales"], "group", "viewer"), key="pub-key")
    assert moved == {**group, "role": "viewer"}
    assert sim.ok("DELETE", f"{base}/{added['id']}", key="pub-key") is None
    assert sim.permissions(board) == [moved]
    sim.fails("GET", f"{base}/{added['id']}", 404, 4)
    sim.fails("DELETE", f"{base}/{added['id']}", 404, 4)
    dumped = sim.state_content("board")["permissions"]
    assert dumped == [{"id": group["id"], "principal_type": "group", "principal": "sales",
                       "principal_guid": ids["group:sales"], "role": "viewer"}]


def test_permissions_grant_what_they_say(item):
    sim, ids, board = item
    base = f"/v1/content/{board}/permissions"
    sim.fails("GET", f"/v1/content/{board}", 404, 4, key="val-key")
    sim.ok("POST", base, json=entry(ids["group:sales"], "group", "viewer"), key="pub-key")
    assert sim.get(f"/v1/content/{board}", key="val-key")["app_role"] == "viewer"
    sim.fails("GET", base, 403, 22, key="pub2-key")  # a viewer through sales may not manage
    grant = sim.ok("POST", base, json=entry(ids["pub2"], role="owner"), key="pub-key")
    assert sim.get(f"/v1/content/{board}", key="pub2-key")["app_role"] == "editor"
    assert len(sim.permissions(board, key="pub2-key")) == 2
    sim.ok("DELETE", f"{base}/{grant['id']}", key="pub2-key")  # a collaborator may remove itself
    sim.fails("GET", base, 403, 22, key="pub2-key")


def test_a_principal_keeps_the_strongest_of_its_roles(item):
    sim, ids, board = item
    base = f"/v1/content/{board}/permissions"
    sim.ok("POST", base, json=entry(ids["group:sales"], "group", "owner"), key="pub-key")
    sim.ok("POST", base, json=entry(ids["pub2"], role="viewer"), key="pub-key")
    assert sim.get(f"/v1/content/{board}", key="pub2-key")["app_role"] == "editor"
    assert sim.ok("POST", base, json=entry(ids["vic"]), key="pub2-key")["principal_guid"] == ids["vic"]


@pytest.mark.parametrize(
    "body,status,code",
    [
        ({"principal_type": "user", "role": "viewer"}, 400, 12),
        ({"principal_guid": "{vic}", "role": "viewer"}, 400, 12),
        ({"principal_guid": "{vic}", "principal_type": "user"}, 400, 12),
        ({"principal_guid": "not-a-guid", "principal_type": "user", "role": "viewer"}, 400, 3),
        ({"principal_guid": "{vic}", "principal_type": "robot", "role": "viewer"}, 400, 152),
        ({"principal_guid": "{vic}", "principal_type": "user", "role": "editor"}, 400, 25),
        ({"principal_guid": UNKNOWN, "principal_type": "user", "role": "viewer"}, 404, 9),
        ({"principal_guid": UNKNOWN, "principal_type": "group", "role": "viewer"}, 404, 153),
        ({"principal_guid": "{sales}", "principal_type": "user", "role": "viewer"}, 404, 9),
        ({"principal_guid": "{vic}", "principal_type": "group", "role": "viewer"}, 404, 153),
        ({"principal_guid": "{pub}", "principal_type": "user", "role": "viewer"}, 400, 34),
        ({"principal_guid": "{pub}", "principal_type": "user", "role": "owner"}, 400, 34),
        ({"principal_guid": "{vic}", "principal_type": "user", "role": "owner"}, 403, 33),
        ({"principal_guid": "{val}", "principal_type": "user", "role": "viewer"}, 409, 154),
        ({"principal_guid": "{ops}", "principal_type": "group", "role": "owner"}, 409, 155),
        ({"principal_guid": 5, "principal_type": "user", "role": "viewer"}, 400, 121),
    ],
)
def test_add_refusals(item, body, status, code):
    sim, ids, board = item
    base = f"/v1/content/{board}/permissions"
    sim.ok("POST", base, json=entry(ids["val"]), key="pub-key")
    sim.ok("POST", base, json=entry(ids["group:ops"], "group"), key="pub-key")
    names = {**ids, "sales": ids["group:sales"], "ops": ids["group:ops"]}
    body = {k: v.format(**names) if isinstance(v, str) else v for k, v in body.items()}
    before = sim.state()
    sim.fails("POST", base, status, code, json=body, key="pub-key")
    assert sim.state() == before


def test_change_refusals(item):
    sim, ids, board = item
    base = f"/v1/content/{board}/permissions"
    vic = sim.ok("POST", base, json=entry(ids["vic"]), key="pub-key")
    sim.ok("POST", base, json=entry(ids["pub2"]), key="pub-key")
    before = sim.state()
    sim.fails("PUT", f"{base}/{vic['id']}", 403, 33, json=entry(ids["vic"], role="owner"), key="pub-key")
    sim.fails("PUT", f"{base}/{vic['id']}", 409, 154, json=entry(ids["pub2"]), key="pub-key")
    sim.fails("PUT", f"{base}/{vic['id']}", 400, 34, json=entry(ids["pub"]), key="pub-key")
    sim.fails("PUT", f"{base}/{vic['id']}", 400, 12, json={"principal_guid": ids["vic"]}, key="pub-key")
    sim.fails("PUT", f"{base}/999999", 404, 4, json=entry(ids["vic"]), key="pub-key")
    sim.fails("PUT", f"{base}/abc", 400, 3, json=entry(ids["vic"]), key="pub-key")
    assert sim.state() == before
    # role alone is enough; the principal may be moved to another
    assert sim.ok("PUT", f"{base}/{vic['id']}", json={"role": "viewer"}, key="pub-key") == vic
    moved = sim.ok("PUT", f"{base}/{vic['id']}", json=entry(ids["group:ops"], "group", "owner"), key="pub-key")
    assert (moved["id"], moved["principal_guid"], moved["role"]) == (vic["id"], ids["group:ops"], "owner")
    sim.fails("GET", f"/v1/content/{board}", 404, 4, key="vic-key")


def test_ids_belong_to_their_item(item):
    sim, ids, board = item
    other = sim.create_content("other", key="pub-key")["guid"]
    grant = sim.ok("POST", f"/v1/content/{board}/permissions", json=entry(ids["vic"]), key="pub-key")
    sim.fails("GET", f"/v1/content/{other}/permissions/{grant['id']}", 404, 4)
    sim.fails("DELETE", f"/v1/content/{other}/permissions/{grant['id']}", 404, 4)
    sim.fails("GET", f"/v1/content/{board}/permissions/-1", 400, 3)
    sim.fails("GET", f"/v1/content/{UNKNOWN}/permissions", 404, 4)
    sim.fails("GET", "/v1/content/nope/permissions", 400, 3)


def test_locked_and_ldap_principals(sims):
    sim = sims("ldap")
    ids = sim.seed_cast(user_spec("gone", "publisher", locked=True), groups=[{"name": "Art", "members": ["vic"]}])
    board = sim.create_content("board", key="pub-key")["guid"]
    base = f"/v1/content/{board}/permissions"
    assert sim.ok("POST", base, json=entry(ids["gone"], role="owner"), key="pub-key")["role"] == "owner"
    assert sim.ok("POST", base, json=entry(ids["group:Art"], "group"), key="pub-key")["principal_type"] == "group"
    assert sim.get(f"/v1/content/{board}", key="vic-key")["app_role"] == "viewer"


MANAGERS = [("admin", True), ("pub-key", True), ("pub2-key", True), ("val-key", False), ("vic-key", False)]


@pytest.mark.parametrize("key,allowed", MANAGERS)
def test_who_may_manage(item, key, allowed):
    """board: pub owns it, sales (val, pub2) collaborates, vic views; val is a viewer-role account."""
    sim, ids, board = item
    base = f"/v1/content/{board}/permissions"
    sim.ok("POST", base, json=entry(ids["group:sales"], "group", "owner"), key="pub-key")
    vic = sim.ok("POST", base, json=entry(ids["vic"]), key="pub-key")
    key = sim.api_key if key == "admin" else key
    before = sim.state()
    calls = [("GET", base, None), ("GET", f"{base}/{vic['id']}", None),
             ("PUT", f"{base}/{vic['id']}", entry(ids["vic"])), ("POST", base, entry(ids["group:ops"], "group")),
             ("DELETE", f"{base}/{vic['id']}", None)]
    for method, path, body in calls:
        kwargs = {} if body is None else {"json": body}
        if allowed:
            sim.ok(method, path, key=key, **kwargs)
        else:
            sim.fails(method, path, 403, 22, key=key, **kwargs)
    if not allowed:
        assert sim.state() == before


def test_unrelated_publishers_do_not_see_the_list(item):
    sim, ids, board = item
    sim.seed(users=[user_spec("pub3", "publisher")], api_keys=[{"username": "pub3", "key": "pub3-key"}])
    sim.fails("GET", f"/v1/content/{board}/permissions", 404, 4, key="pub3-key")
    sim.ok("PATCH", f"/v1/content/{board}", json={"access_type": "logged_in"}, key="pub-key")
    sim.fails("GET", f"/v1/content/{board}/permissions", 403, 22, key="pub3-key")


def test_deleting_a_group_removes_its_entries(item):
    sim, ids, board = item
    sim.ok("POST", f"/v1/content/{board}/permissions", json=entry(ids["group:sales"], "group"), key="pub-key")
    sim.ok("POST", f"/v1/content/{board}/permissions", json=entry(ids["vic"]), key="pub-key")
    sim.ok("DELETE", f"/v1/groups/{ids['group:sales']}")
    assert [p["principal_guid"] for p in sim.permissions(board)] == [ids["vic"]]
    assert [p["principal"] for p in sim.state_content("board")["permissions"]] == ["vic"]


def test_deleting_an_item_removes_its_entries(item):
    sim, ids, board = item
    grant = sim.ok("POST", f"/v1/content/{board}/permissions", json=entry(ids["vic"]), key="pub-key")
    sim.ok("DELETE", f"/v1/content/{board}")
    again = sim.create_content("board", key="pub-key")["guid"]
    sim.fails("GET", f"/v1/content/{again}/permissions/{grant['id']}", 404, 4)
    assert sim.permissions(again) == []
