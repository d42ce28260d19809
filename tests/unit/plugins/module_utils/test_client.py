# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP client: base URLs, retries, lost creates, paging and searches, over a scripted session or the fake server."""

from __future__ import annotations

import http.server
import threading

import pytest
import requests

from ansible_collections.posit.connect.plugins.module_utils._http import client as client_module
from ansible_collections.posit.connect.plugins.module_utils._http.client import ConnectClient, RetryPolicy, api_base_url
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._http.transport import ThreadSessions
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import (
    FakeConnect,
    answer,
    make_group,
    make_user,
)


class ScriptedSession:
    """Answers requests from a script of Responses or exceptions, recording (method, url, params, body) of each."""

    def __init__(self, script):
        self.script = list(script)
        self.sent = []

    def request(self, method, url, params=None, json=None, **kwargs):  # pylint: disable=unused-argument
        self.sent.append((method, url, dict(params or {}), json))
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        step.url = step.url or url
        return step


def client_with(script, retries=3, max_time=60.0, url="https://connect.example.com/"):
    sleeps = []
    client = ConnectClient(url, "k3y", retry_policy=RetryPolicy(retries=retries, max_time=max_time, sleep=sleeps.append))
    client.session = ScriptedSession(script)
    return client, sleeps


# -- base url ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["https://c.example.com", "https://c.example.com/", "https://c.example.com/__api__",
                                 "https://c.example.com/__api__/"])
def test_base_url_forms(url):
    assert api_base_url(url) == "https://c.example.com/__api__"


def test_base_url_keeps_a_path_prefix():
    assert api_base_url("https://c.example.com/rsc/") == "https://c.example.com/rsc/__api__"


@pytest.mark.parametrize("url", ["c.example.com", "ftp://c.example.com", "", "https://"])
def test_bad_urls_are_named(url):
    with pytest.raises(ConnectError, match="url"):
        api_base_url(url)


@pytest.mark.parametrize("url, word", [("https://c.example.com/?next=/x", "query"), ("https://c.example.com/#top", "fragment"),
                                       ("https://c.example.com?", "query")])
def test_a_url_with_query_or_fragment_is_refused(url, word):
    with pytest.raises(ConnectError) as failed:
        api_base_url(url)
    assert "url" in failed.value.message and word in failed.value.message
    assert "next=" not in failed.value.message


@pytest.mark.parametrize("url", ["https://c.example.com/__api__/v1", "https://c.example.com/rsc/__api__/v1/users/"])
def test_a_url_holding_the_api_path_is_refused_naming_the_address_to_give(url):
    with pytest.raises(ConnectError) as failed:
        api_base_url(url)
    assert "/__api__/" in failed.value.message and "such as https://c.example.com" in failed.value.message


def test_an_empty_api_key_is_refused_before_any_request():
    with pytest.raises(ConnectError, match="api_key"):
        ConnectClient("https://c.example.com", "")


# -- retries -------------------------------------------------------------------------------


def test_retries_503_then_succeeds_honouring_retry_after():
    client, sleeps = client_with([answer(503), answer(429, headers={"Retry-After": "2"}), answer(200, {"ok": 1})])
    assert client.get("/v1/user") == {"ok": 1}
    assert len(client.session.sent) == 3
    assert len(sleeps) == 2 and sleeps[1] >= 2


def test_retry_budget_spent_names_status_and_attempts():
    client, sleeps = client_with([answer(503)] * 3, retries=2)
    with pytest.raises(ConnectError) as failed:
        client.get("/v1/users")
    assert "HTTP 503" in failed.value.message and "3 attempts" in failed.value.message
    assert len(client.session.sent) == 3 and len(sleeps) == 2


def test_client_errors_are_not_retried():
    client, sleeps = client_with([answer(400, {"code": 3, "error": "Bad request."}), answer(200, {})])
    with pytest.raises(ConnectError) as failed:
        client.put("/v1/users/x", {"email": "a"})
    assert failed.value.status == 400 and len(client.session.sent) == 1 and sleeps == []


def test_errors_carry_connect_code_and_never_the_key():
    client, unused_sleeps = client_with([answer(401, {"code": 30, "error": "Invalid login.", "payload": None})])
    with pytest.raises(ConnectError) as failed:
        client.get("/v1/user")
    assert failed.value.status == 401 and failed.value.code == 30
    assert "refused the API key" in failed.value.message and "k3y" not in failed.value.message


