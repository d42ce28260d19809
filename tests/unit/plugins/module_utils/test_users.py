# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The user planner, through ConnectApi over the fake server: which writes run, and what it refuses while planning."""

from __future__ import annotations

import pytest

from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.users import UserPlanner
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import (
    HIDDEN,
    LDAP,
    PASSWORD,
    SAML,
    FakeConnect,
    answer,
    make_user,
)

ADMIN = make_user("admin", user_role="administrator")


def planner_for(*users, **kwargs):
    kwargs.setdefault("me", ADMIN)
    fake = FakeConnect(users, **kwargs)
    return UserPlanner(fake.api()), fake


def actions(plan):
    return [operation.action for operation in plan.operations]


def refused(planner, fake, spec, *words):
    """Planning fails with every keyword in its one-sentence message, and nothing is written."""
    with pytest.raises(ConnectError) as failed:
        planner.plan_one(spec)
    message = failed.value.message
    for word in words:
        assert word.lower() in message.lower(), (word, message)
    assert "\n" not in message
    assert fake.writes() == []
    return message


# -- existing accounts -------------------------------------------------------------------


def test_unchanged_user_plans_nothing_and_costs_one_read():
    planner, fake = planner_for(make_user("ana", user_role="publisher"))
    plan = planner.plan_one({"username": "ana", "user_role": "publisher", "state": "present"})
    assert not plan.changed
    assert fake.reads() == [("GET", "/v1/users")] and fake.calls[0].params["prefix"] == "ana"


def test_only_changed_fields_are_sent_in_one_update():
    ana = make_user("ana", first_name="Ana")
    planner, fake = planner_for(ana)
    plan = planner.plan_one({"username": "ana", "first_name": "Ana", "last_name": "Lima", "user_role": "publisher"})
    assert actions(plan) == ["update"]
    assert plan.operations[0].changes == {
        "last_name": {"before": "", "after": "Lima"},
        "user_role": {"before": "viewer", "after": "publisher"},
    }
    assert plan.after["user_role"] == "publisher"
    assert fake.writes() == []
    plan.apply()
    assert fake.writes() == [("PUT", "/v1/users/" + ana["guid"])]
    assert fake.bodies("PUT", "/v1/users/*") == [{"last_name": "Lima", "user_role": "publisher"}]
    assert fake.users[ana["guid"]]["user_role"] == "publisher"


def test_email_is_compared_without_case():
    planner, unused_fake = planner_for(make_user("ana", email="ana@example.com"))
    assert not planner.plan_one({"username": "ana", "email": "Ana@Example.com"}).changed


def test_attributes_left_out_are_left_alone():
    planner, unused_fake = planner_for(make_user("ana", email="old@example.com"))
    assert not planner.plan_one({"username": "ana", "email": None}).changed


def test_password_never_causes_a_change_on_an_existing_account():
    planner, unused_fake = planner_for(make_user("ana"))
    assert not planner.plan_one({"username": "ana", "password": "s3cretpass"}).changed


def test_absent_locks_and_present_unlocks():
    bob = make_user("bob")
    planner, fake = planner_for(bob)
    plan = planner.plan_one({"username": "bob", "state": "absent"})
    assert actions(plan) == ["lock"] and plan.after["locked"] is True
    plan.apply()
    assert fake.bodies("POST", "/v1/users/*/lock") == [{"locked": True}] and fake.users[bob["guid"]]["locked"]
    assert planner.plan_one({"username": "bob", "state": "absent"}).changed is False
    unlock = planner.plan_one({"username": "bob", "state": "present"})
    assert actions(unlock) == ["unlock"]
    unlock.apply()
    assert fake.users[bob["guid"]]["locked"] is False


def test_absent_user_that_does_not_exist_is_not_created_and_warns():
    planner, fake = planner_for()
    plan = planner.plan_one({"username": "ghost", "state": "absent"})
    assert not plan.changed and plan.after is None
    assert any("ghost" in warning for warning in plan.warnings)
    assert fake.writes() == []


