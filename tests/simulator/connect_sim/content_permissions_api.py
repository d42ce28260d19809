"""Connect's /v1/content/{guid}/permissions endpoints: an item's list of viewers and collaborators.

Shapes and verbs follow posit-sdk-py's permissions.py and its recorded answers; the
statuses (200 for POST and PUT, 204 for DELETE) the 2023.09 spec. The rules come
from the admin guide's Content Management page (collaborators must be able to
publish). The codes are our picks from Connect's table, whose texts match:
33 (not a publisher), 34 (the owner), 152 (principal type), 153 (unknown group),
154/155 (already listed).
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from .content_access import PUBLISHING_ROLES, lookup_content, require_manage
from .content_model import Content, Permission
from .content_validation import check_permission_id, check_permission_role, check_principal_type
from .context import sim
from .errors import APIError
from .validation import check_guid, field, json_body

content_permissions_bp = Blueprint("content_permissions", __name__)


def managed_content(guid: str) -> Content:
    """The item whose list the caller wants to read or change (404/4 unseen, 403/22 not allowed)."""
    item = lookup_content(guid)
    require_manage(item)
    return item


def lookup_permission(item: Content, raw_id: str) -> Permission:
    permission = sim().store.content.permission(item, check_permission_id(raw_id))
    if permission is None:
        raise APIError(4, "The requested permission does not exist.")
    return permission


def checked_principal(item: Content, principal_guid: str, principal_type: str, role: str,
                      replacing: Permission | None = None) -> str:
    """The principal's guid once it may hold ``role`` on ``item``; raises Connect's errors."""
    store = sim().store
    guid = check_guid(principal_guid)
    if principal_type == "user":
        user = store.user(guid)
        if user is None:
            raise APIError(9)
        if user.guid == item.owner_guid:
            raise APIError(34)
        if role == "owner" and user.user_role not in PUBLISHING_ROLES:
            raise APIError(33, f"{user.username} cannot be a collaborator: they may not "
                               f"publish content (role {user.user_role}).")
    elif store.group(guid) is None:
        raise APIError(153)
    holder = item.grants.get(guid)
    if holder is not None and holder is not replacing:
        raise APIError(154 if principal_type == "user" else 155)
    return guid


@content_permissions_bp.get("/v1/content/<guid>/permissions")
def list_permissions(guid: str):
    with sim().store.lock:
        item = managed_content(guid)
        return jsonify([permission.to_json() for permission in item.permissions()])


@content_permissions_bp.post("/v1/content/<guid>/permissions")
def add_permission(guid: str):
    store = sim().store
    with store.lock:
        item = managed_content(guid)
        body = json_body()
        principal_guid = field(body, "principal_guid", str, required=True)
        principal_type = check_principal_type(field(body, "principal_type", str, required=True))
        role = check_permission_role(field(body, "role", str, required=True))
        principal_guid = checked_principal(item, principal_guid, principal_type, role)
        permission = store.content.add_permission(item, principal_guid, principal_type, role)
        return jsonify(permission.to_json())


@content_permissions_bp.get("/v1/content/<guid>/permissions/<permission_id>")
def get_permission(guid: str, permission_id: str):
    with sim().store.lock:
        item = managed_content(guid)
        return jsonify(lookup_permission(item, permission_id).to_json())


@content_permissions_bp.put("/v1/content/<guid>/permissions/<permission_id>")
def update_permission(guid: str, permission_id: str):
    """The same body as POST; a principal left out stays (posit-sdk sends all three)."""
    store = sim().store
    with store.lock:
        item = managed_content(guid)
        permission = lookup_permission(item, permission_id)
        body = json_body()
        role = check_permission_role(field(body, "role", str, required=True))
        principal_type = check_principal_type(
            field(body, "principal_type", str) or permission.principal_type)
        principal_guid = checked_principal(
            item, field(body, "principal_guid", str) or permission.principal_guid,
            principal_type, role, replacing=permission)
        store.content.change_permission(item, permission, principal_guid, principal_type, role)
        return jsonify(permission.to_json())


@content_permissions_bp.delete("/v1/content/<guid>/permissions/<permission_id>")
def delete_permission(guid: str, permission_id: str):
    store = sim().store
    with store.lock:
        item = managed_content(guid)
        store.content.remove_permission(item, lookup_permission(item, permission_id))
        return "", 204
