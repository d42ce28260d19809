# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The offboarding planner over the fake server: transfers before the lock, refusals, partial failures and reruns."""

from __future__ import annotations

import pytest

from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.handover import HandoverStopped
from ansible_collections.posit.connect.plugins.module_utils._planning.offboarding import OffboardingPlanner
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import (
    FakeConnect,
    answer,
    make_group,
    make_user,
)
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_content import make_content

ADMIN = make_user("admin", user_role="administrator")
BOB = make_user("bob", user_role="publisher")
ANA = make_user("ana", user_role="publisher")


def server(*users, **kwargs):
    kwargs.setdefault("me", ADMIN)
    return FakeConnect(users or (BOB, ANA), **kwargs)


def offboard(fake, successor="ana", concurrency=4, **spec):
    spec = dict({"username": "bob", "state": "absent", "successor": successor}, **spec)
    return OffboardingPlanner(fake.api(concurrency=concurrency)).plan_one(spec)


def bobs_things(count=2):
    content = [make_content("report-{0}".format(n), BOB) for n in range(count)]
    return content, [make_group("data-science", owner=BOB), make_group("others", owner=ADMIN)]


def test_transfers_come_before_the_lock_content_first_then_groups():
    content, groups = bobs_things()
    fake = server(content=content, groups=groups)
    plan = offboard(fake)
    assert plan.describe() == [
        {"action": "transfer", "target": "content 'report-0' ({0})".format(content[0]["guid"]),
         "changes": {"owner": {"before": "bob", "after": "ana"}}},
        {"action": "transfer", "target": "content 'report-1' ({0})".format(content[1]["guid"]),
         "changes": {"owner": {"before": "bob", "after": "ana"}}},
        {"action": "transfer", "target": "group 'data-science'", "changes": {"owner": {"before": "bob", "after": "ana"}}},
        {"action": "lock", "target": "user 'bob'", "changes": {"locked": {"before": False, "after": True}}},
    ]
    assert fake.writes() == []
    plan.apply()
    # The transfers go out side by side, in any order; the lock strictly after them.
    writes = fake.writes()
    assert sorted(writes[:3]) == sorted([("PATCH", "/v1/content/" + item["guid"]) for item in content]
                                        + [("POST", "/v1/groups/" + groups[0]["guid"])])
    assert writes[3:] == [("POST", "/v1/users/{0}/lock".format(BOB["guid"]))]
    assert fake.owned_names(ANA) == ["report-0", "report-1"] and fake.owned_names(BOB) == []
    assert fake.group_named("data-science")["owner_guid"] == ANA["guid"]
    assert fake.group_named("others")["owner_guid"] == ADMIN["guid"]
    assert fake.user_named("bob")["locked"] is True


def test_the_lock_is_written_after_every_transfer_at_any_concurrency():
    content = [make_content("item-{0:03d}".format(n), BOB) for n in range(40)]
    fake = server(content=content)
    plan = offboard(fake, concurrency=8)
    plan.apply()
    writes = fake.writes()
    assert len(writes) == 41 and writes[-1] == ("POST", "/v1/users/{0}/lock".format(BOB["guid"]))
    assert [op.action for op in plan.applied] == ["transfer"] * 40 + ["lock"]
    assert fake.owned_names(BOB) == []


def test_a_locked_account_that_owns_nothing_is_unchanged_and_written_nothing():
    fake = server(make_user("bob", guid=BOB["guid"], user_role="publisher", locked=True), ANA)
    plan = offboard(fake)
    assert not plan.changed and plan.describe() == []
    # The account, the successor, the content listing and the groups listing.
    assert [path for unused, path in fake.reads()] == ["/v1/users", "/v1/users", "/v1/content", "/v1/groups"]
    assert fake.calls[2].params == {"owner_guid": BOB["guid"]}
    assert fake.writes() == []


def test_a_locked_account_that_still_owns_content_is_handed_over_without_a_new_lock():
    content = [make_content("left-behind", BOB)]
    fake = server(make_user("bob", guid=BOB["guid"], user_role="publisher", locked=True), ANA, content=content)
    plan = offboard(fake)
    assert [op["action"] for op in plan.describe()] == ["transfer"]
    plan.apply()
    assert fake.writes() == [("PATCH", "/v1/content/" + content[0]["guid"])]


def test_the_successor_may_be_named_by_guid():
    content, unused = bobs_things(1)
    fake = server(content=content)
    plan = offboard(fake, successor=ANA["guid"])
    assert plan.describe()[0]["changes"]["owner"] == {"before": "bob", "after": "ana"}
    assert plan.handover() == {"successor": "ana", "groups": [],
                               "content": [{"guid": content[0]["guid"], "name": "report-0", "title": "Report 0"}]}


