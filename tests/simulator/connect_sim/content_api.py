"""Connect's /v1/content endpoints: create, list, read, change and delete content items.

Only what the offboarding and access work needs: no bundles, deployments, tags or
environment variables. Rules and their sources are in content_access.py and
content_validation.py; the guesses are listed in docs/simulator.md.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from .auth import require_publisher
from .content_access import PUBLISHING_ROLES, Who, lookup_content, require_manage, who
from .content_model import Content, owner_json
from .content_validation import (check_access_type, check_content_name, check_description,
                                 check_title)
from .context import sim
from .errors import APIError
from .model import User
from .store import new_guid
from .timestamps import now_text
from .validation import check_guid, field, json_body

content_bp = Blueprint("content", __name__)


def base_url() -> str:
    """The server's own address, as content_url and dashboard_url carry it."""
    return request.host_url.rstrip("/")


def content_json(item: Content, caller: Who, include_owner: bool = False) -> dict:
    data = item.to_json(base_url(), caller.relation(item))
    if include_owner:
        data["owner"] = owner_json(sim().store.users[item.owner_guid])
    return data


# -- creating -------------------------------------------------------------------

@content_bp.post("/v1/content")
def create_content():
    me = require_publisher()  # the 2023.09 spec: publishers and administrators only
    body = json_body()
    name = check_content_name(field(body, "name", str, required=True))
    title = check_title(field(body, "title", str))
    description = check_description(field(body, "description", str) or "")
    access_type = check_access_type(field(body, "access_type", str) or "acl")
    owner = field(body, "owner_guid", str)
    if owner is not None and owner.lower() != me.guid:
        # The creator owns a new item; the code is our pick from Connect's table.
        raise APIError(66, "You cannot assign ownership to another user: a new item belongs "
                           "to its creator.")
    store = sim().store
    with store.lock:
        item = store.content.add(Content(
            guid=new_guid(), name=name, owner_guid=me.guid, title=title,
            description=description, access_type=access_type, created_time=now_text()))
        return jsonify(content_json(item, who()))


# -- listing and reading --------------------------------------------------------

def include_options() -> set[str]:
    """``include=owner,tags``: a comma-separated list; unknown names are ignored (a guess)."""
    options = set()
    for raw in request.args.getlist("include"):
        options.update(part.strip() for part in raw.split(",") if part.strip())
    return options


def candidates(caller: Who, owner_guid: str | None, name: str | None) -> list[Content]:
    """The items a listing starts from, through the narrowest index (never a scan of all)."""
    content = sim().store.content
    if owner_guid is not None:
        return content.owned_by(owner_guid)
    if name is not None:
        return content.named(name)
    if caller.admin:
        return list(content.items.values())
    seen = {item.guid: item for item in content.owned_by(caller.user.guid)}
    seen.update((item.guid, item) for item in content.granted_to({caller.user.guid, *caller.groups}))
    seen.update((item.guid, item) for item in content.open_items())
    return list(seen.values())


@content_bp.get("/v1/content")
def list_content():
    owner_guid = request.args.get("owner_guid", "") or None
    if owner_guid is not None:
        owner_guid = check_guid(owner_guid)
    name = request.args.get("name", "") or None
    include_owner = "owner" in include_options()
    caller = who()
    with sim().store.lock:
        items = [item for item in candidates(caller, owner_guid, name)
                 if (name is None or item.name == name) and caller.may_view(item)]
        items.sort(key=lambda item: item.id)  # creation order (a guess)
        return jsonify([content_json(item, caller, include_owner) for item in items])


@content_bp.get("/v1/content/<guid>")
def get_content(guid: str):
    # posit-sdk's Content.get asks for include=owner,tags,vanity_url here too.
    include_owner = "owner" in include_options()
    with sim().store.lock:
        return jsonify(content_json(lookup_content(guid), who(), include_owner))


# -- changing and deleting ------------------------------------------------------

def new_owner(item: Content, raw: str) -> User | None:
    """The user a PATCH hands the item to, or None when the owner stays."""
    guid = check_guid(raw) if isinstance(raw, str) else None
    if guid is None:
        raise APIError(121, "The request JSON is invalid: owner_guid has the wrong type.")
    if guid == item.owner_guid:
        return None
    if not who().admin:
        raise APIError(22, "Only administrators may change the owner of content.")
    user = sim().store.user(guid)
    if user is None:
        raise APIError(9)
    if user.user_role not in PUBLISHING_ROLES:
        raise APIError(156)
    return user


def requested_changes(item: Content, body: dict) -> dict:
    changes = {}
    name = field(body, "name", str)
    if name is not None:
        changes["name"] = check_content_name(name)
    if "title" in body:
        changes["title"] = check_title(field(body, "title", str))
    description = field(body, "description", str)
    if description is not None:
        changes["description"] = check_description(description)
    access_type = field(body, "access_type", str)
    if access_type is not None:
        changes["access_type"] = check_access_type(access_type)
    if body.get("owner_guid") is not None:
        owner = new_owner(item, body["owner_guid"])
        if owner is not None:
            changes["owner_guid"] = owner.guid
    return {key: value for key, value in changes.items() if getattr(item, key) != value}


@content_bp.patch("/v1/content/<guid>")
def update_content(guid: str):
    store = sim().store
    with store.lock:
        item = lookup_content(guid)
        require_manage(item)
        changes = requested_changes(item, json_body())
        if changes:
            store.content.update(item, changes)  # 409/26 when the owner has the name already
        return jsonify(content_json(item, who()))


@content_bp.delete("/v1/content/<guid>")
def delete_content(guid: str):
    store = sim().store
    with store.lock:
        item = lookup_content(guid)
        require_manage(item)
        store.content.delete(item)
        return "", 204
