"""Checks of what clients send about content: names, titles, descriptions, access types.

The limits come from the texts of Connect's error codes (2023.09 table): 5 says a
name has 3 to 64 letters, digits, dashes and underscores, 122 that a title has 3
to 1024 characters, 123 that a description has at most 4096. Which requests apply
them is our guess.
"""

from __future__ import annotations

import re

from .content_model import ACCESS_TYPES, PERMISSION_ROLES, PRINCIPAL_TYPES
from .errors import APIError

CONTENT_NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]{3,64}")
PERMISSION_ID_PATTERN = re.compile(r"[0-9]{1,18}")
MIN_TITLE_LENGTH, MAX_TITLE_LENGTH = 3, 1024
MAX_DESCRIPTION_LENGTH = 4096


def check_content_name(name: str) -> str:
    if not CONTENT_NAME_PATTERN.fullmatch(name):
        raise APIError(5, f"Content names must be 3 to 64 letters, digits, dashes and "
                          f"underscores: {name!r} is not.")
    return name


def check_title(title: str | None) -> str | None:
    """A title is optional; an empty one clears it (a guess), any other needs 3-1024 characters."""
    if title and not MIN_TITLE_LENGTH <= len(title) <= MAX_TITLE_LENGTH:
        raise APIError(122)
    return title


def check_description(description: str) -> str:
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise APIError(123)
    return description


def check_access_type(access_type: str) -> str:
    if access_type not in ACCESS_TYPES:
        raise APIError(117, f"Unknown access type {access_type!r}: use all, logged_in or acl.")
    return access_type


def check_principal_type(principal_type: str) -> str:
    if principal_type not in PRINCIPAL_TYPES:
        raise APIError(152)
    return principal_type


def check_permission_role(role: str) -> str:
    if role not in PERMISSION_ROLES:
        raise APIError(25, f"The parameter is invalid: role must be viewer or owner, not {role!r}.")
    return role


def check_permission_id(raw: str) -> int:
    """Permission ids are numbers (strings in the answers); anything else is not an id (400/3)."""
    if not PERMISSION_ID_PATTERN.fullmatch(raw):
        raise APIError(3)
    return int(raw)
