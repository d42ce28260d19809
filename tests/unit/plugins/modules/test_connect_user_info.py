# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""connect_user_info's main() against the fake server."""

from __future__ import annotations

import datetime

from ansible_collections.posit.connect.plugins.modules import connect_user_info
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import FakeConnect, make_group, make_user
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_content import make_content
from ansible_collections.posit.connect.tests.unit.plugins.modules.module_harness import Harness


def harness(monkeypatch, users, groups=(), **kwargs):
    return Harness(monkeypatch, FakeConnect(users, groups, **kwargs))


def test_username_is_matched_exactly(monkeypatch):
    h = harness(monkeypatch, [make_user("ana"), make_user("anabel")])
    result = h.ok(connect_user_info, username="ana")
    assert result["changed"] is False and [user["username"] for user in result["users"]] == ["ana"] and result["count"] == 1
    assert h.ok(connect_user_info, username="an")["count"] == 0


def test_count_only_costs_one_small_request(monkeypatch):
    h = harness(monkeypatch, [make_user("u%d" % i) for i in range(12)] + [make_user("boss", user_role="administrator")])
    result = h.ok(connect_user_info, count_only=True, user_role=["viewer"])
    assert result["count"] == 12 and result["users"] == []
    assert len(h.fake.calls) == 1 and h.fake.calls[0].params["page_size"] == 1


def test_role_filters_are_joined_for_connect(monkeypatch):
    h = harness(monkeypatch, [make_user("a", user_role="publisher"), make_user("b", user_role="administrator"), make_user("c")])
    result = h.ok(connect_user_info, user_role=["publisher", "administrator"])
    assert sorted(user["username"] for user in result["users"]) == ["a", "b"]
    assert h.fake.calls[0].params["user_role"] == "publisher|administrator"


def test_a_prefix_search_on_an_old_server_still_finds_every_match(monkeypatch):
    users = [make_user("ana%d" % i) for i in range(5)] + [make_user("bob")]
    h = harness(monkeypatch, users, page_cap=2, old_server=True)
    result = h.ok(connect_user_info, prefix="ana")
    assert sorted(user["username"] for user in result["users"]) == ["ana0", "ana1", "ana2", "ana3", "ana4"]
    assert result["count"] == 5


def test_limit_stops_the_listing(monkeypatch):
    h = harness(monkeypatch, [make_user("u%d" % i) for i in range(9)], page_cap=2)
    result = h.ok(connect_user_info, limit=3)
    assert len(result["users"]) == 3 and result["count"] == 9
    assert len(h.fake.calls) == 2


def test_include_groups(monkeypatch):
    ana = make_user("ana")
    h = harness(monkeypatch, [ana, make_user("bob")], [make_group("eng", members=[ana])])
    result = h.ok(connect_user_info, username="ana", include_groups=True)
    assert [group["name"] for group in result["users"][0]["groups"]] == ["eng"]


def test_an_unknown_guid_fails(monkeypatch):
    h = harness(monkeypatch, [])
    h.fails(connect_user_info, "guid", guid="6f300623-1e0c-48e6-a473-ddf630c0c0c3")


# -- include_content ----------------------------------------------------------------------


def test_include_content_costs_one_listing_for_many_users(monkeypatch):
    ana, bob = make_user("ana", user_role="publisher"), make_user("bob", user_role="publisher")
    content = [make_content("sales", ana), make_content("ops", bob), make_content("ops-2", bob)]
    h = harness(monkeypatch, [ana, bob, make_user("cy")], content=content)
    result = h.ok(connect_user_info, include_content=True)
    owned = dict((user["username"], [item["name"] for item in user["content"]]) for user in result["users"])
    assert owned == {"ana": ["sales"], "bob": ["ops", "ops-2"], "cy": []}
    assert sorted(result["users"][0]["content"][0]) == sorted(
        ["guid", "name", "title", "app_mode", "access_type", "content_url", "dashboard_url"])
    content_calls = [call for call in h.fake.calls if call.path == "/v1/content"]
    assert len(content_calls) == 1 and content_calls[0].params == {}


def test_include_content_for_one_user_reads_only_theirs(monkeypatch):
    ana = make_user("ana", user_role="publisher")
    h = harness(monkeypatch, [ana, make_user("bob")], content=[make_content("sales", ana)])
    result = h.ok(connect_user_info, username="ana", include_content=True, include_groups=True)
    assert [item["name"] for item in result["users"][0]["content"]] == ["sales"] and result["users"][0]["groups"] == []
    assert [call.params for call in h.fake.calls if call.path == "/v1/content"] == [{"owner_guid": ana["guid"]}]


def test_include_content_with_nobody_found_reads_no_content(monkeypatch):
    h = harness(monkeypatch, [make_user("ana")])
    assert h.ok(connect_user_info, username="nobody", include_content=True)["users"] == []
    assert not any(call.path == "/v1/content" for call in h.fake.calls)


# -- inactive_days ------------------------------------------------------------------------


def days_ago(days):
    moment = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.123456789Z")


DORMANCY = [
    make_user("idle", active_time=days_ago(100), created_time=days_ago(400)),
    make_user("busy", active_time=days_ago(10), created_time=days_ago(400)),
    make_user("never-old", active_time=None, created_time=days_ago(200)),
    make_user("never-new", active_time=None, created_time=days_ago(5)),
    make_user("gone", active_time=days_ago(300), created_time=days_ago(400), locked=True),
    make_user("idle-pub", user_role="publisher", active_time=days_ago(95), created_time=days_ago(400)),
]


def test_inactive_days_returns_unlocked_accounts_idle_for_that_long(monkeypatch):
    h = harness(monkeypatch, DORMANCY)
    result = h.ok(connect_user_info, inactive_days=90)
    assert sorted(user["username"] for user in result["users"]) == ["idle", "idle-pub", "never-old"]
    assert result["count"] == 3
    assert sorted(user["username"] for user in h.ok(connect_user_info, inactive_days=365)["users"]) == []
    assert h.ok(connect_user_info, inactive_days=3)["count"] == 5


def test_inactive_days_combines_with_the_other_filters_limit_and_count_only(monkeypatch):
    h = harness(monkeypatch, DORMANCY)
    assert [u["username"] for u in h.ok(connect_user_info, inactive_days=90, user_role=["publisher"])["users"]] == ["idle-pub"]
    limited = h.ok(connect_user_info, inactive_days=90, limit=1)
    assert len(limited["users"]) == 1 and limited["count"] == 3
    counted = h.ok(connect_user_info, inactive_days=90, count_only=True)
    assert counted["users"] == [] and counted["count"] == 3
    assert h.ok(connect_user_info, inactive_days=90, username="busy")["users"] == []


def test_inactive_days_is_checked(monkeypatch):
    h = harness(monkeypatch, DORMANCY)
    h.fails(connect_user_info, "inactive_days", inactive_days=0)
    h.fails(connect_user_info, "inactive_days", "guid", inactive_days=5, guid="6f300623-1e0c-48e6-a473-ddf630c0c0c3")