def test_update_comes_before_unlock_so_a_refused_update_writes_nothing():
    planner, fake = planner_for(make_user("bob", locked=True))
    plan = planner.plan_one({"username": "bob", "user_role": "publisher"})
    assert actions(plan) == ["update", "unlock"]
    fake.inject("PUT", "/v1/users/*", answer(403, {"code": 23, "error": "Not allowed."}))
    with pytest.raises(ConnectError) as failed:
        plan.apply()
    assert "update user 'bob'" in failed.value.message
    assert fake.writes() == [("PUT", "/v1/users/" + fake.user_named("bob")["guid"])]
    assert fake.user_named("bob")["locked"] is True


def test_rename_by_guid():
    ana = make_user("ana")
    planner, fake = planner_for(ana)
    plan = planner.plan_one({"guid": ana["guid"], "username": "ana.lima"})
    assert plan.operations[0].changes == {"username": {"before": "ana", "after": "ana.lima"}}
    plan.apply()
    assert fake.users[ana["guid"]]["username"] == "ana.lima"


def test_unknown_guid_fails_for_present_and_is_fine_for_absent():
    planner, unused_fake = planner_for()
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
    planner, fake = planner_for()
    with pytest.raises(ConnectError, match=field):
        planner.plan_one(spec)
    assert fake.calls == []


# -- creates -------------------------------------------------------------------------------


def test_create_posts_the_creation_fields_and_predicts_the_account():
    planner, fake = planner_for()
    plan = planner.plan_one({"username": "ana", "email": "ana@example.com", "password": "s3cretpass", "user_role": "publisher"})
    assert actions(plan) == ["create"]
    assert plan.after["guid"] is None and plan.after["user_role"] == "publisher"
    assert "s3cretpass" not in str(plan.describe()) and "password" not in str(plan.describe())
    plan.apply()
    assert fake.writes() == [("POST", "/v1/users")]
    assert fake.bodies("POST", "/v1/users") == [{"username": "ana", "email": "ana@example.com", "password": "s3cretpass",
                                                 "user_role": "publisher"}]
    assert plan.after["guid"] == fake.user_named("ana")["guid"]


def test_a_create_whose_answer_was_lost_is_found_not_repeated():
    planner, fake = planner_for()
    plan = planner.plan_one({"username": "ana", "email": "ana@example.com", "user_must_set_password": True})
    fake.lose_answer("POST", "/v1/users", applied=True)
    plan.apply()
    assert fake.writes() == [("POST", "/v1/users")]
    assert plan.operations[0].found_existing is True
    assert plan.after["guid"] == fake.user_named("ana")["guid"]


def test_ldap_creates_from_the_directory_then_sets_what_it_lacks():
    directory = [{"username": "ana2", "temp_ticket": "t2"},
                 {"username": "ana", "email": "ana@corp", "first_name": "Ana", "last_name": "L", "temp_ticket": "t1"}]
    planner, fake = planner_for(settings=LDAP, user_directory=directory)
    plan = planner.plan_one({"username": "ana", "user_role": "publisher"})
    assert actions(plan) == ["create", "update"]
    assert plan.after["email"] == "ana@corp" and plan.after["user_role"] == "publisher"
    assert fake.writes() == []
    plan.apply()
    guid = fake.user_named("ana")["guid"]
    assert fake.writes() == [("PUT", "/v1/users"), ("PUT", "/v1/users/" + guid)]
    assert fake.bodies("PUT", "/v1/users") == [{"temp_ticket": "t1"}]
    assert fake.users[guid]["user_role"] == "publisher"


