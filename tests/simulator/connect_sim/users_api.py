"""Connect's /v1/users and /v1/user endpoints."""

from __future__ import annotations

import time

from flask import Blueprint, jsonify

from .auth import caller, is_admin, raises_role, require_admin, require_publisher
from .context import sim, user_json
from .errors import APIError
from .model import ACCOUNT_STATUSES, ROLES, RemoteUser, User, licence_cutoff
from .search import SortedIndex, envelope, page_slice, similarity_rank
from .store import new_guid
from .timestamps import ZERO_TIME, now_text
from .validation import (bool_param, check_email, check_guid, check_password, check_role,
                         check_username, choice_filter, field, json_body, limit_param,
                         paging_params, prefix_param)

users_bp = Blueprint("users", __name__)


# -- listing --------------------------------------------------------------------

def rank_users_by_prefix(index: SortedIndex[User], prefix: str,
                         by_unique_id: User | None = None) -> list[User]:
    """The users a prefix search answers, in similarity order.

    The index finds the users whose first name, last name or username (its key's
    first three, case-folded fields) starts with the prefix by bisection, so a
    search costs its matches, not a scan of every user (a real Connect asks its
    database). ``by_unique_id`` is the user whose provider unique ID is exactly the
    prefix (newer Connect matches it too), ranked first.
    """
    folded = prefix.casefold()
    ranked = []
    for key, user in index.prefixed(folded):
        if user is by_unique_id:
            continue
        ranked.append((similarity_rank(folded, key[2], (key[0], key[1])), key, user))
    if by_unique_id is not None:
        ranked.append(((0, 0), by_unique_id.sort_key(), by_unique_id))
    ranked.sort(key=lambda entry: (entry[0], entry[1]))
    return [entry[2] for entry in ranked]


@users_bp.get("/v1/users")
def list_users():
    config, store = sim().config, sim().store
    prefix = prefix_param()
    roles = choice_filter("user_role", ROLES, 112)
    statuses = choice_filter("account_status", ACCOUNT_STATUSES, 115)
    if statuses is not None and not is_admin(caller()):
        raise APIError(22, "Only administrators may filter by account_status.")
    page_number, page_size = paging_params()
    ascending = bool_param("asc_order", True)
    with store.lock:
        if prefix is not None:
            # Similarity order; asc_order only applies to the plain listing.
            users = rank_users_by_prefix(store.user_index, prefix, store.user_by_unique_id(prefix))
        else:
            users = store.user_index.items()
            if not ascending:
                users = users[::-1]
        if roles is not None:
            users = [u for u in users if u.user_role in roles]
        if statuses is not None:
            cutoff = licence_cutoff(time.time())
            users = [u for u in users if u.account_status(cutoff) in statuses]
        page = [user_json(u) for u in page_slice(users, page_number, page_size)]
        if prefix is not None and page_number > 1 and config.later_prefix_pages_empty:
            page = []  # these servers could not page a prefix search: page 2+ came back empty
        return jsonify(envelope(page, page_number, len(users)))


def lookup_user(guid: str) -> User:
    user = sim().store.user(check_guid(guid))
    if user is None:
        raise APIError(4, "The requested user does not exist.")
    return user


@users_bp.get("/v1/users/<guid>")
def get_user(guid: str):
    with sim().store.lock:
        return jsonify(user_json(lookup_user(guid)))


@users_bp.get("/v1/user")
def get_current_user():
    return jsonify(user_json(caller()))


# -- creating -------------------------------------------------------------------

def password_fields(body: dict, provider: str) -> tuple[str | None, bool]:
    """The password and user_must_set_password of a POST body, checked per provider."""
    password = field(body, "password", str)
    must_set = bool(field(body, "user_must_set_password", bool))
    if provider != "password":
        # Only the password provider stores passwords; refusing makes a client
        # that sends one anyway notice, instead of silently losing it.
        if password is not None or must_set:
            raise APIError(25, f"password and user_must_set_password are not accepted "
                               f"with the {provider} authentication provider.")
        return None, False
    if password is not None and must_set:
        raise APIError(25, "password cannot be combined with user_must_set_password.")
    if password is None and not must_set:
        raise APIError(12, "A required parameter is missing: password (or user_must_set_password).")
    if password is not None:
        check_password(password)
    return password, must_set


