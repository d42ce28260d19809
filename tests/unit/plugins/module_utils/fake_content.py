# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connect's content API for the fake server: items, their owners and their permissions.

FakeConnect takes this as a mixin, so that the users and groups fake stays one
readable file. ``GET /v1/content`` answers a bare JSON array (no pages), filtered
by ``owner_guid`` and ``name``; ``PATCH`` changes an item's fields, its owner
included; the permissions endpoints keep ``{id, content_guid, principal_guid,
principal_type, role}`` records with string ids, as Connect (2023.09 spec,
posit-sdk's recorded answers) and the simulator write them: the item's owner
is never in the list, collaborators (role ``owner``) are only publishers and
administrators, and a principal is listed at most once.
"""

from __future__ import annotations

import collections
import copy
import uuid

CONTENT_FIELDS = ("name", "title", "description", "access_type", "owner_guid")
NOT_FOUND = {"code": 4, "error": "The requested object does not exist.", "payload": None}
PERMISSION_KEYS = ("principal_guid", "principal_type", "role")
ALREADY_LISTED = {"user": {"code": 154, "error": "The user is already in the content's permission list.", "payload": None},
                  "group": {"code": 155, "error": "The group is already in the content's permission list.", "payload": None}}
OWNER_LISTED = {"code": 34, "error": "The owner of the content cannot be added as a collaborator or viewer.", "payload": None}
NOT_A_PUBLISHER = {"code": 33, "error": "This user cannot be a collaborator: they may not publish content.", "payload": None}
NO_SUCH_USER = {"code": 9, "error": "The requested user does not exist.", "payload": None}
NO_SUCH_GROUP = {"code": 153, "error": "The requested group does not exist.", "payload": None}


def grant(principal, role="viewer"):
    """A permission for make_content's ``permissions``: ``principal`` is a user or a group dict (make_user, make_group)."""
    kind = "user" if "username" in principal else "group"
    return {"principal_guid": principal["guid"], "principal_type": kind, "role": role}


def make_content(name, owner, permissions=(), **fields):
    """A content item owned by ``owner`` (a user dict), as Connect lists it; ``permissions`` (grant()) seed its list."""
    guid = str(uuid.uuid4())
    item = {"guid": guid, "name": name, "title": fields.pop("title", name.replace("-", " ").title()),
            "description": "", "access_type": "acl", "owner_guid": owner["guid"], "app_mode": "shiny",
            "content_category": "", "created_time": "2026-01-01T00:00:00Z", "last_deployed_time": None,
            "content_url": "https://connect.example.com/content/{0}/".format(guid),
            "dashboard_url": "https://connect.example.com/connect/#/apps/{0}".format(guid)}
    item.update(fields)
    if permissions:
        item["permissions"] = [dict(entry) for entry in permissions]
    return item


class ContentRoutes:
    """The content part of FakeConnect: ``self.content`` (guid -> item) and ``self.permissions`` (guid -> list)."""

    def init_content(self, content=()):
        self.content = collections.OrderedDict()
        self.permissions = {}
        self._next_permission = 1
        for item in content:
            item = copy.deepcopy(item)
            entries = item.pop("permissions", [])
            self.content[item["guid"]] = item
            self.permissions[item["guid"]] = []
            for entry in entries:
                self._add_permission(item["guid"], entry)

    def _add_permission(self, guid, entry):
        """Add a permission as the server would (no checks): the new record."""
        permission = dict(((key, entry[key]) for key in PERMISSION_KEYS), id=str(self._next_permission),
                          content_guid=guid)
        self._next_permission += 1
        self.permissions[guid].append(permission)
        return permission

    def content_named(self, name):
        """The first item named ``name``."""
        return next(item for item in self.content.values() if item["name"] == name)

    def access_of(self, name):
        """{(principal name, role)} of the first item named ``name``, by username or group name."""
        item = self.content_named(name)
        names = dict((user["guid"], user["username"]) for user in self.users.values())
        names.update((group["guid"], group["name"]) for group in self.groups.values())
        return set((names[entry["principal_guid"]], entry["role"]) for entry in self.permissions[item["guid"]])

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
            refused = self._refuse_principal(item, body, None)
            return refused or (200, copy.deepcopy(self._add_permission(item["guid"], body)))
        found = next((p for p in granted if rest and str(p["id"]) == rest[0]), None)
        if found is None:
            return 404, NOT_FOUND
        if method == "PUT":
            refused = self._refuse_principal(item, dict(found, **body), found)
            if refused:
                return refused
            found.update((key, body[key]) for key in PERMISSION_KEYS if key in body)
            return 200, copy.deepcopy(found)
        if method == "DELETE":
            granted.remove(found)
            return 204, None
        raise AssertionError("the fake has no route for {0} permissions".format(method))

    def _refuse_principal(self, item, body, replacing):
        """Connect's refusal of a principal in ``item``'s list (as the simulator's checked_principal), or None."""
        guid, kind = body["principal_guid"], body["principal_type"]
        if kind == "user":
            user = self.users.get(guid)
            if user is None:
                return 404, NO_SUCH_USER
            if guid == item["owner_guid"]:
                return 400, OWNER_LISTED
            if body["role"] == "owner" and user["user_role"] not in ("publisher", "administrator"):
                return 403, NOT_A_PUBLISHER
        elif guid not in self.groups:
            return 404, NO_SUCH_GROUP
        holder = next((entry for entry in self.permissions[item["guid"]] if entry["principal_guid"] == guid), None)
        if holder is not None and holder is not replacing:
            return 409, ALREADY_LISTED[kind]
        return None
