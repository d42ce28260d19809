"""The offboarding rows of the benchmark (run.py): a user owning many items handed over, then locked.

One leaver owns ``items`` content items; connect_user (successor) and connect_users
(an entry with a successor) each hand them to ana and lock the leaver, at 50 ms of
latency per request. The calls are counted from the simulator's request log and must
be exactly: one content listing, one PATCH per item and one lock (besides the few
reads of the accounts and the groups), with the lock the last write; a second run
writes nothing. The time is set against the physical floor, calls x latency /
concurrency (the requests the task cannot avoid, sent ``concurrency`` at a time),
plus Ansible's floor for one module task (the same playbook running a no-op module):
the issue asks for at most 1.3 times the physical floor above Ansible's.

--quick (bench-smoke) hands over a few items without latency and checks only the
calls and the final state.
"""

from __future__ import annotations

SIZES = {"full": {"items": 600, "latency_ms": 50}, "quick": {"items": 12, "latency_ms": 0}}
CONCURRENCY = 4
TARGET_RATIO = 1.3


def seed(bench, items):
    """lee (a publisher) owning ``items`` items, ana who takes over; the log cleared, the latency set."""
    bench.control.reset()
    bench.control.clear_faults()
    bench.control.seed(users=[{"username": "lee", "email": "lee@example.com", "user_role": "publisher"},
                              {"username": "ana", "email": "ana@example.com", "user_role": "publisher"}],
                       content=[{"name": "lee-item-{0:04d}".format(n), "owner": "lee"} for n in range(items)])
    if bench.latency:
        bench.control.set_faults(rules=[], latency_ms=bench.latency)
    bench.control.clear_requests()


def count_calls(bench):
    """The calls since the last look, by kind; the log is cleared."""
    log = bench.control.requests()
    bench.control.clear_requests()
    counts = {"content_listings": 0, "patches": 0, "locks": 0, "other_reads": 0, "other_writes": 0, "errors": 0,
              "total": len(log), "lock_last": False}
    writes = [entry for entry in log if entry["method"] != "GET"]
    for entry in log:
        path = entry["path"]
        if entry["status"] is None or entry["status"] >= 400:
            counts["errors"] += 1
        if entry["method"] == "GET":
            counts["content_listings" if path == "/__api__/v1/content" else "other_reads"] += 1
        elif entry["method"] == "PATCH" and path.startswith("/__api__/v1/content/"):
            counts["patches"] += 1
        elif entry["method"] == "POST" and path.endswith("/lock"):
            counts["locks"] += 1
        else:
            counts["other_writes"] += 1
    counts["lock_last"] = bool(writes) and writes[-1]["path"].endswith("/lock")
    return counts


def tasks(module):
    connection = {"url": "{{ connect_url }}", "api_key": "{{ connect_api_key }}"}
    if module == "connect_user":
        args = dict(connection, username="lee", state="absent", successor="ana", concurrency=CONCURRENCY)
    else:
        args = dict(connection, users=[{"username": "ana"}, {"username": "lee", "state": "absent", "successor": "ana"}],
                    concurrency=CONCURRENCY)
    return [{"name": module, "posit.connect." + module: args}]


def one_task_floor(bench):
    """Ansible's floor: the same kind of playbook running one no-op module task."""
    task = {"name": "noop", "bench_noop_users_raw": {"url": "{{ connect_url }}", "api_key": "{{ connect_api_key }}",
                                                     "users": []}}
    wall, timings, unused_output = bench.playbook([task])
    bench.control.clear_requests()
    return {"seconds": wall, "task_seconds": timings[0]["seconds"]}


def handover(bench, module, items, floor):
    """Two runs of one module: the handover, then one with nothing to do; calls checked, times set against the floors."""
    seed(bench, items)
    wall, timings, unused_output = bench.playbook(tasks(module))
    first = count_calls(bench)
    label = "offboarding {0} {1} items".format(module, items)
    bench.expect(label + " run 1", first, content_listings=1, patches=items, locks=1, other_writes=0, errors=0,
                 lock_last=True)
    state = bench.control.state()
    owners = set(item["owner"] for item in state["content"])
    lee = [user for user in state["users"] if user["username"] == "lee"][0]
    if owners != {"ana"} or not lee["locked"]:
        bench.problems.append("{0}: content owners {1}, lee locked {2}".format(label, sorted(owners), lee["locked"]))
    wall2, timings2, unused_output = bench.playbook(tasks(module))
    second = count_calls(bench)
    bench.expect(label + " run 2", second, content_listings=1, patches=0, locks=0, other_writes=0, errors=0)
    physical = first["total"] * bench.latency / 1000.0 / CONCURRENCY
    result = {"module": module, "items": items, "latency_ms": bench.latency, "concurrency": CONCURRENCY,
              "seconds": wall, "task_seconds": timings[0]["seconds"], "requests": first,
              "second_seconds": wall2, "second_task_seconds": timings2[0]["seconds"], "second_requests": second,
              "physical_floor": physical, "floor": floor, "bound": TARGET_RATIO * physical + floor["seconds"]}
    if physical:
        result["ratio"] = (wall - floor["seconds"]) / physical
    return result


def phase(bench, quick):
    """The offboarding rows: connect_user and connect_users, each handing over one leaver's items."""
    size = SIZES["quick" if quick else "full"]
    bench.latency = size["latency_ms"]
    print("offboarding. one user owning {0} items handed over at {1} ms a request".format(
        size["items"], bench.latency), flush=True)
    try:
        seed(bench, 0)
        floor = one_task_floor(bench)
        rows = [handover(bench, module, size["items"], floor) for module in ("connect_user", "connect_users")]
    finally:
        bench.latency = 0
    return rows


def report(rows, lines):
    lines.append("")
    lines.append("offboarding: one user owning {0} items handed over to a successor, then locked ({1} ms a request, "
                 "concurrency {2}):".format(rows[0]["items"], rows[0]["latency_ms"], rows[0]["concurrency"]))
    floor = rows[0]["floor"]
    lines.append("   Ansible's one-task floor {0:.2f} s (task {1:.2f} s)".format(floor["seconds"], floor["task_seconds"]))
    for row in rows:
        calls = row["requests"]
        lines.append("   {0:<14} run 1 {1:6.2f} s (task {2:.2f} s): {3} content listing + {4} PATCH + {5} lock + "
                     "{6} other GET = {7} calls; lock last: {8}".format(
                         row["module"], row["seconds"], row["task_seconds"], calls["content_listings"], calls["patches"],
                         calls["locks"], calls["other_reads"], calls["total"], calls["lock_last"]))
        if row["physical_floor"]:
            lines.append("   {0:<14} physical floor {1:.2f} s (calls x latency / concurrency); above Ansible's floor "
                         "{2:.2f} s = {3:.2f}x the physical floor (target <= {4}x; bound {5:.2f} s)".format(
                             "", row["physical_floor"], row["seconds"] - floor["seconds"], row["ratio"], TARGET_RATIO,
                             row["bound"]))
        lines.append("   {0:<14} run 2 {1:6.2f} s: {2} content listing, {3} writes".format(
            "", row["second_seconds"], row["second_requests"]["content_listings"],
            row["second_requests"]["patches"] + row["second_requests"]["locks"] + row["second_requests"]["other_writes"]))
