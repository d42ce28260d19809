"""Users: create, read, update, lock, validation errors, auth and unknown endpoints."""

from __future__ import annotations

import uuid

import pytest

from sim_support import raw_body

MISSING_GUID = str(uuid.uuid4())


def as_case(row):
    """(id, *values) tuple or pytest.param(id, *values, marks=...) -> pytest.param(*values, id=id)."""
    values, marks = (row.values, row.marks) if hasattr(row, "values") else (row, ())
    return pytest.param(*values[1:], id=values[0], marks=marks)


def test_admin_exists_after_reset(sim):
    me = sim.me()
    assert (me["username"], me["user_role"], me["email"]) == ("admin", "administrator", "admin@example.com")
    assert (me["first_name"], me["last_name"]) == ("Admin", "User")
    assert sim.get(f"/v1/users/{me['guid']}") == me
    assert sim.users()["total"] == 1


def test_create_user_returns_full_user_with_defaults(sim):
    created = sim.create_user("alice", first_name="Alice", last_name="Liddell")
    assert created["username"] == "alice"
    assert (created["first_name"], created["last_name"], created["email"]) == ("Alice", "Liddell", "alice@example.com")
    assert created["user_role"] == "viewer"
    assert created["active_time"] is None
    assert created["locked"] is False
    assert sim.get(f"/v1/users/{created['guid']}") == created
    state_user = sim.state_user("alice")
    assert state_user["has_password"] is True
    assert state_user["guid"] == created["guid"]


@pytest.mark.parametrize("role", ["administrator", "publisher", "viewer"])
def test_create_user_with_role(sim, role):
    assert sim.create_user("bob", user_role=role)["user_role"] == role


def test_create_user_who_must_set_password(sim):
    body = {"username": "carol", "email": "carol@example.com", "user_must_set_password": True}
    sim.ok("POST", "/v1/users", json=body)
    assert sim.state_user("carol")["has_password"] is False


def test_update_answers_only_editable_user(sim):
    guid = sim.create_user("dave")["guid"]
    changes = {"first_name": "David", "last_name": "Bowman", "email": "dave@hal.example", "user_role": "publisher"}
    edited = sim.ok("PUT", f"/v1/users/{guid}", json=changes)  # EditableUser schema checked by the helper
    assert {k: edited[k] for k in changes} == changes
    assert edited["username"] == "dave"
    fetched = sim.get(f"/v1/users/{guid}")
    assert {k: fetched[k] for k in changes} == changes
    assert fetched["updated_time"] == edited["updated_time"]


def test_update_username(sim):
    guid = sim.create_user("eve")["guid"]
    assert sim.ok("PUT", f"/v1/users/{guid}", json={"username": "eve2"})["username"] == "eve2"
    assert sim.get(f"/v1/users/{guid}")["username"] == "eve2"


def test_lock_and_unlock(sim):
    guid = sim.create_user("frank")["guid"]
    for locked in (True, False, True):
        assert sim.ok("POST", f"/v1/users/{guid}/lock", json={"locked": locked}) == {}
        assert sim.get(f"/v1/users/{guid}")["locked"] is locked


BAD_CREATE_BODIES = [
    ("missing username", {"email": "x@example.com", "password": "secret-pw"}, 400, 12),
    ("short password", {"username": "x1", "email": "x@example.com", "password": "12345"}, 400, 6),
    ("password and must-set", {"username": "x1", "email": "x@example.com", "password": "secret-pw", "user_must_set_password": True}, 400, 25),
    ("blank email", {"username": "x1", "email": "", "password": "secret-pw"}, 400, 128),
    ("no email", {"username": "x1", "password": "secret-pw"}, 400, 128),
    ("email without @", {"username": "x1", "email": "example.com", "password": "secret-pw"}, 400, 60),
    ("unknown role", {"username": "x1", "email": "x@example.com", "password": "secret-pw", "user_role": "owner"}, 400, 112),
    ("username not a string", {"username": 42, "email": "x@example.com", "password": "secret-pw"}, 400, 121),
    ("body is a list", ["x1"], 400, 121),
    ("unparsable JSON", b'{"username": "x1",', 400, 87),
]  # fmt: skip


@pytest.mark.parametrize("body,status,code", [as_case(c) for c in BAD_CREATE_BODIES])
def test_create_user_rejects_bad_body(sim, body, status, code):
    sim.fails("POST", "/v1/users", status, code, **raw_body(body))
    assert sim.users()["total"] == 1


@pytest.mark.parametrize("username", ["connect", "Apps", "USERS", "groups", "login", "content"])
def test_prohibited_usernames(sim, username):
    sim.fails("POST", "/v1/users", 400, 107, json={"username": username, "email": "p@example.com", "password": "secret-pw"})


@pytest.mark.parametrize(
    "extra",
    [{}, {"user_must_set_password": False}, {"password": None}],
    ids=["no password", "must-set false", "password null"],
)
def test_password_provider_needs_a_password_or_must_set(sim, extra):
    resp = sim.call("POST", "/v1/users", json={"username": "nopw", "email": "n@example.com", **extra})
    assert resp.status_code == 400 and resp.json()["code"] in (6, 12), resp.text
    assert sim.state_user("nopw") is None


def test_prohibited_usernames_are_published_in_server_settings(sim):
    listed = sim.get("/server_settings")["prohibited_usernames"]
    assert {"connect", "apps", "users", "groups", "login", "content"} <= set(listed)


