# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Content access planning through ConnectApi over the fake server: grants, moves, revocations, refusals, cost."""

from __future__ import annotations

import pytest

from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.access import AccessPlanner
from ansible_collections.posit.connect.plugins.module_utils._planning.principals import Principals
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import (
    FakeConnect,
    answer,
    make_group,
    make_user,
)
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_content import grant, make_content

ADMIN = make_user("admin", user_role="administrator")
ANA, BOB = make_user("ana", user_role="publisher"), make_user("bob", user_role="publisher")
CHEN, VIC = make_user("chen", user_role="publisher"), make_user("vic")
LEE = make_user("lee", locked=True)
SALES, ENG = make_group("sales", owner=ADMIN), make_group("eng", owner=ADMIN)


def world(permissions=(), access_type="acl", extra=()):
    dash = make_content("dash", ANA, access_type=access_type, permissions=permissions, title=None)
    fake = FakeConnect([ANA, BOB, CHEN, VIC, LEE], [SALES, ENG], content=[dash] + list(extra), me=ADMIN)
    return AccessPlanner(fake.api()), fake


def spec(**options):
    base = {"guid": None, "name": "dash", "owner": None, "access_type": None, "viewers": None,
            "collaborators": None, "exclusive": False, "state": "present"}
    base.update(options)
    return base


def test_grants_what_is_missing_and_reports_names():
    planner, fake = world([grant(BOB, "viewer")])
    plan = planner.plan_one(spec(viewers={"users": ["bob", "chen"], "groups": ["sales"]}))
    assert [op.describe() for op in plan.operations] == [
        {"action": "grant", "target": "user 'chen' on content 'dash'", "changes": {"role": {"before": None, "after": "viewer"}}},
        {"action": "grant", "target": "group 'sales' on content 'dash'", "changes": {"role": {"before": None, "after": "viewer"}}},
    ]
    assert [(view["principal_type"], view["name"], view["role"]) for view in plan.permissions] == [
        ("group", "sales", "viewer"), ("user", "bob", "viewer"), ("user", "chen", "viewer")]
    assert plan.after == {"guid": plan.after["guid"], "name": "dash", "title": None, "owner": "ana", "access_type": "acl"}
    assert plan.diff()["after"]["viewers"] == {"users": ["bob", "chen"], "groups": ["sales"]}
    assert fake.writes() == []
    plan.apply()
    assert fake.access_of("dash") == {("bob", "viewer"), ("chen", "viewer"), ("sales", "viewer")}
    assert fake.bodies("POST", "/v1/content/*/permissions")[0] == {
        "principal_type": "user", "principal_guid": CHEN["guid"], "role": "viewer"}


def test_a_second_plan_has_nothing_to_do():
    planner, fake = world([grant(BOB, "owner"), grant(SALES, "viewer")])
    plan = planner.plan_one(spec(viewers={"groups": ["sales"]}, collaborators={"users": ["bob"]}))
    assert not plan.changed and plan.diff()["before"] == plan.diff()["after"]


def test_cost_few_names_are_looked_up_one_by_one():
    planner, fake = world([grant(BOB, "viewer")])
    planner.plan_one(spec(viewers={"users": ["chen"]}))
    paths = [call.path for call in fake.calls]
    assert paths[:2] == ["/v1/content", "/v1/content/{0}/permissions".format(fake.content_named("dash")["guid"])]
    assert len(paths) == 5 and "/v1/groups" not in paths  # + chen's search, bob and the owner by guid


def test_cost_many_names_read_one_listing_per_kind():
    planner, fake = world([grant(user, "viewer") for user in (BOB, CHEN, VIC, LEE)] + [grant(SALES), grant(ENG)])
    planner.plan_one(spec(viewers={"users": ["admin", "bob"]}))
    reads = [call.path for call in fake.calls]
    # six users (four listed already, the owner, admin): one listing; two groups: one get each
    assert reads.count("/v1/users") == 1 and not any(path.startswith("/v1/users/") for path in reads)
    assert sorted(reads[3:]) == sorted("/v1/groups/" + group["guid"] for group in (SALES, ENG))
    assert len(reads) == 5


def test_a_listed_principal_in_the_other_role_is_moved_with_one_put():
    planner, fake = world([grant(CHEN, "viewer")])
    plan = planner.plan_one(spec(collaborators={"users": ["chen"]}))
    assert [op.describe()["action"] for op in plan.operations] == ["change_role"]
    assert plan.operations[0].changes == {"role": {"before": "viewer", "after": "collaborator"}}
    plan.apply()
    assert fake.writes() == [("PUT", "/v1/content/{0}/permissions/1".format(fake.content_named("dash")["guid"]))]
    assert fake.access_of("dash") == {("chen", "owner")}


def test_exclusive_replaces_only_the_roles_given():
    planner, fake = world([grant(BOB, "viewer"), grant(SALES, "viewer"), grant(CHEN, "owner")])
    plan = planner.plan_one(spec(viewers={"users": ["vic"]}, exclusive=True))
    assert sorted(op.target for op in plan.operations if op.action == "revoke") == [
        "group 'sales' on content 'dash'", "user 'bob' on content 'dash'"]
    plan.apply()
    assert fake.access_of("dash") == {("vic", "viewer"), ("chen", "owner")}


