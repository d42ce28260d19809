"""Parsing and checking what clients send: bodies, query parameters, path guids, names."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import request

from .errors import APIError
from .model import ROLES
from .search import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

# Connect's prohibited_usernames setting (they collide with UI routes).
PROHIBITED_USERNAMES = (
    "connect", "apps", "users", "groups", "setpassword", "user-completion", "confirm",
    "recent", "reports", "plots", "unpublished", "settings", "metrics", "tokens", "help",
    "login", "welcome", "register", "resetpassword", "content",
)
_PROHIBITED = frozenset(PROHIBITED_USERNAMES)

# Our guess at the "default" username validator: starts with a letter, then
# letters, digits or . _ - @, at most 64 characters in total.
USERNAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9._@-]{0,63}")
GUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
MIN_PASSWORD_LENGTH = 6
MAX_GROUP_NAME_LENGTH = 4096

# -- bodies ---------------------------------------------------------------------


def json_body() -> dict:
    """The request body as a JSON object (87 when unparsable, 121 when not an object)."""
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise APIError(87) from None
    if not isinstance(body, dict):
        raise APIError(121, "The request JSON is invalid: expected an object.")
    return body


def field(body: dict, name: str, kind: type | tuple, required: bool = False) -> Any:
    """One body field of the given JSON type; None when absent or null."""
    value = body.get(name)
    if value is None:
        if required:
            raise APIError(12, f"A required parameter is missing: {name}.")
        return None
    if not _is_json_type(value, kind):
        raise APIError(121, f"The request JSON is invalid: {name} has the wrong type.")
    return value


def _is_json_type(value: Any, kind: type | tuple) -> bool:
    # bool is a subclass of int in Python, but not in JSON.
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        return False
    return isinstance(value, kind)


# -- path parameters ------------------------------------------------------------

def check_guid(value: str) -> str:
    if not GUID_PATTERN.match(value):
        raise APIError(3)
    return value.lower()


# -- query parameters -----------------------------------------------------------

def int_param(name: str, default: int, minimum: int, maximum: int | None = None) -> int:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise APIError(13, f"The requested range is invalid: {name} must be an integer.") from None
    if value < minimum or (maximum is not None and value > maximum):
        raise APIError(13, f"The requested range is invalid: {name}={value}.")
    return value


def paging_params() -> tuple[int, int]:
    page_number = int_param("page_number", 1, 1)
    page_size = int_param("page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    return page_number, page_size


def limit_param() -> int:
    return int_param("limit", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)


def bool_param(name: str, default: bool) -> bool:
    raw = request.args.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("true", "1", "yes"):
        return True
    if raw in ("false", "0", "no"):
        return False
    raise APIError(25, f"The parameter is invalid: {name}={raw}.")


def prefix_param(required: bool = False) -> str | None:
    prefix = request.args.get("prefix", "")
    if prefix == "":
        if required:
            raise APIError(12, "A required parameter is missing: prefix.")
        return None
    return prefix


_FILTER_MESSAGES = {
    112: "The provided user role is not recognized",
    115: "The provided status is not recognized",
}


def choice_filter(name: str, allowed: tuple[str, ...], error_code: int) -> set[str] | None:
    """A filter where ``|`` is OR and a repeated parameter is AND.

    A single value can only satisfy every occurrence if it is in all of them, so
    the filter is the intersection of the occurrences (empty when they differ).
    Returns None when the parameter is absent.
    """
    accepted = None
    for raw in request.args.getlist(name):
        if raw == "":
            continue
        values = set(raw.split("|"))
        unknown = values - set(allowed)
        if unknown:
            raise APIError(error_code, f"{_FILTER_MESSAGES[error_code]}: {sorted(unknown)[0]!r}.")
        accepted = values if accepted is None else accepted & values
    return accepted


# -- user fields ----------------------------------------------------------------

def check_role(role: str) -> str:
    if role not in ROLES:
        raise APIError(112, f"The provided user role is not recognized: {role!r}.")
    return role


def check_username(username: str) -> str:
    if username.casefold() in _PROHIBITED:
        raise APIError(107)
    if not USERNAME_PATTERN.fullmatch(username):
        raise APIError(7, f"The requested username is not permitted: {username!r}.")
    return username


def check_email(email: str, blank_allowed: bool) -> str:
    if email.strip() == "":
        if not blank_allowed:
            raise APIError(128)
        return ""
    if "@" not in email:
        raise APIError(60, f"This email address is not allowed to log in to this server: {email!r}.")
    return email


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise APIError(6)
    return password


def check_group_name(name: str) -> str:
    if name.strip() == "" or len(name) > MAX_GROUP_NAME_LENGTH:
        raise APIError(14)
    return name
