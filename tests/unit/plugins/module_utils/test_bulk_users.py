# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""connect_users' planning through ConnectApi over the fake server: one listing, the guards and truthful outcomes."""

from __future__ import annotations

import pytest

from ansible_collections.posit.connect.plugins.module_utils._planning.bulk import Refusal
from ansible_collections.posit.connect.plugins.module_utils._planning.bulk_users import BulkUserPlanner
from ansible_collections.posit.connect.plugins.module_utils._http.concurrency import WorkPool
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import apply_each
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import (
    FakeConnect,
    answer,
    make_group,
    make_user,
)

ADMIN = make_user("admin", user_role="administrator")


def bulk(users=(), groups=(), me=None, **kwargs):
    fake = FakeConnect(users, groups, me=me or ADMIN, **kwargs)
    return BulkUserPlanner(fake.api()), fake


def run(planner, entries, check_mode=False, concurrency=4, **kwargs):
    work, failures, notes = planner.plan(entries, **kwargs)
    if not check_mode:
        apply_each([item.plan for item in work], WorkPool(concurrency).map)
    return BulkUserPlanner.report.summarize(work, failures, check_mode), notes, work


def new_entry(username, **fields):
    entry = {"username": username, "email": username + "@example.com", "user_must_set_password": True}
    entry.update(fields)
    return entry


def test_one_listing_then_only_the_needed_writes():
    users = [make_user("u%d" % i) for i in range(50)]
    planner, fake = bulk(users, page_cap=20)
    entries = [{"username": user["username"]} for user in users]
    entries[3]["user_role"] = "publisher"
    work, failures, unused_notes = planner.plan(entries)
    assert failures == [] and [call.path for call in fake.calls] == ["/v1/users"] * 3
    apply_each([item.plan for item in work], WorkPool(4).map)
    assert fake.writes() == [("PUT", "/v1/users/" + users[3]["guid"])]
    results = BulkUserPlanner.report.summarize(work, failures, check_mode=False)
    assert results["counts"]["updated"] == 1 and results["updated"] == ["u3"] and results["counts"]["unchanged"] == 49


def test_check_mode_and_the_real_run_report_the_same_outcomes():
    users = [make_user("ana"), make_user("bob", locked=True)]
    entries = [{"username": "ana", "user_role": "publisher"}, {"username": "bob"}, new_entry("chen")]
    checked, unused_notes, unused_work = run(bulk(users)[0], entries, check_mode=True)
    planner, fake = bulk(users)
    applied, unused_notes, unused_work = run(planner, entries)
    assert checked["counts"] == applied["counts"]
    assert (applied["created"], applied["updated"], applied["unlocked"]) == (["chen"], ["ana"], ["bob"])
    assert fake.user_named("chen") is not None and fake.user_named("bob")["locked"] is False


# -- planning errors ---------------------------------------------------------------------------


def test_an_entry_that_cannot_be_planned_stops_every_write():
    planner, fake = bulk([make_user("ana"), make_user("Bob")])
    entries = [{"username": "ana", "user_role": "publisher"}, new_entry("bob"), new_entry("login"), new_entry("dan")]
    with pytest.raises(Refusal) as refused:
        planner.plan(entries)
    message = refused.value.message
    for word in ("cannot be planned", "nothing was changed", "partial", "bob", "login"):
        assert word in message, (word, message)
    assert [failure["user"] for failure in refused.value.details["failures"]] == ["bob", "login"]
    assert fake.writes() == []


def test_partial_applies_the_valid_entries_and_lists_the_others():
    ana, carl = make_user("ana"), make_user("carl")
    planner, fake = bulk([ana, make_user("Bob"), carl])
    results, notes, unused_work = run(planner, [{"username": "ana", "user_role": "publisher"}, new_entry("bob")],
                                      handle_unlisted=True, partial=True)
    assert results["updated"] == ["ana"] and fake.users[ana["guid"]]["user_role"] == "publisher"
    assert [failure["user"] for failure in results["failures"]] == ["bob"]
    assert "differs only in case" in results["failures"][0]["msg"]
    # Unlisted accounts are not locked in a run with failing entries.
    assert results["locked"] == [] and fake.users[carl["guid"]]["locked"] is False
    assert "unlisted_skipped" in notes and "could not be planned" in notes["unlisted_skipped"]


