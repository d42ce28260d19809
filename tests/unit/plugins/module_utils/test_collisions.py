# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Names and runs that collide (issue 20), planned through ConnectApi over the fake server."""

from __future__ import annotations

import time

import pytest

from ansible_collections.posit.connect.plugins.module_utils._http.concurrency import WorkPool
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.bulk import Refusal
from ansible_collections.posit.connect.plugins.module_utils._planning.bulk_groups import BulkGroupPlanner
from ansible_collections.posit.connect.plugins.module_utils._planning.bulk_users import BulkUserPlanner
from ansible_collections.posit.connect.plugins.module_utils._planning.groups import GroupPlanner
from ansible_collections.posit.connect.plugins.module_utils._planning.memberships import MembershipPlanner
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import RunGate
from ansible_collections.posit.connect.plugins.module_utils._planning.users import UserPlanner
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import (
    FakeConnect,
    answer,
    make_group,
    make_user,
)

ADMIN = make_user("admin", user_role="administrator")
CYRILLIC_A = "\u0430"


def new_entry(username, **fields):
    entry = {"username": username, "email": username + "@example.com", "user_must_set_password": True}
    entry.update(fields)
    return entry


def users_run(fake, entries, **kwargs):
    planner = BulkUserPlanner(fake.api())
    work, failures, notes = planner.plan(entries, **kwargs)
    planner.apply(work, WorkPool(4).map, RunGate())
    failures = list(failures) + planner.confirm(work)
    return BulkUserPlanner.report.summarize(work, failures, check_mode=False), notes


def refused(planner, entries, *words, **kwargs):
    with pytest.raises(Refusal) as refusal:
        planner.plan(entries, **kwargs)
    for word in words:
        assert word in refusal.value.message, (word, refusal.value.message)
    return refusal.value


# -- one list, one name ----------------------------------------------------------------------------


def test_the_silent_merge_is_a_planning_error():
    alice = make_user("alice", email="alice@example.com", user_role="publisher")
    fake = FakeConnect([alice], me=ADMIN)
    entries = [{"guid": alice["guid"], "username": "jsmith"},
               new_entry("jsmith", email="newhire@example.com", user_role="publisher")]
    refusal = refused(BulkUserPlanner(fake.api()), entries, "jsmith", "nothing was changed")
    assert sorted(failure["user"] for failure in refusal.details["failures"]) == ["jsmith", "jsmith"]
    assert fake.writes() == []


def test_two_new_names_that_differ_only_in_case_are_refused():
    fake = FakeConnect([], me=ADMIN)
    refusal = refused(BulkUserPlanner(fake.api()), [new_entry("Carol"), new_entry("carol")], "but for case")
    assert len(refusal.details["failures"]) == 2 and fake.writes() == []


def test_two_renames_onto_one_name_are_refused():
    ana, bob = make_user("ana"), make_user("bob")
    fake = FakeConnect([ana, bob], me=ADMIN)
    entries = [{"guid": ana["guid"], "username": "team-lead"}, {"guid": bob["guid"], "username": "team-lead"}]
    refused(BulkUserPlanner(fake.api()), entries, "team-lead")
    assert fake.writes() == []


def test_lookalike_new_names_pass_only_when_both_entries_say_force():
    fake = FakeConnect([], me=ADMIN)
    entries = [new_entry("alice"), new_entry(CYRILLIC_A + "lice")]
    refused(BulkUserPlanner(fake.api()), entries, "looks the same")
    forced = [dict(entry, force=True) for entry in entries]
    work, failures, unused_notes = BulkUserPlanner(fake.api()).plan(forced)
    assert failures == [] and len(work) == 2


def test_with_partial_the_other_entries_still_apply():
    fake = FakeConnect([], me=ADMIN)
    results, unused_notes = users_run(fake, [new_entry("Carol"), new_entry("carol"), new_entry("dan")], partial=True)
    assert results["created"] == ["dan"] and results["counts"]["failed"] == 2


# -- look-alikes of the server's accounts and groups --------------------------------------------


@pytest.mark.parametrize("name", ["alice\u200b", CYRILLIC_A + "lice"])
def test_a_lookalike_entry_never_locks_the_real_account(name):
    # An invisible character never gets this far (the input checks refuse it); a look-alike is refused here.
    alice, bob = make_user("alice"), make_user("bob")
    fake = FakeConnect([alice, bob], me=ADMIN)
    refused(BulkUserPlanner(fake.api()), [new_entry(name), {"username": "bob"}], "looks the same", "alice",
            handle_unlisted=True)
    assert fake.writes() == []


