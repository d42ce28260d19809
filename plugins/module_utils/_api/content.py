# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connect's content API: content items, their owners, and who else may view or change them.

Unlike users and groups, ``GET /v1/content`` answers one JSON array (no pages),
filtered by ``owner_guid`` and ``name``; a name is unique within its owner's
account only. An item's permissions are a list of ``{id, principal_guid,
principal_type, role}`` where role ``owner`` is what the dashboard calls a
collaborator; the item's owner is never listed among them.
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._api.identity import same_name
from ansible_collections.posit.connect.plugins.module_utils._api.resource import Resource
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._http.responses import expect_array, expect_object

ACCESS_TYPES = ("all", "logged_in", "acl")
# Permission roles as Connect names them: "owner" is a collaborator.
VIEWER, COLLABORATOR = "viewer", "owner"
PRINCIPAL_TYPES = ("user", "group")
PERMISSION_FIELDS = ("id", "principal_guid", "principal_type", "role")


class ContentApi(Resource):
    kind = "content item"
    collection = "/v1/content"
    name_key = "name"

    @property
    def fields(self):
        return ("guid", "name", "owner_guid")

    def all(self, params=None, limit=None):
        """Every item the key may see (matching ``params``: owner_guid, name), in the server's order."""
        items = expect_array(self.client.get(self.collection, params), self.kind, self.fields, "GET", self.collection)
        return items[:limit] if limit is not None else items

    def count(self, params=None):
        return len(self.all(params))

    def owned_by(self, owner_guid):
        """The items one account owns."""
        return self.all({"owner_guid": owner_guid})

    def owned_by_each(self, owner_guids):
        """``{owner_guid: [items]}`` for several accounts in the fewest calls.

        The listing is one unpaged answer, so one whole listing (filtered here)
        costs one call whatever the number of owners; one filtered listing is
        read only for a single owner, where it costs the same call and carries
        less. Owners with nothing get an empty list.
        """
        wanted = list(dict.fromkeys(owner_guids))
        if len(wanted) == 1:
            return {wanted[0]: self.owned_by(wanted[0])}
        return by_owner(self.all() if wanted else [], wanted)

    def named(self, name, owner_guid=None):
        """Every item named exactly ``name`` (composed alike, NFC; several owners may each have one), or the owner's one."""
        params = {"name": name}
        if owner_guid:
            params["owner_guid"] = owner_guid
        return [item for item in self.all(params) if same_name(item["name"], name)]

    def update(self, guid, changes):
        """Change fields of an item (owner_guid, title, description, access_type, name): the item after."""
        path = self.path(guid)
        return expect_object(self.client.patch(path, changes), self.kind, self.fields, "PATCH", path)

    def set_owner(self, guid, owner_guid):
        return self.update(guid, {"owner_guid": owner_guid})

    # -- permissions -------------------------------------------------------------

    def permissions_path(self, guid):
        return self.path(guid) + "/permissions"

    def permissions(self, guid):
        """Who besides the owner may view or change an item."""
        path = self.permissions_path(guid)
        return expect_array(self.client.get(path), "permission", PERMISSION_FIELDS, "GET", path)

    def grant(self, guid, principal_type, principal_guid, role):
        """Give a user or a group a role on an item: the new permission."""
        path = self.permissions_path(guid)
        body = {"principal_type": principal_type, "principal_guid": principal_guid, "role": role}
        return expect_object(self.client.post(path, body), "permission", PERMISSION_FIELDS, "POST", path)

    def change_role(self, guid, permission, role):
        """Move a principal to the other role in one write."""
        path = "{0}/{1}".format(self.permissions_path(guid), permission["id"])
        body = {"principal_type": permission["principal_type"], "principal_guid": permission["principal_guid"],
                "role": role}
        return expect_object(self.client.put(path, body), "permission", PERMISSION_FIELDS, "PUT", path)

    def revoke(self, guid, permission):
        """Take a permission away; one already gone is fine."""
        try:
            self.client.delete("{0}/{1}".format(self.permissions_path(guid), permission["id"]))
        except ConnectError as error:
            if error.status != 404:
                raise


def by_owner(items, owner_guids=None):
    """``{owner_guid: [items]}``; with ``owner_guids``, exactly those owners (an empty list for one with nothing)."""
    index = dict((guid, []) for guid in owner_guids or ())
    for item in items:
        owner = item.get("owner_guid")
        if owner_guids is None or owner in index:
            index.setdefault(owner, []).append(item)
    return index
