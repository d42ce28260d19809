# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connect's users API: the paths, methods, tickets and error codes of user accounts."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._http.responses import expect_object
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._api.identity import folded, same_name
from ansible_collections.posit.connect.plugins.module_utils._api.resource import NEEDS_ADMIN, Resource, needing

# Connect's code for "POST is the wrong way to create users here; PUT a ticket".
CODE_USE_TICKET = 120


class UsersApi(Resource):
    kind = "user"
    collection = "/v1/users"
    name_key = "username"
    prefix_fields = ("username", "first_name", "last_name")

    def me(self):
        """The account the API key belongs to."""
        return self.client.get_object("/v1/user", self.kind, self.fields)

    def by_name_or_case_variant(self, username):
        """(the account named exactly ``username`` or None, an account whose name differs only in case or None).

        Connect's prefix search ignores case, so one search answers both. Names
        are compared composed (NFC): a decomposed ``josé`` is the account ``josé``.
        """
        wanted = folded(username)
        variant = None
        for user in self.client.search_by_name(self.collection, username, self.kind, self.fields):
            if same_name(user["username"], username):
                return user, None
            if variant is None and folded(user["username"]) == wanted:
                variant = user
        return None, variant

    def administrators(self):
        """Every account with the administrator role (locked ones too)."""
        return self.all({"user_role": "administrator"})

    def create(self, body, ticket_fallback=False):
        """POST a new account: (user, created). ``ticket_fallback``: when Connect answers that this
        provider creates users from its directory, create it from the directory entry instead."""
        try:
            return needing(NEEDS_ADMIN, self._create, "POST", body, body["username"])
        except ConnectError as error:
            if not ticket_fallback or error.code != CODE_USE_TICKET:
                raise
        return self.create_from_entry(self.require_directory_entry(body["username"]))

    def create_from_entry(self, entry):
        """Create the account of a remote directory entry (LDAP, OAuth2 with Google): (user, created)."""
        return needing(NEEDS_ADMIN, self._create, "PUT", {"temp_ticket": entry["temp_ticket"]}, entry["username"])

    def update(self, guid, changes):
        """Change fields of an account; Connect answers the editable fields only."""
        answer = needing(NEEDS_ADMIN, self.client.put, self.path(guid), changes)
        return expect_object(answer, self.kind, (), "PUT", self.path(guid)) if answer is not None else {}

    def set_locked(self, guid, locked):
        needing(NEEDS_ADMIN, self.client.post, self.path(guid) + "/lock", {"locked": bool(locked)})