def test_exclusive_with_an_empty_role_empties_it_and_keeps_the_owner():
    planner, fake = world([grant(BOB, "owner"), grant(SALES, "viewer")])
    planner.plan_one(spec(collaborators={}, exclusive=True)).apply()
    assert fake.access_of("dash") == {("sales", "viewer")}
    assert fake.content_named("dash")["owner_guid"] == ANA["guid"]


def test_additive_never_revokes():
    planner, fake = world([grant(BOB, "viewer"), grant(SALES, "owner")])
    plan = planner.plan_one(spec(viewers={"users": ["chen"]}))
    assert [op.action for op in plan.operations] == ["grant"]


def test_absent_revokes_the_listed_role_and_warns_about_the_other():
    planner, fake = world([grant(BOB, "viewer"), grant(CHEN, "owner")])
    plan = planner.plan_one(spec(viewers={"users": ["bob", "chen", "vic"]}, state="absent"))
    assert [op.target for op in plan.operations] == ["user 'bob' on content 'dash'"]
    assert plan.warnings == ["User 'chen' is a collaborator of content 'dash', not a viewer, so state=absent left "
                             "that alone; list it among the collaborators to revoke it."]
    plan.apply()
    assert fake.access_of("dash") == {("chen", "owner")}


def test_access_type_is_changed_last_and_only_when_given():
    planner, fake = world(access_type="all")
    plan = planner.plan_one(spec(access_type="acl", viewers={"groups": ["sales"]}))
    assert [op.action for op in plan.operations] == ["grant", "update"]
    assert plan.diff()["before"]["access_type"] == "all" and plan.after["access_type"] == "acl"
    plan.apply()
    assert fake.content_named("dash")["access_type"] == "acl"
    assert fake.bodies("PATCH", "/v1/content/*") == [{"access_type": "acl"}]
    assert not planner.plan_one(spec(viewers={"groups": ["sales"]})).changed


def test_by_guid_and_names_given_by_guid():
    planner, fake = world()
    guid = fake.content_named("dash")["guid"]
    plan = planner.plan_one(spec(name=None, guid=guid, viewers={"users": [BOB["guid"]], "groups": [SALES["guid"]]}))
    assert [op.target for op in plan.operations] == ["user 'bob' on content 'dash'", "group 'sales' on content 'dash'"]


def test_a_name_and_its_guid_count_once():
    planner, fake = world()
    plan = planner.plan_one(spec(viewers={"users": ["bob", BOB["guid"], "bob"]}))
    assert len(plan.operations) == 1


@pytest.mark.parametrize("options, words", [
    (dict(viewers={"users": ["ghost", "bob", "phantom"], "groups": ["nope"]}),
     "No Connect user is named 'ghost', 'phantom' and no Connect group is named 'nope' (no access was changed)."),
    (dict(collaborators={"users": ["vic"]}),
     "User 'vic' cannot be a collaborator on content 'dash': Connect requires a publisher or administrator account, "
     "and the account's role is viewer (no access was changed)."),
    (dict(viewers={"users": ["bob"]}, collaborators={"users": ["bob"]}),
     "User 'bob' is listed both as a viewer and as a collaborator of content 'dash'; give each user and group one role "
     "(no access was changed)."),
    (dict(viewers={"users": ["ana"]}),
     "User 'ana' owns content 'dash' and cannot also be listed among its viewers; leave the owner out "
     "(no access was changed)."),
    (dict(viewers={"users": ["bob"]}, exclusive=True, state="absent"),
     "exclusive applies to state=present only; state=absent revokes just what is listed."),
    (dict(name="nothing"), "No content item is named 'nothing' (no access was changed)."),
    (dict(owner="ghost"), "The owner 'ghost' is not a Connect user (no access was changed)."),
])
def test_refusals_are_one_sentence_and_write_nothing(options, words):
    planner, fake = world()
    with pytest.raises(ConnectError) as refused:
        planner.plan_one(spec(**options))
    assert refused.value.message == words
    assert fake.writes() == []


def test_an_ambiguous_name_names_each_candidate():
    other = make_content("dash", BOB)
    planner, fake = world(extra=[other])
    with pytest.raises(ConnectError) as refused:
        planner.plan_one(spec(viewers={"users": ["chen"]}))
    message = refused.value.message
    assert "2 content items are named 'dash'" in message and other["guid"] in message
    assert "owned by 'ana'" in message and "owned by 'bob'" in message and "give owner or guid" in message
    plan = planner.plan_one(spec(owner="bob", viewers={"users": ["chen"]}))
    assert plan.after["owner"] == "bob" and plan.after["guid"] == other["guid"]


def test_a_locked_user_is_granted_with_a_warning():
    planner, fake = world()
    plan = planner.plan_one(spec(viewers={"users": ["lee"]}))
    assert [op.action for op in plan.operations] == ["grant"]
    assert plan.warnings and plan.warnings[0].startswith("User 'lee' is locked")


