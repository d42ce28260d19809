# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Suite 6, mass changes: connect_users with unlisted: lock and an empty or truncated list.

The max_locks guard must stop the run before any write, in normal and check
mode; an entry that fails must not get its account locked as "unlisted"; and a
run within the guard locks exactly the unlisted accounts, never the caller's.
"""

from __future__ import annotations

from rel_support import assert_clean_failure, record

PEOPLE = ["m{0:02d}".format(n) for n in range(1, 16)]


def _entries(names):
    return [{"username": name, "email": name + "@example.com"} for name in names]


def test_guard_stops_mass_locks_and_writes_nothing(sim, ansible):
    sim.control.reset()
    sim.control.seed(users=[{"username": name, "email": name + "@example.com"} for name in PEOPLE])
    before = sim.state()
    sim.control.clear_requests()
    connection = sim.connection()
    cases = [
        ("empty list", dict(users=[], unlisted="lock"), ["empty users list", "unlisted"], False),
        ("empty list in check mode", dict(users=[], unlisted="lock"), ["empty users list", "unlisted"], True),
        # 16 unlocked accounts (with admin): the default guard allows a fifth of them, 3.
        ("truncated list", dict(users=_entries(PEOPLE[:3]), unlisted="lock"),
         ["12 accounts", "max_locks allows (3", "'m04'", "and 2 more"], False),
        ("truncated list in check mode", dict(users=_entries(PEOPLE[:3]), unlisted="lock"), ["12 accounts"], True),
        ("small drop beyond the default share", dict(users=_entries(PEOPLE[:11]), unlisted="lock"),
         ["4 accounts", "max_locks allows (3"], False),
        ("truncated list, lower guard", dict(users=_entries(PEOPLE[:12]), unlisted="lock", max_locks=2),
         ["3 accounts", "max_locks allows (2)"], False),
        ("zero allowed", dict(users=_entries(PEOPLE[:14]), unlisted="lock", max_locks=0),
         ["1 accounts", "max_locks allows (0)"], False),
        ("absent entries count too", dict(users=[{"username": n, "state": "absent"} for n in PEOPLE[:11]]),
         ["11 accounts", "max_locks"], False),
        ("absent and unlisted together", dict(users=[{"username": n, "state": "absent"} for n in PEOPLE[:6]]
                                              + _entries(PEOPLE[6:10]), unlisted="lock", max_locks=8),
         ["11 accounts", "max_locks allows (8)"], False),
    ]
    tasks = []
    for name, options, unused_words, check in cases:
        entry = {"name": name, "posit.connect.connect_users": dict(connection, **options), "ignore_errors": True}
        if check:
            entry["check_mode"] = True
        tasks.append(entry)
    run = ansible.run(tasks)
    for name, unused_options, words, unused_check in cases:
        message = assert_clean_failure(run.task(name), words)
        assert "nothing was changed" in message
    assert sim.writes() == []
    assert sim.state() == before

    # An entry that fails (a malformed guid) still protects the account it names from unlisted: lock.
    broken = [{"username": "m01", "guid": "not-a-guid"}] + _entries(PEOPLE[1:])
    run = ansible.run([{"name": "broken entry", "posit.connect.connect_users": dict(connection, users=broken, unlisted="lock"),
                        "ignore_errors": True}])
    assert_clean_failure(run.task("broken entry"), ["m01", "guid"])
    assert sim.writes() == [] and sim.state() == before, "an account named by a failing entry was locked"

    # Within the guard: exactly the two unlisted accounts are locked, never the key's own account.
    within = dict(connection, users=_entries(PEOPLE[:13]), unlisted="lock")
    run = ansible.run([{"name": "within guard", "posit.connect.connect_users": within}])
    assert run.rc == 0, run.describe()
    assert sorted(run.task("within guard")["result"]["locked"]) == PEOPLE[13:]
    locked = sorted(u["username"] for u in sim.state()["users"] if u["locked"])
    assert locked == PEOPLE[13:]
    record("mass changes", guarded_cases=len(cases) + 1, writes_when_guarded=0, positive_control_locks=len(locked))