def test_an_entry_without_username_or_guid_is_named_by_position():
    planner, unused_fake = bulk([make_user("ana")])
    with pytest.raises(Refusal) as refused:
        planner.plan([{"username": "ana"}, {"username": "ana2", "email": "a@x.org", "password": "s3cret!"},
                      {"email": "x@example.com"}, {"user_role": "viewer"}])
    assert [failure["user"] for failure in refused.value.details["failures"]] == ["users[2]", "users[3]"]


def test_an_entry_from_src_without_username_or_guid_is_named_by_its_file_and_line():
    planner, unused_fake = bulk([make_user("ana")])
    with pytest.raises(Refusal) as refused:
        planner.plan([{"username": "ana"}, {"email": "x@example.com"}], labels=["people.csv line 2", "people.csv line 9"])
    assert [failure["user"] for failure in refused.value.details["failures"]] == ["people.csv line 9"]


def test_duplicates_are_failures():
    planner, unused_fake = bulk([make_user("ana")])
    with pytest.raises(Refusal) as refused:
        planner.plan([{"username": "ana"}, {"username": "ana"}])
    assert "more than once" in refused.value.details["failures"][0]["msg"]


def test_an_empty_list_with_unlisted_lock_is_refused():
    planner, fake = bulk([make_user("ana")])
    with pytest.raises(Refusal) as refused:
        planner.plan([], handle_unlisted=True)
    assert "empty" in refused.value.message and "unlisted" in refused.value.message
    assert fake.writes() == [] and fake.calls == []


# -- the lock guard ---------------------------------------------------------------------------------


def _locking(count_unlocked, **kwargs):
    others = [make_user("u%02d" % i) for i in range(count_unlocked - 1)]
    planner, fake = bulk(others)
    return planner, fake, others


@pytest.mark.parametrize("unlocked, allowed", [(100, 10), (20, 4), (3, 1)])
def test_the_default_guard_allows_ten_or_a_fifth(unlocked, allowed):
    planner, fake, others = _locking(unlocked)
    entries = [{"username": user["username"], "state": "absent"} for user in others[:allowed]]
    work, unused_failures, unused_notes = planner.plan(entries)
    assert sum(1 for item in work if item.outcome(check_mode=True) == "locked") == allowed
    too_many = [{"username": user["username"], "state": "absent"} for user in others[:allowed + 1]]
    with pytest.raises(Refusal) as refused:
        BulkUserPlanner(fake.api()).plan(too_many)
    assert "Refusing to lock" in refused.value.message and "max_locks" in refused.value.message
    assert fake.writes() == []


def test_explicit_max_locks_is_exact():
    planner, fake, others = _locking(100)
    entries = [{"username": user["username"], "state": "absent"} for user in others[:30]]
    assert len(planner.plan(entries, limit=30)[0]) == 30
    with pytest.raises(Refusal):
        BulkUserPlanner(fake.api()).plan(entries, limit=29)


def test_a_refused_lock_names_ten_and_how_many_more_and_keeps_the_plan():
    planner, fake, others = _locking(30)
    with pytest.raises(Refusal) as refused:
        planner.plan([{"username": "u00"}], handle_unlisted=True)
    message = refused.value.message
    would_lock = refused.value.details["would_lock"]
    assert sorted(would_lock) == sorted(user["username"] for user in others[1:])
    assert all("'%s'" % name in message for name in would_lock[:10])
    assert "'%s'" % would_lock[10] not in message and "and %d more" % (len(would_lock) - 10) in message
    assert [op["action"] for op in refused.value.details["operations"]] == ["lock"] * len(would_lock)
    assert fake.writes() == []


def test_unlisted_lock_spares_the_key_owner_and_listed_accounts():
    others = [make_user("u%d" % i) for i in range(3)]
    planner, fake = bulk(others)
    results, unused_notes, unused_work = run(planner, [{"username": "u0"}], handle_unlisted=True, limit=5)
    assert sorted(results["locked"]) == ["u1", "u2"]
    assert fake.user_named("admin")["locked"] is False and fake.user_named("u0")["locked"] is False


def test_an_entry_with_force_may_lock_the_key_owner():
    planner, unused_fake = bulk([make_user("deputy", user_role="administrator")])
    with pytest.raises(Refusal) as refused:
        planner.plan([{"username": "admin", "state": "absent"}])
    assert "API key belongs to" in refused.value.message
    work, failures, unused_notes = BulkUserPlanner(planner.api).plan([{"username": "admin", "state": "absent", "force": True}])
    assert failures == [] and work[0].outcome(check_mode=True) == "locked"


