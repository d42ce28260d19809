# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""connect_group_membership's main() against the fake server."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.modules import connect_group_membership
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import FakeConnect, answer, make_group, make_user
from ansible_collections.posit.connect.tests.unit.plugins.modules.module_harness import Harness

ADMIN, ANA, BOB = make_user("admin", user_role="administrator"), make_user("ana"), make_user("bob")


def harness(monkeypatch):
    groups = [make_group("eng", owner=ADMIN, members=[ANA]), make_group("ops", owner=ADMIN, members=[BOB])]
    return Harness(monkeypatch, FakeConnect([ANA, BOB], groups, me=ADMIN))


def test_group_form_adds_and_reports_who(monkeypatch):
    h = harness(monkeypatch)
    checked = h.ok(connect_group_membership, check_mode=True, diff=True, group="eng", users=["ana", "bob"])
    assert checked["added"] == ["bob"] and checked["removed"] == [] and h.fake.writes() == []
    assert checked["diff"]["after"]["members"] == ["ana", "bob"]
    applied = h.ok(connect_group_membership, group="eng", users=["ana", "bob"])
    assert applied["changed"] is True and h.fake.member_names("eng") == ["ana", "bob"]
    assert h.ok(connect_group_membership, group="eng", users=["ana", "bob"])["changed"] is False


def test_user_form_exclusive_removes_the_others(monkeypatch):
    h = harness(monkeypatch)
    result = h.ok(connect_group_membership, user="bob", groups=["eng"], exclusive=True)
    assert result["added"] == ["eng"] and result["removed"] == ["ops"]
    assert h.fake.member_names("eng") == ["ana", "bob"] and h.fake.member_names("ops") == []


def test_exclusive_with_absent_is_refused(monkeypatch):
    h = harness(monkeypatch)
    h.fails(connect_group_membership, "exclusive", group="eng", users=["ana"], state="absent", exclusive=True)
    assert h.fake.calls == []


def test_unknown_users_fail_alike_in_check_mode(monkeypatch):
    h = harness(monkeypatch)
    h.same_failure_in_check_mode_and_real_run(connect_group_membership, "'nobody'", "no membership was changed",
                                              group="eng", users=["bob", "nobody"])


def test_exclusive_reads_back_what_it_wrote_and_fails_when_overtaken(monkeypatch):
    admin, ana, bob = make_user("admin", user_role="administrator"), make_user("ana"), make_user("bob")
    eng = make_group("eng", owner=admin, members=[ana])
    fake = FakeConnect([ana, bob], [eng], me=admin)

    def and_another_run_adds_ana_back(fake, call):
        fake.route(call)
        fake.members[eng["guid"]].append(ana["guid"])
        return answer(200, None)

    fake.inject("DELETE", "/v1/groups/*/members/*", and_another_run_adds_ana_back)
    failed = Harness(monkeypatch, fake).fails(connect_group_membership, "Another change overtook this run",
                                              "user 'ana' in group 'eng'", group="eng", users=["bob"], exclusive=True)
    assert failed["changed"] is True
