# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Users and groups by name or by guid, as content access plans and reports need them.

Permission lists name their principals by guid only, while tasks and reports
speak in usernames and group names. A Principals answers both ways, for each
kind (user, group) either from one listing of the whole kind, read when first
needed, or, when a task has only a few to find, with one exact lookup each
(a get by guid, or a name search). ``expect`` tells it how many are coming;
a bulk caller that plans many items can ask for listings from the start.

Names are compared as Connect stores them (main's identity rules, the same as
Resource.by_name and the membership planner): composed (NFC), with case, and a
look-alike (a Cyrillic ``а`` for a Latin ``a``) is never the same principal;
``near`` finds one, so that a refusal can name it. GUIDs compare without case.
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._api.identity import closest_clash, guid_key, nfc
from ansible_collections.posit.connect.plugins.module_utils._api.resource import is_guid

# At most this many lookups of one kind are made one by one; more read the kind's whole listing.
FEW = 5
KINDS = ("user", "group")
NAME_KEYS = {"user": "username", "group": "name"}


def ref_key(ref):
    """How a reference is looked up: a GUID without case, a name composed (NFC)."""
    return ("guid", guid_key(ref)) if is_guid(ref) else ("name", nfc(ref))


class Principals:
    """Finds users and groups by name or guid, caching what it has seen.

    ``listings`` True reads each kind's whole listing (once) for every lookup;
    False starts with exact lookups and switches a kind to its listing once
    ``expect`` announces more than FEW unknown references of that kind.
    """

    def __init__(self, api, listings=False):
        self.api = api
        self._use_listing = dict((kind, bool(listings)) for kind in KINDS)
        self._listing = dict((kind, None) for kind in KINDS)
        self._known = dict((kind, {}) for kind in KINDS)

    def expect(self, kind, refs):
        """Announce the references of ``kind`` about to be looked up (names or guids)."""
        unknown = set(ref_key(ref) for ref in refs if ref is not None) - set(self._known[kind])
        if len(unknown) > FEW:
            self._use_listing[kind] = True

    def reads_listing(self, kind):
        return self._use_listing[kind]

    def user(self, ref):
        return self.find("user", ref)

    def group(self, ref):
        return self.find("group", ref)

    def find(self, kind, ref):
        """The user or group that ``ref`` (a name or a guid) names, or None."""
        key = ref_key(ref)
        if self._use_listing[kind]:
            return self._index(kind).get(key)
        if key not in self._known[kind]:
            # A name is searched composed, as Connect stores it (the module's inputs are composed already).
            found = self._resource(kind).by_ref(ref if key[0] == "guid" else key[1])
            self._remember(kind, found)
            self._known[kind].setdefault(key, found)
        return self._known[kind][key]

    def near(self, kind, name):
        """(how, principal) for the one whose name is ``name`` but for case, or looks the same; (None, None).

        For a refusal only: from the listing when it was read, else with the
        API layer's look-alike searches (a few prefix searches, never the whole listing).
        """
        if is_guid(name):
            return None, None
        if self._use_listing[kind]:
            candidates = [item for key, item in self._index(kind).items() if key[0] == "guid"]
            return closest_clash(name, candidates, NAME_KEYS[kind])
        return self._resource(kind).nearest_clash(name)

    def name_of(self, kind, guid):
        """The username or group name of a guid; the guid itself for a principal that no longer exists."""
        found = self.find(kind, guid)
        return found[NAME_KEYS[kind]] if found else guid

    def _resource(self, kind):
        return self.api.users if kind == "user" else self.api.groups

    def _remember(self, kind, found):
        if found is not None:
            self._known[kind][ref_key(found["guid"])] = found
            self._known[kind].setdefault(("name", nfc(found[NAME_KEYS[kind]])), found)

    def _index(self, kind):
        """``{ref_key: principal}`` of the kind's whole listing, read once: every guid, then every name."""
        if self._listing[kind] is None:
            items = list(self._resource(kind).all())
            index = dict((("guid", guid_key(item["guid"])), item) for item in items)
            for item in items:
                name = item.get(NAME_KEYS[kind])
                if isinstance(name, str):
                    index.setdefault(("name", nfc(name)), item)
            self._listing[kind] = index
        return self._listing[kind]
