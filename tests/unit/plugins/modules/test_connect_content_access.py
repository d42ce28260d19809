# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""connect_content_access's main() against the fake server."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.modules import connect_content_access
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import (
    FakeConnect,
    answer,
    make_group,
    make_user,
)
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_content import grant, make_content
from ansible_collections.posit.connect.tests.unit.plugins.modules.module_harness import Harness

ADMIN = make_user("admin", user_role="administrator")
ANA, BOB, VIC = make_user("ana", user_role="publisher"), make_user("bob", user_role="publisher"), make_user("vic")
SALES = make_group("sales", owner=ADMIN)


def harness(monkeypatch, permissions=()):
    dash = make_content("dash", ANA, permissions=permissions)
    return Harness(monkeypatch, FakeConnect([ANA, BOB, VIC], [SALES], content=[dash], me=ADMIN))


def test_quartet_check_apply_and_nothing_left(monkeypatch):
    h = harness(monkeypatch, [grant(VIC)])
    args = dict(name="dash", viewers={"groups": ["sales"]}, collaborators={"users": ["bob"]})
    checked = h.ok(connect_content_access, check_mode=True, diff=True, **args)
    assert checked["changed"] is True and h.fake.writes() == []
    assert checked["diff"]["before"]["viewers"] == {"users": ["vic"], "groups": []}
    assert checked["diff"]["after"] == {"access_type": "acl", "viewers": {"users": ["vic"], "groups": ["sales"]},
                                        "collaborators": {"users": ["bob"], "groups": []}}
    applied = h.ok(connect_content_access, diff=True, **args)
    assert applied["operations"] == checked["operations"] and applied["permissions"] == checked["permissions"]
    assert applied["content"] == checked["content"] and applied["content"]["owner"] == "ana"
    assert h.fake.access_of("dash") == {("vic", "viewer"), ("sales", "viewer"), ("bob", "owner")}
    assert [(p["name"], p["role"]) for p in applied["permissions"]] == [
        ("sales", "viewer"), ("bob", "collaborator"), ("vic", "viewer")]
    writes = len(h.fake.writes())
    assert h.ok(connect_content_access, check_mode=True, **args)["changed"] is False
    assert h.ok(connect_content_access, **args)["changed"] is False
    assert len(h.fake.writes()) == writes == 2


def test_refusals_fail_alike_in_check_mode_and_write_nothing(monkeypatch):
    h = harness(monkeypatch)
    h.same_failure_in_check_mode_and_real_run(connect_content_access, "'vic'", "collaborator", "no access was changed",
                                              name="dash", collaborators={"users": ["vic"]})
    h.same_failure_in_check_mode_and_real_run(connect_content_access, "'ghost'", name="dash",
                                              viewers={"users": ["ghost"]})
    h.same_failure_in_check_mode_and_real_run(connect_content_access, "exclusive", name="dash",
                                              viewers={"users": ["bob"]}, exclusive=True, state="absent")


def test_option_rules(monkeypatch):
    h = harness(monkeypatch)
    h.fails(connect_content_access, "name", "guid", viewers={"users": ["bob"]})
    h.fails(connect_content_access, "owner", guid=ANA["guid"], owner="ana")
    h.fails(connect_content_access, "viewers.users[0]", "whitespace", name="dash", viewers={"users": [" bob"]})
    assert h.fake.calls == []


def test_a_locked_principal_warns(monkeypatch):
    lee = make_user("lee", locked=True)
    dash = make_content("dash", ANA)
    h = Harness(monkeypatch, FakeConnect([ANA, lee], [], content=[dash], me=ADMIN))
    result = h.ok(connect_content_access, name="dash", viewers={"users": ["lee"]})
    assert result["changed"] and h.warnings and "locked" in h.warnings[0]


def test_exclusive_reads_back_what_it_wrote_and_fails_when_overtaken(monkeypatch):
    h = harness(monkeypatch, [grant(VIC)])

    def and_another_run_grants_vic_again(fake, call):
        fake.route(call)
        fake._add_permission(fake.content_named("dash")["guid"], grant(VIC))
        return answer(204, None)

    h.fake.inject("DELETE", "/v1/content/*/permissions/*", and_another_run_grants_vic_again)
    failed = h.fails(connect_content_access, "Another change overtook this run",
                     "user 'vic' is a viewer of content 'dash', who is not listed",
                     name="dash", viewers={"users": ["bob"]}, exclusive=True)
    assert failed["changed"] is True and [op["action"] for op in failed["operations"]] == ["grant", "revoke"]


def test_an_additive_run_reads_nothing_back(monkeypatch):
    h = harness(monkeypatch)
    h.ok(connect_content_access, name="dash", viewers={"users": ["bob"]})
    assert [path for method, path in h.fake.reads() if path.endswith("/permissions")] == [
        "/v1/content/{0}/permissions".format(h.fake.content_named("dash")["guid"])]
