"""The schemas themselves, and a tour that drives every documented endpoint once."""

from __future__ import annotations

import copy

import pytest
from jsonschema import Draft202012Validator, ValidationError

import sim_schemas as S

GOOD_USER = {
    "email": "al@example.com", "username": "al", "first_name": "Al", "last_name": "User",
    "user_role": "publisher", "created_time": "2017-08-08T15:24:32Z", "updated_time": "2023-03-02T20:25:06.123456789Z",
    "active_time": None, "confirmed": True, "locked": False, "guid": "a01792e3-2e67-402e-99af-be04a48da074",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(S.SCHEMAS))
def test_schema_is_valid_draft_2020_12(name):
    Draft202012Validator.check_schema(S.SCHEMAS[name])


def mutate(doc, **changes):
    out = copy.deepcopy(doc)
    for key, value in changes.items():
        if value is KeyError:
            out.pop(key)
        else:
            out[key] = value
    return out


@pytest.mark.parametrize(
    "schema,doc",
    [
        (S.USER, mutate(GOOD_USER, extra=1)),
        (S.USER, mutate(GOOD_USER, active_time=KeyError)),
        (S.USER, mutate(GOOD_USER, created_time="2017-08-08T15:24:32+00:00")),
        (S.USER, mutate(GOOD_USER, created_time="2017-08-08 15:24:32Z")),
        (S.USER, mutate(GOOD_USER, guid="not-a-guid")),
        (S.USER, mutate(GOOD_USER, user_role="admin")),
        (S.USER, mutate(GOOD_USER, locked="false")),
        (S.EDITABLE_USER, GOOD_USER),
        (S.GROUP, {"guid": GOOD_USER["guid"], "name": "g"}),
        (S.GROUP, {"guid": GOOD_USER["guid"], "name": "g", "owner_guid": None, "members": []}),
        (S.USERS, {"results": [], "current_page": 1, "total": 0, "next": None}),
        (S.USERS, {"results": [], "total": 0}),
        (S.USERS, {"results": [mutate(GOOD_USER, extra=1)], "current_page": 1, "total": 1}),
        (S.API_ERROR, {"code": 4, "error": "Not Found", "payload": None, "status": 404}),
        (S.API_ERROR, {"code": 4, "error": "Not Found"}),
        (S.API_ERROR, {"code": "4", "error": "Not Found", "payload": None}),
        (S.EMPTY_OBJECT, {"ok": True}),
    ],
)
def test_schemas_reject_wrong_shapes(schema, doc):
    with pytest.raises(ValidationError):
        S.validate(doc, schema)


@pytest.mark.parametrize(
    "schema,doc",
    [
        (S.USER, GOOD_USER),
        (S.EDITABLE_USER, {k: GOOD_USER[k] for k in ("email", "username", "first_name", "last_name", "user_role", "updated_time")}),
        (S.GROUP, {"guid": GOOD_USER["guid"], "name": "g", "owner_guid": None}),
        (S.USERS, {"results": [GOOD_USER], "current_page": 2, "total": 3}),
        (S.API_ERROR, {"code": 24, "error": "The requested operation requires authentication.", "payload": None}),
        (S.EMPTY_OBJECT, {}),
    ],
)
def test_schemas_accept_good_shapes(schema, doc):
    S.validate(doc, schema)


def test_every_documented_endpoint_answers_to_schema(sims):
    """Drive each route of sim_schemas.ROUTES successfully; the helper validates every body."""
    hit = set()

    def go(sim, method, path, **kwargs):
        hit.add(S.route_index(method, path))
        return sim.ok(method, path, **kwargs)

    sim = sims("default")
    ids = sim.seed_cast()
    user = go(sim, "POST", "/v1/users", json={"username": "tour", "email": "t@example.com", "password": "secret-pw"})
    go(sim, "GET", "/v1/users")
    go(sim, "GET", f"/v1/users/{user['guid']}")
    go(sim, "PUT", f"/v1/users/{user['guid']}", json={"first_name": "Tour"})
    go(sim, "POST", f"/v1/users/{user['guid']}/lock", json={"locked": False})
    go(sim, "GET", "/v1/user")
    group = go(sim, "POST", "/v1/groups", json={"name": "tourists"})
    go(sim, "GET", "/v1/groups")
    go(sim, "GET", f"/v1/groups/{group['guid']}")
    go(sim, "POST", f"/v1/groups/{group['guid']}", json={"name": "tourists2"})
    go(sim, "POST", f"/v1/groups/{group['guid']}/members", json={"user_guid": ids["vic"]})
    go(sim, "GET", f"/v1/groups/{group['guid']}/members")
    go(sim, "DELETE", f"/v1/groups/{group['guid']}/members/{ids['vic']}")
    go(sim, "DELETE", f"/v1/groups/{group['guid']}")
    go(sim, "GET", "/server_settings")
    item = go(sim, "POST", "/v1/content", json={"name": "tour-item", "title": "Tour"})
    go(sim, "GET", "/v1/content", params={"include": "owner"})
    go(sim, "GET", f"/v1/content/{item['guid']}")
    go(sim, "PATCH", f"/v1/content/{item['guid']}", json={"owner_guid": ids["pub"]})
    permission = go(sim, "POST", f"/v1/content/{item['guid']}/permissions",
                    json={"principal_guid": ids["vic"], "principal_type": "user", "role": "viewer"})
    go(sim, "GET", f"/v1/content/{item['guid']}/permissions")
    go(sim, "GET", f"/v1/content/{item['guid']}/permissions/{permission['id']}")
    go(sim, "PUT", f"/v1/content/{item['guid']}/permissions/{permission['id']}",
       json={"principal_guid": ids["admin"], "principal_type": "user", "role": "owner"})
    go(sim, "DELETE", f"/v1/content/{item['guid']}/permissions/{permission['id']}")
    go(sim, "DELETE", f"/v1/content/{item['guid']}")

    ldap = sims("ldap")
    ldap.seed(remote_users=[{"username": "lu", "email": "lu@example.com", "first_name": "L", "last_name": "U"}], remote_groups=[{"name": "lg", "members": []}])
    ticket = go(ldap, "GET", "/v1/users/remote", params={"prefix": "l"})["results"][0]["temp_ticket"]
    go(ldap, "PUT", "/v1/users", json={"temp_ticket": ticket})
    ticket = go(ldap, "GET", "/v1/groups/remote", params={"prefix": "l"})["results"][0]["temp_ticket"]
    go(ldap, "PUT", "/v1/groups", json={"temp_ticket": ticket})

    assert hit == set(range(len(S.ROUTES)))
