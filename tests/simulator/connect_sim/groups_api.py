"""Connect's /v1/groups endpoints, including members and the LDAP ticket flow."""

from __future__ import annotations

from flask import Blueprint, jsonify

from .auth import acting_role, caller, is_admin, is_publisher_or_admin, require_publisher
from .context import group_json, sim, user_json
from .errors import APIError
from .model import Group, RemoteGroup, User
from .search import envelope, page_slice, similarity_rank
from .store import new_guid
from .validation import (bool_param, check_group_name, check_guid, field, json_body,
                         limit_param, paging_params, prefix_param)

groups_bp = Blueprint("groups", __name__)


def lookup_group(guid: str) -> Group:
    group = sim().store.group(check_guid(guid))
    if group is None:
        raise APIError(4, "The requested group does not exist.")
    return group


def lookup_user_for_membership(guid: str) -> User:
    user = sim().store.user(check_guid(guid))
    if user is None:
        raise APIError(4, "The requested user does not exist.")
    return user


def can_manage(group: Group, user: User) -> bool:
    """Admins manage every group; publishers (and admins) manage groups they own."""
    return is_admin(user) or (group.owner_guid == user.guid and is_publisher_or_admin(user))


def require_manage(group: Group) -> None:
    if not can_manage(group, caller()):
        raise APIError(22)


def rank_groups_by_prefix(groups: list[Group], prefix: str) -> list[Group]:
    folded = prefix.casefold()
    ranked = []
    for group in groups:
        if group.unique_id is not None and group.unique_id == prefix:
            rank = (0, 0)  # 2023.09 spec: the provider's unique id matches exactly
        else:
            rank = similarity_rank(folded, group.name.casefold())
        if rank is not None:
            ranked.append((rank, group.sort_key(), group))
    ranked.sort(key=lambda entry: (entry[0], entry[1]))
    return [entry[2] for entry in ranked]


# -- listing and reading --------------------------------------------------------

@groups_bp.get("/v1/groups")
def list_groups():
    config, store = sim().config, sim().store
    prefix = prefix_param()
    page_number, page_size = paging_params()
    ascending = bool_param("asc_order", True)
    with store.lock:
        if prefix is not None:
            groups = rank_groups_by_prefix(store.group_index.items(), prefix)
            if not config.prefix_search_paginates:
                page_number = 1
        else:
            groups = store.group_index.items()
            if not ascending:
                groups = groups[::-1]
        page = [group_json(g) for g in page_slice(groups, page_number, page_size)]
        return jsonify(envelope(page, page_number, len(groups)))


@groups_bp.get("/v1/groups/<guid>")
def get_group(guid: str):
    with sim().store.lock:
        return jsonify(group_json(lookup_group(guid)))


@groups_bp.get("/v1/groups/remote")
def search_remote_groups():
    config, store = sim().config, sim().store
    if not config.ldap:
        raise APIError(132)
    require_publisher()
    prefix = prefix_param(required=True).casefold()
    limit = limit_param()
    with store.lock:
        ranked = []
        for entry in store.remote_groups.values():
            rank = similarity_rank(prefix, entry.name.casefold())
            if rank is not None:
                ranked.append((rank, entry.name.casefold(), entry))
        ranked.sort(key=lambda item: (item[0], item[1]))
        results = []
        for ranked_entry in ranked[:limit]:
            entry = ranked_entry[2]
            local = store.group_by_name(entry.name)
            results.append({"name": entry.name, "guid": local.guid if local else None,
                            "temp_ticket": entry.ticket})
        return jsonify(envelope(results, 1, len(ranked)))


# -- creating, changing, deleting -----------------------------------------------

def group_unique_id(body: dict) -> str | None:
    """The unique_id of a new group: only with groups by unique id, and then required (2023.09 spec)."""
    config = sim().config
    unique_id = field(body, "unique_id", str)
    if not config.groups_by_unique_id:
        if unique_id is not None:
            raise APIError(25, "unique_id is accepted only when groups are identified by unique id.")
        return None
    if not (unique_id or "").strip():
        raise APIError(130)
    sim().store.check_group_unique_id_free(unique_id)
    return unique_id


