# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""connect_users with successors: entries' successor and unlisted_successor, against the fake server."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.modules import connect_users
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import FakeConnect, make_group, make_user
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_content import make_content
from ansible_collections.posit.connect.tests.unit.plugins.modules.module_harness import Harness

ADMIN = make_user("admin", user_role="administrator")
ANA = make_user("ana", user_role="publisher")


def world(monkeypatch, *leavers, **kwargs):
    """ana stays; each leaver (a user dict) owns two items; the first leaver also owns the group 'team'."""
    content = [make_content("{0}-{1}".format(user["username"], n), user) for user in leavers for n in range(2)]
    groups = [make_group("team", owner=leavers[0])] if leavers else []
    fake = FakeConnect((ANA,) + leavers + kwargs.pop("others", ()), groups, me=ADMIN, content=content, **kwargs)
    return Harness(monkeypatch, fake)


def leavers(*names, **fields):
    return tuple(make_user(name, user_role="publisher", **fields) for name in names)


def test_entries_hand_over_before_their_locks_with_one_content_listing(monkeypatch):
    h = world(monkeypatch, *leavers("bob", "cy"))
    users = [{"username": "ana"}, {"username": "bob", "state": "absent", "successor": "ana"},
             {"username": "cy", "state": "absent", "successor": "ana"}]
    checked = h.ok(connect_users, check_mode=True, diff=True, users=users, max_locks=2)
    assert h.fake.writes() == []
    assert [op["action"] for op in checked["operations"]] == ["transfer"] * 3 + ["lock"] + ["transfer"] * 2 + ["lock"]
    assert checked["counts"]["locked"] == 2 and checked["counts"]["content_handed_over"] == 4
    assert checked["counts"]["groups_handed_over"] == 1
    assert checked["diff"]["before"]["bob"]["owned_groups"] == ["team"] and checked["diff"]["after"]["bob"]["content"] == []
    content_reads = [call for call in h.fake.calls if call.path == "/v1/content"]
    assert len(content_reads) == 1 and content_reads[0].params == {}
    h.fake.calls[:] = []
    applied = h.ok(connect_users, users=users, max_locks=2)
    writes = h.fake.writes()
    # Every transfer of the run goes out before the first lock.
    assert len(writes) == 7 and sorted(method for method, unused in writes[:5]) == ["PATCH"] * 4 + ["POST"]
    assert [path.endswith("/lock") for unused, path in writes] == [False] * 5 + [True] * 2
    assert applied["operations"] == checked["operations"] and applied["counts"] == checked["counts"]
    assert [(move["user"], move["successor"], len(move["content"]), len(move["groups"])) for move in applied["handovers"]] == [
        ("bob", "ana", 2, 1), ("cy", "ana", 2, 0)]
    assert h.fake.owned_names(ANA) == ["bob-0", "bob-1", "cy-0", "cy-1"]
    h.fake.calls[:] = []
    again = h.ok(connect_users, users=users, max_locks=2)
    assert not again["changed"] and again["handovers"] == [] and h.fake.writes() == []


def test_a_locked_leaver_that_still_owns_content_is_handed_over(monkeypatch):
    h = world(monkeypatch, *leavers("bob", locked=True))
    result = h.ok(connect_users, users=[{"username": "ana"}, {"username": "bob", "state": "absent", "successor": "ana"}])
    assert result["handed_over"] == ["bob"] and result["locked"] == [] and result["counts"]["handed_over"] == 1
    assert not any(path.endswith("/lock") for unused, path in h.fake.writes())


def test_unlisted_successor_takes_over_from_the_accounts_locked_as_unlisted(monkeypatch):
    h = world(monkeypatch, *leavers("bob", "cy"), others=(make_user("dee", user_role="publisher"),))
    args = dict(users=[{"username": "ana"}, {"username": "dee"}], unlisted="lock", unlisted_successor="ana", max_locks=2)
    checked = h.ok(connect_users, check_mode=True, **args)
    assert sorted(checked["locked"]) == ["bob", "cy"] and checked["counts"]["content_handed_over"] == 4
    h.ok(connect_users, **args)
    assert h.fake.owned_names(ANA) == ["bob-0", "bob-1", "cy-0", "cy-1"]
    assert h.fake.group_named("team")["owner_guid"] == ANA["guid"]
    assert not h.ok(connect_users, **args)["changed"]


def test_unlisted_successor_must_be_listed_known_and_used_with_unlisted_lock(monkeypatch):
    h = world(monkeypatch, *leavers("bob"))
    h.same_failure_in_check_mode_and_real_run(connect_users, "unlisted_successor 'ana' is not in the users list",
                                              users=[{"username": "admin"}], unlisted="lock", unlisted_successor="ana")
    h.same_failure_in_check_mode_and_real_run(connect_users, "unlisted_successor 'zed' is not a Connect user",
                                              users=[{"username": "ana"}], unlisted="lock", unlisted_successor="zed")
    h.same_failure_in_check_mode_and_real_run(connect_users, "unlisted_successor is only for unlisted: lock",
                                              users=[{"username": "ana"}], unlisted_successor="ana")


def test_max_locks_refusal_says_who_and_what_would_move(monkeypatch):
    h = world(monkeypatch, *leavers("bob", "cy"))
    result = h.same_failure_in_check_mode_and_real_run(
        connect_users, "Refusing to lock 2 accounts", "'bob', 'cy'",
        "it would also have handed over 'bob' to 'ana': 2 content items and 1 group; 'cy' to 'ana': 2 content items and 0 groups",
        users=[{"username": "ana"}], unlisted="lock", unlisted_successor="ana", max_locks=1)
    assert result["would_lock"] == ["bob", "cy"]
    assert result["would_hand_over"] == [{"user": "bob", "successor": "ana", "content": 2, "groups": 1},
                                         {"user": "cy", "successor": "ana", "content": 2, "groups": 0}]
    assert h.ok(connect_users, users=[{"username": "ana"}], unlisted="lock", unlisted_successor="ana", max_locks=2)["changed"]


def test_a_successor_the_same_run_locks_or_demotes_is_refused(monkeypatch):
    h = world(monkeypatch, *leavers("bob", "cy"))
    h.same_failure_in_check_mode_and_real_run(
        connect_users, "Cannot offboard user 'bob'", "successor 'cy' is locked by this same run",
        users=[{"username": "ana"}, {"username": "bob", "state": "absent", "successor": "cy"},
               {"username": "cy", "state": "absent", "successor": "ana"}], max_locks=2)
    h.same_failure_in_check_mode_and_real_run(
        connect_users, "Cannot offboard user 'bob'", "successor 'ana' becomes a viewer in this same run",
        users=[{"username": "ana", "user_role": "viewer"}, {"username": "bob", "state": "absent", "successor": "ana"}])


def test_an_entry_with_a_successor_and_state_present_cannot_be_planned(monkeypatch):
    h = world(monkeypatch, *leavers("bob"))
    result = h.same_failure_in_check_mode_and_real_run(connect_users, "cannot be planned", "successor is only for state: absent",
                                                       users=[{"username": "bob", "successor": "ana"}])
    assert result["failures"][0]["user"] == "bob"
