# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory stand-in for ConnectClient, for testing planners without HTTP.

It answers the few calls the planners make from a dict of users and groups, and
records every call, so a test can say both what was planned and what it cost.
"""

from __future__ import annotations

import uuid

from ansible_collections.posit.connect.plugins.module_utils.client import Listing
from ansible_collections.posit.connect.plugins.module_utils.errors import ConnectError


def make_user(username, **fields):
    user = {"guid": str(uuid.uuid4()), "username": username, "email": username + "@example.com",
            "first_name": "", "last_name": "", "user_role": "viewer", "locked": False, "confirmed": True,
            "created_time": "2026-01-01T00:00:00Z", "updated_time": "2026-01-01T00:00:00Z", "active_time": None}
    user.update(fields)
    return user


class FakeClient:
    def __init__(self, users=(), groups=(), settings=None, me=None):
        self.users = dict((user["guid"], user) for user in users)
        self.groups = dict((group["guid"], group) for group in groups)
        self.members = dict((group["guid"], set(group.pop("member_guids", ()))) for group in self.groups.values())
        self.settings = settings if settings is not None else {"authentication": {"name": "password", "external_user_search": False}}
        self.me = me
        self.calls = []

    # Reads
    def get(self, path, params=None):
        self.calls.append(("GET", path))
        if path == "/server_settings":
            return self.settings
        if path == "/v1/user":
            return self.me
        if path.startswith("/v1/users/"):
            return self._user(path.split("/")[3])
        if path.startswith("/v1/groups/"):
            return self._group(path.split("/")[3])
        raise AssertionError("unexpected GET " + path)

    def iterate(self, path, params=None, listing=None):
        self.calls.append(("GET", path))
        prefix = (params or {}).get("prefix", "").lower()
        if path == "/v1/users":
            items = [u for u in self.users.values() if u["username"].lower().startswith(prefix)]
        elif path == "/v1/groups":
            items = [g for g in self.groups.values() if g["name"].lower().startswith(prefix)]
        elif path.endswith("/members"):
            items = [self.users[guid] for guid in self.members[path.split("/")[3]]]
        else:
            raise AssertionError("unexpected listing " + path)
        if listing is not None:
            listing.total = len(items)
        return iter(list(items))

    def paginate(self, path, params=None, limit=None):
        items = Listing(self.iterate(path, params))
        items.total = len(items)
        return items

    # Writes
    def put(self, path, body):
        self.calls.append(("PUT", path))
        user = self._user(path.split("/")[3])
        user.update(body)
        return dict((key, user[key]) for key in ("email", "username", "first_name", "last_name", "user_role", "updated_time"))

    def post(self, path, body):
        self.calls.append(("POST", path))
        if path.endswith("/lock"):
            self._user(path.split("/")[3])["locked"] = body["locked"]
            return {}
        if path.endswith("/members"):
            self.members[path.split("/")[3]].add(body["user_guid"])
            return None
        group = self._group(path.split("/")[3])
        group.update(body)
        return dict(group)

    def delete(self, path):
        self.calls.append(("DELETE", path))
        parts = path.split("/")
        if len(parts) == 6:
            self.members[parts[3]].discard(parts[5])
        else:
            del self.groups[parts[3]]

    def create(self, method, path, body, find_existing):
        self.calls.append((method, path))
        if path == "/v1/users":
            user = make_user(body["username"], **dict((k, v) for k, v in body.items() if k in ("email", "first_name", "last_name", "user_role")))
            self.users[user["guid"]] = user
            return dict(user)
        group = {"guid": str(uuid.uuid4()), "name": body["name"], "owner_guid": self.me and self.me["guid"]}
        self.groups[group["guid"]] = group
        self.members[group["guid"]] = set()
        return dict(group)

    def writes(self):
        return [call for call in self.calls if call[0] != "GET"]

    def _user(self, guid):
        if guid not in self.users:
            raise ConnectError(status=404, code=4, error="The requested object does not exist.", method="GET", path="/v1/users/" + guid)
        return self.users[guid]

    def _group(self, guid):
        if guid not in self.groups:
            raise ConnectError(status=404, code=4, error="The requested object does not exist.", method="GET", path="/v1/groups/" + guid)
        return self.groups[guid]
