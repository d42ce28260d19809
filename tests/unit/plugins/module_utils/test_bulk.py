# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""connect_users' planning: one listing, per-user failures, and the lock guard."""

from __future__ import annotations

import pytest

from ansible_collections.posit.connect.plugins.module_utils.bulk import BulkUserPlanner, apply_all, summarize
from ansible_collections.posit.connect.plugins.module_utils.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils.server import ServerFacts
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import FakeClient, make_user


def bulk(users, me=None):
    client = FakeClient(users, me=me)
    return BulkUserPlanner(client, ServerFacts(client)), client


def test_one_listing_then_only_the_needed_writes():
    users = [make_user("u%d" % i) for i in range(50)]
    planner, client = bulk(users)
    entries = [{"username": user["username"]} for user in users]
    entries[3]["user_role"] = "publisher"
    work, failures = planner.plan(entries)
    assert failures == [] and client.calls == [("GET", "/v1/users")]
    apply_all(work, concurrency=4)
    assert client.writes() == [("PUT", "/v1/users/" + users[3]["guid"])]
    assert summarize(work, failures, check_mode=False)["counts"]["updated"] == 1


def test_a_bad_entry_fails_alone():
    planner, unused_client = bulk([make_user("ana")])
    work, failures = planner.plan([{"username": "ana", "user_role": "publisher"}, {"username": "", "user_role": "viewer"}])
    assert [item.name for item in work] == ["ana"]
    assert len(failures) == 1 and "username" in failures[0]["msg"]


def test_duplicates_are_failures():
    planner, unused_client = bulk([make_user("ana")])
    unused_work, failures = planner.plan([{"username": "ana"}, {"username": "ana"}])
    assert failures[0]["msg"] == "User 'ana' is listed more than once."


def test_unlisted_lock_spares_the_key_owner_and_respects_the_guard():
    admin = make_user("admin", user_role="administrator")
    others = [make_user("u%d" % i) for i in range(3)]
    planner, client = bulk([admin] + others, me=admin)
    work, unused_failures = planner.plan([{"username": "u0"}], unlisted="lock", max_locks=5)
    assert sorted(item.name for item in work if item.outcome == "locked") == ["u1", "u2"]
    with pytest.raises(ConnectError, match="Refusing to lock 3 accounts"):
        bulk([admin] + others, me=admin)[0].plan([], unlisted="lock", max_locks=2)
    assert client.writes() == []
