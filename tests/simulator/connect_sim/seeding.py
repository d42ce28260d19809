"""POST /__sim__/seed: load users, groups, keys, a remote directory and content in one go.

Everything is checked before anything is stored, so a rejected seed leaves the
simulator unchanged. Seeding skips Connect's API rules on purpose (any username,
any role, locked users, old active times) so tests can build any starting state.
"""

from __future__ import annotations

from .config import SimConfig
from .content_seeding import ContentSeed
from .model import ROLE_RANK, ROLES, Group, User
from .seed_checks import SeedError, flag as _flag, listed as _list, text as _text
from .store import Store, new_guid
from .timestamps import canonical_time, now_text
from .validation import GUID_PATTERN


def build_user(spec: dict, where: str, stamp: str) -> User:
    username = _text(spec, "username", where, required=True)
    role = _text(spec, "user_role", where, default="viewer")
    if role not in ROLES:
        raise SeedError(f"{where}: unknown user_role {role!r}")
    active_time = spec.get("active_time")
    if active_time is not None:
        try:
            active_time = canonical_time(active_time)
        except (TypeError, ValueError):
            raise SeedError(f"{where}: active_time must be an RFC 3339 time or null") from None
    guid = _text(spec, "guid", where, default=None)
    if guid is not None and not GUID_PATTERN.match(guid):
        raise SeedError(f"{where}: guid must be a UUID")
    return User(
        guid=(guid or new_guid()).lower(), username=username,
        email=_text(spec, "email", where), first_name=_text(spec, "first_name", where),
        last_name=_text(spec, "last_name", where), user_role=role,
        created_time=stamp, updated_time=stamp, active_time=active_time,
        confirmed=_flag(spec, "confirmed", where, True),
        locked=_flag(spec, "locked", where, False),
        unique_id=_text(spec, "unique_id", where, default=None) or None,
        password=_text(spec, "password", where, default=None),
    )


