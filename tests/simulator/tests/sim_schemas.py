"""JSON schemas (draft 2020-12) for the Connect API responses the simulator serves.

Written for this suite from the Connect 2020 swagger definitions (User, EditableUser,
Group, Users, Groups, GroupMembers, APIError), the 2023.09 spec (Content, Permission)
and the simulator spec.  Where the spec says a shape is exact, ``additionalProperties``
is false.
"""

from __future__ import annotations

import re

from jsonschema import Draft202012Validator

TIMESTAMP = {
    "type": "string",
    # RFC 3339, UTC ("Z"), optional fractional seconds.
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$",
}
GUID = {
    "type": "string",
    "pattern": r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
}
ROLE = {"enum": ["administrator", "publisher", "viewer"]}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _exact(properties: dict) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }


USER_PROPERTIES = {
    "email": {"type": "string"},
    "username": {"type": "string", "minLength": 1},
    "first_name": {"type": "string"},
    "last_name": {"type": "string"},
    "user_role": ROLE,
    "created_time": TIMESTAMP,
    "updated_time": TIMESTAMP,
    "active_time": _nullable(TIMESTAMP),
    "confirmed": {"type": "boolean"},
    "locked": {"type": "boolean"},
    "guid": GUID,
}
# Fields newer servers add (2026.01.0: users external_id, groups gid), optional in every schema.
NEW_USER_FIELDS = {"external_id": _nullable({"type": "string"})}
NEW_GROUP_FIELDS = {"gid": _nullable({"type": "string"})}


def _exact_plus(properties: dict, optional: dict) -> dict:
    """Exactly ``properties`` (all required), plus the ``optional`` ones."""
    schema = _exact(properties)
    schema["properties"] = {**properties, **optional}
    return schema


USER = _exact_plus(USER_PROPERTIES, NEW_USER_FIELDS)

EDITABLE_USER = _exact(
    {k: USER_PROPERTIES[k] for k in ("email", "username", "first_name", "last_name", "user_role", "updated_time")}
)

GROUP = _exact_plus({"guid": GUID, "name": {"type": "string", "minLength": 1}, "owner_guid": _nullable(GUID)},
                    NEW_GROUP_FIELDS)

# Items of GET /v1/users/remote: the user keys plus temp_ticket; guid is null when the
# directory entry has no Connect account yet.
REMOTE_USER = _exact_plus(
    {
        **USER_PROPERTIES,
        "guid": _nullable(GUID),
        "created_time": _nullable(TIMESTAMP),
        "updated_time": _nullable(TIMESTAMP),
        "temp_ticket": {"type": "string", "minLength": 1},
    },
    NEW_USER_FIELDS,
)
REMOTE_GROUP = _exact(
    {"guid": _nullable(GUID), "name": {"type": "string", "minLength": 1}, "temp_ticket": {"type": "string", "minLength": 1}}
)


def envelope(item: dict) -> dict:
    return _exact(
        {
            "results": {"type": "array", "items": item},
            "current_page": {"type": "integer", "minimum": 1},
            "total": {"type": "integer", "minimum": 0},
        }
    )


USERS = envelope(USER)
GROUPS = envelope(GROUP)
GROUP_MEMBERS = envelope(USER)
REMOTE_USERS = envelope(REMOTE_USER)
REMOTE_GROUPS = envelope(REMOTE_GROUP)

