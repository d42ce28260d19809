# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""connect_group's main() against the fake server."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.modules import connect_group
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import (
    LDAP,
    FakeConnect,
    make_group,
    make_user,
)
from ansible_collections.posit.connect.tests.unit.plugins.modules.module_harness import Harness

ADMIN = make_user("admin", user_role="administrator")


def harness(monkeypatch, *groups, **kwargs):
    kwargs.setdefault("me", ADMIN)
    return Harness(monkeypatch, FakeConnect([make_user("ana")], groups, **kwargs))


def test_create_then_nothing_to_do(monkeypatch):
    h = harness(monkeypatch)
    checked = h.ok(connect_group, check_mode=True, diff=True, name="eng")
    assert checked["changed"] is True and checked["group"]["guid"] is None and h.fake.writes() == []
    assert checked["diff"]["after"]["name"] == "eng"
    created = h.ok(connect_group, name="eng", owner="ana")
    assert created["group"]["guid"] == h.fake.group_named("eng")["guid"]
    assert created["group"]["owner_guid"] == h.fake.user_named("ana")["guid"]
    assert h.ok(connect_group, name="eng", owner="ana")["changed"] is False


def test_rename_onto_a_taken_name_fails_alike_in_check_mode(monkeypatch):
    h = harness(monkeypatch, make_group("eng", owner=ADMIN), make_group("ops", owner=ADMIN))
    h.same_failure_in_check_mode_and_real_run(connect_group, "already exists", name="eng", new_name="ops")


def test_guid_with_a_name_and_another_new_name_is_refused(monkeypatch):
    eng = make_group("eng", owner=ADMIN)
    h = harness(monkeypatch, eng)
    h.same_failure_in_check_mode_and_real_run(connect_group, "new_name", guid=eng["guid"], name="platform",
                                              new_name="infra")


def test_guid_with_another_name_renames(monkeypatch):
    """As in connect_groups' entries: the guid finds the group, the name is the one it should have."""
    eng = make_group("eng", owner=ADMIN)
    h = harness(monkeypatch, eng)
    result = h.ok(connect_group, guid=eng["guid"], name="platform")
    assert result["changed"] and result["group"]["name"] == "platform" and result["group"]["guid"] == eng["guid"]


def test_ldap_create_with_owner_is_refused(monkeypatch):
    h = harness(monkeypatch, settings=LDAP, group_directory=[{"name": "eng", "temp_ticket": "t"}])
    h.same_failure_in_check_mode_and_real_run(connect_group, "owner", name="eng", owner="ana")


def test_delete(monkeypatch):
    eng = make_group("eng", owner=ADMIN)
    h = harness(monkeypatch, eng)
    result = h.ok(connect_group, name="eng", state="absent")
    assert result["changed"] is True and result["group"] is None
    assert h.fake.writes() == [("DELETE", "/v1/groups/" + eng["guid"])]
    assert h.ok(connect_group, name="eng", state="absent")["changed"] is False


def test_the_diff_names_owners_by_username_and_the_group_keeps_owner_guid(monkeypatch):
    eng = make_group("eng", owner=ADMIN)
    h = harness(monkeypatch, eng)
    checked = h.ok(connect_group, check_mode=True, diff=True, name="eng", owner="ana")
    assert checked["diff"] == {"before": {"name": "eng", "owner": "admin"}, "after": {"name": "eng", "owner": "ana"}}
    applied = h.ok(connect_group, diff=True, name="eng", owner="ana")
    assert applied["diff"] == checked["diff"]
    assert applied["group"]["owner_guid"] == h.fake.user_named("ana")["guid"]
    created = h.ok(connect_group, check_mode=True, diff=True, name="ops")
    assert created["diff"] == {"before": {}, "after": {"name": "ops", "owner": "admin"}}


def test_an_ldap_rename_fails_alike_in_check_mode_and_writes_nothing(monkeypatch):
    h = harness(monkeypatch, make_group("ldap-eng"), settings=LDAP)
    result = h.same_failure_in_check_mode_and_real_run(connect_group, "Cannot rename group 'ldap-eng'", "LDAP",
                                                       name="ldap-eng", new_name="engineering")
    assert "status" not in result and "code" not in result


def test_a_lookalike_new_group_is_refused_naming_both_unless_force(monkeypatch):
    h = harness(monkeypatch, make_group("team", owner=ADMIN))
    h.same_failure_in_check_mode_and_real_run(connect_group, "'team'", "U+0435", "force", name="t\u0435am")
    h.same_failure_in_check_mode_and_real_run(connect_group, "but for case", name="Team")
    assert h.ok(connect_group, name="t\u0435am", force=True)["changed"] is True


def test_a_decomposed_name_is_the_composed_group(monkeypatch):
    h = harness(monkeypatch, make_group("\u00c9quipe", owner=ADMIN))
    assert h.ok(connect_group, name="E\u0301quipe")["changed"] is False
    assert h.fake.writes() == []


def test_an_invisible_character_in_a_name_is_refused(monkeypatch):
    h = harness(monkeypatch, make_group("team", owner=ADMIN))
    h.same_failure_in_check_mode_and_real_run(connect_group, "invisible format character", "U+200B", name="team\u200b")