class Seeder:
    def __init__(self, store: Store, config: SimConfig) -> None:
        self.store = store
        self.config = config
        self.norm = config.normalize_username

    def seed(self, payload) -> dict:
        if not isinstance(payload, dict):
            raise SeedError("the seed must be a JSON object")
        with self.store.lock:
            users = self._check_users(_list(payload, "users"))
            by_name = {self.norm(u.username): u for u in users}
            groups = self._check_groups(_list(payload, "groups"), by_name)
            keys = self._check_keys(_list(payload, "api_keys"), by_name)
            remote_users = self._check_remote_users(_list(payload, "remote_users"))
            remote_groups = self._check_remote_groups(_list(payload, "remote_groups"))
            groups_by_name = {group.name: group for group in groups}
            content = ContentSeed(
                self.store, lambda name, where: self._resolve_user(name, by_name, where),
                lambda name, where: self._resolve_group(name, groups_by_name, where))
            planned = content.check(payload)
            created = self._apply(users, groups, keys, remote_users, remote_groups)
            created["content"] = content.apply(planned)
            return created

    # -- checks (nothing stored yet) ---------------------------------------------

    def _check_users(self, specs: list) -> list[User]:
        stamp = now_text()
        users, seen_names, seen_ids, seen_guids = [], set(), set(), set()
        for index, spec in enumerate(specs):
            user = build_user(spec, f"users[{index}]", stamp)
            name = self.norm(user.username)
            if name in seen_names or self.store.user_by_username(user.username):
                raise SeedError(f"users[{index}]: duplicate username {user.username!r}")
            if user.unique_id and (user.unique_id in seen_ids
                                   or self.store.user_by_unique_id(user.unique_id)):
                raise SeedError(f"users[{index}]: duplicate unique_id {user.unique_id!r}")
            if user.guid in seen_guids or user.guid in self.store.users:
                raise SeedError(f"users[{index}]: duplicate guid {user.guid!r}")
            seen_names.add(name)
            seen_ids.add(user.unique_id)
            seen_guids.add(user.guid)
            users.append(user)
        return users

    def _resolve_user(self, username, by_name: dict, where: str) -> User:
        if not isinstance(username, str):
            raise SeedError(f"{where}: usernames must be strings")
        user = by_name.get(self.norm(username)) or self.store.user_by_username(username)
        if user is None:
            raise SeedError(f"{where}: unknown user {username!r}")
        return user

    def _resolve_group(self, name, by_name: dict, where: str) -> Group:
        if not isinstance(name, str):
            raise SeedError(f"{where}: group names must be strings")
        group = by_name.get(name) or self.store.group_by_name(name)
        if group is None:
            raise SeedError(f"{where}: unknown group {name!r}")
        return group

    def _group_kind(self, spec: dict, where: str) -> str:
        if self.config.ldap:
            return "ldap"  # under LDAP every group comes from the directory
        return "provisioned" if _flag(spec, "provisioned", where, False) else "local"

    def _check_groups(self, specs: list, by_name: dict) -> list[Group]:
        groups, seen = [], set()
        for index, spec in enumerate(specs):
            where = f"groups[{index}]"
            name = _text(spec, "name", where, required=True)
            if name in seen or self.store.group_by_name(name):
                raise SeedError(f"{where}: duplicate group name {name!r}")
            members = spec.get("members", [])
            if not isinstance(members, list):
                raise SeedError(f"{where}: members must be a list of usernames")
            kind = self._group_kind(spec, where)
            owner = spec.get("owner")
            owner_guid = None
            if owner is not None and kind == "local":  # provider-managed groups have no owner
                owner_guid = self._resolve_user(owner, by_name, where).guid
            member_guids = {self._resolve_user(m, by_name, where).guid for m in members}
            groups.append(Group(guid=new_guid(), name=name, owner_guid=owner_guid, kind=kind,
                                members=member_guids,
                                unique_id=_text(spec, "unique_id", where, default=None) or None))
            seen.add(name)
        return groups

    def _check_keys(self, specs: list, by_name: dict) -> list[tuple[str, User, str | None]]:
        keys, seen = [], set()
        for index, spec in enumerate(specs):
            where = f"api_keys[{index}]"
            key = _text(spec, "key", where, required=True)
            user = self._resolve_user(_text(spec, "username", where, required=True),
                                      by_name, where)
            if key in seen or key in self.store.api_keys:
                raise SeedError(f"{where}: duplicate API key")
            seen.add(key)
            keys.append((key, user, self._key_role(spec, user, where)))
        return keys

    @staticmethod
    def _key_role(spec: dict, user: User, where: str) -> str | None:
        """A key's own role: none (the owner's), or one no higher than the owner's (as Connect)."""
        role = _text(spec, "role", where, default=None)
        if role is None:
            return None
        if role not in ROLES:
            raise SeedError(f"{where}: unknown role {role!r}")
        if ROLE_RANK[role] < ROLE_RANK[user.user_role]:
            raise SeedError(f"{where}: role {role!r} is above the role of its owner "
                            f"{user.username!r} ({user.user_role})")
        return role

    def _check_remote_users(self, specs: list) -> list[dict]:
        entries, seen = [], set()
        for index, spec in enumerate(specs):
            where = f"remote_users[{index}]"
            entry = {"username": _text(spec, "username", where, required=True)}
            for name in ("email", "first_name", "last_name"):
                entry[name] = _text(spec, name, where)
            name = self.norm(entry["username"])
            if name in seen or self.store.remote_user(entry["username"]):
                raise SeedError(f"{where}: duplicate remote username {entry['username']!r}")
            seen.add(name)
            entries.append(entry)
        return entries

    def _check_remote_groups(self, specs: list) -> list[dict]:
        entries, seen = [], set()
        for index, spec in enumerate(specs):
            where = f"remote_groups[{index}]"
            name = _text(spec, "name", where, required=True)
            members = spec.get("members", [])
            if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
                raise SeedError(f"{where}: members must be a list of usernames")
            if name in seen or name in self.store.remote_groups:
                raise SeedError(f"{where}: duplicate remote group {name!r}")
            seen.add(name)
            entries.append({"name": name, "members": members})
        return entries

    # -- apply -------------------------------------------------------------------

    def _apply(self, users, groups, keys, remote_users, remote_groups) -> dict:
        store = self.store
        for user in users:
            store.add_user(user, index=False)
        store.index_users(users)  # one sort for the whole batch
        for group in groups:
            store.add_group(group)
        for key, user, role in keys:
            store.add_api_key(key, user, role)
        for entry in remote_users:
            store.add_remote_user(**entry)
        for entry in remote_groups:
            store.add_remote_group(entry["name"], entry["members"])
        return {"users": {u.username: u.guid for u in users},
                "groups": {g.name: g.guid for g in groups}}
