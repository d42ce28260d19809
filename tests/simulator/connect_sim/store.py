"""The in-memory Connect: users, API keys, groups, memberships, the remote directory and content.

One re-entrant lock guards everything. Handlers hold ``store.lock`` across a whole
check-then-change sequence, so concurrent requests never see half an update; the
methods below take the lock too, which is free when it is already held.
"""

from __future__ import annotations

import base64
import dataclasses
import secrets
import threading
import uuid

from .config import SimConfig
from .content_store import ContentStore
from .errors import APIError
from .model import Group, RemoteGroup, RemoteUser, User
from .search import SortedIndex
from .timestamps import now_text


def new_guid() -> str:
    return str(uuid.uuid4())


def new_ticket() -> str:
    # Standard base64 (with / and +), like the tickets in docs.posit.co's cookbook.
    return base64.b64encode(secrets.token_bytes(30)).decode("ascii")


class Store:
    def __init__(self, config: SimConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        self._admin_template = User(
            guid=new_guid(), username="admin", email="admin@example.com",
            first_name="Admin", last_name="User", user_role="administrator",
            created_time=now_text(), updated_time=now_text(), confirmed=True,
        )
        self.reset()

    # -- lifecycle ---------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything except the start-up administrator and its key."""
        with self.lock:
            self.users: dict[str, User] = {}
            self._users_by_name: dict[str, User] = {}
            self._users_by_unique_id: dict[str, User] = {}
            # Prefix searches match the case-folded first name, last name and username (key fields 0-2).
            self.user_index: SortedIndex[User] = SortedIndex(User.sort_key, prefix_fields=(0, 1, 2))
            self.api_keys: dict[str, str] = {}  # key -> user guid
            self.key_roles: dict[str, str] = {}  # key -> its role, when below its owner's
            self.groups: dict[str, Group] = {}
            self._groups_by_name: dict[str, Group] = {}
            self.group_index: SortedIndex[Group] = SortedIndex(Group.sort_key)
            self.remote_users: dict[str, RemoteUser] = {}  # normalized username -> entry
            self.remote_groups: dict[str, RemoteGroup] = {}  # name -> entry
            self.tickets: dict[str, RemoteUser | RemoteGroup] = {}
            self.content = ContentStore(self.lock)
            admin = dataclasses.replace(self._admin_template)
            self.add_user(admin)
            self.api_keys[self.config.admin_key] = admin.guid

    @property
    def admin_guid(self) -> str:
        return self._admin_template.guid

    # -- users -------------------------------------------------------------------

    def user(self, guid: str) -> User | None:
        return self.users.get(guid.lower())

    def user_by_username(self, username: str) -> User | None:
        return self._users_by_name.get(self.config.normalize_username(username))

    def user_by_unique_id(self, unique_id: str) -> User | None:
        return self._users_by_unique_id.get(unique_id)

    def user_for_key(self, key: str) -> User | None:
        guid = self.api_keys.get(key)
        return self.users.get(guid) if guid else None

    def check_username_free(self, username: str, except_user: User | None = None) -> None:
        holder = self.user_by_username(username)
        if holder is not None and holder is not except_user:
            raise APIError(8)

    def check_unique_id_free(self, unique_id: str | None, except_user: User | None = None) -> None:
        holder = self._users_by_unique_id.get(unique_id) if unique_id else None
        if holder is not None and holder is not except_user:
            raise APIError(76)

    def add_user(self, user: User, index: bool = True) -> User:
        """Insert a fully built user. ``index=False`` lets bulk seeding sort once."""
        with self.lock:
            self.check_username_free(user.username)
            self.check_unique_id_free(user.unique_id)
            self.users[user.guid] = user
            self._users_by_name[self.config.normalize_username(user.username)] = user
            if user.unique_id:
                self._users_by_unique_id[user.unique_id] = user
            if index:
                self.user_index.add(user)
            return user

    def index_users(self, users: list[User]) -> None:
        with self.lock:
            self.user_index.add_many(users)

    def update_user(self, user: User, changes: dict, touch: bool = True) -> bool:
        """Apply field changes; bump updated_time (when ``touch``) only if something really changed."""
        with self.lock:
            changes = {k: v for k, v in changes.items() if getattr(user, k) != v}
            if not changes:
                return False
            if "username" in changes:
                self.check_username_free(changes["username"], except_user=user)
            old_key = user.sort_key()
            old_name = self.config.normalize_username(user.username)
            for name, value in changes.items():
                setattr(user, name, value)
            if touch:
                user.updated_time = now_text()
            if "username" in changes:
                del self._users_by_name[old_name]
                self._users_by_name[self.config.normalize_username(user.username)] = user
            self.user_index.move(user, old_key)
            return True

    def active_admin_count(self, excluding: User | None = None) -> int:
        return sum(1 for u in self.users.values()
                   if u.user_role == "administrator" and not u.locked and u is not excluding)

    def check_not_last_admin(self, user: User) -> None:
        """Refuse to demote or lock the only administrator who can still sign in."""
        if (user.user_role == "administrator" and not user.locked
                and self.active_admin_count(excluding=user) == 0):
            raise APIError(61)

    def add_api_key(self, key: str, user: User, role: str | None = None) -> None:
        with self.lock:
            self.api_keys[key] = user.guid
            if role is not None:
                self.key_roles[key] = role

    def key_role(self, key: str) -> str | None:
        """The role a key was made with, or None when it acts with its owner's role."""
        return self.key_roles.get(key)

    # -- groups ------------------------------------------------------------------

    def group(self, guid: str) -> Group | None:
        return self.groups.get(guid.lower())

    def group_by_name(self, name: str) -> Group | None:
        return self._groups_by_name.get(name)

    def check_group_name_free(self, name: str, except_group: Group | None = None) -> None:
        holder = self._groups_by_name.get(name)
        if holder is not None and holder is not except_group:
            raise APIError(15)

    def check_group_unique_id_free(self, unique_id: str) -> None:
        if any(group.unique_id == unique_id for group in self.groups.values()):
            raise APIError(131)

    def add_group(self, group: Group) -> Group:
        with self.lock:
            self.check_group_name_free(group.name)
            self.groups[group.guid] = group
            self._groups_by_name[group.name] = group
            self.group_index.add(group)
            return group

    def update_group(self, group: Group, name: str | None = None,
                     owner_guid: str | None = None, set_owner: bool = False) -> None:
        with self.lock:
            old_key = group.sort_key()
            if name is not None and name != group.name:
                self.check_group_name_free(name, except_group=group)
                del self._groups_by_name[group.name]
                group.name = name
                self._groups_by_name[name] = group
            if set_owner:
                group.owner_guid = owner_guid
            self.group_index.move(group, old_key)

    def delete_group(self, group: Group) -> None:
        with self.lock:
            self.group_index.remove(group, group.sort_key())
            del self.groups[group.guid]
            del self._groups_by_name[group.name]
            # A guess: the group's entries in content permission lists go with it.
            self.content.forget_principal(group.guid)

    def groups_of(self, user: User) -> set[str]:
        """The guids of the groups a user is a member of."""
        return {group.guid for group in self.groups.values() if user.guid in group.members}

    def add_member(self, group: Group, user: User) -> None:
        with self.lock:
            if user.guid in group.members:
                raise APIError(16)
            group.members.add(user.guid)

    def remove_member(self, group: Group, user: User) -> None:
        with self.lock:
            if user.guid not in group.members:
                raise APIError(17)
            group.members.discard(user.guid)

    def members_sorted(self, group: Group) -> list[User]:
        members = [self.users[guid] for guid in group.members if guid in self.users]
        members.sort(key=User.sort_key)
        return members

    # -- remote directory --------------------------------------------------------

    def remote_user(self, username: str) -> RemoteUser | None:
        return self.remote_users.get(self.config.normalize_username(username))

    def add_remote_user(self, username: str, email: str = "", first_name: str = "",
                        last_name: str = "") -> RemoteUser:
        with self.lock:
            entry = RemoteUser(username=username, ticket=new_ticket(), email=email,
                               first_name=first_name, last_name=last_name)
            self.remote_users[self.config.normalize_username(username)] = entry
            self.tickets[entry.ticket] = entry
            return entry

    def add_remote_group(self, name: str, members: list[str]) -> RemoteGroup:
        with self.lock:
            entry = RemoteGroup(name=name, ticket=new_ticket(), members=list(members))
            self.remote_groups[name] = entry
            self.tickets[entry.ticket] = entry
            return entry

    def ticket(self, ticket: str) -> RemoteUser | RemoteGroup | None:
        return self.tickets.get(ticket)

    # -- state dump for tests ----------------------------------------------------

    def state(self) -> dict:
        """Deterministic picture of everything an API write could change."""
        with self.lock:
            users = sorted(self.users.values(), key=lambda u: u.username)
            groups = sorted(self.groups.values(), key=lambda g: g.name)
            return {
                "users": [self._user_state(u) for u in users],
                "groups": [self._group_state(g) for g in groups],
                "remote_users": [e.to_json() for e in
                                 sorted(self.remote_users.values(), key=lambda e: e.username)],
                "remote_groups": [e.to_json() for e in
                                  sorted(self.remote_groups.values(), key=lambda e: e.name)],
                "api_keys": len(self.api_keys),
                "content": self.content.state(self._username, self._principal_name),
            }

    def _username(self, guid: str) -> str:
        user = self.users.get(guid)
        return user.username if user else guid

    def _principal_name(self, principal_type: str, guid: str) -> str:
        if principal_type == "group":
            group = self.groups.get(guid)
            return group.name if group else guid
        return self._username(guid)

    def _user_state(self, user: User) -> dict:
        data = user.to_json()
        data["unique_id"] = user.unique_id
        data["has_password"] = user.password is not None
        return data

    def _group_state(self, group: Group) -> dict:
        return {
            "guid": group.guid, "name": group.name, "owner_guid": group.owner_guid,
            "provisioned": group.membership_read_only, "kind": group.kind,
            "unique_id": group.unique_id,
            "members": sorted(self.users[g].username for g in group.members if g in self.users),
        }
