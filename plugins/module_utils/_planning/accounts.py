# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The questions a user planner asks about the other accounts of a server, answered two ways.

connect_user asks the server (a request or two, only when a create, a rename,
a demotion or a lock needs the answer); connect_users answers from the one
listing of every account it has already read. The planner cannot tell which.
"""

from __future__ import annotations

import threading

from ansible_collections.posit.connect.plugins.module_utils._api.identity import folded, guid_key, lookalike_key, nfc


def _holder(exact, variant, except_guid):
    holder = exact or variant
    if holder is not None and guid_key(holder["guid"]) != guid_key(except_guid):
        return holder
    return None


class ServerAccounts:
    """Answers from the server, for one desired user."""

    def __init__(self, users):
        self.users = users

    def find(self, spec):
        """(the account a desired user names or None, an account whose name differs only in case or None)."""
        if spec.get("guid"):
            return self.users.get(spec["guid"]), None
        return self.users.by_name_or_case_variant(spec["username"])

    def holder_of(self, username, except_guid=None):
        """Another account that has ``username``, exactly or but for case, or None."""
        exact, variant = self.users.by_name_or_case_variant(username)
        return _holder(exact, variant, except_guid)

    def lookalike_of(self, username, except_guid=None):
        """Another account whose username looks like ``username`` (confusable letters), or None.

        Asked only for a create or a rename: a few prefix searches (Resource.nearest_clash).
        """
        how, other = self.users.nearest_clash(username, except_guid)
        return other if how is not None else None

    def admin_would_remain(self, account):
        """Whether an unlocked administrator other than ``account`` exists."""
        return any(not admin.get("locked") and admin["guid"] != account["guid"]
                   for admin in self.users.administrators())


class ListedAccounts:
    """Answers from one listing of every account, for many desired users planned in turn."""

    def __init__(self, accounts):
        self.all = accounts
        self.by_guid = dict((guid_key(user["guid"]), user) for user in accounts)
        self.by_username = dict((nfc(user["username"]), user) for user in accounts)
        self._by_folded = {}
        self._by_look = {}
        for user in accounts:
            self._by_folded.setdefault(folded(user["username"]), user)
            self._by_look.setdefault(lookalike_key(user["username"]), []).append(user)
        self._unlocked_admins = set(user["guid"] for user in accounts
                                    if user.get("user_role") == "administrator" and not user.get("locked"))
        self._lock = threading.Lock()

    def _lookup(self, username):
        exact = self.by_username.get(nfc(username))
        if exact is not None:
            return exact, None
        return None, self._by_folded.get(folded(username))

    def find(self, spec):
        if spec.get("guid"):
            return self.by_guid.get(guid_key(spec["guid"])), None
        return self._lookup(spec["username"])

    def holder_of(self, username, except_guid=None):
        exact, variant = self._lookup(username)
        return _holder(exact, variant, except_guid)

    def lookalike_of(self, username, except_guid=None):
        for user in self._by_look.get(lookalike_key(username), ()):
            if guid_key(user["guid"]) != guid_key(except_guid):
                return user
        return None

    def admin_would_remain(self, account):
        """Like ServerAccounts', and counts the account as gone for the entries planned after it."""
        with self._lock:
            others = self._unlocked_admins - set([account["guid"]])
            if others:
                self._unlocked_admins.discard(account["guid"])
            return bool(others)
