# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory Connect server that stands in for the requests Session of a real ConnectClient.

Planners are tested through ``ConnectApi(fake.client())`` exactly as modules use
them: the real client pages, retries, checks answers and searches, and this fake
answers like Connect does. It pages listings (``page_size`` honoured, capped at
``page_cap``, with ``total``), can behave like a server before 2025.04 (page 2 of
a prefix search is empty for users and repeats page 1 for groups), creates
accounts and groups from directory tickets, lists members, and records every
call as ``Call(method, path, params, body)``. ``inject`` scripts answers
(statuses, lost answers, races) for one path, in order, before the normal ones.
"""

from __future__ import annotations

import collections
import copy
import fnmatch
import http.client
import io
import json
import threading
import uuid

import requests
import requests.structures

from ansible_collections.posit.connect.plugins.module_utils._api.connect import ConnectApi
from ansible_collections.posit.connect.plugins.module_utils._http.client import ConnectClient, RetryPolicy
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_content import ContentRoutes

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    urlsplit = None

SERVER = "https://connect.example.com"
KEY = "k3y-0123456789abcdef"

PASSWORD = {"authentication": {"name": "password", "handles_credentials": True, "external_user_data": False,
                               "external_user_search": False, "external_group_search": False,
                               "external_group_members": False},
            "prohibited_usernames": ["login", "admin-api", "connect"]}
LDAP = {"authentication": {"name": "LDAP", "handles_credentials": True, "external_user_data": True,
                           "external_user_search": True, "external_group_search": True, "external_group_members": True}}
SAML = {"authentication": {"name": "SAML", "handles_credentials": False, "external_user_data": True,
                           "external_user_search": False, "external_group_search": False, "external_group_members": False}}
HIDDEN = {}

NOT_FOUND = {"code": 4, "error": "The requested object does not exist.", "payload": None}
USERNAME_TAKEN = {"code": 8, "error": "The requested username is already in use.", "payload": None}
GROUP_TAKEN = {"code": 9, "error": "The requested group name is already in use.", "payload": None}
USE_TICKET = {"code": 120, "error": "This authentication provider creates users from its directory.", "payload": None}
EDITABLE = ("username", "email", "first_name", "last_name", "user_role")

Call = collections.namedtuple("Call", "method path params body")


def new_guid():
    return str(uuid.uuid4())


def make_user(username, **fields):
    user = {"guid": new_guid(), "username": username, "email": username + "@example.com",
            "first_name": "", "last_name": "", "user_role": "viewer", "locked": False, "confirmed": True,
            "created_time": "2026-01-01T00:00:00Z", "updated_time": "2026-01-01T00:00:00Z", "active_time": None}
    user.update(fields)
    return user


def make_group(name, owner=None, members=(), **fields):
    """A group dict; ``members`` (user dicts) are taken out by FakeConnect."""
    group = {"guid": new_guid(), "name": name, "owner_guid": owner["guid"] if owner else None,
             "members": [user["guid"] for user in members]}
    group.update(fields)
    return group


def answer(status=200, body=None, headers=None, text=None, url=None):
    """A real requests Response, as a server would send it."""
    headers = dict(headers or {})
    if text is not None:
        content = text.encode("utf-8")
    elif body is None:
        content = b""
    else:
        content = json.dumps(body).encode("utf-8")
        headers.setdefault("Content-Type", "application/json")
    response = requests.Response()
    response.status_code = status
    response.reason = http.client.responses.get(status, "")
    response.headers = requests.structures.CaseInsensitiveDict(headers)
    response.raw = io.BytesIO(content)
    response.url = url
    response.encoding = "utf-8"
    return response


class Rule:
    def __init__(self, method, path, answers):
        self.method = method
        self.path = path
        self.answers = list(answers)

    def matches(self, call):
        return self.answers and call.method == self.method and fnmatch.fnmatchcase(call.path, self.path)


class FakeConnect(ContentRoutes):
    """A Connect server in memory, used as the requests Session of a ConnectClient."""

    def __init__(self, users=(), groups=(), settings=None, me=None, page_cap=500, old_server=False,
                 user_directory=(), group_directory=(), content=(), default_role="viewer"):
        self.users = collections.OrderedDict((user["guid"], copy.deepcopy(user)) for user in users)
        if me is not None and me["guid"] not in self.users:
            self.users[me["guid"]] = copy.deepcopy(me)
        self.me_guid = me["guid"] if me is not None else None
        self.groups = collections.OrderedDict()
        self.members = {}
        for group in groups:
            group = copy.deepcopy(group)
            self.members[group["guid"]] = list(group.pop("members", []))
            self.groups[group["guid"]] = group
        self.settings = copy.deepcopy(PASSWORD if settings is None else settings)
        self.page_cap = page_cap
        self.old_server = old_server
        # Authorization.DefaultUserRole: the role of an account created without one.
        self.default_role = default_role
        self.user_directory = [dict(entry) for entry in user_directory]
        self.group_directory = [dict(entry) for entry in group_directory]
        self.init_content(content)
        self.calls = []
        self.sleeps = []
        self._rules = []
        self._lock = threading.RLock()

    # -- test helpers -----------------------------------------------------------------

    def client(self, retries=3, max_time=60.0, timeout=30.0, clock=None, concurrency=4):
        """A real ConnectClient whose every request comes here; its sleeps are recorded, not slept."""
        kwargs = {"clock": clock} if clock is not None else {}
        policy = RetryPolicy(retries=retries, max_time=max_time, sleep=self.sleeps.append, **kwargs)
        client = ConnectClient(SERVER, KEY, timeout=timeout, retry_policy=policy, concurrency=concurrency)
        client.session = self
        return client

    def api(self, **kwargs):
        return ConnectApi(self.client(**kwargs))

    def inject(self, method, path, *answers):
        """Answer the next calls to ``method path`` (fnmatch pattern) with ``answers``, in order.

        An answer is a Response, an exception to raise, or ``f(fake, call)``
        returning either (or None to answer normally).
        """
        self._rules.append(Rule(method, path, answers))

    def lose_answer(self, method, path, applied=True):
        """The next ``method path`` is applied (or not) and its answer lost on the way back."""
        def lose(fake, call):
            if applied:
                fake.route(call)
            return requests.exceptions.ConnectionError("Connection aborted: RemoteDisconnected")
        self.inject(method, path, lose)

    def writes(self):
        return [(call.method, call.path) for call in self.calls if call.method != "GET"]

    def reads(self):
        return [(call.method, call.path) for call in self.calls if call.method == "GET"]

    def bodies(self, method, path):
        return [call.body for call in self.calls if call.method == method and fnmatch.fnmatchcase(call.path, path)]

    def user_named(self, username):
        return next((user for user in self.users.values() if user["username"] == username), None)

    def group_named(self, name):
        return next((group for group in self.groups.values() if group["name"] == name), None)

    def member_names(self, group_name):
        return sorted(self.users[guid]["username"] for guid in self.members[self.group_named(group_name)["guid"]])

    # -- the Session interface the client uses ---------------------------------------------

    def request(self, method, url, params=None, json=None, timeout=None, verify=None,  # pylint: disable=redefined-outer-name
                allow_redirects=True, **kwargs):
        assert allow_redirects is False, "the client must never follow redirects"
        path = urlsplit(url).path
        assert path.startswith("/__api__"), url
        call = Call(method, path[len("/__api__"):], dict(params or {}), copy.deepcopy(json))
        with self._lock:
            self.calls.append(call)
            for rule in self._rules:
                if rule.matches(call):
                    result = rule.answers.pop(0)
                    if callable(result):
                        result = result(self, call)
                    if isinstance(result, BaseException):
                        raise result
                    if result is not None:
                        result.url = result.url or url
                        return result
                    break
            status, body = self.route(call)
        return answer(status, body, url=url)

    # -- Connect's API -------------------------------------------------------------------

    def route(self, call):
        """(status, body) for a call, changing the state as Connect would."""
        parts = call.path.strip("/").split("/")
        method = call.method
        if call.path == "/server_settings" and method == "GET":
            return 200, self.settings
        if call.path == "/v1/user" and method == "GET":
            return (200, self.users[self.me_guid]) if self.me_guid else (401, {"code": 30, "error": "Invalid login."})
        if parts[:2] == ["v1", "users"]:
            return self._users(method, parts[2:], call)
        if parts[:2] == ["v1", "groups"]:
            return self._groups(method, parts[2:], call)
        if parts[:2] == ["v1", "content"]:
            return self._content(method, parts[2:], call)
        raise AssertionError("the fake has no route for {0} {1}".format(method, call.path))

    def _page(self, items, params, repeat_first=False):
        size = min(int(params.get("page_size", 20)), self.page_cap)
        number = int(params.get("page_number", 1))
        if self.old_server and params.get("prefix") and number > 1:
            if not repeat_first:
                return 200, {"results": [], "current_page": number, "total": len(items)}
            number = 1
        chosen = items[(number - 1) * size:number * size]
        return 200, {"results": copy.deepcopy(chosen), "current_page": number, "total": len(items)}

    @staticmethod
    def _either(value, candidates):
        return not value or any(part in candidates for part in value.split("|"))

    def _matching_users(self, params):
        prefix = (params.get("prefix") or "").casefold()
        found = []
        for user in self.users.values():
            names = (user["username"], user.get("first_name") or "", user.get("last_name") or "")
            if prefix and not any(name.casefold().startswith(prefix) for name in names):
                continue
            if not self._either(params.get("user_role"), [user["user_role"]]):
                continue
            statuses = ["locked"] if user.get("locked") else ["licensed"]
            if not self._either(params.get("account_status"), statuses):
                continue
            found.append(user)
        return found

    def _users(self, method, rest, call):
        body = call.body or {}
        if not rest:
            if method == "GET":
                return self._page(self._matching_users(call.params), call.params)
            if method == "POST":
                if self.settings.get("authentication", {}).get("external_user_search"):
                    return 400, USE_TICKET
                return self._create_user(dict((key, value) for key, value in body.items() if key in EDITABLE),
                                         confirmed=not body.get("user_must_set_password"))
            if method == "PUT":
                entry = next((e for e in self.user_directory if e["temp_ticket"] == body.get("temp_ticket")), None)
                if entry is None:
                    return 400, {"code": 121, "error": "The ticket is not valid.", "payload": None}
                return self._create_user(dict((key, value) for key, value in entry.items() if key in EDITABLE))
        elif rest == ["remote"] and method == "GET":
            prefix = (call.params.get("prefix") or "").casefold()
            found = [e for e in self.user_directory if e["username"].casefold().startswith(prefix)]
            return 200, {"results": copy.deepcopy(found), "current_page": 1, "total": len(found)}
        else:
            user = self.users.get(rest[0])
            if user is None:
                return 404, NOT_FOUND
            if len(rest) == 1 and method == "GET":
                return 200, user
            if len(rest) == 1 and method == "PUT":
                taken = self.user_named(body.get("username"))
                if taken is not None and taken["guid"] != user["guid"]:
                    return 409, USERNAME_TAKEN
                user.update((key, value) for key, value in body.items() if key in EDITABLE)
                return 200, dict((key, user[key]) for key in EDITABLE + ("updated_time",))
            if rest[1:] == ["lock"] and method == "POST":
                user["locked"] = bool(body["locked"])
                return 200, None
        raise AssertionError("the fake has no route for {0} {1}".format(method, call.path))

    def _create_user(self, fields, confirmed=True):
        if self.user_named(fields["username"]) is not None:
            return 409, USERNAME_TAKEN
        user = make_user(fields["username"], email="", confirmed=confirmed, user_role=self.default_role)
        user.update(fields)
        self.users[user["guid"]] = user
        return 200, user

    def _groups(self, method, rest, call):
        body = call.body or {}
        if not rest:
            if method == "GET":
                prefix = (call.params.get("prefix") or "").casefold()
                found = [g for g in self.groups.values() if g["name"].casefold().startswith(prefix)]
                return self._page(found, call.params, repeat_first=True)
            if method == "POST":
                return self._create_group(body["name"], self.me_guid)
            if method == "PUT":
                entry = next((e for e in self.group_directory if e["temp_ticket"] == body.get("temp_ticket")), None)
                if entry is None:
                    return 400, {"code": 121, "error": "The ticket is not valid.", "payload": None}
                return self._create_group(entry["name"], None)
        elif rest == ["remote"] and method == "GET":
            prefix = (call.params.get("prefix") or "").casefold()
            found = [e for e in self.group_directory if e["name"].casefold().startswith(prefix)]
            return 200, {"results": copy.deepcopy(found), "current_page": 1, "total": len(found)}
        else:
            group = self.groups.get(rest[0])
            if group is None:
                return 404, NOT_FOUND
            members = self.members[group["guid"]]
            if len(rest) == 1:
                if method == "GET":
                    return 200, group
                if method == "POST":
                    taken = self.group_named(body.get("name"))
                    if taken is not None and taken["guid"] != group["guid"]:
                        return 409, GROUP_TAKEN
                    if self.settings.get("authentication", {}).get("external_group_search"):
                        # The 2023.09 spec allows POST /v1/groups/{guid} outside LDAP only; the code is a guess.
                        return 400, {"code": 25, "error": "This provider manages its groups.", "payload": None}
                    group.update((key, value) for key, value in body.items() if key in ("name", "owner_guid"))
                    return 200, group
                if method == "DELETE":
                    del self.groups[group["guid"]]
                    return 204, None
            elif rest[1] == "members":
                if len(rest) == 2 and method == "GET":
                    return self._page([self.users[guid] for guid in members], call.params)
                if len(rest) == 2 and method == "POST":
                    if body["user_guid"] in members:
                        return 409, {"code": 10, "error": "The user is already a member.", "payload": None}
                    if body["user_guid"] not in self.users:
                        return 404, NOT_FOUND
                    members.append(body["user_guid"])
                    return 204, None
                if len(rest) == 3 and method == "DELETE":
                    if rest[2] not in members:
                        return 404, NOT_FOUND
                    members.remove(rest[2])
                    return 204, None
        raise AssertionError("the fake has no route for {0} {1}".format(method, call.path))

    def _create_group(self, name, owner_guid):
        if self.group_named(name) is not None:
            return 409, GROUP_TAKEN
        group = {"guid": new_guid(), "name": name, "owner_guid": owner_guid}
        self.groups[group["guid"]] = group
        self.members[group["guid"]] = []
        return 200, group
