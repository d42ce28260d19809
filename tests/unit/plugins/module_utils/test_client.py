# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP client: base URLs, retries, lost creates and pagination, over a scripted session."""

from __future__ import annotations

import json

import pytest
import requests

from ansible_collections.posit.connect.plugins.module_utils.client import ConnectClient, RetryPolicy, api_base_url
from ansible_collections.posit.connect.plugins.module_utils.errors import ConnectError


class Answer:
    def __init__(self, status=200, body=None, headers=None):
        self.status_code = status
        self.content = b"" if body is None else json.dumps(body).encode()
        self.headers = headers or {}
        self.reason = "reason"

    def json(self):
        return json.loads(self.content)


class ScriptedSession:
    """Answers requests from a script of Answers or exceptions, recording them."""

    def __init__(self, script):
        self.script = list(script)
        self.sent = []

    def request(self, method, url, params=None, json=None, timeout=None, verify=None):
        self.sent.append((method, url, dict(params or {})))
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


def client_with(script, retries=3):
    sleeps = []
    client = ConnectClient("https://connect.example.com/", "k3y", retry_policy=RetryPolicy(retries=retries, sleep=sleeps.append))
    client.session = ScriptedSession(script)
    return client, sleeps


@pytest.mark.parametrize("url", ["https://c.example.com", "https://c.example.com/", "https://c.example.com/__api__", "https://c.example.com/__api__/"])
def test_base_url_forms(url):
    assert api_base_url(url) == "https://c.example.com/__api__"


@pytest.mark.parametrize("url", ["c.example.com", "ftp://c.example.com", ""])
def test_bad_urls_are_named(url):
    with pytest.raises(ConnectError, match="url"):
        api_base_url(url)


def test_retries_503_then_succeeds_honouring_retry_after():
    client, sleeps = client_with([Answer(503), Answer(429, headers={"Retry-After": "2"}), Answer(200, {"ok": 1})])
    assert client.get("/v1/user") == {"ok": 1}
    assert len(sleeps) == 2 and sleeps[1] >= 2


def test_retry_budget_spent_names_status_and_attempts():
    client, unused_sleeps = client_with([Answer(503)] * 3, retries=2)
    with pytest.raises(ConnectError) as failed:
        client.get("/v1/users")
    assert "HTTP 503" in failed.value.message and "3 attempts" in failed.value.message


def test_errors_carry_connect_code_and_never_the_key():
    client, unused_sleeps = client_with([Answer(401, {"code": 30, "error": "Invalid login.", "payload": None})])
    with pytest.raises(ConnectError) as failed:
        client.get("/v1/user")
    assert failed.value.status == 401 and failed.value.code == 30
    assert "refused the API key" in failed.value.message and "k3y" not in failed.value.message


def test_a_lost_create_is_not_sent_again_when_it_landed():
    client, unused_sleeps = client_with([requests.exceptions.ConnectionError("reset")])
    created = client.create("POST", "/v1/users", {"username": "ana"}, find_existing=lambda: {"guid": "g", "username": "ana"})
    assert created["username"] == "ana"
    assert len(client.session.sent) == 1


def test_a_lost_create_that_did_not_land_is_sent_again():
    client, unused_sleeps = client_with([requests.exceptions.ConnectionError("reset"), Answer(200, {"guid": "g"})])
    assert client.create("POST", "/v1/users", {"username": "ana"}, find_existing=lambda: None) == {"guid": "g"}
    assert len(client.session.sent) == 2


def test_pagination_stops_at_total_and_on_pages_that_repeat():
    page = {"results": [{"guid": "a"}, {"guid": "b"}], "current_page": 1, "total": 5}
    client, unused_sleeps = client_with([Answer(200, page), Answer(200, page)])
    items = client.paginate("/v1/users", {"prefix": "a"})
    assert [item["guid"] for item in items] == ["a", "b"] and items.total == 5
    assert [sent[2]["page_number"] for sent in client.session.sent] == [1, 2]


def test_netrc_cannot_replace_the_key_header():
    client = ConnectClient("https://connect.example.com", "k3y")
    prepared = requests.Request("GET", "https://connect.example.com/__api__/v1/user", auth=client.session.auth).prepare()
    assert prepared.headers["Authorization"] == "Key k3y"
    assert "k3y" not in repr(client.session.auth)
