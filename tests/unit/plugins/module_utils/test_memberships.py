# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Membership planning through ConnectApi over the fake server: who is added and removed, and when the planner refuses."""

from __future__ import annotations

import pytest

from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.memberships import MembershipPlanner
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import (
    LDAP,
    FakeConnect,
    answer,
    make_group,
    make_user,
)

ANA, BOB, CHEN = make_user("ana"), make_user("bob"), make_user("chen")
ENG, OPS = "6f300623-1e0c-48e6-a473-ddf630c0c0c3", "7f300623-1e0c-48e6-a473-ddf630c0c0c3"


def world(members=(ANA,), owner="ana", settings=None, page_cap=500):
    owner = ANA if owner else None
    eng = make_group("eng", owner=owner, members=members, guid=ENG)
    ops = make_group("ops", owner=owner, members=[BOB], guid=OPS)
    fake = FakeConnect([ANA, BOB, CHEN], [eng, ops], settings=settings, me=ANA, page_cap=page_cap)
    return MembershipPlanner(fake.api()), fake


def test_present_adds_only_what_is_missing():
    planner, fake = world()
    plan = planner.plan_group("eng", ["ana", "bob"], "present", exclusive=False)
    assert plan.added == ["bob"] and plan.removed == []
    assert plan.diff() == {"before": {"group": "eng", "members": ["ana"]}, "after": {"group": "eng", "members": ["ana", "bob"]}}
    assert fake.writes() == []
    plan.apply()
    assert fake.writes() == [("POST", "/v1/groups/%s/members" % ENG)]
    assert fake.bodies("POST", "/v1/groups/*/members") == [{"user_guid": BOB["guid"]}]
    assert fake.member_names("eng") == ["ana", "bob"]


def test_nothing_is_removed_unless_exclusive():
    planner, fake = world(members=(ANA, CHEN))
    assert planner.plan_group("eng", ["bob"], "present", exclusive=False).removed == []
    plan = planner.plan_group("eng", ["bob"], "present", exclusive=True)
    assert plan.removed == ["ana", "chen"] and plan.added == ["bob"]
    plan.apply()
    assert fake.member_names("eng") == ["bob"]


def test_absent_removes_only_listed_members():
    planner, fake = world(members=(ANA, CHEN))
    plan = planner.plan_group("eng", ["ana", "bob"], "absent", exclusive=False)
    assert plan.removed == ["ana"] and plan.added == []
    plan.apply()
    assert fake.writes() == [("DELETE", "/v1/groups/%s/members/%s" % (ENG, ANA["guid"]))]
    assert fake.member_names("eng") == ["chen"]


def test_members_are_matched_by_guid_too_and_cost_no_lookup():
    planner, fake = world()
    plan = planner.plan_group("eng", [ANA["guid"]], "present", exclusive=False)
    assert not plan.changed
    assert fake.reads() == [("GET", "/v1/groups"), ("GET", "/v1/groups/%s/members" % ENG)]


def test_members_are_read_across_pages():
    planner, fake = world(members=(ANA, BOB, CHEN), page_cap=2)
    plan = planner.plan_group("eng", ["chen"], "present", exclusive=False)
    assert not plan.changed
    member_pages = [call.params["page_number"] for call in fake.calls if call.path.endswith("/members")]
    assert member_pages == [1, 2]


def test_an_unknown_user_among_good_ones_fails_naming_it():
    planner, fake = world()
    with pytest.raises(ConnectError, match="'nobody'"):
        planner.plan_group("eng", ["bob", "nobody"], "present", exclusive=False)
    assert fake.writes() == []


def test_unknown_group_fails():
    planner, unused_fake = world()
    with pytest.raises(ConnectError, match="'nope' does not exist"):
        planner.plan_group("nope", ["ana"], "present", exclusive=False)


def test_provider_owned_memberships_are_refused_before_writing():
    planner, fake = world(owner=None, settings=LDAP)
    with pytest.raises(ConnectError, match="authentication provider"):
        planner.plan_group("eng", ["bob"], "present", exclusive=False)
    assert fake.writes() == []


def test_a_member_listing_the_provider_refuses_is_explained():
    planner, fake = world(owner=None, settings=LDAP)
    fake.inject("GET", "/v1/groups/*/members", answer(403, {"code": 132, "error": "The provider cannot do this."}))
    with pytest.raises(ConnectError, match="authentication provider"):
        planner.plan_group("eng", ["bob"], "present", exclusive=False)


def test_someone_else_adding_or_removing_meanwhile_is_fine():
    planner, fake = world(members=(ANA, CHEN))
    plan = planner.plan_group("eng", ["bob", "chen"], "present", exclusive=True)
    fake.members[ENG] = [BOB["guid"]]
    plan.apply()
    assert fake.member_names("eng") == ["bob"]
    assert sorted(fake.writes()) == sorted([("POST", "/v1/groups/%s/members" % ENG),
                                            ("DELETE", "/v1/groups/%s/members/%s" % (ENG, ANA["guid"]))])


def test_user_form_reads_only_listed_groups_without_exclusive():
    planner, fake = world()
    plan = planner.plan_user("bob", ["eng"], "present", exclusive=False)
    assert plan.added == ["eng"]
    member_reads = [call for call in fake.calls if call.path.endswith("/members")]
    assert [call.path for call in member_reads] == ["/v1/groups/%s/members" % ENG]


def test_user_form_unknown_groups_are_all_named():
    planner, fake = world()
    with pytest.raises(ConnectError) as failed:
        planner.plan_user("bob", ["eng", "nope", "nada"], "present", exclusive=False)
    assert "'nope'" in failed.value.message and "'nada'" in failed.value.message
    assert fake.writes() == []


def test_user_form_exclusive_removes_other_groups():
    planner, fake = world()
    plan = planner.plan_user("bob", ["eng"], "present", exclusive=True)
    assert plan.added == ["eng"] and plan.removed == ["ops"]
    assert fake.writes() == []
    plan.apply()
    # Exactly one write per planned change: bob added to eng, removed from ops, nothing else.
    assert sorted(fake.writes()) == sorted([("POST", "/v1/groups/%s/members" % ENG),
                                            ("DELETE", "/v1/groups/%s/members/%s" % (OPS, BOB["guid"]))])
    assert fake.member_names("eng") == ["ana", "bob"]
    assert fake.member_names("ops") == []
    assert [group["name"] for group in plan.after["groups"]] == ["eng"]
