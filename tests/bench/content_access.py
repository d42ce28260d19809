"""The access-review row of the benchmark (run.py): connect_content_info reading every item's permissions.

2,000 content items (100 with --quick), each with three permissions (a group and a user
who may view it, a publisher who may change it), are read with include_permissions at
50 ms of latency per request. The calls are counted from the simulator's request log and
must be exactly one content listing, one permission listing per item, and one listing of
users and one of groups (their pages) for the names: nothing else, no write. The time is
compared with two floors measured or computed in the same run:

* the physical floor, calls x latency / concurrency: what the requests cost if every
  request slot were busy all the time and nothing else took any time;
* Ansible's one-task floor: the same playbook running one no-op module task.

The target (the issue's) is a wall time within 1.3x of the physical floor plus Ansible's
floor; it is reported, not asserted (this is a benchmark: request counts are what fail it).
"""

from __future__ import annotations

import math

SIZES = {"full": {"items": 2000, "users": 400, "groups": 40, "concurrency": (4, 8)},
         "quick": {"items": 100, "users": 40, "groups": 8, "concurrency": (4,)}}
LATENCY_MS = 50
TARGET = 1.3
PAGE = 500


def world(size):
    """(users, groups, content) seed sections: every other user a publisher; items owned by publishers."""
    users = [{"username": "member{0:04d}".format(i), "user_role": "publisher" if i % 2 == 0 else "viewer"}
             for i in range(size["users"])]
    publishers = [user["username"] for user in users if user["user_role"] == "publisher"]
    groups = [{"name": "team{0:03d}".format(i), "owner": "admin"} for i in range(size["groups"])]
    content = []
    for i in range(size["items"]):
        owner = publishers[i % len(publishers)]
        content.append({"name": "item{0:05d}".format(i), "owner": owner, "access_type": ("acl", "logged_in", "all")[i % 3],
                        "permissions": [
                            {"group": groups[i % len(groups)]["name"], "role": "viewer"},
                            {"user": users[(2 * i + 1) % len(users)]["username"], "role": "viewer"},
                            {"user": publishers[(i + 1) % len(publishers)], "role": "owner"}]})
    return users, groups, content


def count_calls(log):
    """The calls of a request log, by kind."""
    counts = {"content_listing": 0, "permission_listings": 0, "users_listing": 0, "groups_listing": 0,
              "other": 0, "writes": 0, "errors": 0, "total": len(log)}
    for entry in log:
        path = entry["path"]
        if entry["status"] is None or entry["status"] >= 400:
            counts["errors"] += 1
        if entry["method"] != "GET":
            counts["writes"] += 1
        elif path == "/__api__/v1/content":
            counts["content_listing"] += 1
        elif path.startswith("/__api__/v1/content/") and path.endswith("/permissions"):
            counts["permission_listings"] += 1
        elif path == "/__api__/v1/users" and "prefix=" not in (entry["query"] or ""):
            counts["users_listing"] += 1
        elif path == "/__api__/v1/groups" and "prefix=" not in (entry["query"] or ""):
            counts["groups_listing"] += 1
        else:
            counts["other"] += 1
    return counts


def seed(bench, size):
    users, groups, content = world(size)
    bench.control.reset()
    bench.control.clear_faults()
    bench.control.seed(users=users, groups=groups)
    bench.control.seed(content=content)
    bench.control.set_faults(latency_ms=LATENCY_MS)
    bench.control.clear_requests()
    return len(users) + 1  # and the admin


def review_task(concurrency):
    return {"name": "connect_content_info", "posit.connect.connect_content_info": {
        "url": "{{ connect_url }}", "api_key": "{{ connect_api_key }}", "include_permissions": True,
        "concurrency": concurrency}}


def ansible_floor(bench, rounds=2):
    """The same playbook with one no-op module task (it makes no request): the quickest of ``rounds``."""
    task = {"name": "noop", "bench_noop_users_raw": {"url": "{{ connect_url }}", "api_key": "{{ connect_api_key }}",
                                                     "users": []}}
    best = None
    for unused in range(rounds):
        wall, timings, unused_output = bench.playbook([task])
        if best is None or wall < best["seconds"]:
            best = {"seconds": wall, "task_seconds": timings[0]["seconds"]}
    bench.control.clear_requests()
    return best


def run_review(bench, size, accounts, concurrency, floor):
    label = "content review {0} items, concurrency {1}".format(size["items"], concurrency)
    wall, timings, unused_output = bench.playbook([review_task(concurrency)])
    counts = count_calls(bench.control.requests())
    bench.control.clear_requests()
    bench.expect(label, counts, content_listing=1, permission_listings=size["items"],
                 users_listing=int(math.ceil(accounts / float(PAGE))),
                 groups_listing=int(math.ceil(size["groups"] / float(PAGE))), other=0, writes=0, errors=0)
    if timings[0]["changed"] or timings[0]["failed"]:
        bench.problems.append(label + ": the task reported changed or failed")
    physical = counts["total"] * LATENCY_MS / 1000.0 / concurrency
    return {"concurrency": concurrency, "seconds": wall, "task_seconds": timings[0]["seconds"], "requests": counts,
            "physical_floor": physical, "ansible_floor": floor["seconds"],
            "budget": TARGET * physical + floor["seconds"],
            "ratio": (wall - floor["seconds"]) / physical if physical else None,
            "task_ratio": (timings[0]["seconds"] - floor["task_seconds"]) / physical if physical else None}


def phase_content(bench, quick):
    """The row: seed, Ansible's floor, then the review at each concurrency."""
    size = SIZES["quick" if quick else "full"]
    print("content. connect_content_info, {0} items with their permissions, {1} ms per request".format(
        size["items"], LATENCY_MS), flush=True)
    accounts = seed(bench, size)
    floor = ansible_floor(bench)
    runs = [run_review(bench, size, accounts, concurrency, floor) for concurrency in size["concurrency"]]
    bench.control.clear_faults()
    return {"items": size["items"], "users": accounts, "groups": size["groups"], "latency_ms": LATENCY_MS,
            "floor": floor, "runs": runs}


def report(row, lines):
    lines.append("")
    lines.append("content: connect_content_info with include_permissions, {items:,} items (3 permissions each), "
                 "{users} users, {groups} groups, {latency_ms} ms per request:".format(**row))
    lines.append("   Ansible's one-task floor {0:.2f} s (task {1:.2f} s)".format(
        row["floor"]["seconds"], row["floor"]["task_seconds"]))
    lines.append("   {0:>11} {1:>9} {2:>9} {3:>15} {4:>13} {5:>7} {6:>10}   {7}".format(
        "concurrency", "wall", "task", "physical floor", "budget (1.3x)", "ratio", "task ratio", "API calls"))
    for run in row["runs"]:
        calls = ("{content_listing} content list + {permission_listings} permission lists + {users_listing} users "
                 "list + {groups_listing} groups list + {other} other + {writes} writes = {total}").format(**run["requests"])
        lines.append("   {0:>11} {1:>8.1f}s {2:>8.1f}s {3:>14.1f}s {4:>12.1f}s {5:>6.2f}x {6:>9.2f}x   {7}".format(
            run["concurrency"], run["seconds"], run["task_seconds"], run["physical_floor"], run["budget"],
            run["ratio"], run["task_ratio"], calls))
    lines.append("   ratio = (wall - Ansible's floor) / physical floor, task ratio the same for the task alone; "
                 "the target is a wall within the budget, a ratio of at most {0}x".format(TARGET))
