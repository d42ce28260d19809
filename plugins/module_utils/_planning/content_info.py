# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding content items and reading who may view and change them: the search behind connect_content_info.

An access review reads every item's permission list: one request per item.
They are read through the task's WorkPool (``client.pool``: the module's
``concurrency`` at a time, the budget the listing pages share), and the names
of the people and groups they hold come from one listing of users and one of
groups (or a few exact lookups, see principals.py) for all items together.
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._api.resource import is_guid
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.access_views import permission_view, sorted_views
from ansible_collections.posit.connect.plugins.module_utils._planning.principals import KINDS, Principals


class ContentQuery:
    """What to look for: one ``guid``, or items by ``name`` and/or ``owner`` (a username or guid), or all."""

    def __init__(self, guid=None, name=None, owner=None, limit=None, count_only=False, include_permissions=False):
        self.guid = guid
        self.name = name
        self.owner = owner
        self.limit = limit
        self.count_only = count_only
        self.include_permissions = include_permissions


def find_content(api, query, principals=None):
    """(items, count): the matching items (at most ``limit``), with their access when asked, and how many match."""
    principals = principals or Principals(api)
    items = _matching(api, query, principals)
    count = len(items)
    if query.count_only:
        return [], count
    if query.limit is not None:
        items = items[:query.limit]
    if query.include_permissions:
        items = with_access(api, items, principals)
    return items, count


def _matching(api, query, principals):
    """Every matching item in the server's order: one get, or one listing (filtered by Connect when it can)."""
    if query.guid is not None:
        if not is_guid(query.guid):
            raise ConnectError("guid {0!r} is not a valid Connect GUID.".format(query.guid))
        item = api.content.get(query.guid)
        if item is None:
            raise ConnectError("No content item has guid {0}.".format(query.guid))
        return [item]
    owner_guid = None
    if query.owner is not None:
        owner = principals.user(query.owner)
        if owner is None:
            raise ConnectError("No Connect user is named '{0}', so no content is owned by them.".format(query.owner))
        owner_guid = owner["guid"]
    if query.name is not None:
        return api.content.named(query.name, owner_guid)
    if owner_guid is not None:
        return api.content.owned_by(owner_guid)
    return api.content.all()


def read_permissions(content, items, run_all):
    """``{item guid: its permissions}``, read through ``run_all`` (the task pool's ``map``); an item deleted
    meanwhile is left out."""
    def read(item):
        try:
            return item["guid"], content.permissions(item["guid"])
        except ConnectError as error:
            if error.status == 404:
                return item["guid"], None
            raise

    pairs = run_all(read, items)
    return dict((guid, permissions) for guid, permissions in pairs if permissions is not None)


def with_access(api, items, principals):
    """Each item with ``owner`` (the owner's username) and ``permissions`` (names resolved, sorted)."""
    listings = read_permissions(api.content, items, api.client.pool.map)
    items = [item for item in items if item["guid"] in listings]
    for kind in KINDS:
        refs = [permission["principal_guid"] for permissions in listings.values() for permission in permissions
                if permission["principal_type"] == kind]
        if kind == "user":
            refs.extend(item["owner_guid"] for item in items)
        principals.expect(kind, refs)
    return [dict(item, owner=principals.name_of("user", item["owner_guid"]),
                 permissions=sorted_views(permission_view(permission, principals)
                                          for permission in listings[item["guid"]]))
            for item in items]
