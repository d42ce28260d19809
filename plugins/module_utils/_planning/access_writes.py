# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The writes that change one content item's access: grants, role moves, revokes and its access type.

``PermissionWork`` works out the operations from the permission list as read
and the principals a task lists; each operation tolerates the race Connect's
answer reveals (a grant someone made meanwhile, a permission revoked meanwhile).
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._api.identity import guid_key
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.access_views import (
    capital,
    given_roles,
    permission_view,
    role_word,
    sorted_views,
)
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import Operation


class PermissionWork:
    """The writes that take one item's permission list from what it is to what is wanted."""

    def __init__(self, content, item, permissions, principals, label):
        self.content = content
        self.item = item
        self.principals = principals
        self.label = label
        self.current = dict((guid_key(permission["principal_guid"]), permission) for permission in permissions)
        self._after = dict(self.current)
        self.operations = []
        self.warnings = []

    def after(self):
        return list(self._after.values())

    def views(self, permissions):
        return sorted_views(permission_view(permission, self.principals) for permission in permissions)

    def target(self, kind, guid):
        return "{0} '{1}' on {2}".format(kind, self.principals.name_of(kind, guid), self.label)

    def grant_or_move(self, listed):
        """Grant the listed principals their role, or move them to it from the other role (one PUT)."""
        for entry in listed:
            held = self.current.get(entry.guid)
            if held is None:
                self.operations.append(grant_operation(self.content, self.item, entry, self.target(entry.kind, entry.guid)))
                self._after[entry.guid] = {"principal_guid": entry.guid, "principal_type": entry.kind, "role": entry.role}
            elif held["role"] != entry.role:
                self.operations.append(move_operation(self.content, self.item, held, entry.role,
                                                      self.target(entry.kind, entry.guid)))
                self._after[entry.guid] = dict(held, role=entry.role)

    def revoke_unlisted(self, spec, listed):
        """exclusive: revoke each role whose option is given from whoever the task does not list."""
        given = given_roles(spec)
        listed_guids = set(entry.guid for entry in listed)
        for guid, held in self.current.items():
            if held["role"] in given and guid not in listed_guids:
                self._revoke(held)

    def revoke_listed(self, listed):
        """state=absent: revoke the listed principals' role; a principal holding the other role keeps it."""
        for entry in listed:
            held = self.current.get(entry.guid)
            if held is None:
                continue
            if held["role"] == entry.role:
                self._revoke(held)
            else:
                self.warnings.append(
                    "{0} is a {1} of {2}, not a {3}, so state=absent left that alone; list it among the {1}s to "
                    "revoke it.".format(capital(entry.words), role_word(held["role"]), self.label,
                                        role_word(entry.role)))

    def _revoke(self, held):
        target = self.target(held["principal_type"], held["principal_guid"])
        self.operations.append(revoke_operation(self.content, self.item, held, target))
        self._after.pop(guid_key(held["principal_guid"]), None)

    def warn_locked(self, listed):
        for entry in listed:
            if entry.kind == "user" and entry.principal.get("locked"):
                self.warnings.append(
                    "{0} is locked: Connect keeps the account's {1} permission on {2}, but nobody can sign in "
                    "with it until it is unlocked.".format(capital(entry.words), role_word(entry.role), self.label))


# -- the writes ----------------------------------------------------------------------------


def _role_change(before, after):
    return {"role": {"before": before and role_word(before), "after": after and role_word(after)}}


def grant_operation(content, item, entry, target):
    """POST a permission; when someone granted the principal meanwhile (409), give it the wanted role instead."""
    def run(operation):
        try:
            content.grant(item["guid"], entry.kind, entry.guid, entry.role)
        except ConnectError as error:
            if error.status != 409:
                raise
            held = next((permission for permission in content.permissions(item["guid"])
                         if guid_key(permission["principal_guid"]) == entry.guid), None)
            if held is None:
                raise
            if held["role"] != entry.role:
                content.change_role(item["guid"], held, entry.role)

    return Operation("grant", target, run, _role_change(None, entry.role))


def move_operation(content, item, held, role, target):
    """PUT the other role on an existing permission; one revoked meanwhile (404) is granted again."""
    def run(operation):
        try:
            content.change_role(item["guid"], held, role)
        except ConnectError as error:
            if error.status != 404:
                raise
            content.grant(item["guid"], held["principal_type"], held["principal_guid"], role)

    return Operation("change_role", target, run, _role_change(held["role"], role))


def revoke_operation(content, item, held, target):
    def run(operation):
        content.revoke(item["guid"], held)

    return Operation("revoke", target, run, _role_change(held["role"], None))


def access_type_operation(content, item, access_type, label):
    def run(operation):
        content.update(item["guid"], {"access_type": access_type})

    return Operation("update", label, run, {"access_type": {"before": item.get("access_type"), "after": access_type}})
