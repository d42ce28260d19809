# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""connect_content_info's main() against the fake server: filters, counts, permissions and their cost."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._http.concurrency import WorkPool
from ansible_collections.posit.connect.plugins.modules import connect_content_info
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import (
    FakeConnect,
    make_group,
    make_user,
)
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_content import grant, make_content
from ansible_collections.posit.connect.tests.unit.plugins.modules.module_harness import Harness

ADMIN = make_user("admin", user_role="administrator")
ANA, BOB = make_user("ana", user_role="publisher"), make_user("bob", user_role="publisher")
SALES = make_group("sales", owner=ADMIN)


def harness(monkeypatch, items=None):
    items = items if items is not None else [
        make_content("dash", ANA, permissions=[grant(SALES), grant(BOB, "owner")]),
        make_content("dash", BOB, access_type="all"),
        make_content("report", ANA, access_type="logged_in"),
    ]
    return Harness(monkeypatch, FakeConnect([ANA, BOB], [SALES], content=items, me=ADMIN))


def test_all_items_and_the_count(monkeypatch):
    h = harness(monkeypatch)
    result = h.ok(connect_content_info)
    assert [item["name"] for item in result["content"]] == ["dash", "dash", "report"] and result["count"] == 3
    assert "permissions" not in result["content"][0] and result["changed"] is False
    assert h.fake.reads() == [("GET", "/v1/content")]


def test_filters_limit_and_count_only(monkeypatch):
    h = harness(monkeypatch)
    assert h.ok(connect_content_info, name="dash")["count"] == 2
    by_owner = h.ok(connect_content_info, owner="bob")
    assert [(item["name"], item["access_type"]) for item in by_owner["content"]] == [("dash", "all")]
    limited = h.ok(connect_content_info, limit=1)
    assert len(limited["content"]) == 1 and limited["count"] == 3
    counted = h.ok(connect_content_info, count_only=True)
    assert counted["content"] == [] and counted["count"] == 3
    guid = by_owner["content"][0]["guid"]
    assert h.ok(connect_content_info, guid=guid)["content"][0]["owner_guid"] == BOB["guid"]
    h.fails(connect_content_info, "No content item has guid", guid="00000000-0000-4000-8000-000000000000")
    h.fails(connect_content_info, "'ghost'", owner="ghost")


def test_permissions_with_names(monkeypatch):
    h = harness(monkeypatch)
    result = h.ok(connect_content_info, include_permissions=True, name="dash", owner="ana")
    item, = result["content"]
    assert item["owner"] == "ana"
    assert item["permissions"] == [
        {"principal_type": "group", "principal_guid": SALES["guid"], "name": "sales", "role": "viewer"},
        {"principal_type": "user", "principal_guid": BOB["guid"], "name": "bob", "role": "collaborator"}]


def test_many_items_cost_one_listing_one_read_each_and_one_listing_of_each_kind(monkeypatch):
    users = [make_user("user{0}".format(n), user_role="publisher") for n in range(10)]
    items = [make_content("item{0}".format(n), users[n], permissions=[grant(users[(n + 1) % 10]), grant(SALES)])
             for n in range(10)]
    h = Harness(monkeypatch, FakeConnect(users, [SALES], content=items, me=ADMIN))
    result = h.ok(connect_content_info, include_permissions=True, concurrency=3)
    assert result["count"] == 10 and all(len(item["permissions"]) == 2 for item in result["content"])
    reads = sorted(path for unused, path in h.fake.reads())
    assert reads.count("/v1/content") == 1 and reads.count("/v1/users") == 1
    assert len([path for path in reads if path.endswith("/permissions")]) == 10
    assert len(reads) == 1 + 10 + 1 + 1  # sales is one group: one lookup by guid


def test_nothing_on_the_server(monkeypatch):
    h = harness(monkeypatch, items=[])
    result = h.ok(connect_content_info, include_permissions=True)
    assert result["content"] == [] and result["count"] == 0


def test_the_permission_reads_go_through_the_tasks_one_pool(monkeypatch):
    """The concurrency option is the task's budget (client.pool), not a second pool of the module's own."""
    maps, real_map = [], WorkPool.map

    def recording(pool, function, items):
        items = list(items)
        maps.append((pool.size, len(items)))
        return real_map(pool, function, items)

    monkeypatch.setattr(WorkPool, "map", recording)
    h = harness(monkeypatch)
    result = h.ok(connect_content_info, include_permissions=True, concurrency=3)
    assert len(result["content"]) == 3 and maps == [(3, 3)]
    assert h.clients[-1].pool.size == 3
