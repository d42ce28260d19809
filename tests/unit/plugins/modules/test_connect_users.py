# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""connect_users' main(): the report, the refusals and their details, against the fake server."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.modules import connect_users
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import (
    FakeConnect,
    answer,
    make_group,
    make_user,
)
from ansible_collections.posit.connect.tests.unit.plugins.modules.module_harness import Harness

ADMIN = make_user("admin", user_role="administrator")


def harness(monkeypatch, users=(), groups=(), **kwargs):
    kwargs.setdefault("me", ADMIN)
    return Harness(monkeypatch, FakeConnect(users, groups, **kwargs))


def new(username, **fields):
    entry = dict(username=username, email=username + "@example.com", user_must_set_password=True)
    entry.update(fields)
    return entry


def test_a_run_reports_each_outcome_and_check_mode_agrees(monkeypatch):
    h = harness(monkeypatch, [make_user("ana"), make_user("bob", locked=True), make_user("carl")])
    users = [dict(username="ana", user_role="publisher"), dict(username="bob"), new("chen"), dict(username="carl")]
    checked = h.ok(connect_users, check_mode=True, users=users)
    assert h.fake.writes() == []
    applied = h.ok(connect_users, users=users)
    assert checked["counts"] == applied["counts"]
    assert applied["counts"] == {"created": 1, "updated": 1, "locked": 0, "unlocked": 1, "memberships": 0,
                                 "unchanged": 1, "failed": 0}
    assert "handovers" not in applied
    assert applied["changed"] is True and applied["created"] == ["chen"]
    again = h.ok(connect_users, users=users)
    assert again["changed"] is False and again["counts"]["unchanged"] == 4


def test_a_bad_entry_fails_the_task_before_any_write(monkeypatch):
    h = harness(monkeypatch, [make_user("ana"), make_user("Bob")])
    users = [dict(username="ana", user_role="publisher"), new("bob"), dict(email="x@example.com")]
    result = h.same_failure_in_check_mode_and_real_run(connect_users, "cannot be planned", "nothing was changed", "partial",
                                                       "users[2]", users=users)
    assert sorted(failure["user"] for failure in result["failures"]) == ["bob", "users[2]"]


def test_partial_applies_the_rest_and_fails_naming_the_others(monkeypatch):
    h = harness(monkeypatch, [make_user("ana"), make_user("Bob"), make_user("carl")])
    result = h.fails(connect_users, "bob", users=[dict(username="ana", user_role="publisher"), new("bob")], partial=True,
                     unlisted="lock")
    assert result["updated"] == ["ana"] and h.fake.user_named("ana")["user_role"] == "publisher"
    assert result["locked"] == [] and "unlisted_skipped" in result
    assert h.fake.user_named("carl")["locked"] is False


def test_the_lock_guard_refusal_returns_the_plan(monkeypatch):
    people = [make_user("u%02d" % i) for i in range(30)]
    h = harness(monkeypatch, people)
    result = h.fails(connect_users, "Refusing to lock", "max_locks", "and 19 more", users=[dict(username="u00")],
                     unlisted="lock", check_mode=True)
    assert len(result["would_lock"]) == 29 and len(result["operations"]) == 29
    assert h.fake.writes() == []
    allowed = h.ok(connect_users, users=[dict(username="u00")], unlisted="lock", max_locks=29)
    assert allowed["counts"]["locked"] == 29


def test_an_empty_list_with_unlisted_lock_is_refused(monkeypatch):
    h = harness(monkeypatch, [make_user("ana")])
    h.same_failure_in_check_mode_and_real_run(connect_users, "empty", "unlisted", users=[], unlisted="lock")


def test_diff_names_accounts_and_their_groups(monkeypatch):
    ana = make_user("ana")
    h = harness(monkeypatch, [ana], [make_group("eng", owner=ADMIN)])
    result = h.ok(connect_users, check_mode=True, diff=True, users=[dict(username="ana", groups=["eng"])])
    assert result["memberships"] == ["ana"]
    assert result["diff"]["before"]["ana"]["groups"] == [] and result["diff"]["after"]["ana"]["groups"] == ["eng"]


def test_a_write_failure_is_per_user_and_fails_the_task(monkeypatch):
    ana, bob = make_user("ana"), make_user("bob")
    h = harness(monkeypatch, [ana, bob])
    h.fake.inject("PUT", "/v1/users/" + ana["guid"], answer(500, {"code": 0, "error": "Oops."}))
    result = h.fails(connect_users, "1 of the listed users failed", "ana", users=[dict(username="ana", first_name="A"),
                                                                                  dict(username="bob", first_name="B")])
    assert result["updated"] == ["bob"] and result["counts"]["failed"] == 1 and result["changed"] is True


def test_creates_without_user_role_give_one_note_in_check_mode_and_the_servers_roles_after(monkeypatch):
    h = harness(monkeypatch, default_role="publisher")
    users = [new("ana"), new("bob"), new("chen", user_role="viewer")]
    checked = h.ok(connect_users, check_mode=True, diff=True, users=users)
    assert checked["diff"]["after"]["ana"]["user_role"] is None and checked["diff"]["after"]["chen"]["user_role"] == "viewer"
    notes = [warning for warning in h.warnings if "default role" in warning]
    assert len(notes) == 1 and "2 accounts" in notes[0] and "'ana', 'bob'" in notes[0]
    h.warnings.clear()
    applied = h.ok(connect_users, diff=True, users=users)
    assert applied["diff"]["after"]["ana"]["user_role"] == "publisher"
    assert applied["diff"]["after"]["chen"]["user_role"] == "viewer"
    # operations are the writes as sent, the same in check mode and in the real run
    assert applied["operations"] == checked["operations"]
    assert not [warning for warning in h.warnings if "default role" in warning]
