"""Helpers shared by the simulator conformance tests.

`Sim` wraps one running simulator: plain HTTP calls to /__api__ (every response is
checked against sim_schemas), the /__sim__ control plane, and a few assertions.
"""

from __future__ import annotations

import datetime as dt
import json as jsonlib

import requests

import sim_schemas

# Simulator configurations the suite uses; values are running_simulator(**options).
CONFIGS = {
    "default": {},
    "ldap": {"provider": "ldap"},
    "saml": {"provider": "saml"},
    "oauth2": {"provider": "oauth2"},
    "google": {"provider": "oauth2", "google": True},
    "proxy": {"provider": "proxy"},
    "pam": {"provider": "pam"},
    "v2022": {"version": "2022.10.0"},
    "v2023": {"version": "2023.09.0"},
    "v2024": {"version": "2024.08.0"},
    "v2026": {"version": "2026.01.0"},
    "groups_uid": {"provider": "saml", "groups_by_unique_id": True},
    "members_all": {"member_listing": "all"},
    "hidden": {"version": "hidden"},
    "tls": {"tls": True},
    "insensitive": {"username_case": "insensitive"},
    "provisioning": {"provider": "saml", "group_provisioning": True},
    "pub_groups": {"publishers_can_own_groups": True},
    "fixed_key": {"admin_key": "fixed-admin-key"},
    "publisher_default": {"default_user_role": "publisher"},
    "ldap_publisher_default": {"provider": "ldap", "default_user_role": "publisher"},
}

_ADMIN = object()  # sentinel: use the simulator's admin key


def timestamp(days_ago: float) -> str:
    """An RFC 3339 UTC timestamp `days_ago` days in the past."""
    when = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_ago)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def user_spec(username: str, role: str = "viewer", **extra) -> dict:
    """A /__sim__/seed user entry with predictable names and email."""
    entry = {
        "username": username,
        "email": f"{username}@example.com",
        "first_name": username.capitalize(),
        "last_name": "Tester",
        "user_role": role,
    }
    entry.update(extra)
    return entry