# A content item: the keys of a recorded GET /v1/content/{guid} (posit-sdk-py's fixture).
NUMERIC_ID = {"type": "string", "pattern": r"^[0-9]+$"}
_RUNTIME_KEYS = (
    "connection_timeout", "read_timeout", "init_timeout", "idle_timeout", "max_processes", "min_processes",
    "max_conns_per_process", "load_factor", "memory_request", "memory_limit", "cpu_request", "cpu_limit",
    "amd_gpu_limit", "nvidia_gpu_limit", "service_account_name", "default_image_name", "cluster_name",
    "image_name", "r_version", "py_version", "quarto_version", "r_environment_management",
    "default_r_environment_management", "py_environment_management", "default_py_environment_management", "run_as",
)  # fmt: skip
CONTENT_PROPERTIES = {
    "guid": GUID,
    "name": {"type": "string", "pattern": r"^[A-Za-z0-9_-]{3,64}$"},
    "title": _nullable({"type": "string"}),
    "description": {"type": "string"},
    "access_type": {"enum": ["all", "logged_in", "acl"]},
    **{key: {"type": ["null", "string", "number", "boolean"]} for key in _RUNTIME_KEYS},
    "created_time": TIMESTAMP,
    "last_deployed_time": _nullable(TIMESTAMP),
    "bundle_id": _nullable(NUMERIC_ID),
    "app_mode": {"type": "string", "minLength": 1},
    "content_category": {"type": "string"},
    "parameterized": {"type": "boolean"},
    "run_as_current_user": {"type": "boolean"},
    "owner_guid": GUID,
    "content_url": {"type": "string", "pattern": r"^https?://.+/content/[0-9a-f-]{36}/$"},
    "dashboard_url": {"type": "string", "pattern": r"^https?://.+/connect/#/apps/[0-9a-f-]{36}$"},
    "app_role": {"enum": ["owner", "editor", "viewer", "none"]},
    "id": NUMERIC_ID,
}
CONTENT_OWNER = _exact({"guid": GUID, "username": {"type": "string", "minLength": 1},
                        "first_name": {"type": "string"}, "last_name": {"type": "string"}})
CONTENT = _exact_plus(CONTENT_PROPERTIES, {"owner": CONTENT_OWNER})
CONTENT_LIST = {"type": "array", "items": CONTENT}
PERMISSION = _exact({
    "id": NUMERIC_ID, "content_guid": GUID, "principal_guid": GUID,
    "principal_type": {"enum": ["user", "group"]}, "role": {"enum": ["viewer", "owner"]},
})
PERMISSIONS = {"type": "array", "items": PERMISSION}

API_ERROR = _exact({"code": {"type": "integer"}, "error": {"type": "string", "minLength": 1}, "payload": {"type": "null"}})

EMPTY_OBJECT = {"type": "object", "maxProperties": 0}

AUTH_FLAGS = (
    "handles_credentials",
    "handles_login",
    "external_user_data",
    "external_user_search",
    "external_user_id",
    "groups_enabled",
    "external_group_search",
    "external_group_members",
    "external_group_id",
    "external_group_owner",
    "unique_usernames",
)
EDITABLE_BY = ("name_editable_by", "email_editable_by", "username_editable_by", "role_editable_by")

SERVER_SETTINGS = {
    "type": "object",
    "required": [
        "version",
        "hostname",
        "build",
        "prohibited_usernames",
        "username_validator",
        "viewers_can_only_see_themselves",
        "authentication",
    ],
    "properties": {
        "version": {"type": "string", "pattern": r"^\d{4}\.\d{2}\.\d+"},
        "hostname": {"type": "string"},
        "build": {"type": "string"},
        "prohibited_usernames": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "username_validator": {"const": "default"},
        "viewers_can_only_see_themselves": {"const": False},
        "authentication": {
            "type": "object",
            "required": [*AUTH_FLAGS, *EDITABLE_BY, "name"],
            "properties": {
                **{flag: {"type": "boolean"} for flag in AUTH_FLAGS},
                **{key: {"type": "string"} for key in EDITABLE_BY},
                "name": {"type": "string", "minLength": 1},  # a display name
            },
        },
    },
}


# The simulator's own state document (control plane): the listed keys are required,
# extra bookkeeping keys are tolerated.
def _at_least(properties: dict) -> dict:
    return {**_exact(properties), "additionalProperties": True}


