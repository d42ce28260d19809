"""Records held by the store and the JSON shapes Connect gives them."""

from __future__ import annotations

from dataclasses import dataclass, field

from .timestamps import format_time, time_key

ROLES = ("administrator", "publisher", "viewer")
# Lower number = more power; used to tell raising a role from lowering it.
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
ACCOUNT_STATUSES = ("locked", "licensed", "inactive")
# A user counts against the licence when seen within this many seconds.
LICENSED_WINDOW_SECONDS = 365 * 24 * 3600

USER_KEYS = ("email", "username", "first_name", "last_name", "user_role", "created_time",
             "updated_time", "active_time", "confirmed", "locked", "guid")
EDITABLE_USER_KEYS = ("email", "username", "first_name", "last_name", "user_role",
                      "updated_time")


def collation_key(text: str) -> str:
    """Like a database collation: letters and digits only, case folded.

    Real group listings put ``~!@#$%^&*()_+`` first and ``a_new_group`` after
    ``amanda_test_group`` (connectapi's 2024.08.0 fixtures of v1/groups).
    """
    return "".join(char for char in text.casefold() if char.isalnum())


def licence_cutoff(now: float) -> str:
    return format_time(now - LICENSED_WINDOW_SECONDS)


def lower_role(first: str, second: str) -> str:
    """The less powerful of two roles."""
    return first if ROLE_RANK[first] > ROLE_RANK[second] else second


@dataclass(slots=True, eq=False)
class User:
    guid: str
    username: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    user_role: str = "viewer"
    created_time: str = ""
    updated_time: str = ""
    active_time: str | None = None
    confirmed: bool = True
    locked: bool = False
    unique_id: str | None = None
    password: str | None = None  # kept in memory only, never answered

    def to_json(self, new_fields: bool = False) -> dict:
        data = {key: getattr(self, key) for key in USER_KEYS}
        if new_fields:
            # Connect 2026 added external_id; the provider's identity is our guess at it.
            data["external_id"] = self.unique_id
        return data

    def to_editable_json(self) -> dict:
        return {key: getattr(self, key) for key in EDITABLE_USER_KEYS}

    def account_status(self, licensed_since: str) -> str:
        """locked / licensed (seen since ``licensed_since``) / inactive (incl. never seen).

        ``licensed_since`` comes from ``licence_cutoff``; both it and active_time are
        canonical UTC strings, compared through ``time_key`` (their fractions differ in length).
        """
        if self.locked:
            return "locked"
        if self.active_time is not None and time_key(self.active_time) >= time_key(licensed_since):
            return "licensed"
        return "inactive"

    def sort_key(self) -> tuple:
        # Connect orders users by first name, last name, username, email; the
        # guid makes every key unique so the sorted index can find it again.
        return (self.first_name.casefold(), self.last_name.casefold(),
                self.username.casefold(), self.email.casefold(), self.username, self.guid)


@dataclass(slots=True, eq=False)
class Group:
    guid: str
    name: str
    owner_guid: str | None = None
    kind: str = "local"  # local | ldap | provisioned
    members: set[str] = field(default_factory=set)  # user guids
    unique_id: str | None = None  # the provider's id (saml/oauth2/proxy with groups by unique id)

    @property
    def membership_read_only(self) -> bool:
        """LDAP and provider-provisioned groups get their members from the provider."""
        return self.kind != "local"

    def to_json(self, new_fields: bool = False) -> dict:
        data = {"guid": self.guid, "name": self.name, "owner_guid": self.owner_guid}
        if new_fields:
            # Connect 2026 added gid; that it carries the provider's group id is a guess.
            data["gid"] = self.unique_id
        return data

    def sort_key(self) -> tuple:
        return (collation_key(self.name), self.name.casefold(), self.name, self.guid)


@dataclass(slots=True, eq=False)
class RemoteUser:
    """An entry of the simulated LDAP / Google directory."""

    username: str
    ticket: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""

    def sort_key(self) -> tuple:
        # Ties of a remote search: first name, last name, username, email (2023.09 spec).
        return (self.first_name.casefold(), self.last_name.casefold(), self.username.casefold(),
                self.email.casefold(), self.username)

    def to_json(self) -> dict:
        return {"username": self.username, "email": self.email,
                "first_name": self.first_name, "last_name": self.last_name}


@dataclass(slots=True, eq=False)
class RemoteGroup:
    name: str
    ticket: str
    members: list[str] = field(default_factory=list)  # directory usernames

    def to_json(self) -> dict:
        return {"name": self.name, "members": sorted(self.members)}
