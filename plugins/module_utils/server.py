# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Facts about the server that planners need now and then, each read at most once.

Nothing here is read eagerly: a run with nothing to change must not pay for
server_settings or for the caller's own account.
"""

from __future__ import annotations

import re

GUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

# Providers whose accounts are created from a directory entry (a ticket) rather than POSTed.
TICKET = "ticket"
POST = "post"
UNKNOWN = "unknown"


def is_guid(value):
    return isinstance(value, str) and bool(GUID_PATTERN.match(value))


class ServerFacts:
    """Lazily read, cached facts: the authentication settings and the caller's account."""

    def __init__(self, client):
        self.client = client
        self._settings = None
        self._me = None

    @property
    def settings(self):
        if self._settings is None:
            self._settings = self.client.get("/server_settings") or {}
        return self._settings

    @property
    def authentication(self):
        """The ``authentication`` block, or {} when the server hides its settings."""
        return self.settings.get("authentication") or {}

    @property
    def provider_name(self):
        return self.authentication.get("name") or "unknown"

    def user_creation(self):
        """TICKET, POST, or UNKNOWN when the server does not say."""
        auth = self.authentication
        if "external_user_search" not in auth:
            return UNKNOWN
        return TICKET if auth.get("external_user_search") else POST

    def memberships_owned_by_provider(self):
        """True when the provider supplies group memberships, so the API may not change them."""
        return bool(self.authentication.get("external_group_members"))

    @property
    def me(self):
        """The user the API key belongs to."""
        if self._me is None:
            self._me = self.client.get("/v1/user")
        return self._me