def test_locking_every_administrator_is_refused_for_the_last_one():
    me = make_user("ops", user_role="publisher")
    admins = [make_user("a1", user_role="administrator"), make_user("a2", user_role="administrator")]
    planner, unused_fake = bulk(admins, me=me)
    with pytest.raises(Refusal) as refused:
        planner.plan([{"username": "a1", "state": "absent"}, {"username": "a2", "state": "absent"}], limit=5)
    assert [failure["user"] for failure in refused.value.details["failures"]] == ["a2"]
    assert "only unlocked administrator" in refused.value.message


# -- truthful outcomes ---------------------------------------------------------------------------------


def test_a_create_that_found_the_account_made_by_a_parallel_run_is_not_counted_created():
    planner, fake = bulk()
    work, failures, unused_notes = planner.plan([new_entry("ana"), new_entry("bob")])

    def parallel(fake_, call):
        fake_.route(call)
        return answer(409, {"code": 8, "error": "The requested username is already in use.", "payload": None})

    fake.inject("POST", "/v1/users", parallel)
    apply_each([item.plan for item in work], WorkPool(1).map)
    results = BulkUserPlanner.report.summarize(work, failures, check_mode=False)
    assert results["created"] == ["bob"] and results["counts"]["created"] == 1
    assert results["counts"]["unchanged"] == 1 and results["failures"] == []


def test_an_account_created_whose_group_add_failed_is_created_and_failed():
    eng = make_group("eng", owner=ADMIN)
    planner, fake = bulk(groups=[eng])
    work, failures, unused_notes = planner.plan([new_entry("ana", groups=["eng"])])
    fake.inject("POST", "/v1/groups/*/members", answer(500, {"code": 0, "error": "Internal error."}))
    apply_each([item.plan for item in work], WorkPool(1).map)
    results = BulkUserPlanner.report.summarize(work, failures, check_mode=False)
    assert results["created"] == ["ana"] and fake.user_named("ana") is not None
    assert [failure["user"] for failure in results["failures"]] == ["ana"]
    assert "HTTP 500" in results["failures"][0]["msg"] and results["counts"]["failed"] == 1


def test_a_new_account_is_added_to_its_groups_with_the_guid_it_was_given():
    eng = make_group("eng", owner=ADMIN)
    planner, fake = bulk(groups=[eng])
    results, unused_notes, unused_work = run(planner, [new_entry("ana", groups=["eng"])])
    assert results["created"] == ["ana"]
    assert fake.bodies("POST", "/v1/groups/*/members") == [{"user_guid": fake.user_named("ana")["guid"]}]
    assert fake.member_names("eng") == ["ana"]


def test_an_unknown_group_fails_the_entry():
    planner, fake = bulk([make_user("ana")], [make_group("eng", owner=ADMIN)])
    with pytest.raises(Refusal) as refused:
        planner.plan([{"username": "ana", "groups": ["eng", "nope"]}])
    assert "'nope'" in refused.value.message and fake.writes() == []


def test_a_failed_member_listing_fails_with_its_real_cause():
    planner, fake = bulk([make_user("ana")], [make_group("eng", owner=ADMIN)])
    fake.inject("GET", "/v1/groups/*/members", answer(500, {"code": 0, "error": "Internal error."}))
    with pytest.raises(ConnectError) as failed:
        planner.plan([{"username": "ana", "groups": ["eng"]}])
    assert "HTTP 500" in failed.value.message
    assert "No Connect group is named" not in failed.value.message
    assert fake.writes() == []


def test_membership_only_entries_show_their_groups_in_the_diff():
    ana = make_user("ana")
    eng, ops = make_group("eng", owner=ADMIN, members=[ana]), make_group("ops", owner=ADMIN)
    planner, unused_fake = bulk([ana], [eng, ops])
    work, unused_failures, unused_notes = planner.plan([{"username": "ana", "groups": ["eng", "ops"]}])
    assert work[0].outcome(check_mode=True) == "memberships"
    diff = BulkUserPlanner.report.diff_of(work)
    assert diff["before"]["ana"]["groups"] == ["eng"] and diff["after"]["ana"]["groups"] == ["eng", "ops"]


def test_many_writes_run_concurrently_and_each_account_once():
    users = [make_user("u%02d" % i) for i in range(40)]
    planner, fake = bulk(users)
    entries = [{"username": user["username"], "first_name": "F"} for user in users]
    results, unused_notes, unused_work = run(planner, entries, concurrency=8)
    assert results["counts"]["updated"] == 40
    assert sorted(fake.writes()) == sorted(("PUT", "/v1/users/" + user["guid"]) for user in users)