STATE_USER = _at_least(
    {
        **USER_PROPERTIES,
        "unique_id": _nullable({"type": "string"}),
        "has_password": {"type": "boolean"},
    }
)
STATE_GROUP = _at_least(
    {
        "guid": GUID,
        "name": {"type": "string"},
        "owner_guid": _nullable(GUID),
        "provisioned": {"type": "boolean"},
        "members": {"type": "array", "items": {"type": "string"}},
    }
)
STATE_PERMISSION = _at_least({
    "id": NUMERIC_ID, "principal_type": {"enum": ["user", "group"]}, "principal": {"type": "string"},
    "principal_guid": GUID, "role": {"enum": ["viewer", "owner"]},
})
STATE_CONTENT = _at_least({
    "guid": GUID, "id": NUMERIC_ID, "name": {"type": "string"}, "title": _nullable({"type": "string"}),
    "description": {"type": "string"}, "access_type": {"enum": ["all", "logged_in", "acl"]},
    "owner": {"type": "string"}, "owner_guid": GUID, "app_mode": {"type": "string"},
    "permissions": {"type": "array", "items": STATE_PERMISSION},
})
STATE = {
    "type": "object",
    "required": ["users", "groups", "remote_users", "remote_groups", "content"],
    "properties": {
        "users": {"type": "array", "items": STATE_USER},
        "groups": {"type": "array", "items": STATE_GROUP},
        "remote_users": {"type": "array"},
        "remote_groups": {"type": "array"},
        "content": {"type": "array", "items": STATE_CONTENT},
    },
}

REQUEST_LOG = _exact(
    {
        "requests": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["method", "path", "query", "status", "ms"],
                "properties": {
                    "method": {"type": "string"},
                    "path": {"type": "string", "pattern": r"^/__api__/"},
                    "query": {"type": "string"},
                    "status": {"type": "integer"},
                    "ms": {"type": "number", "minimum": 0},
                },
            },
        }
    }
)

# HTTP status that goes with each error code listed in the simulator spec.
ERROR_STATUS = {
    2: 404, 3: 400, 4: 404, 5: 400, 6: 400, 7: 400, 8: 409, 9: 404, 12: 400, 13: 400, 14: 400,
    15: 409, 16: 409, 17: 404, 21: 403, 22: 403, 23: 403, 24: 401, 25: 400, 26: 409, 30: 401,
    33: 403, 34: 400, 49: 403, 50: 403, 60: 400, 61: 400, 66: 400, 76: 400, 87: 400, 95: 403,
    107: 400, 112: 400, 115: 400, 117: 400, 119: 400, 120: 400, 121: 400, 122: 400, 123: 400,
    127: 400, 128: 400, 129: 400, 130: 400, 131: 400, 132: 400, 152: 400, 153: 404, 154: 409,
    155: 409, 156: 403,
}  # fmt: skip

# Every schema above, for the self-check in test_schemas.py.
SCHEMAS = {
    "User": USER, "EditableUser": EDITABLE_USER, "Group": GROUP, "RemoteUser": REMOTE_USER,
    "RemoteGroup": REMOTE_GROUP, "Users": USERS, "Groups": GROUPS, "GroupMembers": GROUP_MEMBERS,
    "RemoteUsers": REMOTE_USERS, "RemoteGroups": REMOTE_GROUPS, "APIError": API_ERROR,
    "Empty": EMPTY_OBJECT, "ServerSettings": SERVER_SETTINGS, "State": STATE, "RequestLog": REQUEST_LOG,
    "Content": CONTENT, "ContentList": CONTENT_LIST, "Permission": PERMISSION, "Permissions": PERMISSIONS,
}  # fmt: skip

_VALIDATORS: dict[int, Draft202012Validator] = {}


def validate(instance, schema: dict) -> None:
    """Raise jsonschema.ValidationError when instance does not match schema."""
    validator = _VALIDATORS.get(id(schema))
    if validator is None:
        validator = _VALIDATORS[id(schema)] = Draft202012Validator(schema)
    validator.validate(instance)


