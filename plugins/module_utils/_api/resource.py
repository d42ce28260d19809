# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the users and the groups APIs of Connect have in common.

Both are a collection at ``/v1/<plural>`` with a prefix search, objects at
``/v1/<plural>/<guid>``, a remote directory at ``/v1/<plural>/remote`` whose
entries carry a ticket, and creates that must not be sent twice. A resource
class names its paths and the fields that identify its objects; planners use
resources and never build a path, pick a method or read a status.
"""

from __future__ import annotations

import re

from ansible_collections.posit.connect.plugins.module_utils._http.responses import expect_listing, expect_object
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._api.identity import closest_clash, guid_key, same_name, search_prefixes

# The most entries one remote directory search returns (Connect's limit).
DIRECTORY_LIMIT = 500

GUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


# What a write needs of the API key, for the sentence of a 403 (see ConnectError.needs).
NEEDS_ADMIN = "a key with the administrator role"
NEEDS_PUBLISHER = "a key with the publisher role (where the server lets publishers own groups) or the administrator role"
NEEDS_OWNER = "a key of the group's owner or one with the administrator role"


def needing(needs, call, *args, **kwargs):
    """``call(*args, **kwargs)``; a 403 it raises says what the write needs of the key."""
    try:
        return call(*args, **kwargs)
    except ConnectError as error:
        if error.status == 403 and error.needs is None:
            error.needs = needs
            error.args = (error.message,)
        raise


def is_guid(value):
    """Whether ``value`` is a GUID as Connect writes them (objects are named by guid or by name)."""
    return isinstance(value, str) and bool(GUID_PATTERN.match(value))


def require_guid(value, field="guid"):
    """``value`` when it is a GUID; the one sentence for one that is not."""
    if not is_guid(value):
        raise ConnectError("{0} {1!r} is not a valid Connect GUID.".format(field, value))
    return value


class Resource:
    """One kind of Connect object: ``kind`` in messages, ``collection`` its path, ``name_key`` its name field."""

    kind = "object"
    collection = ""
    name_key = "name"
    # The fields a prefix search matches (Connect ignores case).
    prefix_fields = ("name",)

    def __init__(self, client):
        self.client = client

    @property
    def fields(self):
        """The fields an object of this kind must have for the collection to use it."""
        return ("guid", self.name_key)

    def path(self, guid):
        # Connect writes GUIDs in lower case; one pasted in upper case names the same object.
        return "{0}/{1}".format(self.collection, guid_key(guid))

    def get(self, guid):
        """The object with this guid, or None."""
        try:
            return self.client.get_object(self.path(guid), self.kind, self.fields)
        except ConnectError as error:
            if error.status == 404:
                return None
            raise

    def all(self, params=None, limit=None):
        """Every object (matching ``params``), in server order, with the server's ``total``."""
        return self.client.paginate(self.collection, params, limit, self.kind, self.fields)

    def pages(self, numbers):
        """The objects on some pages of the whole listing (page numbers as ``all()``'s ``page_of`` gave them)."""
        return self.client.read_pages(self.collection, numbers, self.kind, self.fields)

    def count(self, params=None):
        return self.client.total(self.collection, params)

    def by_name(self, name, filters=None):
        """The object named exactly ``name`` (once both are composed, NFC; and matching ``filters``), or None."""
        for item in self.client.search_by_name(self.collection, name, self.kind, self.fields, filters):
            if same_name(item[self.name_key], name):
                return item
        return None

    def nearest_clash(self, name, except_guid=None):
        """(how, object) for the object whose name is ``name``, but for case, or looks the same; (None, None).

        An exact holder comes first, then a case variant, then a look-alike.
        Found with one prefix search per character a look-alike could begin
        with (search_prefixes), never by reading the whole listing.
        """
        found = {}
        for prefix in search_prefixes(name):
            for item in self.client.search_by_name(self.collection, prefix, self.kind, self.fields):
                found.setdefault(item["guid"], item)
        return closest_clash(name, found.values(), self.name_key, except_guid)

    def by_ref(self, ref):
        """The object named by a guid or by its name, or None."""
        return self.get(ref) if is_guid(ref) else self.by_name(ref)

    def find(self, guid=None, name=None, filters=None, limit=None, count_only=False):
        """What an info module asks: one object by guid or by exact name, a count, or a search: (objects, count).

        ``filters`` are the listing's query (prefix, role, status...); a count
        alone is one request.
        """
        filters = dict(filters or {})
        if limit is not None and limit < 1:
            raise ConnectError("limit must be 1 or more, not {0}.".format(limit))
        if guid is not None:
            found = self.get(require_guid(guid))
            if found is None:
                raise ConnectError("No Connect {0} has guid {1}.".format(self.kind, guid))
            return [found], 1
        if name is not None:
            if not name:
                raise ConnectError("{0} must not be empty.".format(self.name_key))
            filters.pop("prefix", None)
            found = self.by_name(name, filters)
            return ([found], 1) if found else ([], 0)
        if count_only:
            return [], self.count(filters)
        return self.search(filters, limit)

    def search(self, filters=None, limit=None):
        """(objects, total) of a listing or a prefix search.

        Connect before 2025.04 cannot page a prefix search (page 2 is empty for
        users, page 1 again for groups): when one ends short, the matches are
        found in the whole listing instead, in its order.
        """
        found = self.all(filters, limit=limit)
        if (filters or {}).get("prefix") and len(found) < min(found.total, limit or found.total):
            return self._prefix_matches(filters, limit), found.total
        return list(found), found.total

    def _prefix_matches(self, filters, limit):
        prefix = filters["prefix"].casefold()
        unprefixed = dict((key, value) for key, value in filters.items() if key != "prefix")
        matches = []
        for item in self.all(unprefixed):
            if any((item.get(field) or "").casefold().startswith(prefix) for field in self.prefix_fields):
                matches.append(item)
                if limit is not None and len(matches) >= limit:
                    break
        return matches

    def directory_entry(self, name):
        """The remote directory's entry (with its ``temp_ticket``) named exactly ``name``, or None."""
        path = self.collection + "/remote"
        found = expect_listing(self.client.get(path, {"prefix": name, "limit": DIRECTORY_LIMIT}), "GET", path)
        for entry in found["results"]:
            if isinstance(entry, dict) and same_name(entry.get(self.name_key), name) and entry.get("temp_ticket"):
                return entry
        return None

    def require_directory_entry(self, name, provider="authentication"):
        """The remote directory's entry named ``name``; a clear error when there is none (nothing can be created)."""
        entry = self.directory_entry(name)
        if entry is None:
            raise ConnectError("{0} '{1}' is not in the directory of the server's {2} provider, so Connect "
                               "cannot create it.".format(self.kind.capitalize(), name, provider))
        return entry

    def _create(self, method, body, name):
        """Create once (see ConnectClient.create): (object, created)."""
        created, made = self.client.create(method, self.collection, body, lambda: self.by_name(name))
        return expect_object(created, self.kind, self.fields, method, self.collection), made
