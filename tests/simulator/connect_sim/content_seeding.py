"""The ``content`` part of POST /__sim__/seed: items with their owners and permission lists.

An entry names its owner and principals by username and group name:

    {"name": "sales-dash", "owner": "alice", "title": "Sales", "access_type": "acl",
     "app_mode": "shiny", "permissions": [{"group": "sales", "role": "viewer"},
                                          {"user": "bob", "role": "owner"}]}

Like the rest of the seed, everything is checked before anything is stored, and the
API's rules on who may hold what are skipped on purpose (a viewer-role account may
be seeded as a collaborator, as after a demotion), so tests can build any state.
What cannot exist in Connect is refused: two items of one owner with one name, the
owner in its own item's list, one principal twice on an item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .content_model import ACCESS_TYPES, PERMISSION_ROLES, Content
from .model import Group, User
from .seed_checks import SeedError, listed, text
from .store import Store, new_guid
from .timestamps import now_text
from .validation import GUID_PATTERN


@dataclass
class PlannedItem:
    item: Content
    owner: str  # username
    grants: list[tuple[str, str, str]]  # (principal guid, principal type, role)


class ContentSeed:
    def __init__(self, store: Store, resolve_user: Callable[[object, str], User],
                 resolve_group: Callable[[object, str], Group]) -> None:
        self.store = store
        self.resolve_user = resolve_user
        self.resolve_group = resolve_group

    def check(self, payload: dict) -> list[PlannedItem]:
        stamp = now_text()
        planned, names, guids = [], set(), set()
        for index, spec in enumerate(listed(payload, "content")):
            where = f"content[{index}]"
            entry = self._item(spec, where, stamp)
            item = entry.item
            key = (item.owner_guid, item.name)
            if key in names or self.store.content.owned_by_name(*key):
                raise SeedError(f"{where}: {entry.owner!r} already has content named {item.name!r}")
            if item.guid in guids or self.store.content.item(item.guid):
                raise SeedError(f"{where}: duplicate guid {item.guid!r}")
            names.add(key)
            guids.add(item.guid)
            planned.append(entry)
        return planned

    def _item(self, spec: dict, where: str, stamp: str) -> PlannedItem:
        name = text(spec, "name", where, required=True)
        owner = self.resolve_user(text(spec, "owner", where, required=True), where)
        access_type = text(spec, "access_type", where, default="acl")
        if access_type not in ACCESS_TYPES:
            raise SeedError(f"{where}: unknown access_type {access_type!r}")
        guid = text(spec, "guid", where, default=None)
        if guid is not None and not GUID_PATTERN.match(guid):
            raise SeedError(f"{where}: guid must be a UUID")
        app_mode = text(spec, "app_mode", where, default="unknown") or "unknown"
        item = Content(guid=(guid or new_guid()).lower(), name=name, owner_guid=owner.guid,
                       title=text(spec, "title", where, default=None),
                       description=text(spec, "description", where), access_type=access_type,
                       created_time=stamp, app_mode=app_mode)
        if app_mode != "unknown":  # an item seeded as deployed has been deployed once, now
            item.last_deployed_time = stamp
        return PlannedItem(item=item, owner=owner.username, grants=self._grants(spec, owner, where))

    def _grants(self, spec: dict, owner: User, where: str) -> list[tuple[str, str, str]]:
        grants, seen = [], set()
        for index, entry in enumerate(listed(spec, "permissions")):
            at = f"{where}.permissions[{index}]"
            if ("user" in entry) == ("group" in entry):
                raise SeedError(f"{at}: give exactly one of user and group")
            role = text(entry, "role", at, default="viewer")
            if role not in PERMISSION_ROLES:
                raise SeedError(f"{at}: role must be viewer or owner, not {role!r}")
            if "user" in entry:
                principal, kind = self.resolve_user(entry["user"], at), "user"
                if principal is owner:
                    raise SeedError(f"{at}: {owner.username!r} owns the item and cannot be listed")
            else:
                principal, kind = self.resolve_group(entry["group"], at), "group"
            if principal.guid in seen:
                raise SeedError(f"{at}: {kind} listed twice")
            seen.add(principal.guid)
            grants.append((principal.guid, kind, role))
        return grants

    def apply(self, planned: list[PlannedItem]) -> list[dict]:
        content = self.store.content
        created = []
        for entry in planned:
            item = content.add(entry.item)
            if item.app_mode != "unknown":
                item.bundle_id = str(item.id)
            ids = [str(content.add_permission(item, *grant).id) for grant in entry.grants]
            created.append({"guid": item.guid, "name": item.name, "owner": entry.owner,
                            "id": str(item.id), "permissions": ids})
        return created