def test_a_create_without_user_role_predicts_no_role_and_returns_the_servers():
    planner, fake = planner_for(default_role="publisher")
    plan = planner.plan_one({"username": "ana", "email": "ana@example.com", "user_must_set_password": True})
    # Connect applies Authorization.DefaultUserRole, which server_settings does not publish.
    assert plan.after["user_role"] is None
    assert plan.operations[0].changes["user_role"] == {"before": None, "after": None}
    (note,) = plan.notes
    assert "user 'ana'" in note.lower() and "default role" in note and "null" in note
    assert "user_role" not in fake.bodies("POST", "/v1/users") and fake.writes() == []
    plan.apply()
    assert "user_role" not in fake.bodies("POST", "/v1/users")[0]
    assert plan.after["user_role"] == "publisher"
    # The operation records the write as sent (no role); the account returned is the server's answer.
    assert plan.operations[0].describe()["changes"]["user_role"] == {"before": None, "after": None}


def test_a_create_with_user_role_has_no_note():
    planner, unused_fake = planner_for(default_role="publisher")
    plan = planner.plan_one({"username": "ana", "email": "ana@example.com", "user_must_set_password": True,
                             "user_role": "viewer"})
    assert plan.after["user_role"] == "viewer" and plan.notes == []


def test_a_directory_account_without_user_role_gets_the_servers_default():
    directory = [{"username": "ana", "email": "ana@corp", "temp_ticket": "t1"}]
    planner, fake = planner_for(settings=LDAP, user_directory=directory, default_role="publisher")
    plan = planner.plan_one({"username": "ana"})
    assert actions(plan) == ["create"] and plan.after["user_role"] is None and plan.notes
    plan.apply()
    assert plan.after["user_role"] == "publisher" and fake.writes() == [("PUT", "/v1/users")]


def test_a_directory_account_already_given_the_wanted_role_is_not_updated():
    directory = [{"username": "ana", "email": "ana@corp", "temp_ticket": "t1"}]
    planner, fake = planner_for(settings=LDAP, user_directory=directory, default_role="publisher")
    plan = planner.plan_one({"username": "ana", "user_role": "publisher"})
    # The plan cannot know the default, so it plans the update; the run sends it only when still needed.
    assert actions(plan) == ["create", "update"]
    plan.apply()
    assert fake.writes() == [("PUT", "/v1/users")] and plan.after["user_role"] == "publisher"


def test_ldap_user_missing_from_the_directory_fails_clearly():
    planner, fake = planner_for(settings=LDAP, user_directory=[{"username": "anabel", "temp_ticket": "t"}])
    refused(planner, fake, {"username": "ana"}, "not in the directory", "ana")


def test_unknown_provider_falls_back_to_a_ticket_when_connect_asks_for_one():
    directory = [{"username": "ana", "email": "ana@corp", "temp_ticket": "t1"}]
    planner, fake = planner_for(settings=HIDDEN, user_directory=directory)
    fake.inject("POST", "/v1/users", answer(400, {"code": 120, "error": "Use the directory.", "payload": None}))
    plan = planner.plan_one({"username": "ana", "email": "ana@corp"})
    plan.apply()
    assert fake.writes() == [("POST", "/v1/users"), ("PUT", "/v1/users")]
    assert fake.user_named("ana") is not None


# -- rules the server publishes, refused while planning ------------------------------------------


def test_a_prohibited_username_is_refused():
    planner, fake = planner_for()
    refused(planner, fake, {"username": "login", "email": "l@example.com", "password": "s3cret!"}, "prohibited")


def test_a_password_server_needs_an_email():
    planner, fake = planner_for()
    refused(planner, fake, {"username": "ana", "password": "s3cret!"}, "email")


def test_a_password_server_needs_a_password_or_user_must_set_password():
    planner, fake = planner_for()
    refused(planner, fake, {"username": "ana", "email": "ana@example.com"}, "password", "user_must_set_password")


def test_a_short_password_is_refused():
    planner, fake = planner_for()
    message = refused(planner, fake, {"username": "ana", "email": "ana@example.com", "password": "abc12"},
                      "password", "6 characters")
    assert "abc12" not in message


def test_a_password_of_six_characters_is_accepted():
    planner, unused_fake = planner_for()
    assert actions(planner.plan_one({"username": "ana", "email": "ana@example.com", "password": "abc123"})) == ["create"]


