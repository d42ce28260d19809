# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""connect_user's main(): results, check mode, diff and failures, against the fake server."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.modules import connect_user
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import (
    FakeConnect,
    answer,
    make_group,
    make_user,
)
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_content import make_content
from ansible_collections.posit.connect.tests.unit.plugins.modules.module_harness import Harness

ADMIN = make_user("admin", user_role="administrator")


def harness(monkeypatch, *users, **kwargs):
    kwargs.setdefault("me", ADMIN)
    return Harness(monkeypatch, FakeConnect(users, **kwargs))


def test_create_in_check_mode_writes_nothing_then_the_real_run_creates(monkeypatch):
    h = harness(monkeypatch)
    args = dict(username="ana", email="ana@example.com", password="s3cretpass", user_role="publisher")
    checked = h.ok(connect_user, check_mode=True, **args)
    assert checked["changed"] is True and [op["action"] for op in checked["operations"]] == ["create"]
    assert checked["user"]["guid"] is None and h.fake.writes() == []
    applied = h.ok(connect_user, **args)
    assert applied["changed"] is True and applied["user"]["guid"] == h.fake.user_named("ana")["guid"]
    assert h.fake.writes() == [("POST", "/v1/users")]
    assert "s3cretpass" not in str(applied)
    again = h.ok(connect_user, **args)
    assert again["changed"] is False and again["operations"] == []


def test_an_up_to_date_account_costs_one_request(monkeypatch):
    h = harness(monkeypatch, make_user("ana", user_role="publisher"))
    result = h.ok(connect_user, username="ana", user_role="publisher")
    assert result["changed"] is False and result["user"]["username"] == "ana"
    assert len(h.fake.calls) == 1


def test_diff_shows_managed_fields_never_the_password(monkeypatch):
    h = harness(monkeypatch, make_user("ana"))
    result = h.ok(connect_user, diff=True, username="ana", user_role="publisher", password="s3cretpass")
    assert result["diff"]["before"]["user_role"] == "viewer" and result["diff"]["after"]["user_role"] == "publisher"
    assert "password" not in str(result["diff"]) and "s3cretpass" not in str(result)


def test_absent_for_a_missing_username_is_ok_and_warns(monkeypatch):
    h = harness(monkeypatch)
    result = h.ok(connect_user, username="ghost", state="absent")
    assert result["changed"] is False and result["user"] is None
    assert any("ghost" in warning for warning in h.warnings)


def test_a_prohibited_username_fails_alike_in_check_mode(monkeypatch):
    h = harness(monkeypatch)
    h.same_failure_in_check_mode_and_real_run(connect_user, "prohibited", username="login", email="l@example.com",
                                              password="s3cretpass")


def test_self_lock_fails_alike_in_check_mode(monkeypatch):
    h = harness(monkeypatch, make_user("deputy", user_role="administrator"))
    h.same_failure_in_check_mode_and_real_run(connect_user, "Refusing to lock", "API key belongs to", "force",
                                              username="admin", state="absent")


def test_self_demotion_with_force_is_applied(monkeypatch):
    h = harness(monkeypatch, make_user("deputy", user_role="administrator"))
    h.fails(connect_user, "Refusing to change the role", username="admin", user_role="viewer")
    result = h.ok(connect_user, username="admin", user_role="viewer", force=True)
    assert result["changed"] is True and h.fake.user_named("admin")["user_role"] == "viewer"


def test_a_failure_after_a_write_reports_what_was_applied(monkeypatch):
    h = harness(monkeypatch, make_user("bob", locked=True))
    h.fake.inject("POST", "/v1/users/*/lock", answer(403, {"code": 49, "error": "No."}))
    result = h.fails(connect_user, "unlock user 'bob'", "already applied", username="bob", user_role="publisher")
    assert result["changed"] is True and [op["action"] for op in result["operations"]] == ["update"]
    assert result["status"] == 403 and result["code"] == 49


def test_a_refused_key_fails_with_its_status(monkeypatch):
    h = harness(monkeypatch)
    h.fake.inject("GET", "/v1/users", answer(401, {"code": 30, "error": "Invalid login."}))
    result = h.fails(connect_user, "API key", username="ana")
    assert result["status"] == 401 and result["code"] == 30


def test_a_url_that_is_not_connect_fails_naming_it(monkeypatch):
    h = harness(monkeypatch)
    h.fake.inject("GET", "/v1/users", answer(404, text="Not Found"))
    result = h.fails(connect_user, "not a Connect server", "https://connect.example.com", username="ana")
    # A key with no value is left out rather than returned as null.
    assert result["status"] == 404 and "code" not in result


def test_a_url_with_a_path_connect_is_not_served_under_names_the_address_asked(monkeypatch):
    h = harness(monkeypatch)
    h.fake.inject("GET", "/v1/users", answer(404, {"code": 2, "error": "Unknown endpoint.", "payload": None}))
    result = h.fails(connect_user, "HTTP 404 to GET https://connect.example.com/__api__/v1/users", "check url",
                     username="ana")
    assert result["status"] == 404 and "code" not in result
    assert len(h.fake.calls) == 1


def test_a_refusal_made_while_planning_has_no_status_or_code(monkeypatch):
    h = harness(monkeypatch)
    result = h.fails(connect_user, "Cannot create user 'dan'", "email", username="dan", user_must_set_password=True)
    assert "status" not in result and "code" not in result


