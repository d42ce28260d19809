"""API-key authentication and the role checks shared by every endpoint.

A Connect API key carries a role no higher than its owner's (docs.posit.co user
guide, API keys): an administrator may hold a publisher-role key for least
privilege. Requests act with that role, while ``GET /v1/user`` still describes the
owner. ``acting_role`` is the one place that tells the two apart.
"""

from __future__ import annotations

from flask import g, request

from .context import sim
from .errors import APIError
from .model import ROLE_RANK, User, lower_role


def authenticate() -> None:
    """before_request hook: resolve ``Authorization: Key <key>`` to ``g.user`` and ``g.role``."""
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
        # A key never acts above its owner, even if the owner was demoted after it was made.
        key_role = store.key_role(key.strip())
        g.role = lower_role(key_role, user.user_role) if key_role else user.user_role


def caller() -> User:
    return g.user


def acting_role(user: User) -> str:
    """The role ``user`` acts with in this request: the key's for the caller, else the account's."""
    if user is g.get("user"):
        return g.role
    return user.user_role


def is_admin(user: User) -> bool:
    return acting_role(user) == "administrator"


def is_publisher_or_admin(user: User) -> bool:
    return acting_role(user) in ("administrator", "publisher")


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