def test_a_decomposed_name_is_the_composed_account():
    jose = make_user("jos\u00e9", first_name="Jos\u00e9")
    fake = FakeConnect([jose, make_user("bob")], me=ADMIN)
    results, unused_notes = users_run(fake, [{"username": "jos\u00e9", "first_name": "Jose\u0301"}, {"username": "bob"}])
    assert fake.writes() == [] and results["counts"]["unchanged"] == 2


def test_a_decomposed_group_name_is_the_composed_group():
    equipe = make_group("\u00c9quipe", owner=ADMIN)
    fake = FakeConnect([], [equipe, make_group("other", owner=ADMIN)], me=ADMIN)
    planner = BulkGroupPlanner(fake.api())
    work, failures, unused_notes = planner.plan([{"name": "E\u0301quipe"}, {"name": "other"}], True, None)
    assert failures == [] and all(not item.plan.operations for item in work)


def test_a_single_create_of_a_lookalike_names_both_and_force_allows_it():
    alice = make_user("alice")
    fake = FakeConnect([alice], me=ADMIN)
    with pytest.raises(ConnectError) as failed:
        UserPlanner(fake.api()).plan_one(new_entry(CYRILLIC_A + "lice", password=None))
    assert "'alice'" in failed.value.message and "U+0430" in failed.value.message and "force" in failed.value.message
    plan = UserPlanner(fake.api()).plan_one(new_entry(CYRILLIC_A + "lice", force=True))
    assert [op.action for op in plan.operations] == ["create"]


def group_spec(**fields):
    spec = {"state": "present", "name": None, "guid": None, "new_name": None, "owner": None, "force": False}
    spec.update(fields)
    return spec


@pytest.mark.parametrize("name, how", [("Team", "but for case"), ("te" + CYRILLIC_A + "m", "looks the same")])
def test_a_group_named_like_another_is_refused_unless_force(name, how):
    fake = FakeConnect([], [make_group("team", owner=ADMIN)], me=ADMIN)
    with pytest.raises(ConnectError) as failed:
        GroupPlanner(fake.api()).plan_one(group_spec(name=name))
    assert how in failed.value.message and "'team'" in failed.value.message
    plan = GroupPlanner(fake.api()).plan_one(group_spec(name=name, force=True))
    assert [op.action for op in plan.operations] == ["create"]


def test_an_upper_case_guid_finds_the_account_in_bulk():
    ana = make_user("ana")
    fake = FakeConnect([ana], me=ADMIN)
    work, failures, unused_notes = BulkUserPlanner(fake.api()).plan([{"guid": ana["guid"].upper(), "user_role": "publisher"}])
    assert failures == [] and [op.action for op in work[0].plan.operations] == ["update"]


# -- unlisted last, and only on success -------------------------------------------------------------


def test_a_failed_create_is_never_paid_for_with_a_lock():
    users = [make_user("u%d" % i) for i in range(8)]
    fake = FakeConnect(users, me=ADMIN)
    fake.inject("POST", "/v1/users", answer(400, {"code": 7, "error": "The requested username is not permitted."}))
    entries = [{"username": "u%d" % i} for i in range(7)] + [new_entry("newbie")]
    results, unused_notes = users_run(fake, entries, handle_unlisted=True)
    assert not any(path.endswith("/lock") for _method, path in fake.writes())
    unlisted = [failure for failure in results["failures"] if failure["user"] == "u7"]
    assert unlisted and "only after every listed entry applied" in unlisted[0]["msg"]


def test_unlisted_locks_run_after_the_listed_writes():
    users = [make_user("u%d" % i) for i in range(8)]
    fake = FakeConnect(users, me=ADMIN)
    results, unused_notes = users_run(fake, [{"username": "u%d" % i} for i in range(7)] + [new_entry("newbie")],
                                      handle_unlisted=True)
    writes = fake.writes()
    assert writes[0] == ("POST", "/v1/users") and writes[-1][1].endswith("/lock")
    assert results["locked"] == ["u7"] and results["counts"]["failed"] == 0


# -- confirmed outcomes ---------------------------------------------------------------------------------