def test_the_body_and_method_reach_the_server_unchanged():
    client, unused_sleeps = client_with([answer(200, {"guid": "g"})])
    client.put("/v1/users/g", {"email": "ana@example.com"})
    assert client.session.sent == [("PUT", "https://connect.example.com/__api__/v1/users/g", {}, {"email": "ana@example.com"})]


# -- creates -------------------------------------------------------------------------------


def test_a_lost_create_is_not_sent_again_when_it_landed():
    client, unused_sleeps = client_with([requests.exceptions.ConnectionError("reset")])
    created, made = client.create("POST", "/v1/users", {"username": "ana"},
                                  find_existing=lambda: {"guid": "g", "username": "ana"})
    assert created["username"] == "ana" and made is False
    assert len(client.session.sent) == 1


def test_a_lost_create_that_did_not_land_is_sent_again():
    client, unused_sleeps = client_with([requests.exceptions.ConnectionError("reset"), answer(200, {"guid": "g"})])
    assert client.create("POST", "/v1/users", {"username": "ana"}, find_existing=lambda: None) == ({"guid": "g"}, True)
    assert [sent[3] for sent in client.session.sent] == [{"username": "ana"}, {"username": "ana"}]


def test_a_create_lost_through_the_fake_server_is_found_not_repeated():
    fake = FakeConnect()
    fake.lose_answer("POST", "/v1/users", applied=True)
    user, made = fake.api().users.create({"username": "ana", "email": "ana@example.com", "password": "s3cret!"})
    assert made is False and user["username"] == "ana"
    assert fake.writes() == [("POST", "/v1/users")]
    assert len(fake.users) == 1


# -- paging ----------------------------------------------------------------------------------


def test_pagination_stops_at_total_and_on_pages_that_repeat():
    page = {"results": [{"guid": "a"}, {"guid": "b"}], "current_page": 1, "total": 5}
    client, unused_sleeps = client_with([answer(200, page), answer(200, page)])
    items = client.paginate("/v1/users", {"prefix": "a"})
    assert [item["guid"] for item in items] == ["a", "b"] and items.total == 5 and not items.complete
    assert [sent[2]["page_number"] for sent in client.session.sent] == [1, 2]


def test_paging_reads_every_page_once_and_keeps_the_total():
    users = [make_user("u%d" % i) for i in range(5)]
    fake = FakeConnect(users, page_cap=2)
    listing = fake.client().paginate("/v1/users", kind="user", fields=("guid", "username"))
    assert [user["username"] for user in listing] == ["u0", "u1", "u2", "u3", "u4"]
    assert listing.total == 5 and listing.complete
    # Pages 2 and 3 are read in parallel once page 1 gives the total: each exactly once.
    assert sorted(call.params["page_number"] for call in fake.calls) == [1, 2, 3]


def test_one_page_is_enough_for_up_to_a_page_size_of_accounts():
    fake = FakeConnect([make_user("u%d" % i) for i in range(client_module.PAGE_SIZE)])
    assert len(fake.client().paginate("/v1/users")) == client_module.PAGE_SIZE
    assert len(fake.calls) == 1


def test_limit_stops_paging_early():
    fake = FakeConnect([make_user("u%d" % i) for i in range(9)], page_cap=2)
    assert len(fake.client().paginate("/v1/users", limit=3)) == 3
    assert len(fake.calls) == 2


def test_total_costs_one_small_request():
    fake = FakeConnect([make_user("u%d" % i) for i in range(7)])
    assert fake.client().total("/v1/users", {"user_role": "viewer"}) == 7
    assert [(call.params["page_size"], call.params["user_role"]) for call in fake.calls] == [(1, "viewer")]


# -- search_by_name --------------------------------------------------------------------------


def test_search_pages_a_prefix_search_on_a_current_server():
    # "ana" is the fifth of five accounts whose names start with "ana": on page 3 of its prefix search.
    users = [make_user("ana-%d" % i) for i in range(4)] + [make_user("ana"), make_user("bob")]
    fake = FakeConnect(users, page_cap=2)
    assert fake.api().users.by_name("ana")["username"] == "ana"
    assert [call.params.get("prefix") for call in fake.calls] == ["ana", "ana", "ana"]


