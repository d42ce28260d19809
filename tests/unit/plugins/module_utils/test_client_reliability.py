# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Client behaviour the reliability suites (tests/reliability) rely on, over a scripted session."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.posit.connect.plugins.module_utils._http.client import ConnectOutcomeUnknown
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import answer
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.test_client import client_with

CONFLICT = {"code": 8, "error": "The requested username is already in use. Usernames are case sensitive.", "payload": None}


def test_a_create_meeting_a_conflict_returns_the_object_that_exists_as_not_created():
    # The first POST timed out while the server was still creating; the resend meets 409.
    client, unused_sleeps = client_with([requests.exceptions.ReadTimeout("slow"), answer(409, CONFLICT)])
    found = iter([None, {"guid": "g", "username": "ana"}])
    created, made = client.create("POST", "/v1/users", {"username": "ana"}, find_existing=lambda: next(found))
    assert created == {"guid": "g", "username": "ana"} and made is False
    assert len(client.session.sent) == 2


def test_a_conflict_for_another_reason_still_fails():
    client, unused_sleeps = client_with([answer(409, CONFLICT)])
    with pytest.raises(ConnectError) as failed:
        client.create("POST", "/v1/users", {"username": "ana"}, find_existing=lambda: None)
    assert failed.value.status == 409 and len(client.session.sent) == 1


def test_lost_creates_spend_a_budget_and_say_how_many_attempts():
    client, sleeps = client_with([requests.exceptions.ConnectionError("reset")] * 3, retries=2)
    with pytest.raises(ConnectOutcomeUnknown) as failed:
        client.create("POST", "/v1/users", {"username": "ana"}, find_existing=lambda: None)
    assert "POST /v1/users after 3 attempts" in failed.value.message and "unknown" in failed.value.message
    assert len(client.session.sent) == 3 and len(sleeps) == 2


def test_a_create_is_never_resent_on_a_gateway_error_without_reading_first():
    reads = []
    client, unused_sleeps = client_with([answer(502), answer(200, {"guid": "g"})])
    created, made = client.create("POST", "/v1/groups", {"name": "eng"}, find_existing=lambda: reads.append(1))
    assert reads == [1] and made is True and created == {"guid": "g"}


def test_connect_messages_become_one_clause_of_one_sentence():
    weak = {"code": 6, "error": "The password is not strong enough. Please try again.", "payload": None}
    client, unused_sleeps = client_with([answer(400, weak)])
    with pytest.raises(ConnectError) as failed:
        client.post("/v1/users", {"username": "ana"})
    message = failed.value.with_action("create user 'ana'").message
    assert message.startswith("Could not create user 'ana': ")
    assert "HTTP 400" in message and "code 6" in message and "not strong enough; please try again" in message
    assert message.count(".") == 1 and message.endswith(".")


def test_timeouts_name_the_timeout():
    client, unused_sleeps = client_with([requests.exceptions.ReadTimeout("slow")] * 2, retries=1)
    client.timeout = 2.5
    with pytest.raises(ConnectError) as failed:
        client.get("/v1/users")
    assert "within the timeout of 2.5 seconds" in failed.value.message and "2 attempts" in failed.value.message


def test_verify_goes_with_every_request():
    client, unused_sleeps = client_with([answer(200, {})])
    seen = []
    original = client.session.request

    def spy(*args, **kwargs):
        seen.append((kwargs.get("verify"), kwargs.get("allow_redirects")))
        return original(*args, **kwargs)

    client.session.request = spy
    client.get("/v1/user")
    assert seen == [(True, False)]