def refused(fake, *words, **spec):
    with pytest.raises(ConnectError) as failed:
        offboard(fake, **spec)
    message = failed.value.message
    for word in ("Cannot offboard user 'bob'", "nothing was changed") + words:
        assert word in message, (word, message)
    assert "\n" not in message and fake.writes() == []
    return message


@pytest.mark.parametrize("successor, users, words", [
    ("zed", (BOB, ANA), ("successor 'zed' is not a Connect user",)),
    ("Ana", (BOB, ANA), ("successor 'Ana' is not a Connect user", "account 'ana' differs only in case")),
    ("carl", (BOB, make_user("carl", user_role="publisher", locked=True)), ("successor 'carl' is locked",)),
    ("vic", (BOB, make_user("vic")), ("successor 'vic' is a viewer", "publishers or administrators")),
    ("bob", (BOB,), ("successor 'bob' is the user themselves",)),
])
def test_successors_that_could_not_own_content_are_refused_while_planning(successor, users, words):
    content, groups = bobs_things()
    refused(server(*users, content=content, groups=groups), *words, successor=successor)


def test_a_successor_with_state_present_is_refused_before_any_read():
    fake = server()
    refused(fake, "successor is only for state: absent", state="present")
    assert fake.calls == []


def test_an_unknown_successor_is_refused_even_when_the_user_does_not_exist():
    fake = server(ANA)
    refused(fake, "successor 'zed' is not a Connect user", successor="zed")


def test_a_missing_user_warns_and_plans_nothing():
    fake = server(ANA)
    plan = offboard(fake)
    assert not plan.changed and plan.before is None and "nothing to lock" in plan.warnings[0]
    assert plan.diff(("username", "locked")) == {"before": {}, "after": {}}


def test_the_lock_refusals_still_hold():
    """Offboarding the API key's own account needs force, as a plain lock does."""
    me = make_user("bob", user_role="administrator")
    fake = FakeConnect((me, ANA, ADMIN), me=me, content=[make_content("mine", me)])
    with pytest.raises(ConnectError) as failed:
        offboard(fake)
    assert "Refusing to lock user 'bob'" in failed.value.message and fake.writes() == []
    offboard(fake, force=True).apply()
    assert fake.owned_names(ANA) == ["mine"] and fake.user_named("bob")["locked"]


def test_a_failed_transfer_stops_before_the_lock_and_a_rerun_finishes():
    content = [make_content("item-{0}".format(n), BOB) for n in range(5)]
    fake = server(content=content)
    fake.inject("PATCH", "/v1/content/" + content[1]["guid"], answer(500, {"code": 1, "error": "Boom."}))
    plan = offboard(fake, concurrency=1)
    with pytest.raises(HandoverStopped) as stopped:
        plan.apply()
    message = stopped.value.message
    assert "Could not transfer content 'item-1'" in message and "HTTP 500" in message
    assert "already handed over before the failure: content 'item-0'" in message and "not locked" in message
    assert [op.target for op in stopped.value.applied] == ["content 'item-0' ({0})".format(content[0]["guid"])]
    assert not fake.user_named("bob")["locked"] and fake.owned_names(ANA) == ["item-0"]
    rerun = offboard(fake, concurrency=1)
    assert [op["target"] for op in rerun.describe()][0] == "content 'item-1' ({0})".format(content[1]["guid"])
    rerun.apply()
    assert fake.owned_names(BOB) == [] and fake.user_named("bob")["locked"]
    assert offboard(fake).describe() == []


def test_a_failed_transfer_at_concurrency_starts_no_more_and_never_locks():
    content = [make_content("item-{0:02d}".format(n), BOB) for n in range(30)]
    fake = server(content=content)
    fake.inject("PATCH", "/v1/content/" + content[1]["guid"], answer(500, {"code": 1, "error": "Boom."}))
    plan = offboard(fake, concurrency=4)
    with pytest.raises(HandoverStopped) as stopped:
        plan.apply()
    patches = [path for method, path in fake.writes() if method == "PATCH"]
    assert len(patches) < 30 and not any(method == "POST" for method, unused in fake.writes())
    assert len(stopped.value.applied) == len(patches) - 1
    assert "lock" not in [op.action for op in plan.applied]


def test_the_diff_shows_what_the_user_owns_before_and_after():
    content, groups = bobs_things()
    plan = offboard(server(content=content, groups=groups))
    diff = plan.diff(("username", "locked"))
    assert diff["before"] == {"username": "bob", "locked": False, "content": ["report-0", "report-1"],
                              "owned_groups": ["data-science"]}
    assert diff["after"] == {"username": "bob", "locked": True, "content": [], "owned_groups": []}