# (method, path regex relative to /__api__, success status, schema or None for no body)
_SEG = r"[^/]+"
ROUTES = [
    ("GET", r"/v1/users", 200, USERS),
    ("POST", r"/v1/users", 200, USER),
    ("PUT", r"/v1/users", 200, USER),
    ("GET", r"/v1/users/remote", 200, REMOTE_USERS),
    ("GET", rf"/v1/users/{_SEG}", 200, USER),
    ("PUT", rf"/v1/users/{_SEG}", 200, EDITABLE_USER),
    ("POST", rf"/v1/users/{_SEG}/lock", 200, EMPTY_OBJECT),
    ("GET", r"/v1/user", 200, USER),
    ("GET", r"/v1/groups", 200, GROUPS),
    ("POST", r"/v1/groups", 200, GROUP),
    ("PUT", r"/v1/groups", 200, GROUP),
    ("GET", r"/v1/groups/remote", 200, REMOTE_GROUPS),
    ("GET", rf"/v1/groups/{_SEG}", 200, GROUP),
    ("POST", rf"/v1/groups/{_SEG}", 200, GROUP),
    ("DELETE", rf"/v1/groups/{_SEG}", 204, None),
    ("GET", rf"/v1/groups/{_SEG}/members", 200, GROUP_MEMBERS),
    ("POST", rf"/v1/groups/{_SEG}/members", 204, None),
    ("DELETE", rf"/v1/groups/{_SEG}/members/{_SEG}", 204, None),
    ("GET", r"/server_settings", 200, SERVER_SETTINGS),
    ("GET", r"/v1/content", 200, CONTENT_LIST),
    ("POST", r"/v1/content", 200, CONTENT),
    ("GET", rf"/v1/content/{_SEG}", 200, CONTENT),
    ("PATCH", rf"/v1/content/{_SEG}", 200, CONTENT),
    ("DELETE", rf"/v1/content/{_SEG}", 204, None),
    ("GET", rf"/v1/content/{_SEG}/permissions", 200, PERMISSIONS),
    ("POST", rf"/v1/content/{_SEG}/permissions", 200, PERMISSION),
    ("GET", rf"/v1/content/{_SEG}/permissions/{_SEG}", 200, PERMISSION),
    ("PUT", rf"/v1/content/{_SEG}/permissions/{_SEG}", 200, PERMISSION),
    ("DELETE", rf"/v1/content/{_SEG}/permissions/{_SEG}", 204, None),
]
_COMPILED = [(m, re.compile(p + r"/?"), s, sch) for m, p, s, sch in ROUTES]


def route_index(method: str, path: str):
    """Index in ROUTES of the documented endpoint that method and path hit, or None."""
    path = path.split("?", 1)[0]
    for index, compiled in enumerate(_COMPILED):
        m, pattern = compiled[0], compiled[1]
        if m == method.upper() and pattern.fullmatch(path):
            return index
    return None


def route_for(method: str, path: str):
    """The (success status, schema) pair for a documented endpoint, or None."""
    index = route_index(method, path)
    return None if index is None else _COMPILED[index][2:]


def check_response(method: str, path: str, resp) -> None:
    """Check one /__api__ response against the contract; raise AssertionError when it deviates."""
    where = f"{method} {path} -> {resp.status_code}"
    if resp.status_code >= 400:
        assert resp.headers.get("Content-Type", "").startswith("application/json"), where
        body = resp.json()
        validate(body, API_ERROR)
        assert body["code"] in ERROR_STATUS, f"{where}: code {body['code']} is not in the spec"
        assert ERROR_STATUS[body["code"]] == resp.status_code, f"{where}: code {body['code']} wants {ERROR_STATUS[body['code']]}"
        return
    route = route_for(method, path)
    assert route is not None, f"{where}: success on an endpoint the spec does not list"
    status, schema = route
    assert resp.status_code == status, f"{where}: expected {status}"
    if schema is None:
        assert resp.content == b"", f"{where}: 204 must have no body"
        return
    assert resp.headers.get("Content-Type", "").startswith("application/json"), where
    body = resp.json()
    if schema is SERVER_SETTINGS and body == {}:
        return  # --version hidden
    validate(body, schema)
