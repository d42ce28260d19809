# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Facts about the server that planners need now and then, each read at most once.

Nothing here is read eagerly: a run with nothing to change must not pay for
server_settings or for the caller's own account.
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._http.responses import expect_object
from ansible_collections.posit.connect.plugins.module_utils._api import providers

# How accounts are created: from a directory entry (a ticket) or POSTed.
TICKET = "ticket"
POST = "post"
UNKNOWN = "unknown"

# Connect refuses passwords shorter than this (2023.09 API spec, POST /v1/users).
MIN_PASSWORD_LENGTH = 6


class ServerFacts:
    """Lazily read, cached facts: the authentication settings and the caller's account."""

    def __init__(self, client, users):
        self.client = client
        self.users = users
        self._settings = None
        self._provider = None
        self._me = None

    @property
    def settings(self):
        if self._settings is None:
            answer = self.client.get("/server_settings")
            # A server that hides its settings answers {}; anything but an object is not Connect.
            self._settings = expect_object(answer, "server settings", (), "GET", "/server_settings") if answer else {}
        return self._settings

    @property
    def authentication(self):
        """The ``authentication`` block, or {} when the server hides its settings."""
        block = self.settings.get("authentication")
        return block if isinstance(block, dict) else {}

    def provider(self):
        """The authentication provider as the settings show it (providers.Provider): confirmed fields first."""
        if self._provider is None:
            self._provider = providers.infer(self.authentication)
        return self._provider

    @property
    def provider_name(self):
        """The provider for messages ("LDAP authentication"), or "authentication" when the server does not say."""
        provider = self.provider()
        return "{0} authentication".format(provider.describe()) if provider.possible else "authentication"

    def provider_kind(self):
        """password, pam, ldap, saml, oauth2, proxy, or unknown (settings hidden, or more than one possible)."""
        return self.provider().kind

    def user_creation(self):
        """TICKET, POST, or UNKNOWN when the server does not say."""
        auth = self.authentication
        if "external_user_search" not in auth:
            return UNKNOWN
        return TICKET if auth.get("external_user_search") else POST

    def groups_from_directory(self):
        """True when groups are created from the provider's directory (LDAP), not by name."""
        return bool(self.authentication.get("external_group_search"))

    def memberships_owned_by_provider(self):
        """True when the provider supplies group memberships, so the API may not change them."""
        return bool(self.authentication.get("external_group_members"))

    def prohibited_usernames(self):
        names = self.settings.get("prohibited_usernames")
        return set(name for name in names if isinstance(name, str)) if isinstance(names, list) else set()

    @property
    def me(self):
        """The user the API key belongs to."""
        if self._me is None:
            self._me = self.users.me()
        return self._me