def test_a_server_that_may_use_password_authentication_gets_its_rules():
    # The fields of a password server, a display name that says nothing: password or PAM.
    settings = dict(PASSWORD, authentication=dict(PASSWORD["authentication"], name="Acme Sign-In"))
    planner, fake = planner_for(settings=settings)
    message = refused(planner, fake, {"username": "ana", "password": "s3cret!"}, "may be password", "email")
    assert "password and PAM" in message


def test_a_server_whose_settings_disagree_gets_every_providers_rules():
    # SAML's fields, but a display name that says LDAP: unique_id is asked for, as SAML would.
    settings = {"authentication": dict(SAML["authentication"], name="LDAP")}
    planner, fake = planner_for(settings=settings)
    refused(planner, fake, {"username": "ana", "email": "ana@example.com"}, "may be SAML", "disagree", "unique_id")


def test_saml_needs_unique_id_to_create():
    planner, fake = planner_for(settings=SAML)
    refused(planner, fake, {"username": "ana", "email": "ana@example.com"}, "unique_id")
    assert actions(planner.plan_one({"username": "ana", "unique_id": "id-1"})) == ["create"]


def test_a_username_differing_only_in_case_is_refused():
    planner, fake = planner_for(make_user("Alice"))
    refused(planner, fake, {"username": "alice", "email": "a@example.com", "password": "s3cret!"}, "differs only in case", "Alice")


def test_a_rename_onto_a_taken_name_is_refused():
    ana, bob = make_user("ana"), make_user("bob")
    planner, fake = planner_for(ana, bob)
    refused(planner, fake, {"guid": ana["guid"], "username": "bob"}, "already", "bob")


def test_a_rename_onto_a_case_variant_of_a_taken_name_is_refused():
    ana, bob = make_user("ana"), make_user("Bob")
    planner, fake = planner_for(ana, bob)
    refused(planner, fake, {"guid": ana["guid"], "username": "bob"}, "already")


def test_self_lock_is_refused_without_force():
    admin, other = make_user("boss", user_role="administrator"), make_user("other", user_role="administrator")
    planner, fake = planner_for(admin, other, me=admin)
    refused(planner, fake, {"username": "boss", "state": "absent"}, "Refusing to lock", "API key belongs to", "force")
    assert actions(planner.plan_one({"username": "boss", "state": "absent", "force": True})) == ["lock"]


def test_self_demotion_needs_force():
    admin, other = make_user("boss", user_role="administrator"), make_user("other", user_role="administrator")
    planner, fake = planner_for(admin, other, me=admin)
    refused(planner, fake, {"username": "boss", "user_role": "publisher"}, "Refusing to change the role", "API key belongs to",
            "force")
    plan = planner.plan_one({"username": "boss", "user_role": "publisher", "force": True})
    assert actions(plan) == ["update"]


def test_a_promotion_of_oneself_needs_no_force():
    me = make_user("me", user_role="publisher")
    planner, unused_fake = planner_for(me, me=me)
    assert actions(planner.plan_one({"username": "me", "user_role": "administrator"})) == ["update"]


def test_demoting_the_last_unlocked_administrator_is_refused():
    me = make_user("ops", user_role="publisher")
    boss = make_user("boss", user_role="administrator")
    locked_admin = make_user("old", user_role="administrator", locked=True)
    planner, fake = planner_for(boss, locked_admin, me=me)
    refused(planner, fake, {"username": "boss", "user_role": "viewer"}, "only unlocked administrator")
    refused(planner, fake, {"username": "boss", "state": "absent"}, "only unlocked administrator")


def test_demoting_an_administrator_when_another_remains_is_planned():
    me = make_user("ops", user_role="publisher")
    planner, unused_fake = planner_for(make_user("boss", user_role="administrator"),
                                       make_user("deputy", user_role="administrator"), me=me)
    assert actions(planner.plan_one({"username": "boss", "user_role": "viewer"})) == ["update"]