@users_bp.post("/v1/users")
def create_user():
    config, store = sim().config, sim().store
    if config.remote_user_search:
        raise APIError(120)
    require_admin()
    body = json_body()
    username = field(body, "username", str, required=True)
    if username == "":
        raise APIError(12, "A required parameter is missing: username.")
    check_username(username)
    role = field(body, "user_role", str)
    # Authorization.DefaultUserRole applies (posit-sdk's Users.create documents the fallback).
    role = check_role(role) if role is not None else config.default_user_role
    first_name = field(body, "first_name", str) or ""
    last_name = field(body, "last_name", str) or ""
    email = check_email(field(body, "email", str) or "",
                        blank_allowed=config.provider != "password")
    password, _must_set = password_fields(body, config.provider)
    unique_id = (field(body, "unique_id", str) or "").strip() or None
    if config.unique_id_required and unique_id is None:
        raise APIError(129)
    stamp = now_text()
    user = User(guid=new_guid(), username=username, email=email, first_name=first_name,
                last_name=last_name, user_role=role, created_time=stamp, updated_time=stamp,
                # Password users confirm by e-mail unless an admin set their password.
                confirmed=config.provider != "password" or password is not None,
                unique_id=unique_id, password=password)
    store.add_user(user)  # takes the lock; raises 409/8 or 400/76 on duplicates
    return jsonify(user_json(user))


@users_bp.put("/v1/users")
def create_user_from_ticket():
    config, store = sim().config, sim().store
    if not config.remote_user_search:
        raise APIError(119)
    require_publisher()
    ticket = field(json_body(), "temp_ticket", str, required=True)
    with store.lock:
        entry = store.ticket(ticket)
        if not isinstance(entry, RemoteUser):
            raise APIError(127)
        stamp = now_text()
        user = User(guid=new_guid(), username=entry.username, email=entry.email,
                    first_name=entry.first_name, last_name=entry.last_name,
                    user_role=config.default_user_role, created_time=stamp, updated_time=stamp)
        store.add_user(user)
        return jsonify(user_json(user))


def remote_user_json(entry: RemoteUser, local: User | None) -> dict:
    if local is not None:
        data = user_json(local)
    else:
        data = {"email": entry.email, "username": entry.username,
                "first_name": entry.first_name, "last_name": entry.last_name,
                "user_role": "viewer", "created_time": ZERO_TIME, "updated_time": ZERO_TIME,
                "active_time": None, "confirmed": True, "locked": False, "guid": None}
        if sim().config.new_fields:
            data["external_id"] = None
    data["temp_ticket"] = entry.ticket
    return data


@users_bp.get("/v1/users/remote")
def search_remote_users():
    config, store = sim().config, sim().store
    if not config.remote_user_search:
        raise APIError(132)
    require_publisher()
    prefix = prefix_param(required=True).casefold()
    limit = limit_param()
    with store.lock:
        ranked = []
        for entry in store.remote_users.values():
            rank = similarity_rank(prefix, entry.username.casefold(),
                                   (entry.first_name.casefold(), entry.last_name.casefold()))
            if rank is not None:
                ranked.append((rank, entry.sort_key(), entry))
        ranked.sort(key=lambda item: (item[0], item[1]))
        entries = [ranked_entry[2] for ranked_entry in ranked[:limit]]
        results = [remote_user_json(e, store.user_by_username(e.username)) for e in entries]
        return jsonify(envelope(results, 1, len(ranked)))


# -- changing -------------------------------------------------------------------

def requested_changes(body: dict) -> dict:
    changes = {}
    for name in ("email", "username", "first_name", "last_name"):
        value = field(body, name, str)
        if value is not None:
            changes[name] = value
    role = field(body, "user_role", str)
    if role is not None:
        changes["user_role"] = check_role(role)
    return changes


def check_self_service(target: User, changes: dict) -> None:
    """A non-admin may edit only themself: names, e-mail, a lower role, and the username where allowed."""
    me = caller()
    if target is not me:
        raise APIError(21)
    renaming = changes.get("username", target.username) != target.username
    if renaming and not sim().config.users_rename_themselves:
        raise APIError(21, "Only administrators may change usernames.")
    if raises_role(target.user_role, changes.get("user_role", target.user_role)):
        raise APIError(23)


@users_bp.put("/v1/users/<guid>")
def update_user(guid: str):
    config, store = sim().config, sim().store
    with store.lock:
        target = lookup_user(guid)
        changes = requested_changes(json_body())
        if not is_admin(caller()):
            check_self_service(target, changes)
        if changes.get("username", target.username) != target.username:
            check_username(changes["username"])
        if "email" in changes:
            check_email(changes["email"], blank_allowed=config.provider != "password")
        if changes.get("user_role", "administrator") != "administrator":
            store.check_not_last_admin(target)
        store.update_user(target, changes)
        return jsonify(target.to_editable_json())


@users_bp.post("/v1/users/<guid>/lock")
def lock_user(guid: str):
    config, store = sim().config, sim().store
    with store.lock:
        target = lookup_user(guid)
        require_admin(code=49)
        locked = field(json_body(), "locked", bool, required=True)
        if target is caller() and not config.self_lock_allowed:
            raise APIError(49, "You cannot lock or unlock yourself.")
        if locked:
            store.check_not_last_admin(target)
        # A guess: posit-sdk's tests compare users across lock and unlock.
        store.update_user(target, {"locked": locked}, touch=False)
        return jsonify({})
