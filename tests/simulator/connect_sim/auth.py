"""API-key authentication and the role checks shared by the users and groups endpoints."""

from __future__ import annotations

from flask import g, request

from .context import sim
from .errors import APIError
from .model import ROLES, User

# Lower number = more power; used to tell raising a role from lowering it.
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}


def authenticate() -> None:
    """before_request hook: resolve ``Authorization: Key <key>`` to a user in ``g.user``."""
    header = request.headers.get("Authorization", "")
    scheme, unused_space, key = header.partition(" ")
    if scheme != "Key" or not key.strip():
        raise APIError(24)
    store = sim().store
    with store.lock:
        user = store.user_for_key(key.strip())
        if user is None:
            raise APIError(30)
        if user.locked:
            raise APIError(50)
        g.user = user


def caller() -> User:
    return g.user


def is_admin(user: User) -> bool:
    return user.user_role == "administrator"


def is_publisher_or_admin(user: User) -> bool:
    return user.user_role in ("administrator", "publisher")


def require_admin(code: int = 22) -> User:
    user = caller()
    if not is_admin(user):
        raise APIError(code)
    return user


def require_publisher(code: int = 22) -> User:
    user = caller()
    if not is_publisher_or_admin(user):
        raise APIError(code)
    return user


def raises_role(old_role: str, new_role: str) -> bool:
    return ROLE_RANK[new_role] < ROLE_RANK[old_role]
