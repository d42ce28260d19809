# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""connect_groups' planning through ConnectApi over the fake server: listings read once, member lists only where
needed, the planning-error rule, the delete guard and truthful reports."""

from __future__ import annotations

import pytest

from ansible_collections.posit.connect.plugins.module_utils._planning.bulk import Refusal
from ansible_collections.posit.connect.plugins.module_utils._http.concurrency import WorkPool
from ansible_collections.posit.connect.plugins.module_utils._planning.bulk_groups import BulkGroupPlanner
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import apply_each
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import (
    LDAP,
    FakeConnect,
    answer,
    make_group,
    make_user,
)

ADMIN = make_user("admin", user_role="administrator")
ANA, BOB, CHEN, DORA = make_user("ana"), make_user("bob"), make_user("chen"), make_user("dora")


def world(groups=(), users=(ANA, BOB, CHEN, DORA), concurrency=1, **kwargs):
    fake = FakeConnect(users, groups, me=ADMIN, **kwargs)
    api = fake.api()
    api.client.pool = WorkPool(concurrency)
    return BulkGroupPlanner(api), fake


def entry(name=None, **fields):
    fields.setdefault("state", "present")
    for key in ("guid", "members", "owner"):
        fields.setdefault(key, None)
    fields["name"] = name
    return fields


def run(planner, entries, check_mode=False, exclusive=False, **kwargs):
    planner.exclusive = exclusive
    work, failures, notes = planner.plan(entries, **kwargs)
    if not check_mode:
        apply_each([item.plan for item in work], WorkPool(4).map)
    return BulkGroupPlanner.report.summarize(work, failures, check_mode), notes, work


def paths(fake, method="GET"):
    return [call.path for call in fake.calls if call.method == method]


def test_additive_reads_member_lists_only_where_members_are_named():
    eng = make_group("eng", owner=ADMIN, members=[ANA])
    ops = make_group("ops", owner=ADMIN, members=[BOB])
    planner, fake = world([eng, ops])
    results, unused_notes, work = run(planner, [entry("eng", members=["ana", "bob"]), entry("ops")], check_mode=True)
    # one groups listing, one member listing (eng), one users listing (bob is not a member of eng)
    assert paths(fake) == ["/v1/groups", "/v1/groups/%s/members" % eng["guid"], "/v1/users"]
    assert results["memberships"] == ["eng"] and results["members"] == {"eng": {"added": ["bob"], "removed": []}}
    assert results["counts"]["unchanged"] == 1 and fake.writes() == []
    assert BulkGroupPlanner.report.diff_of(work)["after"]["eng"]["members"] == ["ana", "bob"]
    assert BulkGroupPlanner.report.diff_of(work)["before"]["eng"]["members"] == ["ana"]


def test_exclusive_removes_who_is_not_listed_and_a_second_run_writes_nothing():
    eng = make_group("eng", owner=ADMIN, members=[ANA, BOB, CHEN])
    planner, fake = world([eng])
    entries = [entry("eng", members=["ana", "dora"])]
    results, unused_notes, unused_work = run(planner, entries, exclusive=True)
    assert results["members"] == {"eng": {"added": ["dora"], "removed": ["bob", "chen"]}}
    assert fake.member_names("eng") == ["ana", "dora"] and len(fake.writes()) == 3
    again, fake_again = BulkGroupPlanner(fake.api()), fake
    before = len(fake_again.calls)
    results, unused_notes, unused_work = run(again, entries, exclusive=True)
    assert results["operations"] == [] and results["counts"]["unchanged"] == 1
    # the second run: the groups listing and eng's members; every listed user is a member, so no users listing
    assert [call.path for call in fake.calls[before:]] == ["/v1/groups", "/v1/groups/%s/members" % eng["guid"]]


def test_an_exclusive_entry_without_members_is_refused_not_emptied():
    eng = make_group("eng", owner=ADMIN, members=[ANA])
    planner, fake = world([eng])
    with pytest.raises(Refusal) as refused:
        BulkGroupPlanner(planner.api, exclusive=True).plan([entry("eng")])
    assert "members: []" in refused.value.message and fake.writes() == []
    results, unused_notes, unused_work = run(world([eng])[0], [entry("eng", members=[])], exclusive=True, check_mode=True)
    assert results["members"] == {"eng": {"added": [], "removed": ["ana"]}}


def test_create_with_members_adds_them_after_the_create():
    planner, fake = world()
    results, unused_notes, work = run(planner, [entry("eng", members=["ana", "bob"], owner="chen")])
    assert results["created"] == ["eng"] and results["members"]["eng"]["added"] == ["ana", "bob"]
    assert fake.member_names("eng") == ["ana", "bob"] and fake.group_named("eng")["owner_guid"] == CHEN["guid"]
    actions = [op["action"] for op in results["operations"]]
    assert actions == ["create", "add", "add"]
    assert BulkGroupPlanner.report.diff_of(work)["before"]["eng"] == {"members": []}


def test_rename_by_guid_is_idempotent_and_targets_use_the_new_name():
    eng = make_group("eng", owner=ADMIN, members=[ANA])
    planner, fake = world([eng])
    entries = [entry("engineering", guid=eng["guid"], members=["bob"])]
    results, unused_notes, unused_work = run(planner, entries)
    assert results["renamed"] == ["engineering"] and fake.group_named("engineering")["guid"] == eng["guid"]
    assert "user 'bob' to group 'engineering'" in [op["target"] for op in results["operations"]]
    results, unused_notes, unused_work = run(BulkGroupPlanner(fake.api()), entries)
    assert results["operations"] == []


def test_a_rename_onto_a_taken_name_is_refused_while_planning():
    eng, ops = make_group("eng", owner=ADMIN), make_group("ops", owner=ADMIN)
    planner, fake = world([eng, ops])
    with pytest.raises(Refusal) as refused:
        planner.plan([entry("ops", guid=eng["guid"])])
    assert "already exists" in refused.value.message and fake.writes() == []


def test_an_unknown_member_stops_the_run_unless_partial():
    eng, ops = make_group("eng", owner=ADMIN), make_group("ops", owner=ADMIN)
    entries = [entry("eng", members=["ana", "ghost"]), entry("ops", members=["bob"])]
    planner, fake = world([eng, ops])
    with pytest.raises(Refusal) as refused:
        planner.plan(entries)
    for word in ("cannot be planned", "nothing was changed", "partial", "ghost"):
        assert word in refused.value.message
    assert [f["group"] for f in refused.value.details["failures"]] == ["eng"] and fake.writes() == []
    results, unused_notes, unused_work = run(world([eng, ops])[0], entries, partial=True)
    assert results["memberships"] == ["ops"] and results["failures"][0]["group"] == "eng"


def test_unlisted_delete_within_and_beyond_the_guard():
    groups = [make_group("g%02d" % i, owner=ADMIN) for i in range(20)]
    keep = [entry(group["name"]) for group in groups[:16]]
    # 20 groups: the default allows min(10, 20 / 5) = 4 deletes
    results, unused_notes, unused_work = run(world(groups)[0], keep, handle_unlisted=True, check_mode=True)
    assert results["deleted"] == ["g16", "g17", "g18", "g19"]
    planner, fake = world(groups)
    with pytest.raises(Refusal) as refused:
        planner.plan(keep[:15], handle_unlisted=True)
    assert "max_deletes" in refused.value.message and "'g15'" in refused.value.message
    assert refused.value.details["would_delete"] == ["g15", "g16", "g17", "g18", "g19"]
    assert len(refused.value.details["operations"]) == 5 and fake.writes() == []
    results, unused_notes, unused_work = run(world(groups)[0], keep[:15], handle_unlisted=True, limit=5)
    assert len(results["deleted"]) == 5
    with pytest.raises(Refusal):
        world(groups)[0].plan(keep, handle_unlisted=True, limit=0)


def test_an_empty_list_with_unlisted_delete_is_refused_before_any_read():
    planner, fake = world([make_group("eng", owner=ADMIN)])
    with pytest.raises(Refusal) as refused:
        planner.plan([], handle_unlisted=True)
    assert "empty" in refused.value.message and fake.calls == []


def test_partial_deletes_no_unlisted_group():
    eng, ops = make_group("eng", owner=ADMIN), make_group("ops", owner=ADMIN)
    planner, fake = world([eng, ops])
    results, notes, unused_work = run(planner, [entry("eng", members=["ghost"])], handle_unlisted=True, partial=True)
    assert results["deleted"] == [] and "unlisted_skipped" in notes and fake.group_named("ops") is not None


def test_duplicates_and_entries_without_name_or_guid_fail():
    eng = make_group("eng", owner=ADMIN)
    planner, unused_fake = world([eng])
    with pytest.raises(Refusal) as refused:
        planner.plan([entry("eng"), entry(None, guid=eng["guid"]), entry(None, owner="ana")])
    failures = refused.value.details["failures"]
    assert [f["group"] for f in failures] == [eng["guid"], "groups[2]"]
    assert "more than once" in failures[0]["msg"]


def test_an_entry_from_src_is_named_by_its_file_and_line():
    planner, unused_fake = world()
    with pytest.raises(Refusal) as refused:
        planner.plan([entry("eng"), entry(None, owner="ana")], labels=["groups.csv line 2", "groups.csv line 5"])
    assert [f["group"] for f in refused.value.details["failures"]] == ["groups.csv line 5"]


def test_ldap_member_lists_cannot_be_read():
    staff = make_group("staff", members=[ANA])
    planner, fake = world([staff], settings=LDAP)
    fake.inject("GET", "/v1/groups/*/members", answer(400, {"code": 132, "error": "Not for LDAP.", "payload": None}))
    with pytest.raises(Refusal) as refused:
        planner.plan([entry("staff", members=["ana"])])
    assert "authentication provider" in refused.value.message and fake.writes() == []
    # without members, an LDAP group is just a group: deleting it is fine
    results, unused_notes, unused_work = run(world([staff], settings=LDAP)[0], [entry("staff", state="absent")])
    assert results["deleted"] == ["staff"]


def test_a_failed_member_listing_fails_with_its_cause():
    eng = make_group("eng", owner=ADMIN)
    planner, fake = world([eng])
    fake.inject("GET", "/v1/groups/*/members", *[answer(500, {"code": 1, "error": "boom", "payload": None})] * 4)
    with pytest.raises(ConnectError) as failed:
        BulkGroupPlanner(planner.api, exclusive=True).plan([entry("eng", members=["ana"])])
    assert "500" in failed.value.message and fake.writes() == []


def test_a_group_of_more_than_500_members_is_read_in_pages_and_writes_in_parallel():
    people = [make_user("p%04d" % i) for i in range(600)]
    big = make_group("big", owner=ADMIN, members=people[:550])
    planner, fake = world([big], users=people, concurrency=4)
    wanted = [user["username"] for user in people[50:600]]
    results, unused_notes, unused_work = run(planner, [entry("big", members=wanted)], exclusive=True)
    assert paths(fake).count("/v1/groups/%s/members" % big["guid"]) == 2
    assert results["members"]["big"] == {"added": ["p%04d" % i for i in range(550, 600)],
                                         "removed": ["p%04d" % i for i in range(50)]}
    assert len(fake.writes()) == 100 and len(fake.member_names("big")) == 550


def test_check_mode_and_the_real_run_agree():
    eng = make_group("eng", owner=ADMIN, members=[ANA])
    entries = [entry("eng", members=["bob"]), entry("new", members=["ana"]), entry("gone", state="absent")]
    checked, unused_notes, unused_work = run(world([eng, make_group("gone", owner=ADMIN)])[0], entries, check_mode=True)
    applied, unused_notes, unused_work = run(world([eng, make_group("gone", owner=ADMIN)])[0], entries)
    assert checked["counts"] == applied["counts"] and checked["members"] == applied["members"]
    assert checked["operations"] == applied["operations"]
