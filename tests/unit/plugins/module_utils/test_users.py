# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The user planner decides which writes run; these tests pin those decisions."""

from __future__ import annotations

import pytest

from ansible_collections.posit.connect.plugins.module_utils.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils.server import ServerFacts
from ansible_collections.posit.connect.plugins.module_utils.users import UserPlanner
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import FakeClient, make_user


def planner_for(*users, **kwargs):
    client = FakeClient(users, **kwargs)
    return UserPlanner(client, ServerFacts(client)), client


def actions(plan):
    return [operation.action for operation in plan.operations]


def test_unchanged_user_plans_nothing_and_costs_one_read():
    planner, client = planner_for(make_user("ana", user_role="publisher"))
    plan = planner.plan_one({"username": "ana", "user_role": "publisher", "state": "present"})
    assert not plan.changed
    assert client.calls == [("GET", "/v1/users")]


def test_only_changed_fields_are_sent_in_one_update():
    planner, client = planner_for(make_user("ana", first_name="Ana"))
    plan = planner.plan_one({"username": "ana", "first_name": "Ana", "last_name": "Lima", "user_role": "publisher"})
    assert actions(plan) == ["update"]
    assert plan.operations[0].changes == {
        "last_name": {"before": "", "after": "Lima"},
        "user_role": {"before": "viewer", "after": "publisher"},
    }
    assert plan.after["user_role"] == "publisher"
    plan.apply()
    assert client.writes() == [("PUT", "/v1/users/" + plan.after["guid"])]


def test_attributes_left_out_are_left_alone():
    planner, unused_client = planner_for(make_user("ana", email="old@example.com"))
    assert not planner.plan_one({"username": "ana", "email": None}).changed


def test_password_never_causes_a_change_on_an_existing_account():
    planner, unused_client = planner_for(make_user("ana"))
    assert not planner.plan_one({"username": "ana", "password": "s3cretpass"}).changed


def test_absent_locks_and_present_unlocks():
    planner, client = planner_for(make_user("bob"), me=make_user("admin"))
    plan = planner.plan_one({"username": "bob", "state": "absent"})
    assert actions(plan) == ["lock"] and plan.after["locked"] is True
    plan.apply()
    assert planner.plan_one({"username": "bob", "state": "absent"}).changed is False
    assert actions(planner.plan_one({"username": "bob", "state": "present"})) == ["unlock"]


def test_absent_user_that_does_not_exist_is_not_created():
    planner, client = planner_for()
    plan = planner.plan_one({"username": "ghost", "state": "absent"})
    assert not plan.changed and plan.after is None
    assert client.writes() == []


def test_update_comes_before_unlock_so_a_refused_update_writes_nothing():
    planner, unused_client = planner_for(make_user("bob", locked=True))
    assert actions(planner.plan_one({"username": "bob", "user_role": "publisher"})) == ["update", "unlock"]


def test_self_lock_is_refused_without_force():
    admin = make_user("admin", user_role="administrator")
    planner, client = planner_for(admin, me=admin)
    with pytest.raises(ConnectError, match="force: true"):
        planner.plan_one({"username": "admin", "state": "absent"})
    assert actions(planner.plan_one({"username": "admin", "state": "absent", "force": True})) == ["lock"]
    assert client.writes() == []


def test_rename_by_guid():
    ana = make_user("ana")
    planner, unused_client = planner_for(ana)
    plan = planner.plan_one({"guid": ana["guid"], "username": "ana.lima"})
    assert plan.operations[0].changes == {"username": {"before": "ana", "after": "ana.lima"}}


def test_unknown_guid_fails_for_present_and_is_fine_for_absent():
    planner, unused_client = planner_for()
    guid = "0b8c2f1e-1111-4222-8333-944455556666"
    with pytest.raises(ConnectError, match="No user has guid"):
        planner.plan_one({"guid": guid, "state": "present"})
    assert not planner.plan_one({"guid": guid, "state": "absent"}).changed


@pytest.mark.parametrize("spec, field", [
    ({"username": ""}, "username"),
    ({"guid": "not-a-guid"}, "guid"),
    ({"username": "x", "user_role": "owner"}, "user_role"),
    ({"username": "x", "password": "abcdefg", "user_must_set_password": True}, "user_must_set_password"),
])
def test_bad_input_names_the_field_before_any_request(spec, field):
    planner, client = planner_for()
    with pytest.raises(ConnectError, match=field):
        planner.plan_one(spec)
    assert client.calls == []


def test_create_posts_the_creation_fields_and_predicts_the_account():
    planner, client = planner_for()
    plan = planner.plan_one({"username": "ana", "email": "ana@example.com", "password": "s3cretpass", "user_role": "publisher"})
    assert actions(plan) == ["create"]
    assert plan.after["guid"] is None and plan.after["user_role"] == "publisher"
    assert "password" not in str(plan.describe())
    plan.apply()
    assert client.writes() == [("POST", "/v1/users")]
    assert plan.after["guid"]


def test_ldap_creates_from_the_directory_then_sets_what_it_lacks():
    settings = {"authentication": {"name": "ldap", "external_user_search": True}}
    planner, client = planner_for(settings=settings)
    client.get_remote = None

    def remote(path, params=None):
        client.calls.append(("GET", path))
        if path == "/v1/users/remote":
            return {"results": [{"username": "ana2", "temp_ticket": "t2"},
                                {"username": "ana", "email": "ana@corp", "first_name": "Ana", "last_name": "L", "temp_ticket": "t1"}],
                    "current_page": 1, "total": 2}
        return settings
    client.get = remote
    plan = planner.plan_one({"username": "ana", "user_role": "publisher"})
    assert actions(plan) == ["create", "update"]
    assert plan.after["email"] == "ana@corp" and plan.after["user_role"] == "publisher"


def test_ldap_user_missing_from_the_directory_fails_clearly():
    settings = {"authentication": {"name": "ldap", "external_user_search": True}}
    planner, client = planner_for(settings=settings)
    client.get = lambda path, params=None: {"results": [], "current_page": 1, "total": 0} if "remote" in path else settings
    with pytest.raises(ConnectError, match="not in the directory"):
        planner.plan_one({"username": "nobody"})