@groups_bp.post("/v1/groups")
def create_group():
    config, store = sim().config, sim().store
    if config.ldap:
        raise APIError(120)
    me = caller()
    if not (is_admin(me) or (acting_role(me) == "publisher" and config.publishers_can_own_groups)):
        raise APIError(22)
    body = json_body()
    name = check_group_name(field(body, "name", str, required=True))
    group = store.add_group(Group(guid=new_guid(), name=name, owner_guid=me.guid,
                                  unique_id=group_unique_id(body)))
    return jsonify(group_json(group))


@groups_bp.put("/v1/groups")
def create_group_from_ticket():
    config, store = sim().config, sim().store
    if not config.ldap:
        raise APIError(119)
    require_publisher()
    ticket = field(json_body(), "temp_ticket", str, required=True)
    with store.lock:
        entry = store.ticket(ticket)
        if not isinstance(entry, RemoteGroup):
            raise APIError(127)
        # Members come from the directory, limited to people who already have accounts.
        members = {user.guid for user in map(store.user_by_username, entry.members) if user}
        group = Group(guid=new_guid(), name=entry.name, owner_guid=None, kind="ldap",
                      members=members)
        store.add_group(group)
        return jsonify(group_json(group))


def requested_owner(body: dict, group: Group) -> str | None:
    """The new owner_guid of a modify request (None = no owner)."""
    owner = body["owner_guid"]
    if owner is None:
        return None
    if not isinstance(owner, str):
        raise APIError(121, "The request JSON is invalid: owner_guid has the wrong type.")
    if group.membership_read_only:
        raise APIError(25, "Groups managed by the authentication provider cannot have an owner; "
                           "owner_guid must be null.")
    return lookup_user_for_membership(owner).guid


@groups_bp.post("/v1/groups/<guid>")
def modify_group(guid: str):
    config, store = sim().config, sim().store
    if config.ldap:
        # The 2023.09 spec offers this endpoint to password, PAM, OAuth2, SAML and proxied
        # authentication only; the code is our pick from Connect's table.
        raise APIError(132, "Groups cannot be renamed or given an owner through the API under "
                            "LDAP authentication: the directory manages them.")
    with store.lock:
        group = lookup_group(guid)
        require_manage(group)
        body = json_body()
        name = field(body, "name", str)
        if name is not None:
            check_group_name(name)
        set_owner = "owner_guid" in body
        owner_guid = requested_owner(body, group) if set_owner else None
        store.update_group(group, name=name, owner_guid=owner_guid, set_owner=set_owner)
        return jsonify(group_json(group))


@groups_bp.delete("/v1/groups/<guid>")
def delete_group(guid: str):
    store = sim().store
    with store.lock:
        group = lookup_group(guid)
        require_manage(group)
        store.delete_group(group)
        return "", 204


# -- members --------------------------------------------------------------------

@groups_bp.get("/v1/groups/<group_guid>/members")
def list_members(group_guid: str):
    config, store = sim().config, sim().store
    with store.lock:
        group = lookup_group(group_guid)
        if config.ldap:
            raise APIError(132, "Group member enumeration is not supported for LDAP.")
        page_number, page_size = paging_params()
        members = store.members_sorted(group)
        if config.member_listing == "all":
            page_number, page_size = 1, max(1, len(members))  # every member in one answer
        page = [user_json(u) for u in page_slice(members, page_number, page_size)]
        return jsonify(envelope(page, page_number, len(members)))


def refuse_provider_managed(group: Group) -> None:
    if group.membership_read_only:
        raise APIError(95, "The members of this group are managed by the authentication "
                           "provider and cannot be changed through the API.")


@groups_bp.post("/v1/groups/<group_guid>/members")
def add_member(group_guid: str):
    store = sim().store
    with store.lock:
        group = lookup_group(group_guid)
        refuse_provider_managed(group)
        require_manage(group)
        user_guid = field(json_body(), "user_guid", str, required=True)
        store.add_member(group, lookup_user_for_membership(user_guid))
        return "", 204


@groups_bp.delete("/v1/groups/<group_guid>/members/<user_guid>")
def remove_member(group_guid: str, user_guid: str):
    store = sim().store
    with store.lock:
        group = lookup_group(group_guid)
        user = lookup_user_for_membership(user_guid)
        refuse_provider_managed(group)
        if user is not caller():  # anyone may leave a group
            require_manage(group)
        store.remove_member(group, user)
        return "", 204