def test_a_url_with_a_query_is_refused_before_any_request(monkeypatch):
    h = harness(monkeypatch)
    h.fails(connect_user, "url", "query", username="ana", url="https://connect.example.com/?a=b")
    assert h.fake.calls == []


def test_timeout_and_retries_reach_the_client(monkeypatch):
    h = harness(monkeypatch, make_user("ana"))
    h.ok(connect_user, username="ana", timeout=7.5, retries=2, retry_max_time=9)
    client = h.clients[-1]
    assert client.timeout == 7.5 and client.retry_policy.retries == 2 and client.retry_policy.max_time == 9


def test_a_create_without_user_role_predicts_null_with_a_note_then_returns_the_servers(monkeypatch):
    h = harness(monkeypatch, default_role="publisher")
    args = dict(username="ana", email="ana@example.com", user_must_set_password=True)
    checked = h.ok(connect_user, check_mode=True, diff=True, **args)
    assert checked["user"]["user_role"] is None and checked["diff"]["after"]["user_role"] is None
    assert any("default role" in warning and "'ana'" in warning for warning in h.warnings)
    h.warnings.clear()
    applied = h.ok(connect_user, **args)
    assert applied["user"]["user_role"] == "publisher" and h.warnings == []
    assert h.ok(connect_user, check_mode=True, **args)["changed"] is False


def test_a_lookalike_username_is_refused_naming_both_and_force_creates_it(monkeypatch):
    h = harness(monkeypatch, make_user("alice"))
    args = dict(username="\u0430lice", email="alice2@example.com", user_must_set_password=True)
    h.same_failure_in_check_mode_and_real_run(connect_user, "'alice'", "U+0430", "looks the same", **args)
    assert h.ok(connect_user, force=True, **args)["changed"] is True


def test_a_decomposed_username_and_first_name_are_no_change(monkeypatch):
    h = harness(monkeypatch, make_user("jos\u00e9", first_name="Jos\u00e9"))
    assert h.ok(connect_user, username="jose\u0301", first_name="Jose\u0301")["changed"] is False
    assert h.fake.writes() == []


def test_a_403_names_the_write_and_the_role_it_needs(monkeypatch):
    h = harness(monkeypatch, make_user("bob"))
    h.fake.inject("PUT", "/v1/users/*", answer(403, {"code": 21, "error": "You don't have permission to change this item."}))
    failed = h.fails(connect_user, "update user 'bob'", "administrator role", "lower role than its owner",
                     username="bob", user_role="publisher")
    assert failed["status"] == 403


# -- offboarding: successor ---------------------------------------------------------------


def leaver_server(monkeypatch, count=3, **kwargs):
    bob, ana = make_user("bob", user_role="publisher"), make_user("ana", user_role="publisher")
    content = [make_content("app-{0}".format(n), bob) for n in range(count)]
    return harness(monkeypatch, bob, ana, content=content, groups=[make_group("team", owner=bob)], **kwargs), content


def test_successor_check_mode_returns_the_transfers_then_the_lock_and_writes_nothing(monkeypatch):
    h, content = leaver_server(monkeypatch)
    args = dict(username="bob", state="absent", successor="ana")
    checked = h.ok(connect_user, check_mode=True, diff=True, **args)
    assert [(op["action"], op["target"]) for op in checked["operations"]] == (
        [("transfer", "content 'app-{0}' ({1})".format(n, item["guid"])) for n, item in enumerate(content)]
        + [("transfer", "group 'team'"), ("lock", "user 'bob'")])
    assert checked["changed"] and checked["user"]["locked"] and h.fake.writes() == []
    assert checked["diff"]["before"]["content"] == ["app-0", "app-1", "app-2"] and checked["diff"]["after"]["content"] == []
    assert checked["handover"]["successor"] == "ana" and [g["name"] for g in checked["handover"]["groups"]] == ["team"]
    applied = h.ok(connect_user, **args)
    assert applied["operations"] == checked["operations"] and applied["user"]["locked"]
    assert h.fake.owned_names(h.fake.user_named("ana")) == ["app-0", "app-1", "app-2"]
    again = h.ok(connect_user, **args)
    assert not again["changed"] and again["operations"] == [] and again["handover"]["content"] == []


def test_successor_refusals_fail_alike_in_check_mode(monkeypatch):
    h, unused = leaver_server(monkeypatch)
    h.same_failure_in_check_mode_and_real_run(connect_user, "Cannot offboard user 'bob'", "successor 'nemo'",
                                              username="bob", state="absent", successor="nemo")
    h.same_failure_in_check_mode_and_real_run(connect_user, "Cannot offboard user 'bob'", "state: absent",
                                              username="bob", successor="ana")


def test_a_failed_transfer_reports_what_was_handed_over(monkeypatch):
    h, content = leaver_server(monkeypatch)
    h.fake.inject("PATCH", "/v1/content/" + content[1]["guid"], answer(500, {"code": 1, "error": "Boom."}))
    result = h.fails(connect_user, "Could not transfer content 'app-1'", "already handed over", "not locked",
                     username="bob", state="absent", successor="ana", concurrency=1)
    assert result["changed"] is True and [op["target"] for op in result["operations"]] == [
        "content 'app-0' ({0})".format(content[0]["guid"])]
    assert not h.fake.user_named("bob")["locked"]
    rerun = h.ok(connect_user, username="bob", state="absent", successor="ana", concurrency=1)
    assert [op["action"] for op in rerun["operations"]] == ["transfer", "transfer", "transfer", "lock"]
