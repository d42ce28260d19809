# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The group planner, through ConnectApi over the fake server: create, rename, owner, delete, and its refusals."""

from __future__ import annotations

import pytest

from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.groups import GroupPlanner, membership_index
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import (
    LDAP,
    PASSWORD,
    FakeConnect,
    answer,
    make_group,
    make_user,
)

ME = make_user("admin", user_role="administrator")
ANA = make_user("ana", user_role="publisher")


def spec(**fields):
    fields.setdefault("state", "present")
    for name in ("name", "guid", "new_name", "owner"):
        fields.setdefault(name, None)
    return fields


def planner_for(*groups, **kwargs):
    kwargs.setdefault("me", ME)
    fake = FakeConnect([ANA], groups, **kwargs)
    return GroupPlanner(fake.api()), fake


def refused(planner, fake, group_spec, *words):
    with pytest.raises(ConnectError) as failed:
        planner.plan_one(group_spec)
    for word in words:
        assert word.lower() in failed.value.message.lower(), (word, failed.value.message)
    assert fake.writes() == []
    return failed.value.message


def test_create_posts_the_name_and_predicts_the_caller_as_owner():
    planner, fake = planner_for()
    plan = planner.plan_one(spec(name="eng"))
    assert [op.action for op in plan.operations] == ["create"]
    assert plan.after == {"guid": None, "name": "eng", "owner_guid": ME["guid"]}
    assert fake.writes() == []
    plan.apply()
    assert fake.writes() == [("POST", "/v1/groups")] and fake.bodies("POST", "/v1/groups") == [{"name": "eng"}]
    assert plan.after["guid"] == fake.group_named("eng")["guid"]


def test_create_with_another_owner_sets_it_after_creating():
    planner, fake = planner_for()
    plan = planner.plan_one(spec(name="eng", owner="ana"))
    assert plan.after["owner_guid"] == ANA["guid"]
    plan.apply()
    guid = fake.group_named("eng")["guid"]
    assert fake.writes() == [("POST", "/v1/groups"), ("POST", "/v1/groups/" + guid)]
    assert fake.groups[guid]["owner_guid"] == ANA["guid"]


def test_an_unknown_owner_is_refused():
    planner, fake = planner_for()
    refused(planner, fake, spec(name="eng", owner="nobody"), "owner", "nobody")


def test_an_existing_group_with_nothing_to_change_costs_no_write():
    planner, fake = planner_for(make_group("eng", owner=ME))
    plan = planner.plan_one(spec(name="eng"))
    assert not plan.changed and plan.after["name"] == "eng"
    assert fake.writes() == []


def test_rename_posts_the_new_name_and_is_idempotent():
    eng = make_group("eng", owner=ME)
    planner, fake = planner_for(eng)
    plan = planner.plan_one(spec(name="eng", new_name="engineering"))
    assert plan.operations[0].changes == {"name": {"before": "eng", "after": "engineering"}}
    plan.apply()
    assert fake.writes() == [("POST", "/v1/groups/" + eng["guid"])]
    assert fake.bodies("POST", "/v1/groups/*") == [{"name": "engineering"}]
    # The next run finds the group under its new name and changes nothing.
    assert not planner.plan_one(spec(name="eng", new_name="engineering")).changed


def test_rename_by_guid():
    eng = make_group("eng", owner=ME)
    planner, fake = planner_for(eng)
    plan = planner.plan_one(spec(guid=eng["guid"], new_name="platform"))
    plan.apply()
    assert fake.groups[eng["guid"]]["name"] == "platform"


def test_rename_onto_a_taken_name_is_refused_while_planning():
    planner, fake = planner_for(make_group("eng", owner=ME), make_group("ops", owner=ME))
    refused(planner, fake, spec(name="eng", new_name="ops"), "already exists", "ops")


def test_guid_with_a_name_and_a_different_new_name_is_refused():
    eng = make_group("eng", owner=ME)
    planner, fake = planner_for(eng)
    refused(planner, fake, spec(guid=eng["guid"], name="platform", new_name="infra"), "platform", "infra")


def test_guid_with_a_different_name_plans_a_rename():
    eng = make_group("eng", owner=ME)
    planner, fake = planner_for(eng)
    plan = planner.plan_one(spec(guid=eng["guid"], name="platform"))
    assert [op.changes for op in plan.operations] == [{"name": {"before": "eng", "after": "platform"}}]
    assert fake.writes() == []


def test_guid_with_its_own_name_is_fine():
    eng = make_group("eng", owner=ME)
    planner, unused_fake = planner_for(eng)
    assert not planner.plan_one(spec(guid=eng["guid"], name="eng")).changed


def test_an_unknown_guid_is_not_created():
    planner, fake = planner_for()
    refused(planner, fake, spec(guid="6f300623-1e0c-48e6-a473-ddf630c0c0c3"), "No group has guid")


def test_owner_change():
    eng = make_group("eng", owner=ME)
    planner, fake = planner_for(eng)
    plan = planner.plan_one(spec(name="eng", owner=ANA["guid"]))
    assert plan.operations[0].changes == {"owner_guid": {"before": ME["guid"], "after": ANA["guid"]}}
    plan.apply()
    assert fake.groups[eng["guid"]]["owner_guid"] == ANA["guid"]


