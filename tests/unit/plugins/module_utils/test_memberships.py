# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Membership planning: who is added and removed, and when the planner refuses."""

from __future__ import annotations

import pytest

from ansible_collections.posit.connect.plugins.module_utils.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils.memberships import MembershipPlanner
from ansible_collections.posit.connect.plugins.module_utils.server import ServerFacts
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import FakeClient, make_user

ANA, BOB, CHEN = make_user("ana"), make_user("bob"), make_user("chen")


def world(members=(ANA,), owner="ana", settings=None):
    owner_guid = ANA["guid"] if owner else None
    group = {"guid": "6f300623-1e0c-48e6-a473-ddf630c0c0c3", "name": "eng", "owner_guid": owner_guid,
             "member_guids": [user["guid"] for user in members]}
    other = {"guid": "7f300623-1e0c-48e6-a473-ddf630c0c0c3", "name": "ops", "owner_guid": owner_guid,
             "member_guids": [BOB["guid"]]}
    client = FakeClient([dict(ANA), dict(BOB), dict(CHEN)], [group, other], settings=settings)
    return MembershipPlanner(client, ServerFacts(client)), client


def test_present_adds_only_what_is_missing():
    planner, unused_client = world()
    plan = planner.plan_group("eng", ["ana", "bob"], "present", exclusive=False)
    assert plan.added == ["bob"] and plan.removed == []
    assert plan.diff() == {"before": {"group": "eng", "members": ["ana"]}, "after": {"group": "eng", "members": ["ana", "bob"]}}


def test_nothing_is_removed_unless_exclusive():
    planner, unused_client = world(members=(ANA, CHEN))
    assert planner.plan_group("eng", ["bob"], "present", exclusive=False).removed == []
    assert planner.plan_group("eng", ["bob"], "present", exclusive=True).removed == ["ana", "chen"]


def test_absent_removes_only_listed_members():
    planner, unused_client = world(members=(ANA, CHEN))
    plan = planner.plan_group("eng", ["ana", "bob"], "absent", exclusive=False)
    assert plan.removed == ["ana"] and plan.added == []


def test_members_are_matched_by_guid_too_and_cost_no_lookup():
    planner, client = world()
    plan = planner.plan_group("eng", [ANA["guid"]], "present", exclusive=False)
    assert not plan.changed
    assert client.calls == [("GET", "/v1/groups"), ("GET", "/v1/groups/6f300623-1e0c-48e6-a473-ddf630c0c0c3/members")]


def test_an_unknown_user_among_good_ones_fails_naming_it():
    planner, client = world()
    with pytest.raises(ConnectError, match="'nobody'"):
        planner.plan_group("eng", ["bob", "nobody"], "present", exclusive=False)
    assert client.writes() == []


def test_unknown_group_fails():
    planner, unused_client = world()
    with pytest.raises(ConnectError, match="'nope' does not exist"):
        planner.plan_group("nope", ["ana"], "present", exclusive=False)


def test_provider_owned_memberships_are_refused_before_writing():
    settings = {"authentication": {"name": "ldap", "external_group_members": True}}
    planner, client = world(owner=None, settings=settings)
    with pytest.raises(ConnectError, match="authentication provider"):
        planner.plan_group("eng", ["bob"], "present", exclusive=False)
    assert client.writes() == []


def test_user_form_reads_only_listed_groups_without_exclusive():
    planner, client = world()
    plan = planner.plan_user("bob", ["eng"], "present", exclusive=False)
    assert plan.added == ["eng"]
    member_reads = [call for call in client.calls if call[1].endswith("/members")]
    assert len(member_reads) == 1


def test_user_form_exclusive_removes_other_groups():
    planner, unused_client = world()
    plan = planner.plan_user("bob", ["eng"], "present", exclusive=True)
    assert plan.added == ["eng"] and plan.removed == ["ops"]
    plan.apply()