def test_a_grant_that_someone_made_meanwhile_is_not_an_error():
    planner, fake = world()
    plan = planner.plan_one(spec(collaborators={"users": ["bob"]}))
    guid = fake.content_named("dash")["guid"]

    def race(fake_server, call):
        fake_server._add_permission(guid, {"principal_guid": BOB["guid"], "principal_type": "user", "role": "viewer"})
        return answer(409, {"code": 154, "error": "The user is already in the content's permission list."})
    fake.inject("POST", "/v1/content/*/permissions", race)
    plan.apply()
    assert fake.access_of("dash") == {("bob", "owner")}


def test_a_shared_principals_serves_several_items_with_one_listing_each():
    items = [make_content("item{0}".format(n), ANA, permissions=[grant(BOB)]) for n in range(3)]
    fake = FakeConnect([ANA, BOB, CHEN], [SALES], content=items, me=ADMIN)
    api = fake.api()
    planner = AccessPlanner(api, Principals(api, listings=True))
    for item in items:
        planner.plan(spec(name=item["name"], viewers={"users": ["chen"], "groups": ["sales"]}), item,
                     api.content.permissions(item["guid"]))
    reads = [call.path for call in fake.calls]
    assert reads.count("/v1/users") == 1 and reads.count("/v1/groups") == 1 and len(reads) == 5


# -- names as Connect stores them (main's identity rules) ------------------------------------------------


def test_a_decomposed_name_and_an_upper_case_guid_name_the_same_principals():
    jose = make_user(u"jos\u00e9", user_role="publisher")
    dash = make_content("dash", ANA)
    fake = FakeConnect([ANA, jose], [SALES], content=[dash], me=ADMIN)
    plan = AccessPlanner(fake.api()).plan_one(spec(viewers={"users": [u"jose\u0301"], "groups": [SALES["guid"].upper()]}))
    assert sorted(op.target for op in plan.operations) == [
        "group 'sales' on content 'dash'", u"user 'jos\u00e9' on content 'dash'"]
    assert fake.bodies("POST", "/v1/content/*/permissions") == []


@pytest.mark.parametrize("listings", [False, True])
def test_a_name_but_for_case_or_a_look_alike_is_not_the_principal_and_the_refusal_says_whose_it_is(listings):
    dash = make_content("dash", ANA)
    fake = FakeConnect([ANA, BOB], [SALES], content=[dash], me=ADMIN)
    api = fake.api()
    planner = AccessPlanner(api, Principals(api, listings=listings))
    with pytest.raises(ConnectError) as refused:
        planner.plan_one(spec(viewers={"users": ["Bob"], "groups": [u"\u0455ales"]}))
    assert refused.value.message == (
        u"No Connect user is named 'Bob' and no Connect group is named '\u0455ales' (U+0455 CYRILLIC SMALL LETTER DZE); "
        "user 'bob' has that name but for case, group 'sales' has a name that looks the same (confusable letters), "
        "and only the exact name names a user or group (no access was changed).")
    assert fake.writes() == []


def test_an_unknown_name_with_nothing_like_it_reads_as_before():
    planner, fake = world()
    with pytest.raises(ConnectError) as refused:
        planner.plan_one(spec(viewers={"users": ["zed"]}))
    assert refused.value.message == "No Connect user is named 'zed' (no access was changed)."


# -- an exclusive run confirms what it wrote ---------------------------------------------------------------


def test_verify_reads_the_list_back_only_after_an_exclusive_run_wrote():
    planner, fake = world([grant(BOB, "viewer"), grant(CHEN, "owner")])
    additive = planner.plan_one(spec(viewers={"users": ["vic"]}))
    additive.apply()
    calls = len(fake.calls)
    assert planner.verify(additive) == [] and len(fake.calls) == calls
    exclusive = planner.plan_one(spec(viewers={"users": ["vic"]}, exclusive=True))
    exclusive.apply()
    calls = len(fake.calls)
    assert planner.verify(exclusive) == []
    assert [call.path for call in fake.calls[calls:]] == ["/v1/content/{0}/permissions".format(
        fake.content_named("dash")["guid"])]
    unchanged = planner.plan_one(spec(viewers={"users": ["vic"]}, exclusive=True))
    calls = len(fake.calls)
    assert planner.verify(unchanged) == [] and len(fake.calls) == calls


def test_verify_names_what_another_change_did_in_between():
    planner, fake = world([grant(BOB, "viewer"), grant(CHEN, "owner")])
    plan = planner.plan_one(spec(viewers={"users": ["vic"], "groups": ["sales"]}, exclusive=True))
    plan.apply()
    guid = fake.content_named("dash")["guid"]
    # Another run: it gives bob his view back, takes sales' away, and makes chen (not in a given role) a viewer.
    fake.permissions[guid] = [entry for entry in fake.permissions[guid] if entry["principal_guid"] != SALES["guid"]]
    fake._add_permission(guid, grant(BOB, "viewer"))
    assert planner.verify(plan) == [
        "group 'sales' has no role on content 'dash'",
        "user 'bob' is a viewer of content 'dash', who is not listed",
    ]
