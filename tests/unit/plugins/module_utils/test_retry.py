# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""retry_max_time bounds all the retry waiting of a task, and Retry-After is honoured, creates included."""

from __future__ import annotations

import email.utils
import time

import pytest

from ansible_collections.posit.connect.plugins.module_utils._http.client import ConnectClient, ConnectOutcomeUnknown
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._http.retry import RetryPolicy, retry_after_seconds
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import FakeConnect, answer, make_user
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.test_client import ScriptedSession


class Clock:
    """Time that passes only when the client sleeps."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def timed_client(script, retries=100, max_time=5.0):
    clock = Clock()
    policy = RetryPolicy(retries=retries, max_time=max_time, sleep=clock.sleep, clock=clock)
    client = ConnectClient("https://connect.example.com", "k3y", retry_policy=policy)
    client.session = ScriptedSession(script)
    return client, clock


def test_the_deadline_is_shared_by_every_request_of_the_task():
    client, clock = timed_client([answer(503)] * 200, max_time=5.0)
    with pytest.raises(ConnectError) as first:
        client.get("/v1/users")
    assert "retry_max_time" in first.value.message and "5 seconds" in first.value.message
    assert 0 < sum(clock.sleeps) <= 5.0
    # Later requests of the same task share what is left of the budget, whatever their number.
    for unused in range(5):
        with pytest.raises(ConnectError) as later:
            client.put("/v1/users/g", {"email": "a@b.c"})
        assert "retry_max_time" in later.value.message
    assert sum(clock.sleeps) <= 5.0
    assert client.session.sent[-1][0] == "PUT"


def test_many_requests_each_retried_once_stay_within_the_deadline():
    script = []
    for unused in range(50):
        script += [answer(503), answer(200, {"ok": 1})]
    client, clock = timed_client(script, max_time=3.0)
    outcomes = []
    for unused in range(50):
        try:
            outcomes.append(client.get("/v1/user"))
        except ConnectError as error:
            outcomes.append(error.message)
    assert sum(clock.sleeps) <= 3.0
    assert any(isinstance(item, str) and "retry_max_time" in item for item in outcomes)


def test_the_retry_count_ends_retries_before_the_deadline_without_blaming_it():
    client, clock = timed_client([answer(502)] * 3, retries=2, max_time=600.0)
    with pytest.raises(ConnectError) as failed:
        client.get("/v1/users")
    assert "3 attempts" in failed.value.message and "retry_max_time" not in failed.value.message
    assert len(clock.sleeps) == 2


def test_a_retry_after_beyond_the_budget_stops_at_once_and_says_so():
    client, clock = timed_client([answer(429, headers={"Retry-After": "30"})], max_time=3.0)
    with pytest.raises(ConnectError) as failed:
        client.get("/v1/users")
    assert clock.sleeps == [] and "HTTP 429" in failed.value.message and "retry_max_time" in failed.value.message


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured_on_a_create(status):
    fake = FakeConnect(me=make_user("admin", user_role="administrator"))
    fake.inject("POST", "/v1/users", answer(status, {"code": 0, "error": "busy"}, headers={"Retry-After": "7"}))
    clock = Clock()
    client = fake.client()
    client.retry_policy = RetryPolicy(retries=3, max_time=60, sleep=clock.sleep, clock=clock)
    user, made = client.create("POST", "/v1/users", {"username": "ana", "email": "a@example.com"},
                               lambda: fake.user_named("ana"))
    assert made is True and user["username"] == "ana"
    assert len(clock.sleeps) == 1 and clock.sleeps[0] >= 7
    assert fake.writes() == [("POST", "/v1/users"), ("POST", "/v1/users")]


def test_a_503_on_a_create_is_read_back_before_it_is_sent_again():
    fake = FakeConnect()
    # The gateway answered 503, but the account was made behind it.
    fake.inject("POST", "/v1/users", lambda fake_, call: (fake_.route(call), answer(503))[1])
    user, made = fake.api().users.create({"username": "ana", "email": "a@example.com", "password": "s3cret!"})
    assert made is False and user["username"] == "ana"
    assert fake.writes() == [("POST", "/v1/users")] and len(fake.users) == 1


def test_a_create_whose_answers_keep_getting_lost_stops_on_the_deadline():
    clock = Clock()
    fake = FakeConnect()
    for unused in range(50):
        fake.lose_answer("POST", "/v1/groups", applied=False)
    client = fake.client()
    client.retry_policy = RetryPolicy(retries=100, max_time=4.0, sleep=clock.sleep, clock=clock)
    with pytest.raises(ConnectOutcomeUnknown) as failed:
        client.create("POST", "/v1/groups", {"name": "eng"}, lambda: None)
    assert "retry_max_time" in failed.value.message and sum(clock.sleeps) <= 4.0


def test_retry_after_as_an_http_date():
    when = email.utils.formatdate(time.time() + 120, usegmt=True)
    assert 100 < retry_after_seconds(answer(503, headers={"Retry-After": when})) <= 121
    assert retry_after_seconds(answer(503, headers={"Retry-After": "soon"})) is None
    assert retry_after_seconds(answer(503)) is None
