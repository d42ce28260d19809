# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Client behaviour the reliability suites (tests/reliability) rely on, over a scripted session."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.posit.connect.plugins.module_utils.client import ConnectClient, ConnectOutcomeUnknown, RetryPolicy
from ansible_collections.posit.connect.plugins.module_utils.errors import ConnectError

from .test_client import Answer, client_with

CONFLICT = {"code": 8, "error": "The requested username is already in use. Usernames are case sensitive.", "payload": None}


def test_a_create_meeting_a_conflict_returns_the_object_that_exists():
    # The first POST timed out while the server was still creating; the resend meets 409.
    client, unused_sleeps = client_with([requests.exceptions.ReadTimeout("slow"), Answer(409, CONFLICT)])
    found = iter([None, {"guid": "g", "username": "ana"}])
    created = client.create("POST", "/v1/users", {"username": "ana"}, find_existing=lambda: next(found))
    assert created == {"guid": "g", "username": "ana"}
    assert len(client.session.sent) == 2


def test_a_conflict_for_another_reason_still_fails():
    client, unused_sleeps = client_with([Answer(409, CONFLICT)])
    with pytest.raises(ConnectError) as failed:
        client.create("POST", "/v1/users", {"username": "ana"}, find_existing=lambda: None)
    assert failed.value.status == 409


def test_lost_creates_spend_a_budget_and_say_how_many_attempts():
    client, unused_sleeps = client_with([requests.exceptions.ConnectionError("reset")] * 3, retries=2)
    with pytest.raises(ConnectOutcomeUnknown) as failed:
        client.create("POST", "/v1/users", {"username": "ana"}, find_existing=lambda: None)
    assert "POST /v1/users after 3 attempts" in failed.value.message and "unknown" in failed.value.message


def test_connect_messages_become_one_clause_of_one_sentence():
    weak = {"code": 6, "error": "The password is not strong enough. Please try again.", "payload": None}
    client, unused_sleeps = client_with([Answer(400, weak)])
    with pytest.raises(ConnectError) as failed:
        client.post("/v1/users", {"username": "ana"})
    message = failed.value.with_action("create user 'ana'").message
    assert message == ("Could not create user 'ana': Connect answered HTTP 400 to POST /v1/users, "
                       "code 6: The password is not strong enough; please try again.")


def test_a_retry_after_beyond_the_budget_stops_at_once_and_says_so():
    sleeps = []
    client, unused_sleeps = client_with([Answer(429, headers={"Retry-After": "30"})])
    client.retry_policy = RetryPolicy(retries=5, max_time=3, sleep=sleeps.append)
    with pytest.raises(ConnectError) as failed:
        client.get("/v1/users")
    assert sleeps == [] and "HTTP 429" in failed.value.message and "after 1 attempt" in failed.value.message


def test_timeouts_name_the_timeout():
    client, unused_sleeps = client_with([requests.exceptions.ReadTimeout("slow")] * 2, retries=1)
    client.timeout = 2.5
    with pytest.raises(ConnectError) as failed:
        client.get("/v1/users")
    assert "within the timeout of 2.5 seconds (2 attempts)" in failed.value.message


def test_a_missing_ca_path_is_named():
    with pytest.raises(ConnectError, match="ca_path '/nonexistent/ca.pem' does not exist"):
        ConnectClient("https://c.example.com", "k3y", ca_path="/nonexistent/ca.pem")


def test_verify_goes_with_every_request():
    client, unused_sleeps = client_with([Answer(200, {})])
    seen = []
    original = client.session.request

    def spy(*args, **kwargs):
        seen.append(kwargs.get("verify"))
        return original(*args, **kwargs)

    client.session.request = spy
    client.get("/v1/user")
    assert seen == [True]
