# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""connect_groups' and connect_group_info's main() against the fake server."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.modules import connect_group_info, connect_groups
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import (
    LDAP,
    FakeConnect,
    answer,
    make_group,
    make_user,
)
from ansible_collections.posit.connect.tests.unit.plugins.modules.module_harness import Harness

ADMIN = make_user("admin", user_role="administrator")
ANA, BOB = make_user("ana"), make_user("bob")


def harness(monkeypatch, *groups, **kwargs):
    kwargs.setdefault("me", ADMIN)
    return Harness(monkeypatch, FakeConnect([ANA, BOB], groups, **kwargs))


def test_exclusive_members_quartet(monkeypatch):
    h = harness(monkeypatch, make_group("eng", owner=ADMIN, members=[BOB]))
    args = dict(groups=[{"name": "eng", "members": ["ana"]}, {"name": "ops", "members": ["bob"]}], exclusive=True)
    checked = h.ok(connect_groups, check_mode=True, diff=True, **args)
    assert checked["changed"] is True and h.fake.writes() == []
    assert checked["diff"]["after"]["eng"]["members"] == ["ana"]
    applied = h.ok(connect_groups, **args)
    assert applied["changed"] is True and applied["created"] == ["ops"]
    assert h.fake.member_names("eng") == ["ana"] and h.fake.member_names("ops") == ["bob"]
    writes = len(h.fake.writes())
    assert h.ok(connect_groups, check_mode=True, **args)["changed"] is False
    assert h.ok(connect_groups, **args)["changed"] is False
    assert len(h.fake.writes()) == writes


def test_an_unknown_member_stops_the_run_before_any_write(monkeypatch):
    h = harness(monkeypatch, make_group("eng", owner=ADMIN))
    args = dict(groups=[{"name": "eng", "members": ["ana", "ghost"]}, {"name": "ops", "members": ["bob"]}])
    result = h.same_failure_in_check_mode_and_real_run(connect_groups, "cannot be planned", "ghost", **args)
    assert [failure["group"] for failure in result["failures"]] == ["eng"]


def test_unlisted_delete_beyond_the_default_guard_names_the_groups(monkeypatch):
    groups = [make_group("g%02d" % number, owner=ADMIN) for number in range(6)]
    h = harness(monkeypatch, *groups)
    result = h.same_failure_in_check_mode_and_real_run(connect_groups, "Refusing to delete", "max_deletes",
                                                       groups=[{"name": "g00"}], unlisted="delete")
    assert result["would_delete"] == ["g01", "g02", "g03", "g04", "g05"]


def test_group_info_by_name_with_members(monkeypatch):
    h = harness(monkeypatch, make_group("eng", owner=ADMIN, members=[ANA]), make_group("ops", owner=ADMIN))
    result = h.ok(connect_group_info, name="eng", include_members=True)
    assert result["count"] == 1 and [group["name"] for group in result["groups"]] == ["eng"]
    assert result["groups"][0]["members"] == [{"guid": ANA["guid"], "username": "ana"}]


def test_group_info_members_under_ldap_fail_in_one_sentence(monkeypatch):
    h = harness(monkeypatch, make_group("eng"), settings=LDAP)
    # What Connect answers a member listing under LDAP (code 132: the provider cannot use this endpoint).
    refusal = {"code": 132, "error": "The configured provider cannot access this endpoint.", "payload": None}
    h.fake.inject("GET", "/v1/groups/*/members", answer(400, refusal))
    h.fails(connect_group_info, "include_members", "LDAP", name="eng", include_members=True)


def test_ldap_renames_are_planning_failures_and_nothing_is_written(monkeypatch):
    ldap_eng = make_group("ldap-eng")
    h = harness(monkeypatch, ldap_eng, settings=LDAP)
    args = dict(groups=[{"guid": ldap_eng["guid"], "name": "engineering"}])
    checked = h.fails(connect_groups, "cannot be planned", "LDAP", check_mode=True, **args)
    applied = h.fails(connect_groups, "cannot be planned", "LDAP", **args)
    assert checked["msg"] == applied["msg"] and h.fake.writes() == []


def test_the_diff_names_owners_by_username(monkeypatch):
    h = harness(monkeypatch, make_group("eng", owner=ADMIN))
    groups = [{"name": "eng", "owner": "ana"}, {"name": "ops"}]
    checked = h.ok(connect_groups, check_mode=True, diff=True, groups=groups)
    assert checked["diff"]["before"] == {"eng": {"name": "eng", "owner": "admin"}, "ops": {}}
    assert checked["diff"]["after"] == {"eng": {"name": "eng", "owner": "ana"}, "ops": {"name": "ops", "owner": "admin"}}
    assert checked["operations"][0]["changes"]["owner_guid"]["after"] == ANA["guid"]