def test_a_lock_overtaken_by_another_change_fails_naming_it():
    ana, bob = make_user("ana"), make_user("bob")
    fake = FakeConnect([ana, bob], me=ADMIN)

    def then_unlock(fake, call):
        # Another run unlocks bob right after this one locked him.
        fake.route(call)
        fake.users[bob["guid"]]["locked"] = False
        return answer(200, None)

    fake.inject("POST", "/v1/users/*/lock", then_unlock)
    results, unused_notes = users_run(fake, [{"username": "ana"}, {"username": "bob", "state": "absent"}])
    assert results["locked"] == ["bob"]
    assert [failure["user"] for failure in results["failures"]] == ["bob"]
    assert "Another change overtook this run" in results["failures"][0]["msg"]


def test_a_run_with_nothing_to_write_reads_nothing_more():
    fake = FakeConnect([make_user("ana")], me=ADMIN)
    results, unused_notes = users_run(fake, [{"username": "ana"}])
    assert fake.reads() == [("GET", "/v1/users")] and results["counts"]["failed"] == 0


def test_a_confirmed_run_reads_only_the_pages_it_wrote_to():
    users = [make_user("u%02d" % i) for i in range(40)]
    fake = FakeConnect(users, me=ADMIN, page_cap=10)
    entries = [{"username": "u%02d" % i} for i in range(40)]
    entries[25]["state"] = "absent"
    results, unused_notes = users_run(fake, entries)
    listing_reads = [call for call in fake.calls if call.method == "GET" and call.path == "/v1/users"]
    assert len(listing_reads) == 5 + 1 and results["counts"]["failed"] == 0


def test_exclusive_members_overtaken_fail_the_group():
    ana, bob, cid = make_user("ana"), make_user("bob"), make_user("cid")
    eng = make_group("eng", owner=ADMIN, members=[ana])
    fake = FakeConnect([ana, bob, cid], [eng], me=ADMIN)

    def then_add_cid(fake, call):
        fake.route(call)
        fake.members[eng["guid"]].append(cid["guid"])
        return answer(200, None)

    fake.inject("POST", "/v1/groups/*/members", then_add_cid)
    planner = BulkGroupPlanner(fake.api(), exclusive=True)
    work, failures, unused_notes = planner.plan([{"name": "eng", "members": ["ana", "bob"]}])
    planner.apply(work, WorkPool(2).map, RunGate())
    problems = planner.confirm(work)
    assert len(problems) == 1 and "user 'cid' in group 'eng', who is not listed" in problems[0]["msg"]


def test_connect_group_membership_exclusive_confirms_its_group():
    ana, bob = make_user("ana"), make_user("bob")
    eng = make_group("eng", owner=ADMIN, members=[ana])
    fake = FakeConnect([ana, bob], [eng], me=ADMIN)
    planner = MembershipPlanner(fake.api())
    plan = planner.plan_group("eng", ["bob"], "present", True)
    plan.apply()
    assert planner.verify(plan) == []
    fake.members[eng["guid"]].append(ana["guid"])
    assert planner.verify(plan) == ["user 'ana' in group 'eng', who is not listed"]


# -- smaller ----------------------------------------------------------------------------------------


def test_a_group_named_twice_in_groups_is_added_once():
    eng = make_group("eng", owner=ADMIN)
    fake = FakeConnect([make_user("ana")], [eng], me=ADMIN)
    results, unused_notes = users_run(fake, [{"username": "ana", "groups": ["eng", "eng"]}])
    assert [path for _method, path in fake.writes()] == ["/v1/groups/{0}/members".format(eng["guid"])]


def test_twenty_thousand_members_are_planned_in_under_a_second():
    users = [make_user("m%05d" % i) for i in range(20000)]
    group = {"guid": "6f300623-1e0c-48e6-a473-ddf630c0c0c3", "name": "big", "owner_guid": ADMIN["guid"]}
    planner = MembershipPlanner(FakeConnect([], me=ADMIN).api())
    refs = [user["username"] for user in users] + [user["guid"] for user in users[:5000]]
    started = time.monotonic()
    plan = planner.plan_members(group, users[:19990], refs, "present", True, find_user=dict(
        (user["username"], user) for user in users).get)
    elapsed = time.monotonic() - started
    assert len(plan.operations) == 10
    assert elapsed < 1.0, elapsed
