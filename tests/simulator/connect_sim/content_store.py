"""The in-memory content items and their permission entries, indexed like a database would.

Listings ask for an owner's items (``GET /v1/content?owner_guid=``), for a name,
or for what one account may see; each has its own index, so an owner with 600
items among thousands costs 600, not a scan. Every method takes the store's lock
(shared with the users and groups), which handlers already hold across a whole
check-then-change sequence.
"""

from __future__ import annotations

import threading
from typing import Callable, Iterable

from .content_model import OPEN_ACCESS_TYPES, Content, Permission
from .errors import APIError


class ContentStore:
    def __init__(self, lock: threading.RLock) -> None:
        self.lock = lock
        self.clear()

    def clear(self) -> None:
        with self.lock:
            self.items: dict[str, Content] = {}  # guid -> item, in creation order
            self._by_owner: dict[str, dict[str, Content]] = {}  # owner guid -> name -> item
            self._by_name: dict[str, dict[str, Content]] = {}  # name -> guid -> item
            # principal guid -> guid -> item, for what an account or a group was granted
            self._by_principal: dict[str, dict[str, Content]] = {}
            self._open: dict[str, Content] = {}  # items every logged-in account may view
            self._permissions: dict[int, Permission] = {}
            self._last_item_id = 0
            self._last_permission_id = 0

    # -- reading -----------------------------------------------------------------

    def item(self, guid: str) -> Content | None:
        return self.items.get(guid.lower())

    def owned_by(self, owner_guid: str) -> list[Content]:
        return list(self._by_owner.get(owner_guid, {}).values())

    def owned_by_name(self, owner_guid: str, name: str) -> Content | None:
        return self._by_owner.get(owner_guid, {}).get(name)

    def named(self, name: str) -> list[Content]:
        return list(self._by_name.get(name, {}).values())

    def granted_to(self, principal_guids: Iterable[str]) -> list[Content]:
        found: dict[str, Content] = {}
        for principal in principal_guids:
            found.update(self._by_principal.get(principal, {}))
        return list(found.values())

    def open_items(self) -> list[Content]:
        return list(self._open.values())

    def permission(self, item: Content, permission_id: int) -> Permission | None:
        permission = self._permissions.get(permission_id)
        return permission if permission is not None and permission.content_guid == item.guid else None

    # -- items -------------------------------------------------------------------

    def check_name_free(self, owner_guid: str, name: str, except_item: Content | None = None) -> None:
        """Names are unique within their owner's account (409/26, our pick of code)."""
        holder = self._by_owner.get(owner_guid, {}).get(name)
        if holder is not None and holder is not except_item:
            raise APIError(26, f"An object with that name already exists: the owner already "
                               f"has content named {name!r}.")

    def add(self, item: Content) -> Content:
        with self.lock:
            self.check_name_free(item.owner_guid, item.name)
            self._last_item_id += 1
            item.id = self._last_item_id
            self.items[item.guid] = item
            self._index(item)
            return item

    def update(self, item: Content, changes: dict) -> None:
        """Apply field changes (name, owner_guid, title, description, access_type)."""
        with self.lock:
            owner = changes.get("owner_guid", item.owner_guid)
            name = changes.get("name", item.name)
            self.check_name_free(owner, name, except_item=item)
            self._unindex(item)
            for key, value in changes.items():
                setattr(item, key, value)
            # The owner is never an entry of its own item's list: a new owner's entry goes.
            stale = item.grants.get(item.owner_guid)
            if stale is not None:
                self._drop_permission(item, stale)
            self._index(item)

    def delete(self, item: Content) -> None:
        with self.lock:
            for permission in list(item.grants.values()):
                self._drop_permission(item, permission)
            self._unindex(item)
            del self.items[item.guid]

    def _index(self, item: Content) -> None:
        self._by_owner.setdefault(item.owner_guid, {})[item.name] = item
        self._by_name.setdefault(item.name, {})[item.guid] = item
        if item.access_type in OPEN_ACCESS_TYPES:
            self._open[item.guid] = item

    def _unindex(self, item: Content) -> None:
        owned = self._by_owner[item.owner_guid]
        del owned[item.name]
        if not owned:
            del self._by_owner[item.owner_guid]
        named = self._by_name[item.name]
        del named[item.guid]
        if not named:
            del self._by_name[item.name]
        self._open.pop(item.guid, None)

    # -- permissions -------------------------------------------------------------

    def add_permission(self, item: Content, principal_guid: str, principal_type: str,
                       role: str) -> Permission:
        with self.lock:
            self._last_permission_id += 1
            permission = Permission(id=self._last_permission_id, content_guid=item.guid,
                                    principal_guid=principal_guid,
                                    principal_type=principal_type, role=role)
            self._grant(item, permission)
            return permission

    def change_permission(self, item: Content, permission: Permission, principal_guid: str,
                          principal_type: str, role: str) -> None:
        with self.lock:
            self._drop_permission(item, permission)
            permission.principal_guid = principal_guid
            permission.principal_type = principal_type
            permission.role = role
            self._grant(item, permission)

    def remove_permission(self, item: Content, permission: Permission) -> None:
        with self.lock:
            self._drop_permission(item, permission)

    def forget_principal(self, principal_guid: str) -> None:
        """Drop every entry of a principal that no longer exists (a deleted group)."""
        with self.lock:
            for item in list(self._by_principal.get(principal_guid, {}).values()):
                self._drop_permission(item, item.grants[principal_guid])

    def _grant(self, item: Content, permission: Permission) -> None:
        item.grants[permission.principal_guid] = permission
        self._permissions[permission.id] = permission
        self._by_principal.setdefault(permission.principal_guid, {})[item.guid] = item

    def _drop_permission(self, item: Content, permission: Permission) -> None:
        del item.grants[permission.principal_guid]
        del self._permissions[permission.id]
        granted = self._by_principal[permission.principal_guid]
        del granted[item.guid]
        if not granted:
            del self._by_principal[permission.principal_guid]

    # -- state dump for tests ----------------------------------------------------

    def state(self, username: Callable[[str], str],
              principal_name: Callable[[str, str], str]) -> list[dict]:
        """Every item with its entries, sorted by name and owner, with names beside the guids."""
        with self.lock:
            rows = []
            for item in self.items.values():
                permissions = [{"id": str(p.id), "principal_type": p.principal_type,
                                "principal": principal_name(p.principal_type, p.principal_guid),
                                "principal_guid": p.principal_guid, "role": p.role}
                               for p in item.grants.values()]
                permissions.sort(key=lambda p: (p["principal_type"], p["principal"], int(p["id"])))
                rows.append({
                    "guid": item.guid, "id": str(item.id), "name": item.name, "title": item.title,
                    "description": item.description, "access_type": item.access_type,
                    "owner": username(item.owner_guid), "owner_guid": item.owner_guid,
                    "app_mode": item.app_mode, "created_time": item.created_time,
                    "last_deployed_time": item.last_deployed_time, "bundle_id": item.bundle_id,
                    "permissions": permissions,
                })
            rows.sort(key=lambda row: (row["name"], row["owner"], row["guid"]))
            return rows
