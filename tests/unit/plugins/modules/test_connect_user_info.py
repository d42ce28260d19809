# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""connect_user_info's main() against the fake server."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.modules import connect_user_info
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import FakeConnect, make_group, make_user
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
