# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connect's content API for the fake server: items, their owners and their permissions.

FakeConnect takes this as a mixin, so that the users and groups fake stays one
readable file. ``GET /v1/content`` answers a bare JSON array (no pages), filtered
by ``owner_guid`` and ``name``; ``PATCH`` changes an item's fields, its owner
included; the permissions endpoints keep ``{id, content_guid, principal_guid,
principal_type, role}`` records.
"""

from __future__ import annotations

import collections
import copy
import uuid

CONTENT_FIELDS = ("name", "title", "description", "access_type", "owner_guid")
NOT_FOUND = {"code": 4, "error": "The requested object does not exist.", "payload": None}


def make_content(name, owner, **fields):
    """A content item owned by ``owner`` (a user dict), as Connect lists it."""
    guid = str(uuid.uuid4())
    item = {"guid": guid, "name": name, "title": fields.pop("title", name.replace("-", " ").title()),
            "description": "", "access_type": "acl", "owner_guid": owner["guid"], "app_mode": "shiny",
            "content_category": "", "created_time": "2026-01-01T00:00:00Z", "last_deployed_time": None,
            "content_url": "https://connect.example.com/content/{0}/".format(guid),
            "dashboard_url": "https://connect.example.com/connect/#/apps/{0}".format(guid)}
    item.update(fields)
    return item


class ContentRoutes:
    """The content part of FakeConnect: ``self.content`` (guid -> item) and ``self.permissions`` (guid -> list)."""

    def init_content(self, content=()):
        self.content = collections.OrderedDict((item["guid"], copy.deepcopy(item)) for item in content)
        self.permissions = dict((guid, []) for guid in self.content)
        self._next_permission = 1

    def owned_names(self, owner):
        """The names of the items a user dict owns, sorted."""
        return sorted(item["name"] for item in self.content.values() if item["owner_guid"] == owner["guid"])

    def _content(self, method, rest, call):
        body = call.body or {}
        if not rest:
            if method == "GET":
                found = [item for item in self.content.values()
                         if all(item.get(key) == call.params[key] for key in ("owner_guid", "name") if key in call.params)]
                return 200, copy.deepcopy(found)
            if method == "POST":
                item = make_content(body["name"], self.users[self.me_guid], **dict(
                    (key, value) for key, value in body.items() if key in CONTENT_FIELDS and key != "name"))
                self.content[item["guid"]] = item
                self.permissions[item["guid"]] = []
                return 200, copy.deepcopy(item)
        else:
            item = self.content.get(rest[0])
            if item is None:
                return 404, NOT_FOUND
            if len(rest) == 1:
                return self._content_item(method, item, body)
            if rest[1] == "permissions":
                return self._permissions(method, item, rest[2:], body)
        raise AssertionError("the fake has no route for {0} {1}".format(method, call.path))

    def _content_item(self, method, item, body):
        if method == "GET":
            return 200, copy.deepcopy(item)
        if method == "PATCH":
            if "owner_guid" in body and body["owner_guid"] not in self.users:
                return 400, {"code": 3, "error": "The owner does not exist.", "payload": None}
            item.update((key, value) for key, value in body.items() if key in CONTENT_FIELDS)
            return 200, copy.deepcopy(item)
        if method == "DELETE":
            del self.content[item["guid"]]
            return 204, None
        raise AssertionError("the fake has no route for {0} content".format(method))

    def _permissions(self, method, item, rest, body):
        granted = self.permissions[item["guid"]]
        if not rest and method == "GET":
            return 200, copy.deepcopy(granted)
        if not rest and method == "POST":
            permission = dict(id=self._next_permission, content_guid=item["guid"], **dict(
                (key, body[key]) for key in ("principal_guid", "principal_type", "role")))
            self._next_permission += 1
            granted.append(permission)
            return 200, copy.deepcopy(permission)
        found = next((p for p in granted if rest and str(p["id"]) == rest[0]), None)
        if found is None:
            return 404, NOT_FOUND
        if method == "PUT":
            found.update((key, body[key]) for key in ("principal_guid", "principal_type", "role"))
            return 200, copy.deepcopy(found)
        if method == "DELETE":
            granted.remove(found)
            return 204, None
        raise AssertionError("the fake has no route for {0} permissions".format(method))
