#!/usr/bin/env python
"""Benchmark of connect_users against the other ways of reconciling Connect users.

usage: run.py [--quick] [--out DIR] [--plot PNG] [--no-plot] [--repeat N] [--only-src] [--only-groups]
              [--only-offboarding] [--only-audit] [--only-content]

It starts its own simulator (connect_sim.testing.running_simulator), runs
ansible-playbook from this Python's bin directory with the collection from a
temporary ansible_collections/posit/connect link to this work tree, and prints
the figures side by side:

1. the per-task cost of connect_user with nothing to change in a loop of 200,
   against the same loop of bench_noop_user (tests/bench/library), a module
   that validates the same options and does nothing: Ansible's floor for a
   module task;
2. reconciling 10,000 accounts with 1% drift: connect_users, a loop of
   connect_user (a sample, extrapolated), a posit-sdk script
   (tests/bench/sdk_reconcile.py) and a playbook of ansible.builtin.uri tasks;
   plus Ansible's floor for a task receiving the same 10,000-entry list;
3. the same with 50 ms of latency per request;
4. the API calls of each approach, from the simulator's request log, checked
   against what each approach must make (a wrong count fails the run);
5. connect_users reading the list from a CSV (src), against the floor;
6. connect_groups with exclusive: true in one task: 1,000 groups of 10 members
   (10,000 memberships, 100 groups off by one member, 10 new) among 10,000
   users, twice, with its calls checked (one groups listing, one member listing
   per listed group that exists, one users listing, one write per change; the
   second run no write) and the final state;
7. offboarding (offboarding.py): a user owning 600 items handed over to a
   successor, then locked, at 50 ms a request, by connect_user and by
   connect_users, with the calls checked (one content listing, one PATCH per
   item, one lock, the lock last) against the physical floor;
8. the nightly audit (audit_diff.py): examples/audit.yml --check over the
   10,000 accounts of 2, with and without --diff (time and output size);
9. connect_content_info reading 2,000 content items with their permissions at 50 ms
   of latency, against the physical floor (calls x latency / concurrency) and Ansible's
   one-task floor, with its calls checked (content_access.py);
and the scaling curve (docs/performance.png): wall time against accounts.

It is a benchmark, not a test: nothing about time is asserted. --quick is the
smoke run `make bench-smoke` does: tiny sizes, no latency phase, no plot, and
the request counts and the final states are checked.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.dirname(os.path.abspath(sys.executable))
PAGE = 500
FIELDS = ("email", "first_name", "last_name", "user_role")

try:
    import connect_sim  # noqa: F401  pylint: disable=unused-import
except ImportError:  # not installed: use the work tree's copy, here and in the simulator's process
    SIMULATOR = os.path.join(ROOT, "tests", "simulator")
    sys.path.insert(0, SIMULATOR)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [SIMULATOR, os.environ.get("PYTHONPATH")]))
from connect_sim.testing import SimulatorControl, running_simulator  # noqa: E402

import audit_diff  # noqa: E402  (tests/bench/audit_diff.py, beside this script)
import content_access  # noqa: E402  (tests/bench/content_access.py, beside this script)
import offboarding  # noqa: E402  (tests/bench/offboarding.py, beside this script)


# -- the population and its drift -------------------------------------------

def account_name(i):
    return "user{0:05d}".format(i)


def population(accounts):
    """The seeded users (accounts - 1 of them; the simulator's admin is the last account)."""
    return [{"username": account_name(i), "email": account_name(i) + "@example.com",
             "first_name": "Given{0}".format(i), "last_name": "Family{0}".format(i),
             "user_role": "viewer", "password": "secret-{0}".format(i)}
            for i in range(1, accounts)]


def drift_count(accounts):
    return max(1, int(round(accounts / 100.0)))


def desired_list(seeded, accounts):
    """The desired list: every seeded user, 1% of the accounts drifted (4/5 updates, 1/5 locks).

    Returns (desired, changes, locks). The drifted entries are spread evenly so
    that any prefix of the list (the samples) carries its share of the drift.
    """
    desired = [dict((k, u[k]) for k in ("username",) + FIELDS) for u in seeded]
    changes = drift_count(accounts)
    step = len(desired) / float(changes)
    locks = 0
    for n in range(changes):
        index = int(n * step + step / 2)
        entry = desired[index]
        if n % 5 == 4:
            desired[index] = {"username": entry["username"], "state": "absent"}
            locks += 1
            continue
        field = FIELDS[n % 4]
        if field == "user_role":
            entry["user_role"] = "publisher"
        elif field == "email":
            entry["email"] = entry["username"] + "@new.example.com"
        else:
            entry[field] = entry[field] + "-changed"
    return desired, changes, locks


SRC_COLUMNS = ("username", "state", "email", "first_name", "last_name", "user_role")


def write_people(desired, path, fmt):
    """The desired list as a src file: CSV (empty cell = not given), JSON or YAML."""
    if fmt == "csv":
        import csv
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(SRC_COLUMNS)
            for entry in desired:
                writer.writerow([entry.get(column, "") for column in SRC_COLUMNS])
    elif fmt == "json":
        with open(path, "w") as handle:
            json.dump(desired, handle, indent=1)
    else:
        with open(path, "w") as handle:
            yaml.safe_dump(desired, handle, sort_keys=False)


# -- groups as code: the groups, their drift and the calls they should cost ----------------------

GROUP_SIZES = {
    # users seeded, groups desired, members per group, groups drifted by one member,
    # desired groups not on the server yet, groups on the server that the list leaves out
    "full": {"users": 10000, "groups": 1000, "members": 10, "drifted": 100, "new": 10, "unlisted": 10},
    "quick": {"users": 1040, "groups": 520, "members": 2, "drifted": 6, "new": 2, "unlisted": 2},
}


def group_name(i):
    return "team{0:04d}".format(i)


def _spread(count, among, skip=()):
    """``count`` indices spread evenly over range(among), avoiding ``skip``."""
    chosen, step = [], among / float(max(count, 1))
    for n in range(count):
        index = int(n * step + step / 2)
        while index in skip or index in chosen:
            index = (index + 1) % among
        chosen.append(index)
    return chosen


def group_world(size):
    """(desired entries, seeded groups, expectations) for connect_groups with exclusive: true.

    Group i should hold ``members`` users, consecutive usernames (with 10,000
    users and 1,000 groups of 10, every user is in exactly one group). ``new``
    desired groups are not seeded; of the seeded ones, ``drifted`` differ by one
    member: the even ones lack their last member (one add), the odd ones have
    one member too many (one remove). ``unlisted`` groups on the server are not
    in the list: with unlisted: keep they are left alone, and their members are
    not read.
    """
    users, count, per = size["users"], size["groups"], size["members"]
    desired = [{"name": group_name(i), "members": [account_name(1 + (i * per + j) % users) for j in range(per)]}
               for i in range(count)]
    new = set(_spread(size["new"], count))
    drifted = _spread(size["drifted"], count, skip=new)
    seeded, adds, removes = [], 0, 0
    kind = dict((index, n % 2) for n, index in enumerate(drifted))
    for i, entry in enumerate(desired):
        if i in new:
            continue
        members = list(entry["members"])
        if kind.get(i) == 0:
            members.pop()
            adds += 1
        elif kind.get(i) == 1:
            members.append(account_name(1 + (i * per + per) % users))  # the next group's first member
            removes += 1
        seeded.append({"name": entry["name"], "members": members})
    unlisted = [{"name": "other{0:03d}".format(k), "members": [account_name(1 + k), account_name(users - k)]}
                for k in range(size["unlisted"])]
    expected = {"creates": len(new), "adds": adds + len(new) * per, "removes": removes,
                "existing_listed": len(seeded), "memberships": count * per}
    return desired, seeded + unlisted, expected


# -- running things ------------------------------------------------------------

class Bench:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="connect-bench-")
        collections = os.path.join(self.work, "collections", "ansible_collections", "posit")
        os.makedirs(collections)
        os.symlink(ROOT, os.path.join(collections, "connect"))
        self.env = dict(
            os.environ,
            PATH=BIN + os.pathsep + os.environ.get("PATH", ""),
            ANSIBLE_COLLECTIONS_PATH=os.path.join(self.work, "collections"),
            ANSIBLE_LIBRARY=os.path.join(HERE, "library"),
            ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, "callback_plugins"),
            ANSIBLE_CALLBACKS_ENABLED="bench_timer",
            ANSIBLE_PYTHON_INTERPRETER=sys.executable,
            ANSIBLE_LOCALHOST_WARNING="false",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_RETRY_FILES_ENABLED="false",
            BENCH_TIMINGS=os.path.join(self.work, "timings.json"),
        )
        self.bin, self.root = BIN, ROOT
        self.sim = None
        self.ready = None
        self.counter = 0
        self.problems = []

    # playbooks

    def playbook(self, tasks, variables=None, check=False):
        """Run one play on localhost; (wall seconds, [task timings], output)."""
        self.counter += 1
        name = os.path.join(self.work, "play{0}".format(self.counter))
        vars_files = []
        if variables:
            with open(name + ".vars.json", "w") as handle:
                json.dump(variables, handle)
            vars_files.append(name + ".vars.json")
        connection = {"connect_url": self.ready["url"], "connect_api_key": self.ready["api_key"]}
        play = [{"hosts": "localhost", "gather_facts": False, "vars": connection,
                 "vars_files": vars_files, "tasks": tasks}]
        with open(name + ".yml", "w") as handle:
            yaml.safe_dump(play, handle, sort_keys=False)
        command = [os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local", name + ".yml"]
        if check:
            command.append("--check")
        started = time.monotonic()
        done = subprocess.run(command, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
        wall = time.monotonic() - started
        if done.returncode != 0:
            raise RuntimeError("ansible-playbook failed:\n" + done.stdout[-4000:])
        with open(self.env["BENCH_TIMINGS"]) as handle:
            timings = json.load(handle)
        return wall, timings, done.stdout

    # the simulator

    def reset(self, seeded, groups=None):
        self.control.reset()
        self.control.clear_faults()
        if seeded:
            for start in range(0, len(seeded), 25000):
                self.control.seed(users=seeded[start:start + 25000])
        if groups:
            self.control.seed(groups=groups)
        if self.latency:
            self.control.set_faults(latency_ms=self.latency)
        self.control.clear_requests()

    def requests(self):
        """The calls since the last look, counted by kind; the log is cleared."""
        log = self.control.requests()
        self.control.clear_requests()
        counts = {"listing": 0, "search": 0, "other_reads": 0, "writes": 0, "total": len(log)}
        for entry in log:
            if entry["method"] != "GET":
                counts["writes"] += 1
            elif entry["path"] == "/__api__/v1/users" and "prefix=" in (entry["query"] or ""):
                counts["search"] += 1
            elif entry["path"] == "/__api__/v1/users":
                counts["listing"] += 1
            else:
                counts["other_reads"] += 1
        return counts

    def expect(self, label, counts, **wanted):
        for key, value in wanted.items():
            if counts[key] != value:
                self.problems.append("{0}: {1} {2}, expected {3} (all counts: {4})".format(
                    label, counts[key], key, value, counts))

    def expect_confirmed_listing(self, label, counts, pages, locks):
        """A run that locks reads back the listing pages holding the locked accounts (its confirmation): the
        listing's pages, plus one to min(locks, pages) pages more. Records them as ``confirm_pages``."""
        extra = counts["listing"] - pages
        counts["confirm_pages"] = extra
        if extra < (1 if locks else 0) or extra > min(locks, pages):
            self.problems.append("{0}: {1} listing pages, expected {2} and 1 to {3} more to confirm the locks "
                                 "(all counts: {4})".format(label, counts["listing"], pages, min(locks, pages), counts))

    def verify_state(self, label, desired):
        """Every desired entry now holds on the server."""
        state = dict((u["username"], u) for u in self.control.state()["users"])
        wrong = []
        for want in desired:
            have = state.get(want["username"])
            if have is None:
                wrong.append(want["username"])
            elif want.get("state") == "absent":
                if not have["locked"]:
                    wrong.append(want["username"])
            elif have["locked"] or any(have[f] != want[f] for f in FIELDS if f in want):
                wrong.append(want["username"])
        if wrong:
            self.problems.append("{0}: {1} users not as desired, e.g. {2}".format(label, len(wrong), wrong[:5]))

    # -- the approaches ------------------------------------------------------

    def connect_users(self, accounts, desired, locks, label):
        """Two runs of connect_users: the one that applies the drift, then one with nothing to do."""
        task = {"name": "connect_users", "posit.connect.connect_users": {
            "url": "{{ connect_url }}", "api_key": "{{ connect_api_key }}",
            "users": "{{ people }}", "max_locks": max(10, locks)}}
        wall, timings, unused_output = self.playbook([task], {"people": desired})
        first = self.requests()
        pages = int(math.ceil(accounts / float(PAGE)))
        self.expect(label + " connect_users run 1", first, search=0,
                    writes=drift_count(accounts), other_reads=1 if locks else 0)
        self.expect_confirmed_listing(label + " connect_users run 1", first, pages, locks)
        self.verify_state(label + " connect_users", desired)
        wall2, timings2, unused_output = self.playbook([task], {"people": desired})
        second = self.requests()
        self.expect(label + " connect_users run 2", second, listing=pages, search=0, writes=0, other_reads=0)
        return {"seconds": wall, "task_seconds": timings[0]["seconds"], "requests": first,
                "second_seconds": wall2, "second_task_seconds": timings2[0]["seconds"], "second_requests": second,
                "measured": len(desired), "extrapolated": False}

    def floor_for_list(self, desired):
        """Ansible's own cost of a task given the same list: validated like connect_users, and raw."""
        result = {}
        for module in ("bench_noop_users", "bench_noop_users_raw"):
            task = {"name": module, module: {"url": "{{ connect_url }}", "api_key": "{{ connect_api_key }}",
                                             "users": "{{ people }}"}}
            wall, timings, unused_output = self.playbook([task], {"people": desired})
            result[module] = {"seconds": wall, "task_seconds": timings[0]["seconds"]}
        wall, timings, unused_output = self.playbook([{"name": "nothing", "ansible.builtin.meta": "noop"}])
        result["empty_playbook"] = {"seconds": wall}
        self.requests()
        return result

    def write_src(self, desired, fmt):
        """The desired list as the file connect_users reads with src (beside the playbooks)."""
        path = os.path.join(self.work, "people." + fmt)
        write_people(desired, path, fmt)
        return path

    def src_floor(self):
        """Ansible's floor for the src rows: the same playbook running one no-op module task."""
        task = {"name": "noop", "bench_noop_users_raw": {"url": "{{ connect_url }}", "api_key": "{{ connect_api_key }}",
                                                         "users": []}}
        wall, timings, unused_output = self.playbook([task])
        self.requests()
        return {"seconds": wall, "task_seconds": timings[0]["seconds"]}

    def connect_users_src(self, accounts, desired, locks, label, fmt="csv"):
        """connect_users reading the desired list from a file (src): the run that applies the drift, then a second."""
        path = self.write_src(desired, fmt)
        task = {"name": "connect_users src", "posit.connect.connect_users": {
            "url": "{{ connect_url }}", "api_key": "{{ connect_api_key }}",
            "src": os.path.basename(path), "max_locks": max(10, locks)}}
        floor = self.src_floor()
        wall, timings, unused_output = self.playbook([task])
        first = self.requests()
        pages = int(math.ceil(accounts / float(PAGE)))
        self.expect(label + " connect_users src run 1", first, search=0,
                    writes=drift_count(accounts), other_reads=1 if locks else 0)
        self.expect_confirmed_listing(label + " connect_users src run 1", first, pages, locks)
        self.verify_state(label + " connect_users src", desired)
        wall2, timings2, unused_output = self.playbook([task])
        second = self.requests()
        self.expect(label + " connect_users src run 2", second, listing=pages, search=0, writes=0, other_reads=0)
        return {"format": fmt, "bytes": os.path.getsize(path), "floor": floor,
                "seconds": wall, "task_seconds": timings[0]["seconds"], "requests": first,
                "second_seconds": wall2, "second_task_seconds": timings2[0]["seconds"], "second_requests": second,
                "above_floor": wall - floor["seconds"], "second_above_floor": wall2 - floor["seconds"],
                "measured": len(desired), "extrapolated": False}

    def phase_src(self, accounts):
        """connect_users with src (a CSV) at one size, 1% drift, against the floor measured in the same run."""
        seeded = population(accounts)
        desired, changes, locks = desired_list(seeded, accounts)
        label = "{0} accounts src{1}".format(accounts, " +{0}ms".format(self.latency) if self.latency else "")
        print("  {0}: seeding".format(label), flush=True)
        started = time.monotonic()
        self.reset(seeded)
        seed_seconds = time.monotonic() - started
        print("  {0}: connect_users src (floor, run 1, run 2)".format(label), flush=True)
        result = {"accounts": accounts, "changes": changes, "locks": locks, "latency_ms": self.latency,
                  "seed_seconds": seed_seconds}
        result["connect_users_src"] = self.connect_users_src(accounts, desired, locks, label)
        return result

    # -- connect_groups: groups as code ------------------------------------------------------

    def group_requests(self):
        """The calls since the last look, for connect_groups; the log is cleared.

        Besides the counts, ``member_guids`` is the set of groups whose member list was read.
        """
        log = self.control.requests()
        self.control.clear_requests()
        counts = {"groups_listing": 0, "member_listings": 0, "users_listing": 0, "other_reads": 0,
                  "creates": 0, "adds": 0, "removes": 0, "other_writes": 0, "writes": 0, "errors": 0,
                  "total": len(log)}
        other, members, written = [], set(), set()
        for entry in log:
            path, query = entry["path"], entry["query"] or ""
            parts = path.split("/")  # ['', '__api__', 'v1', 'groups', guid, 'members', user guid]
            is_members = len(parts) >= 6 and parts[3] == "groups" and parts[5] == "members"
            if entry["status"] is None or entry["status"] >= 400:
                counts["errors"] += 1
            if entry["method"] == "GET":
                if path == "/__api__/v1/groups" and "prefix=" not in query:
                    counts["groups_listing"] += 1
                elif is_members and len(parts) == 6:
                    counts["member_listings"] += 1
                    members.add(parts[4])
                elif path == "/__api__/v1/users" and "prefix=" not in query:
                    counts["users_listing"] += 1
                else:
                    counts["other_reads"] += 1
                    other.append(path + ("?" + query if query else ""))
                continue
            counts["writes"] += 1
            if entry["method"] == "POST" and path == "/__api__/v1/groups":
                counts["creates"] += 1
            elif entry["method"] == "POST" and is_members and len(parts) == 6:
                counts["adds"] += 1
                written.add(parts[4])
            elif entry["method"] == "DELETE" and is_members and len(parts) == 7:
                counts["removes"] += 1
                written.add(parts[4])
            else:
                counts["other_writes"] += 1
        counts["other_read_paths"] = sorted(set(other))
        # The groups whose members were written: a run confirms each by reading its member list once more.
        counts["member_groups_written"] = len(written)
        return counts, members

    def verify_groups(self, label, desired, seeded_unlisted):
        """Every desired group holds exactly its members; the unlisted ones are as seeded."""
        state = dict((g["name"], g) for g in self.control.state()["groups"])
        wrong = [want["name"] for want in desired + seeded_unlisted
                 if want["name"] not in state or state[want["name"]]["members"] != sorted(want["members"])]
        extra = len(state) - len(desired) - len(seeded_unlisted)
        if wrong or extra:
            self.problems.append("{0}: {1} groups not as desired (e.g. {2}), {3} groups too many".format(
                label, len(wrong), wrong[:5], extra))

    def connect_groups(self, size, label):
        """connect_groups, exclusive: true, in one task: the run that applies the drift, then one with nothing to do.

        The calls the issue allows: one groups listing (its pages), one member
        listing per group that needs it (with exclusive every listed group that
        exists does: who to remove is known only from its members; unlisted
        groups are not read), one users listing (its pages) because some members
        are not members yet, the server settings and the caller's account once
        because groups are created, and one write per change. The second run:
        the groups listing and the member listings, no users listing, no write.
        """
        desired, seeded, expected = group_world(size)
        seeded_unlisted = seeded[expected["existing_listed"]:]
        people = population(size["users"] + 1)
        accounts = size["users"] + 1
        started = time.monotonic()
        self.reset(people, seeded)
        seed_seconds = time.monotonic() - started
        names = dict((g["name"], g["guid"]) for g in self.control.state()["groups"])
        listed_existing = set(names[g["name"]] for g in desired if g["name"] in names)
        task = {"name": "connect_groups", "posit.connect.connect_groups": {
            "url": "{{ connect_url }}", "api_key": "{{ connect_api_key }}",
            "groups": "{{ groups_wanted }}", "exclusive": True}}
        floor = None
        if not self.args.quick:
            # Ansible's floor for a task given the same 1,000-entry list (taken raw, not validated).
            raw = {"name": "floor", "bench_noop_users_raw": {
                "url": "{{ connect_url }}", "api_key": "{{ connect_api_key }}", "users": "{{ groups_wanted }}"}}
            wall0, timings0, unused_output = self.playbook([raw], {"groups_wanted": desired})
            floor = {"seconds": wall0, "task_seconds": timings0[0]["seconds"]}
            self.group_requests()
        on_server = len(seeded)
        wall, timings, unused_output = self.playbook([task], {"groups_wanted": desired})
        first, read = self.group_requests()
        self.expect(label + " run 1", first,
                    groups_listing=int(math.ceil(on_server / float(PAGE))),
                    # planning reads the listed groups that exist; confirming, the groups written to
                    member_listings=expected["existing_listed"] + first["member_groups_written"],
                    users_listing=int(math.ceil(accounts / float(PAGE))),
                    other_reads=2 if expected["creates"] else 0,  # server_settings, GET /v1/user
                    creates=expected["creates"], adds=expected["adds"], removes=expected["removes"],
                    other_writes=0, writes=expected["creates"] + expected["adds"] + expected["removes"],
                    errors=0)
        created = set(g["guid"] for g in self.control.state()["groups"]) - set(names.values())
        if not listed_existing <= read or read - listed_existing - created:
            self.problems.append("{0} run 1: member lists read of {1} groups, expected the {2} listed groups "
                                 "that exist and the groups created ({3} unexpected)".format(
                                     label, len(read), len(listed_existing), len(read - listed_existing - created)))
        if not timings[0]["changed"]:
            self.problems.append(label + " run 1: the task did not report changed")
        self.verify_groups(label, desired, seeded_unlisted)
        wall2, timings2, unused_output = self.playbook([task], {"groups_wanted": desired})
        second, read2 = self.group_requests()
        self.expect(label + " run 2", second,
                    groups_listing=int(math.ceil((on_server + expected["creates"]) / float(PAGE))),
                    member_listings=len(desired), users_listing=0, other_reads=0, writes=0, errors=0)
        if len(read2) != len(desired):
            self.problems.append("{0} run 2: member lists read of {1} groups, expected {2}".format(
                label, len(read2), len(desired)))
        if timings2[0]["changed"]:
            self.problems.append(label + " run 2: the task reported changed")
        self.verify_groups(label + " run 2", desired, seeded_unlisted)
        return {"users": size["users"], "accounts": accounts, "groups": len(desired), "members": size["members"],
                "memberships": expected["memberships"], "drifted": size["drifted"], "new": size["new"],
                "unlisted": size["unlisted"], "on_server": on_server, "expected": expected,
                "seed_seconds": seed_seconds, "floor": floor,
                "seconds": wall, "task_seconds": timings[0]["seconds"], "requests": first,
                "second_seconds": wall2, "second_task_seconds": timings2[0]["seconds"], "second_requests": second}

    def phase_groups(self, quick):
        size = GROUP_SIZES["quick" if quick else "full"]
        label = "connect_groups {0} groups".format(size["groups"])
        print("groups. connect_groups, {0} groups of {1} members, exclusive (run 1, run 2)".format(
            size["groups"], size["members"]), flush=True)
        return self.connect_groups(size, label)

    def user_loop(self, desired, sample, module="posit.connect.connect_user"):
        """A loop of connect_user (or its floor) over the first ``sample`` entries."""
        items = desired[:sample]
        args = {"url": "{{ connect_url }}", "api_key": "{{ connect_api_key }}", "username": "{{ item.username }}",
                "state": "{{ item.state | default('present') }}"}
        for field in FIELDS:
            args[field] = "{{ item.%s | default(omit) }}" % field
        wall, timings, unused_output = self.playbook([{"name": module, module: args, "loop": "{{ people }}"}], {"people": items})
        return wall, timings[0]["seconds"], self.requests(), len(items)

    def connect_user_loop(self, accounts, desired, sample, label):
        sample = min(sample, len(desired))
        wall, task, counts, measured = self.user_loop(desired, sample)
        changes_in_sample = sum(1 for e in desired[:sample] if _is_change(e))
        locks_in_sample = sum(1 for e in desired[:sample] if e.get("state") == "absent")
        self.expect(label + " connect_user loop", counts, search=measured, listing=0,
                    writes=changes_in_sample, other_reads=locks_in_sample)
        total = len(desired)
        per_item = task / measured
        scale = float(total) / measured
        result = {"seconds": (wall - task) + per_item * total, "task_seconds": per_item * total,
                  "per_item": per_item, "measured": measured, "extrapolated": measured < total,
                  "requests": _scaled(counts, scale, writes=drift_count(accounts),
                                      other_reads=sum(1 for e in desired if e.get("state") == "absent"))}
        if not result["extrapolated"]:
            result["requests"] = counts
            self.verify_state(label + " connect_user loop", desired)
        return result

    def sdk(self, accounts, desired, sample, label):
        sample = min(sample, len(desired))
        path = os.path.join(self.work, "desired.json")
        with open(path, "w") as handle:
            json.dump(desired, handle)
        env = dict(self.env, CONNECT_SERVER=self.ready["url"], CONNECT_API_KEY=self.ready["api_key"])
        started = time.monotonic()
        done = subprocess.run([sys.executable, os.path.join(HERE, "sdk_reconcile.py"), path, "--limit", str(sample)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
        wall = time.monotonic() - started
        if done.returncode != 0:
            raise RuntimeError("sdk_reconcile.py failed:\n" + done.stderr[-4000:])
        report = json.loads(done.stdout.strip().splitlines()[-1])
        counts = self.requests()
        locks_in_sample = sum(1 for e in desired[:sample] if e.get("state") == "absent")
        changes_in_sample = sum(1 for e in desired[:sample] if _is_change(e))
        # find_one is one search per user; lock() reads GET /v1/user first.
        self.expect(label + " posit-sdk", counts, search=sample, listing=0, writes=changes_in_sample,
                    other_reads=locks_in_sample)
        total = len(desired)
        per_item = report["loop_seconds"] / sample
        result = {"seconds": (wall - report["loop_seconds"]) + per_item * total, "per_item": per_item,
                  "measured": sample, "extrapolated": sample < total,
                  "requests": _scaled(counts, float(total) / sample, writes=drift_count(accounts),
                                      other_reads=sum(1 for e in desired if e.get("state") == "absent"))}
        if not result["extrapolated"]:
            result["requests"] = counts
            self.verify_state(label + " posit-sdk", desired)
        return result

    def uri_playbook(self, accounts, desired, label, second_run=False):
        tasks = uri_tasks()
        wall, timings, unused_output = self.playbook(tasks, {"people": desired})
        counts = self.requests()
        pages = int(math.ceil(accounts / float(PAGE)))
        self.expect(label + " uri", counts, listing=pages, search=0, other_reads=0, writes=drift_count(accounts))
        self.verify_state(label + " uri", desired)
        result = {"seconds": wall, "task_seconds": sum(t["seconds"] or 0 for t in timings), "requests": counts,
                  "measured": len(desired), "extrapolated": False,
                  "tasks": dict((t["name"], round(t["seconds"] or 0, 2)) for t in timings)}
        if second_run:
            wall2, unused_timings, unused_output = self.playbook(tasks, {"people": desired})
            second = self.requests()
            self.expect(label + " uri run 2", second, listing=pages, writes=0)
            result.update(second_seconds=wall2, second_requests=second)
        return result

    # -- the phases --------------------------------------------------------------

    def phase_loop_floor(self, n, repeat):
        """1. connect_user with nothing to change against bench_noop_user, n tasks each."""
        seeded = population(n + 1)
        desired = [dict((k, u[k]) for k in ("username",) + FIELDS) for u in seeded]
        self.reset(seeded)
        runs = {"bench_noop_user": [], "posit.connect.connect_user": []}
        counts = None
        for unused in range(repeat):
            for module in runs:
                wall, task, c, measured = self.user_loop(desired, n, module)
                runs[module].append(task / measured)
                if module != "bench_noop_user":
                    counts = c
        self.expect("loop of {0} connect_user".format(n), counts, search=n, writes=0, listing=0, other_reads=0)
        floor = min(runs["bench_noop_user"])
        ours = min(runs["posit.connect.connect_user"])
        return {"tasks": n, "repeat": repeat, "noop_per_task": floor, "connect_user_per_task": ours,
                "ratio": ours / floor, "all": runs, "requests": counts}

    def phase_reconcile(self, accounts, samples, with_others=True, floors=False):
        """2./3. one size: connect_users, and optionally the loop, the SDK and uri."""
        seeded = population(accounts)
        desired, changes, locks = desired_list(seeded, accounts)
        label = "{0} accounts{1}".format(accounts, " +{0}ms".format(self.latency) if self.latency else "")
        print("  {0}: connect_users".format(label), flush=True)
        result = {"accounts": accounts, "changes": changes, "locks": locks}
        self.reset(seeded)
        result["connect_users"] = self.connect_users(accounts, desired, locks, label)
        if floors:
            print("  {0}: Ansible's floor for the same list".format(label), flush=True)
            result["floor"] = self.floor_for_list(desired)
        if not with_others:
            return result
        if samples.get("connect_user"):
            print("  {0}: loop of connect_user ({1} entries)".format(label, min(samples["connect_user"], len(desired))),
                  flush=True)
            self.reset(seeded)
            result["connect_user_loop"] = self.connect_user_loop(accounts, desired, samples["connect_user"], label)
        if samples.get("sdk"):
            print("  {0}: posit-sdk ({1} entries)".format(label, min(samples["sdk"], len(desired))), flush=True)
            self.reset(seeded)
            result["posit_sdk"] = self.sdk(accounts, desired, samples["sdk"], label)
        if samples.get("uri"):
            print("  {0}: uri playbook".format(label), flush=True)
            self.reset(seeded)
            result["uri"] = self.uri_playbook(accounts, desired, label, second_run=floors)
        return result

    def run(self):
        args = self.args
        quick = args.quick
        self.latency = 0
        results = {"machine": machine(), "quick": quick}
        started = time.monotonic()
        with running_simulator() as ready:
            self.ready = ready
            self.control = SimulatorControl.from_ready(ready)
            if args.only_src or args.only_groups or args.only_offboarding or args.only_audit or args.only_content:
                if args.only_src:
                    results["src"] = self.phases_src(quick)
                if args.only_groups:
                    results["groups"] = self.phase_groups(quick)
                if args.only_offboarding:
                    results["offboarding"] = offboarding.phase(self, quick)
                if args.only_audit:
                    results["audit"] = self.phase_audit(quick)
                if args.only_content:
                    results["content"] = content_access.phase_content(self, quick)
                results["loop"] = None
                results["scaling"] = []
                return self._finish(results, started)
            loop_n = 3 if quick else 200
            print("1. loop of {0}: connect_user vs bench_noop_user".format(loop_n), flush=True)
            results["loop"] = self.phase_loop_floor(loop_n, 1 if quick else args.repeat)

            big = 1001 if quick else 10000
            print("2. {0} accounts, 1% drift".format(big), flush=True)
            samples = ({"connect_user": 3, "sdk": 20, "uri": True} if quick
                       else {"connect_user": 300, "sdk": 2000, "uri": True})
            results["big"] = self.phase_reconcile(big, samples, floors=not quick)

            if not quick:
                print("3. {0} accounts, 50 ms per request".format(big), flush=True)
                self.latency = 50
                results["latency"] = self.phase_reconcile(
                    big, {"connect_user": 60, "sdk": 300, "uri": True}, floors=False)
                self.latency = 0

            sizes = [] if quick else [100, 300, 1000, 3000]
            results["scaling"] = []
            if sizes:
                print("scaling: {0} accounts".format(", ".join(str(s) for s in sizes)), flush=True)
            for accounts in sizes:
                samples = {"connect_user": 100 if accounts <= 100 else 0, "sdk": accounts, "uri": True}
                results["scaling"].append(self.phase_reconcile(accounts, samples))
            results["scaling"].append(results["big"])
            results["src"] = self.phases_src(quick)
            results["groups"] = self.phase_groups(quick)
            results["offboarding"] = offboarding.phase(self, quick)
            results["audit"] = self.phase_audit(quick)
            results["content"] = content_access.phase_content(self, quick)
        return self._finish(results, started)

    def phase_audit(self, quick):
        """examples/audit.yml over the accounts of row 2, with and without --diff."""
        accounts = 1001 if quick else 10000
        seeded = population(accounts)
        desired, changes, unused_locks = desired_list(seeded, accounts)
        return audit_diff.phase(self, accounts, seeded, desired, changes)

    def phases_src(self, quick):
        """connect_users reading a CSV (src): 10,000 accounts with and without 50 ms, then 100,000."""
        print("src. connect_users reading a CSV, against the floor", flush=True)
        rows = [self.phase_src(1001 if quick else 10000)]
        if not quick:
            self.latency = 50
            rows.append(self.phase_src(10000))
            self.latency = 0
            rows.append(self.phase_src(self.args.src_max))
        return rows

    def _finish(self, results, started):
        results["machine"]["load_after"] = _loadavg()
        results["elapsed"] = time.monotonic() - started
        results["problems"] = self.problems
        _extrapolate_curve(results)
        return results


def uri_tasks():
    """A playbook of ansible.builtin.uri tasks: page through all users, then one call per change."""
    auth = {"Authorization": "Key {{ connect_api_key }}"}
    base = "{{ connect_url }}/__api__/v1/users"
    fields = "['email', 'first_name', 'last_name', 'user_role']"
    return [
        {"name": "first page", "ansible.builtin.uri": {"url": base + "?page_size=500&page_number=1", "headers": auth},
         "register": "first"},
        {"name": "other pages", "ansible.builtin.uri": {"url": base + "?page_size=500&page_number={{ item }}",
                                                        "headers": auth},
         "loop": "{{ range(2, ((first.json.total + 499) // 500) + 1) | list }}", "register": "rest"},
        {"name": "index", "ansible.builtin.set_fact": {
            "current": "{% set all = ([first] + (rest.results | default([]))) | map(attribute='json.results') | flatten %}"
                       "{{ dict(all | map(attribute='username') | zip(all)) }}"}},
        {"name": "plan", "ansible.builtin.set_fact": {
            "updates": "{%- set out = [] -%}"
                       "{%- for u in people if u.state | default('present') == 'present' -%}"
                       "{%- set cur = current[u.username] -%}{%- set body = {} -%}"
                       "{%- for f in " + fields + " if f in u and u[f] != cur[f] -%}"
                       "{%- set _ = body.update({f: u[f]}) -%}{%- endfor -%}"
                       "{%- if body -%}{%- set _ = out.append({'guid': cur.guid, 'body': body}) -%}{%- endif -%}"
                       "{%- endfor -%}{{ out }}",
            "locks": "{{ people | selectattr('state', 'defined') | selectattr('state', 'equalto', 'absent')"
                     " | map(attribute='username') | map('extract', current) | rejectattr('locked')"
                     " | map(attribute='guid') | list }}"}},
        {"name": "update", "ansible.builtin.uri": {"url": base + "/{{ item.guid }}", "method": "PUT",
                                                   "headers": auth, "body_format": "json", "body": "{{ item.body }}"},
         "loop": "{{ updates }}"},
        {"name": "lock", "ansible.builtin.uri": {"url": base + "/{{ item }}/lock", "method": "POST", "headers": auth,
                                                 "body_format": "json", "body": {"locked": True}},
         "loop": "{{ locks }}"},
    ]


def _is_change(entry):
    # In these lists every entry that is not a copy of the seed is a change.
    if entry.get("state") == "absent":
        return True
    return (entry["user_role"] != "viewer" or "@new." in entry["email"]
            or entry["first_name"].endswith("-changed") or entry["last_name"].endswith("-changed"))


def _scaled(counts, scale, writes, other_reads):
    """Request counts of a sample, scaled to the whole list (writes and lock reads are exact)."""
    scaled = dict((k, int(round(v * scale))) for k, v in counts.items())
    scaled.update(writes=writes, other_reads=other_reads)
    scaled["total"] = scaled["listing"] + scaled["search"] + scaled["other_reads"] + scaled["writes"]
    return scaled


def _extrapolate_curve(results):
    """Scaling points the run did not measure (the connect_user loop above 100 accounts)."""
    per_item = {}
    for point in results["scaling"]:
        loop = point.get("connect_user_loop")
        if loop:
            per_item[point["accounts"]] = loop
    if not per_item:
        return
    for point in results["scaling"]:
        if "connect_user_loop" not in point:
            nearest = min(per_item, key=lambda a: abs(math.log(a) - math.log(point["accounts"])))
            known = per_item[nearest]
            overhead = known["seconds"] - known["task_seconds"]
            entries = point["accounts"] - 1
            point["connect_user_loop"] = {"seconds": overhead + known["per_item"] * entries,
                                          "per_item": known["per_item"], "measured": 0, "extrapolated": True,
                                          "from_accounts": nearest}


def _loadavg():
    try:
        return os.getloadavg()
    except OSError:
        return None


def machine():
    import ansible.release
    try:
        import posit
        sdk = getattr(posit, "__version__", None)
        if sdk is None:
            from importlib.metadata import version
            sdk = version("posit-sdk")
    except ImportError:
        sdk = None
    cpu = None
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "ansible_core": ansible.release.__version__, "posit_sdk": sdk, "platform": platform.platform(),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "load_before": _loadavg()}


# -- reporting -------------------------------------------------------------------

def _fmt_s(value):
    if value is None:
        return "-"
    return "{0:.1f} s".format(value) if value >= 10 else "{0:.2f} s".format(value)


def _cell(entry):
    if not entry:
        return "-"
    return _fmt_s(entry["seconds"]) + (" (extrap.)" if entry.get("extrapolated") else "")


def _calls(entry):
    if not entry:
        return "-"
    r = entry["requests"]
    text = "{0} list + {1} search + {2} other GET + {3} writes = {4}".format(
        r["listing"], r["search"], r["other_reads"], r["writes"], r["total"])
    if r.get("confirm_pages"):
        text += " ({0} of the list pages confirm the locks)".format(r["confirm_pages"])
    return text + (" (extrap.)" if entry.get("extrapolated") else "")


def report(results):
    lines = []
    m = results["machine"]
    lines.append("machine: {nproc} CPUs ({cpu}), Python {python}, ansible-core {ansible_core}, posit-sdk {posit_sdk}, "
                 "{date}, load {load_before} -> {load_after}".format(**m))
    if results.get("loop"):
        _report_main(results, lines)
    if results.get("src"):
        _report_src(results["src"], lines)
    if results.get("groups"):
        _report_groups(results["groups"], lines)
    if results.get("offboarding"):
        offboarding.report(results["offboarding"], lines)
    if results.get("audit"):
        audit_diff.report(results["audit"], lines)
    if results.get("content"):
        content_access.report(results["content"], lines)
    lines.append("")
    lines.append("elapsed {0:.0f} s".format(results["elapsed"]))
    if results["problems"]:
        lines.append("REQUEST COUNT / STATE PROBLEMS:")
        lines.extend("   " + p for p in results["problems"])
    else:
        lines.append("request counts and final states: as expected")
    return "\n".join(lines)


def _report_src(rows, lines):
    lines.append("")
    lines.append("src: connect_users reading a CSV, against the floor (the same playbook with one no-op module task):")
    lines.append("   {0:>8} {1:>8} {2:>8} {3:>10} {4:>12} {5:>10} {6:>12}   {7}".format(
        "accounts", "latency", "floor", "run 1", "above floor", "run 2", "above floor", "API calls (run 1 / run 2)"))
    for row in rows:
        entry = row["connect_users_src"]
        lines.append("   {0:>8} {1:>8} {2:>8} {3:>10} {4:>12} {5:>10} {6:>12}   {7} / {8}".format(
            row["accounts"], "{0} ms".format(row["latency_ms"]), _fmt_s(entry["floor"]["seconds"]),
            _fmt_s(entry["seconds"]), _fmt_s(entry["above_floor"]), _fmt_s(entry["second_seconds"]),
            _fmt_s(entry["second_above_floor"]), _calls(entry),
            "{listing} list + {writes} writes".format(**entry["second_requests"])))
        lines.append("   {0:>8} task alone {1} (run 2 {2}), floor task {3}; seeding {4}; file {5:,} bytes".format(
            "", _fmt_s(entry["task_seconds"]), _fmt_s(entry["second_task_seconds"]),
            _fmt_s(entry["floor"]["task_seconds"]), _fmt_s(row["seed_seconds"]), entry["bytes"]))


def _report_groups(row, lines):
    lines.append("")
    lines.append("groups: connect_groups, exclusive: true, one task: {groups:,} groups of {members} members "
                 "({memberships:,} memberships) among {users:,} users; {drifted} groups off by one member, "
                 "{new} new, {unlisted} unlisted left alone:".format(**row))

    def calls(r):
        return ("{groups_listing} groups list + {member_listings} member lists + {users_listing} users list + "
                "{other_reads} other GET + {writes} writes ({creates} creates, {adds} adds, {removes} removes) "
                "= {total}".format(**r))
    lines.append("   run 1 {0} (task {1}): {2}".format(_fmt_s(row["seconds"]), _fmt_s(row["task_seconds"]),
                                                       calls(row["requests"])))
    lines.append("   run 2 {0} (task {1}): {2}".format(_fmt_s(row["second_seconds"]),
                                                       _fmt_s(row["second_task_seconds"]), calls(row["second_requests"])))
    floor = row.get("floor")
    text = "   seeding {0}".format(_fmt_s(row["seed_seconds"]))
    if floor:
        text += "; floor (a no-op module given the same list, raw) {0} (task {1})".format(
            _fmt_s(floor["seconds"]), _fmt_s(floor["task_seconds"]))
    lines.append(text)


def _report_main(results, lines):
    loop = results["loop"]
    lines.append("")
    lines.append("1. per task, loop of {0} with nothing to change (min of {1}):".format(loop["tasks"], loop["repeat"]))
    lines.append("   bench_noop_user (Ansible's floor)  {0:.3f} s".format(loop["noop_per_task"]))
    lines.append("   connect_user                       {0:.3f} s   ratio {1:.2f}x (target <= 1.25x)".format(
        loop["connect_user_per_task"], loop["ratio"]))

    def block(title, point):
        lines.append("")
        lines.append(title)
        cu = point["connect_users"]
        rows = [("connect_users", cu), ("loop of connect_user", point.get("connect_user_loop")),
                ("posit-sdk script", point.get("posit_sdk")), ("uri playbook", point.get("uri"))]
        lines.append("   {0:<22} {1:>20} {2:>10}   {3}".format("approach", "wall", "vs ours", "API calls"))
        for name, entry in rows:
            if entry is None:
                continue
            ratio = "{0:.1f}x".format(entry["seconds"] / cu["seconds"]) if entry is not cu else "1x"
            lines.append("   {0:<22} {1:>20} {2:>10}   {3}".format(name, _cell(entry), ratio, _calls(entry)))
        lines.append("   connect_users task alone {0}; second run {1} (task {2}), calls: {3}".format(
            _fmt_s(cu["task_seconds"]), _fmt_s(cu["second_seconds"]), _fmt_s(cu["second_task_seconds"]),
            "{listing} list + {writes} writes".format(**cu["second_requests"])))
        if point.get("uri", {}).get("second_requests"):
            lines.append("   uri playbook second run {0}, calls: {1}".format(
                _fmt_s(point["uri"]["second_seconds"]), "{listing} list + {writes} writes".format(
                    **point["uri"]["second_requests"])))
        floor = point.get("floor")
        if floor:
            lines.append("   Ansible's floor for a task given the same list: validated {0} (task {1}), raw {2} "
                         "(task {3}), empty playbook {4}".format(
                             _fmt_s(floor["bench_noop_users"]["seconds"]),
                             _fmt_s(floor["bench_noop_users"]["task_seconds"]),
                             _fmt_s(floor["bench_noop_users_raw"]["seconds"]),
                             _fmt_s(floor["bench_noop_users_raw"]["task_seconds"]),
                             _fmt_s(floor["empty_playbook"]["seconds"])))
            lines.append("   => connect_users' own share of its task: {0}".format(
                _fmt_s(cu["task_seconds"] - floor["bench_noop_users"]["task_seconds"])))

    big = results["big"]
    block("2. {0} accounts, {1} changes ({2} locks):".format(big["accounts"], big["changes"], big["locks"]), big)
    if results.get("latency"):
        lat = results["latency"]
        block("3. the same with 50 ms per request:", lat)
    lines.append("")
    lines.append("scaling (wall seconds; * = extrapolated):")
    lines.append("   {0:>8} {1:>14} {2:>22} {3:>16} {4:>14}".format(
        "accounts", "connect_users", "loop of connect_user", "posit-sdk", "uri"))
    for point in results["scaling"]:
        def c(key):
            entry = point.get(key)
            if not entry:
                return "-"
            return "{0:.1f}{1}".format(entry["seconds"], "*" if entry.get("extrapolated") else "")
        lines.append("   {0:>8} {1:>14} {2:>22} {3:>16} {4:>14}".format(
            point["accounts"], c("connect_users"), c("connect_user_loop"), c("posit_sdk"), c("uri")))


def plot(results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    approaches = [("connect_users", "connect_users", "o"), ("connect_user_loop", "loop of connect_user", "s"),
                  ("posit_sdk", "posit-sdk script", "^"), ("uri", "uri playbook", "D")]
    fig, ax = plt.subplots(figsize=(7.5, 5))
    for key, label, marker in approaches:
        points = [(p["accounts"], p[key]["seconds"], p[key].get("extrapolated")) for p in results["scaling"] if p.get(key)]
        if not points:
            continue
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        line, = ax.plot(xs, ys, "-", label=label)
        colour = line.get_color()
        for x, y, extrapolated in points:
            ax.plot([x], [y], marker, color=colour, markerfacecolor="white" if extrapolated else colour)
    ax.plot([], [], "o", color="grey", markerfacecolor="white", label="extrapolated from a sample")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("accounts on the server (1% of them drifted)")
    ax.set_ylabel("wall time of one reconcile run (s)")
    m = results["machine"]
    ax.set_title("Reconciling Connect users (simulator, {0} CPUs, ansible-core {1})".format(m["nproc"], m["ansible_core"]),
                 fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: tiny sizes, counts checked, no plot")
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "bench"), help="where results.json goes")
    parser.add_argument("--plot", default=os.path.join(ROOT, "docs", "performance.png"))
    parser.add_argument("--no-plot", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of the loop-of-200 comparison (min is kept)")
    parser.add_argument("--only-src", action="store_true",
                        help="only the src rows (10,000 accounts with and without latency, and --src-max accounts)")
    parser.add_argument("--only-groups", action="store_true",
                        help="only the connect_groups row (1,000 groups, 10,000 memberships; tiny with --quick)")
    parser.add_argument("--only-offboarding", action="store_true",
                        help="only the offboarding rows (600 items at 50 ms; a dozen without latency with --quick)")
    parser.add_argument("--only-audit", action="store_true",
                        help="only the audit rows (examples/audit.yml over 10,000 accounts, with and without --diff)")
    parser.add_argument("--only-content", action="store_true",
                        help="only the connect_content_info row (2,000 items with permissions; 100 with --quick)")
    parser.add_argument("--src-max", type=int, default=100000, help="accounts of the largest src row")
    args = parser.parse_args()

    results = Bench(args).run()
    os.makedirs(args.out, exist_ok=True)
    name = "results-quick.json" if args.quick else "results.json"
    only_some = args.only_src or args.only_groups or args.only_offboarding or args.only_audit or args.only_content
    if only_some:
        only = "-".join(part for part, wanted in (("src", args.only_src), ("groups", args.only_groups),
                                                  ("offboarding", args.only_offboarding),
                                                  ("audit", args.only_audit), ("content", args.only_content))
                        if wanted)
        name = "results-{0}{1}.json".format(only, "-quick" if args.quick else "")
    with open(os.path.join(args.out, name), "w") as handle:
        json.dump(results, handle, indent=1)
    print()
    print(report(results))
    print("results: " + os.path.join(args.out, name))
    if not args.quick and not args.no_plot and not only_some:
        plot(results, args.plot)
        print("plot: " + args.plot)
    return 1 if results["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