def test_search_falls_back_to_the_whole_listing_when_page_two_is_empty():
    # Before 2025.04, page 2 of a user prefix search is empty: "ana" is only found in the full listing.
    users = [make_user("ana-%d" % i) for i in range(4)] + [make_user("ana"), make_user("bob")]
    fake = FakeConnect(users, page_cap=2, old_server=True)
    assert fake.api().users.by_name("ana")["username"] == "ana"
    prefixed = [call.params["page_number"] for call in fake.calls if call.params.get("prefix")]
    assert prefixed == [1, 2]
    assert any("prefix" not in call.params for call in fake.calls)


def test_search_yields_each_item_once_across_the_two_readings():
    users = [make_user("ana-%d" % i) for i in range(4)] + [make_user("ana"), make_user("bob")]
    fake = FakeConnect(users, page_cap=2, old_server=True)
    found = list(fake.client().search_by_name("/v1/users", "ana", "user", ("guid", "username")))
    assert sorted(user["username"] for user in found) == ["ana", "ana-0", "ana-1", "ana-2", "ana-3", "bob"]
    assert len(set(user["guid"] for user in found)) == len(found)


def test_search_falls_back_when_page_two_repeats_page_one_for_groups():
    groups = [make_group("eng-%d" % i) for i in range(4)] + [make_group("eng")]
    fake = FakeConnect(groups=groups, page_cap=2, old_server=True)
    assert fake.api().groups.by_name("eng")["name"] == "eng"
    prefixed = [call for call in fake.calls if call.params.get("prefix")]
    assert [call.params["page_number"] for call in prefixed] == [1, 2]
    assert any("prefix" not in call.params for call in fake.calls)


def test_a_name_nobody_has_is_none_after_the_fallback():
    fake = FakeConnect(groups=[make_group("eng-%d" % i) for i in range(5)], page_cap=2, old_server=True)
    assert fake.api().groups.by_name("eng") is None


def test_a_search_stops_reading_once_the_caller_has_its_item():
    fake = FakeConnect([make_user("ana%d" % i) for i in range(9)], page_cap=2, old_server=True)
    assert fake.api().users.by_name("ana0")["username"] == "ana0"
    assert len(fake.calls) == 1


# -- sessions ----------------------------------------------------------------------------------


def test_each_thread_gets_its_own_session():
    sessions = ThreadSessions(object)
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(sessions.get())) for unused in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(id(session) for session in seen)) == 3
    assert sessions.get() is sessions.get()


# -- the key, against a real HTTP server ---------------------------------------------------------------


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    """Answers every GET with an empty Connect listing, noting the Authorization header it came with."""

    seen = []

    def do_GET(self):  # pylint: disable=invalid-name
        self.seen.append(self.headers.get("Authorization"))
        body = b'{"results": [], "current_page": 1, "total": 0}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass


@pytest.fixture
def recording_server():
    """A real HTTP server on 127.0.0.1; yields (base url, list of Authorization headers received)."""
    _RecordingHandler.seen = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "http://127.0.0.1:%d" % server.server_address[1], _RecordingHandler.seen
    finally:
        server.shutdown()
        server.server_close()


def test_netrc_cannot_replace_the_key_header(recording_server, tmp_path, monkeypatch):
    url, seen = recording_server
    # A real ~/.netrc for the server, found through HOME as requests looks for it.
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1\n  login netrc-user\n  password netrc-secret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("NETRC", raising=False)
    for proxy in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")

    # The netrc is live: a plain requests session sends its credentials (Basic auth)...
    requests.get(url + "/plain", timeout=10)
    assert seen[-1] is not None and seen[-1].startswith("Basic ")

    # ...but the client's requests carry the API key, on every kind of call.
    client = ConnectClient(url, "k3y", timeout=10)
    assert client.get("/v1/users")["total"] == 0
    assert client.paginate("/v1/users", {"prefix": "a"}) == []
    assert seen[1:] and all(header == "Key k3y" for header in seen[1:]), seen
    assert "k3y" not in repr(client.session.auth)