class Sim:
    def __init__(self, name: str, ready: dict):
        self.name = name
        self.ready = ready
        self.url = ready["url"].rstrip("/")
        self.api_key = ready["api_key"]
        self.http = requests.Session()
        self.http.trust_env = False
        if ready.get("ca_file"):
            self.http.verify = ready["ca_file"]

    # ---- Connect API -------------------------------------------------------------
    def call(self, method, path, *, key=_ADMIN, auth=None, validate=True, timeout=15, **kwargs):
        """One request to /__api__<path>; `key=None` sends no Authorization header,
        `auth` overrides the whole header value."""
        headers = dict(kwargs.pop("headers", None) or {})
        if auth is not None:
            headers["Authorization"] = auth
        elif key is not None:
            headers["Authorization"] = f"Key {self.api_key if key is _ADMIN else key}"
        resp = self.http.request(method, f"{self.url}/__api__{path}", headers=headers, timeout=timeout, **kwargs)
        if validate:
            sim_schemas.check_response(method, path, resp)
        return resp

    def ok(self, method, path, **kwargs):
        """Call and require success; return the decoded body (None for 204)."""
        resp = self.call(method, path, **kwargs)
        assert resp.status_code < 300, f"{method} {path}: {resp.status_code} {resp.text}"
        return resp.json() if resp.content else None

    def fails(self, method, path, status, code, **kwargs):
        """Call and require the given error status and Connect error code."""
        resp = self.call(method, path, **kwargs)
        assert (resp.status_code, resp.json().get("code") if resp.content else None) == (status, code), (
            f"{method} {path}: wanted {status}/{code}, got {resp.status_code} {resp.text}"
        )
        return resp.json()

    def get(self, path, **kwargs):
        return self.ok("GET", path, **kwargs)

    def users(self, **params):
        return self.get("/v1/users", params=params)

    def usernames(self, **params):
        return [u["username"] for u in self.users(**params)["results"]]

    def create_user(self, username, key=_ADMIN, **fields):
        body = {"username": username, "email": f"{username}@example.com", "password": "secret-pw", **fields}
        return self.ok("POST", "/v1/users", json=body, key=key)

    def create_group(self, name, key=_ADMIN):
        return self.ok("POST", "/v1/groups", json={"name": name}, key=key)

    def me(self, key=_ADMIN):
        return self.get("/v1/user", key=key)

    def create_content(self, name, key=_ADMIN, **fields):
        return self.ok("POST", "/v1/content", json={"name": name, **fields}, key=key)

    def content_names(self, key=_ADMIN, **params):
        return [item["name"] for item in self.get("/v1/content", key=key, params=params)]

    def permissions(self, guid, key=_ADMIN):
        return self.get(f"/v1/content/{guid}/permissions", key=key)

    # ---- control plane -----------------------------------------------------------
    def ctl(self, method, path, expect=200, **kwargs):
        resp = self.http.request(method, f"{self.url}/__sim__{path}", timeout=30, **kwargs)
        if expect is not None:
            assert resp.status_code == expect, f"{method} /__sim__{path}: {resp.status_code} {resp.text}"
        return resp

    def reset(self):
        self.ctl("POST", "/reset")

    def seed(self, users=(), groups=(), api_keys=(), remote_users=(), remote_groups=(), content=(), expect=200):
        payload = {
            "users": list(users),
            "groups": list(groups),
            "api_keys": list(api_keys),
            "remote_users": list(remote_users),
            "remote_groups": list(remote_groups),
            "content": list(content),
        }
        resp = self.ctl("POST", "/seed", json=payload, expect=expect)
        return resp.json()

    def seed_cast(self, *extra_users, groups=()):
        """Seed the usual cast: `pub` (publisher) and `vic` (viewer) with keys
        pub-key and vic-key, plus any extra user entries.  Returns username -> guid,
        including admin."""
        users = [user_spec("pub", "publisher"), user_spec("vic", "viewer"), *extra_users]
        keys = [{"username": u["username"], "key": f"{u['username']}-key"} for u in users]
        seeded = self.seed(users=users, api_keys=keys, groups=groups)
        ids = dict(seeded["users"])
        ids["admin"] = self.me()["guid"]
        ids.update({f"group:{k}": v for k, v in seeded.get("groups", {}).items()})
        return ids

    def state(self):
        body = self.ctl("GET", "/state").json()
        sim_schemas.validate(body, sim_schemas.STATE)
        return body

    def state_content(self, name, owner=None):
        """The state dump's entry of an item, by name (and owner's username when names repeat)."""
        matches = [c for c in self.state()["content"] if c["name"] == name and owner in (None, c["owner"])]
        assert len(matches) <= 1, f"{name!r} is ambiguous: give its owner"
        return matches[0] if matches else None

    def state_user(self, username):
        matches = [u for u in self.state()["users"] if u["username"] == username]
        return matches[0] if matches else None

    def request_log(self):
        body = self.ctl("GET", "/requests").json()
        sim_schemas.validate(body, sim_schemas.REQUEST_LOG)
        return body["requests"]

    def clear_request_log(self):
        self.ctl("DELETE", "/requests", expect=None).raise_for_status()

    def set_faults(self, rules=(), latency_ms=0):
        self.ctl("PUT", "/faults", json={"latency_ms": latency_ms, "rules": list(rules)}, expect=None).raise_for_status()

    def clear_faults(self):
        self.ctl("DELETE", "/faults", expect=None).raise_for_status()


def raw_body(value) -> dict:
    """kwargs that send `value` as a JSON request body, or as-is when it is bytes."""
    if isinstance(value, bytes):
        return {"data": value, "headers": {"Content-Type": "application/json"}}
    return {"data": jsonlib.dumps(value), "headers": {"Content-Type": "application/json"}}