@pytest.mark.parametrize(
    "username",
    ["1abc", "_abc", ".abc", "a b", "a" * 65, "abc!", "ab/c", "ab#c", "abc\t", "abc\n"],
)
def test_invalid_usernames(sim, username):
    sim.fails("POST", "/v1/users", 400, 7, json={"username": username, "email": "p@example.com", "password": "secret-pw"})


@pytest.mark.parametrize("username", ["a", "a" * 64, "a.b_c-d@e", "Zed9", "x-1"])
def test_valid_usernames(sim, username):
    assert sim.create_user(username)["username"] == username


def test_duplicate_username_is_409_case_sensitive_by_default(sim):
    sim.create_user("grace")
    sim.fails("POST", "/v1/users", 409, 8, json={"username": "grace", "email": "g2@example.com", "password": "secret-pw"})
    assert sim.create_user("Grace")["username"] == "Grace"
    assert sorted(sim.usernames(prefix="grace")) == ["Grace", "grace"]


def test_duplicate_username_case_insensitive_mode(sims):
    sim = sims("insensitive")
    sim.create_user("grace")
    sim.fails("POST", "/v1/users", 409, 8, json={"username": "GRACE", "email": "g2@example.com", "password": "secret-pw"})
    other = sim.create_user("heidi")["guid"]
    sim.fails("PUT", f"/v1/users/{other}", 409, 8, json={"username": "Grace"})
    assert sim.users()["total"] == 3


def test_rename_to_taken_username_is_409(sim):
    sim.create_user("ivan")
    guid = sim.create_user("judy")["guid"]
    sim.fails("PUT", f"/v1/users/{guid}", 409, 8, json={"username": "ivan"})
    sim.fails("PUT", f"/v1/users/{guid}", 409, 8, json={"username": "admin"})
    assert sim.get(f"/v1/users/{guid}")["username"] == "judy"


BAD_UPDATE_BODIES = [
    ("prohibited username", {"username": "Login"}, 400, 107),
    ("invalid username", {"username": "9lives"}, 400, 7),
    pytest.param("username ending in newline", {"username": "ken\n"}, 400, 7),
    ("unknown role", {"user_role": "root"}, 400, 112),
    ("email without @", {"email": "nope"}, 400, 60),
    ("first_name not a string", {"first_name": 5}, 400, 121),
    ("unparsable JSON", b"{", 400, 87),
]


@pytest.mark.parametrize("body,status,code", [as_case(c) for c in BAD_UPDATE_BODIES])
def test_update_rejects_bad_body(sim, body, status, code):
    user = sim.create_user("ken")
    sim.fails("PUT", f"/v1/users/{user['guid']}", status, code, **raw_body(body))
    assert sim.get(f"/v1/users/{user['guid']}") == user


@pytest.mark.parametrize(
    "body,status,code",
    [({}, 400, 12), ({"locked": "yes"}, 400, 121), (b"nope", 400, 87)],
    ids=["missing locked", "locked not bool", "unparsable"],
)
def test_lock_rejects_bad_body(sim, body, status, code):
    guid = sim.create_user("leo")["guid"]
    sim.fails("POST", f"/v1/users/{guid}/lock", status, code, **raw_body(body))
    assert sim.get(f"/v1/users/{guid}")["locked"] is False


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("GET", "/v1/users/{guid}", None),
        ("PUT", "/v1/users/{guid}", {"first_name": "X"}),
        ("POST", "/v1/users/{guid}/lock", {"locked": True}),
    ],
)
@pytest.mark.parametrize("guid,status,code", [(MISSING_GUID, 404, 4), ("not-a-guid", 400, 3), ("1234", 400, 3)])
def test_unknown_and_malformed_user_guid(sim, method, path, body, guid, status, code):
    kwargs = {} if body is None else {"json": body}
    sim.fails(method, path.format(guid=guid), status, code, **kwargs)


AUTH_CASES = [
    ("no header", {"key": None}, 401, 24),
    ("bearer scheme", {"auth": "Bearer admin"}, 401, 24),
    ("bare key", {"auth": "justakey"}, 401, 24),
    ("unknown key", {"key": "not-a-real-key"}, 401, 30),
]


@pytest.mark.parametrize("auth,status,code", [c[1:] for c in AUTH_CASES], ids=[c[0] for c in AUTH_CASES])
@pytest.mark.parametrize(
    "method,path",
    [("GET", "/v1/users"), ("GET", "/v1/user"), ("POST", "/v1/users"), ("GET", "/v1/groups"), ("POST", "/v1/groups")],
)
def test_authentication_required(sim, method, path, auth, status, code):
    body = {"json": {"username": "zed", "name": "zed", "email": "z@example.com", "password": "secret-pw"}} if method == "POST" else {}
    sim.fails(method, path, status, code, **auth, **body)
    assert sim.users()["total"] == 1 and sim.get("/v1/groups")["total"] == 0


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/v1/nope"),
        ("GET", "/v2/users"),
        ("GET", "/nope"),
        ("DELETE", "/v1/users/{guid}"),
        ("GET", "/v1/users/{guid}/groups"),
        ("PATCH", "/v1/users/{guid}"),
        ("GET", "/v1/users/{guid}/lock"),
        ("OPTIONS", "/v1/nope"),
        pytest.param("OPTIONS", "/v1/users"),
    ],
)
def test_unknown_endpoints_are_404_code_2(sim, method, path):
    guid = sim.me()["guid"]
    sim.fails(method, path.format(guid=guid), 404, 2)
