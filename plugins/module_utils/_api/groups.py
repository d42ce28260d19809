# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connect's groups API: groups and their members, with the paths, tickets and error codes they take."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._http.responses import expect_object
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._api.resource import NEEDS_OWNER, NEEDS_PUBLISHER, Resource, needing

# Connect's code for "the configured provider cannot access this endpoint"
# (member listing under LDAP, in the simulator; the real code there is a guess).
CODE_PROVIDER_CANNOT = 132


class ProviderOwnsMemberships(ConnectError):
    """The provider (LDAP, group provisioning) supplies this group's members; the API cannot list or change them."""


def provider_owns_memberships(group):
    return ProviderOwnsMemberships(
        "The members of group '{0}' come from the server's authentication provider "
        "(LDAP or group provisioning), so Connect does not let the API list or change them.".format(group.get("name")))


class GroupsApi(Resource):
    kind = "group"
    collection = "/v1/groups"
    name_key = "name"

    def create(self, name):
        """A new local group, owned by the API key's user: (group, created)."""
        return needing(NEEDS_PUBLISHER, self._create, "POST", {"name": name}, name)

    def create_from_entry(self, entry):
        """A group from the remote directory (LDAP), by its ticket: (group, created)."""
        return needing(NEEDS_PUBLISHER, self._create, "PUT", {"temp_ticket": entry["temp_ticket"]}, entry["name"])

    def modify(self, guid, changes):
        """Rename a group or change its owner (Connect modifies groups with POST)."""
        answer = needing(NEEDS_OWNER, self.client.post, self.path(guid), changes)
        return expect_object(answer, self.kind, (), "POST", self.path(guid)) if answer is not None else {}

    def delete(self, guid):
        """Delete a group; one already gone is fine."""
        try:
            needing(NEEDS_OWNER, self.client.delete, self.path(guid))
        except ConnectError as error:
            if error.status != 404:
                raise

    # -- members ---------------------------------------------------------------

    def members_path(self, guid):
        return self.path(guid) + "/members"

    def members(self, group):
        """The users in a group, whether the server pages them or sends them all at once."""
        try:
            return self.client.paginate(self.members_path(group["guid"]), kind="user", fields=("guid", "username"))
        except ConnectError as error:
            if error.code == CODE_PROVIDER_CANNOT:
                raise provider_owns_memberships(group)
            raise

    def members_of(self, groups):
        """``{group guid: its members, or None where the provider keeps them}`` for ``groups``, read in parallel.

        The one reader of many member lists: callers pass only the groups that
        matter to them, and the reads share the task's concurrency budget.
        """
        def read(group):
            try:
                return group["guid"], self.members(group)
            except ProviderOwnsMemberships:
                return group["guid"], None

        return dict(self.client.pool.map(read, groups))

    def add_member(self, group_guid, user_guid):
        """Add a user to a group; someone else having added it already is fine."""
        try:
            needing(NEEDS_OWNER, self.client.post, self.members_path(group_guid), {"user_guid": user_guid})
        except ConnectError as error:
            if error.status != 409:
                raise

    def remove_member(self, group_guid, user_guid):
        """Remove a user from a group; someone else having removed it already is fine."""
        try:
            needing(NEEDS_OWNER, self.client.delete, "{0}/{1}".format(self.members_path(group_guid), user_guid))
        except ConnectError as error:
            if error.status != 404:
                raise