def test_delete_and_delete_again():
    eng = make_group("eng", owner=ME)
    planner, fake = planner_for(eng)
    plan = planner.plan_one(spec(name="eng", state="absent"))
    assert [op.action for op in plan.operations] == ["delete"] and plan.after is None
    plan.apply()
    assert fake.writes() == [("DELETE", "/v1/groups/" + eng["guid"])] and fake.groups == {}
    assert not planner.plan_one(spec(name="eng", state="absent")).changed


def test_a_group_deleted_meanwhile_is_fine():
    eng = make_group("eng", owner=ME)
    planner, fake = planner_for(eng)
    plan = planner.plan_one(spec(name="eng", state="absent"))
    del fake.groups[eng["guid"]]
    plan.apply()
    assert fake.writes() == [("DELETE", "/v1/groups/" + eng["guid"])]


def test_ldap_groups_are_created_from_the_directory():
    planner, fake = planner_for(settings=LDAP, group_directory=[{"name": "eng", "temp_ticket": "g1"}])
    plan = planner.plan_one(spec(name="eng"))
    assert plan.after["owner_guid"] is None
    plan.apply()
    assert fake.writes() == [("PUT", "/v1/groups")] and fake.bodies("PUT", "/v1/groups") == [{"temp_ticket": "g1"}]


def test_ldap_group_with_an_owner_is_refused_while_planning():
    planner, fake = planner_for(settings=LDAP, group_directory=[{"name": "eng", "temp_ticket": "g1"}])
    refused(planner, fake, spec(name="eng", owner="ana"), "owner")


@pytest.mark.parametrize("group_spec, words", [
    (spec(name="ldap-eng", new_name="engineering"), ["rename group 'ldap-eng' to 'engineering'"]),
    (spec(name="ldap-eng", owner="ana"), ["change the owner of group 'ldap-eng'"]),
    (spec(name="ldap-eng", new_name="engineering", owner="ana"), ["rename group", "and change its owner"]),
], ids=["rename", "owner", "both"])
def test_ldap_groups_are_not_renamed_or_given_owners(group_spec, words):
    planner, fake = planner_for(make_group("ldap-eng"), settings=LDAP)
    message = refused(planner, fake, group_spec, "uses LDAP authentication", "nothing was changed", *words)
    assert message.startswith("Cannot ")


def test_a_server_that_may_be_ldap_refuses_renames_too():
    # A password server's fields with the display name "LDAP": the fields and the name disagree.
    settings = {"authentication": dict(PASSWORD["authentication"], name="LDAP")}
    planner, fake = planner_for(make_group("eng"), settings=settings)
    refused(planner, fake, spec(name="eng", new_name="engineering"), "may use LDAP", "disagree")


def test_an_owned_group_is_renamed_without_reading_the_settings():
    planner, fake = planner_for(make_group("eng", owner=ME), settings=LDAP)
    assert [op.action for op in planner.plan_one(spec(name="eng", new_name="engineering")).operations] == ["update"]
    assert ("GET", "/server_settings") not in fake.reads()


def test_ldap_group_with_nothing_to_change_reads_no_settings():
    planner, fake = planner_for(make_group("ldap-eng"), settings=LDAP)
    assert not planner.plan_one(spec(name="ldap-eng")).changed
    assert ("GET", "/server_settings") not in fake.reads()


def test_owner_name_is_read_once_and_falls_back_to_the_guid():
    planner, fake = planner_for()
    assert planner.owner_name(ANA["guid"]) == "ana" and planner.owner_name(ANA["guid"]) == "ana"
    assert len([call for call in fake.calls if call.path == "/v1/users/" + ANA["guid"]]) == 1
    unknown = "00000000-0000-4000-8000-000000000000"
    assert planner.owner_name(unknown) == unknown


def test_ldap_group_missing_from_the_directory_is_refused():
    planner, fake = planner_for(settings=LDAP)
    refused(planner, fake, spec(name="eng"), "not in the directory")


def test_a_create_racing_a_parallel_run_is_not_counted_as_created():
    planner, fake = planner_for()
    plan = planner.plan_one(spec(name="eng"))

    def parallel(fake_, call):
        fake_.route(call)
        return answer(409, {"code": 9, "error": "The requested group name is already in use.", "payload": None})

    fake.inject("POST", "/v1/groups", parallel)
    plan.apply()
    assert plan.operations[0].found_existing is True
    assert plan.after["guid"] == fake.group_named("eng")["guid"]
    assert len(fake.groups) == 1


def test_membership_index_reads_each_group_once():
    eng = make_group("eng", owner=ME, members=[ANA, ME])
    ops = make_group("ops", owner=ME, members=[ANA])
    fake = FakeConnect([ANA], [eng, ops], me=ME)
    index = membership_index(fake.api())
    assert sorted(group["name"] for group in index[ANA["guid"]]) == ["eng", "ops"]
    assert [group["name"] for group in index[ME["guid"]]] == ["eng"]
    # The member lists are read in parallel: each once, in any order.
    assert fake.reads()[0] == ("GET", "/v1/groups")
    assert sorted(fake.reads()[1:]) == sorted([("GET", "/v1/groups/%s/members" % eng["guid"]),
                                               ("GET", "/v1/groups/%s/members" % ops["guid"])])
