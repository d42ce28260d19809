"""Who may see and who may change a content item, and the ``app_role`` each caller gets.

From the 2023.09 spec and the admin guide's Content Management page: the owner
and collaborators (permission role ``owner``, given to a user or to a group they
are in) manage an item; viewers (role ``viewer``, or anyone logged in when the
access type is ``all`` or ``logged_in``) may see it; administrators see every
item, with ``app_role: none`` where they have no relation of their own.

Our guesses: an item a non-administrator may not see answers 404/4 (the spec's
GET lists no 403), and changing an item needs a publishing role besides the
relation (so a viewer-role key of its owner cannot change it).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g

from .auth import acting_role, caller
from .content_model import OPEN_ACCESS_TYPES, Content
from .context import sim
from .errors import APIError
from .model import User
from .validation import check_guid

PUBLISHING_ROLES = ("administrator", "publisher")


@dataclass(frozen=True)
class Who:
    """The caller as content rules see it: the account, the role it acts with, its groups."""

    user: User
    role: str
    groups: frozenset[str]

    @property
    def admin(self) -> bool:
        return self.role == "administrator"

    @property
    def publishes(self) -> bool:
        return self.role in PUBLISHING_ROLES

    def relation(self, item: Content) -> str:
        """owner, editor (a collaborator), viewer or none: the item's ``app_role`` for this caller."""
        if item.owner_guid == self.user.guid:
            return "owner"
        roles = set()
        for principal in (self.user.guid, *self.groups):
            permission = item.grants.get(principal)
            if permission is not None:
                roles.add(permission.role)
        if "owner" in roles:
            return "editor"
        if "viewer" in roles or item.access_type in OPEN_ACCESS_TYPES:
            return "viewer"
        return "none"

    def may_view(self, item: Content) -> bool:
        return self.admin or self.relation(item) != "none"

    def may_manage(self, item: Content) -> bool:
        """Change, delete, and read or change the permission list."""
        return self.admin or (self.publishes and self.relation(item) in ("owner", "editor"))


def who() -> Who:
    """The current caller, worked out once per request."""
    found = g.get("content_who")
    if found is None:
        user = caller()
        found = Who(user=user, role=acting_role(user), groups=frozenset(sim().store.groups_of(user)))
        g.content_who = found
    return found


def lookup_content(guid: str) -> Content:
    """The item at ``guid`` if the caller may see it: 400/3 for a malformed guid, else 404/4."""
    item = sim().store.content.item(check_guid(guid))
    if item is None or not who().may_view(item):
        raise APIError(4, "The requested content does not exist.")
    return item


def require_manage(item: Content) -> None:
    if not who().may_manage(item):
        raise APIError(22)
