"""The audit rows of the benchmark (run.py): a nightly drift report of 10,000 accounts, with and without --diff.

examples/audit.yml is run as docs/audits.md shows, in check mode, over a people file of
every seeded account, with 1% drift and then with every account drifted, each twice: ``--check`` (the Markdown report, built from the
task's ``operations``) and ``--check --diff``. Each row gives the playbook's wall time, the
connect_users task's own time, and the size of what ansible-playbook printed. The difference
between the two rows is ansible-core rendering the per-account diff, not the module: the
figures behind docs/audits.md's advice to build large reports from ``operations``.

Both runs must write nothing (the request log is checked) and produce the same report (but for its time).
--quick (bench-smoke) does the same with 1,001 accounts.
"""

from __future__ import annotations

import json
import os
import subprocess
import time

import yaml

PLAN_TASK = "Plan the reconcile (in check mode) or apply it"


def run_audit(bench, people_file, report_file, diff, max_locks):
    """examples/audit.yml in check mode (and --diff when asked): (wall seconds, task seconds, output bytes)."""
    command = [os.path.join(bench.bin, "ansible-playbook"), os.path.join(bench.root, "examples", "audit.yml"),
               "--check", "-e", "audit_people_file=" + people_file, "-e", "audit_report_path=" + report_file,
               "-e", "audit_max_locks={0}".format(max_locks)]
    if diff:
        command.append("--diff")
    env = dict(bench.env, CONNECT_SERVER=bench.ready["url"], CONNECT_API_KEY=bench.ready["api_key"])
    started = time.monotonic()
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    wall = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError("examples/audit.yml failed:\n" + done.stdout[-4000:].decode("utf-8", "replace"))
    with open(env["BENCH_TIMINGS"]) as handle:
        timings = [t for t in json.load(handle) if t["name"] == PLAN_TASK]
    return wall, timings[0]["seconds"], len(done.stdout)


def phase(bench, accounts, seeded, desired, changes):
    """Both audits of one server, at 1% drift and with every account drifted (a directory that moved every
    email to a new domain): the rows, in the order report() prints them."""
    everyone = [dict(entry, email=entry["username"] + "@new.example.com") if entry.get("state") != "absent" else entry
                for entry in desired]
    rows = []
    for people, drifted in ((desired, changes), (everyone, len(everyone))):
        print("audit. examples/audit.yml --check over {0} accounts, {1} drifted, with and without --diff".format(
            accounts, drifted), flush=True)
        rows.extend(audits(bench, accounts, seeded, people, drifted, max(10, changes)))
    return rows


def audits(bench, accounts, seeded, people, drifted, max_locks):
    """The audit without and with --diff; the request log and the two reports checked."""
    people_file = os.path.join(bench.work, "audit-people.yml")
    with open(people_file, "w") as handle:
        yaml.safe_dump({"connect_people": people}, handle, sort_keys=False)
    bench.reset(seeded)
    rows, reports = [], []
    for diff in (False, True):
        report_file = os.path.join(bench.work, "audit-report-{0}.md".format("diff" if diff else "plain"))
        wall, task, printed = run_audit(bench, people_file, report_file, diff, max_locks)
        writes = [entry for entry in bench.control.requests() if entry["method"] != "GET"]
        bench.control.clear_requests()
        label = "audit {0} accounts, {1} drifted{2}".format(accounts, drifted, " --diff" if diff else "")
        if writes:
            bench.problems.append("{0}: {1} writes in check mode, e.g. {2}".format(label, len(writes), writes[:2]))
        with open(report_file, encoding="utf-8") as handle:
            reports.append([line for line in handle if not line.startswith("- Generated:")])
        rows.append({"accounts": accounts, "drifted": drifted, "diff": diff, "seconds": wall,
                     "task_seconds": task, "printed_bytes": printed, "report_bytes": os.path.getsize(report_file)})
    if reports[0] != reports[1]:
        bench.problems.append("audit {0} accounts, {1} drifted: the report differs with --diff".format(
            accounts, drifted))
    return rows


def report(rows, lines):
    lines.append("")
    lines.append("audit: examples/audit.yml --check over {0} accounts, the Markdown report built from operations, "
                 "with and without --diff:".format(rows[0]["accounts"]))
    for plain, diff in zip(rows[::2], rows[1::2]):
        for row in (plain, diff):
            lines.append("   {0:>6} drifted {1:<15} {2:6.2f} s (connect_users task {3:.2f} s), {4:,} bytes printed, "
                         "report {5:,} bytes".format(row["drifted"], "--check --diff" if row["diff"] else "--check",
                                                     row["seconds"], row["task_seconds"], row["printed_bytes"],
                                                     row["report_bytes"]))
        lines.append("   {0:>6} drifted: --diff costs {1:.1f}x the time and {2:.0f}x the output".format(
            plain["drifted"], diff["seconds"] / plain["seconds"],
            diff["printed_bytes"] / float(max(1, plain["printed_bytes"]))))
