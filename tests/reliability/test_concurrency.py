# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Suite 5, concurrent runs: parallel ansible-playbook processes, as AWX forks would start them.

Every process ensures the same groups exist, creates users that its neighbours
also create (with connect_user or connect_users), and adds overlapping sets of
users to one shared group and to one of three team groups. All must succeed,
and the final state must be exactly the union of what they asked for.
"""

from __future__ import annotations

from rel_support import parallel, record, sized, state_view

PROCESSES = sized(8, 20)
TEAMS = 3


def _user(number):
    name = "u{0:02d}".format(number)
    return {"username": name, "email": name + "@example.com", "first_name": "U" + str(number), "last_name": "Fork",
            "user_role": "publisher" if number % 2 else "viewer", "password": "Fork-pw-" + name}


def _tasks(sim, index):
    connection = sim.connection()

    def task(title, module, **options):
        args = dict(connection)
        args.update(options)
        return {"name": title, "posit.connect." + module: args}

    mine, neighbour, next_but_one = _user(index), _user(index + 1), _user(index + 2)
    team = "team{0}".format(index % TEAMS)
    return [
        task("shared group", "connect_group", name="shared"),
        task("team group", "connect_group", name=team),
        task("my user", "connect_user", **mine),
        task("neighbour", "connect_user", **neighbour),
        task("bulk", "connect_users", users=[dict(next_but_one, groups=["shared"]), dict(mine, groups=[team])], concurrency=2),
        task("shared members", "connect_group_membership", group="shared", users=[mine["username"], neighbour["username"]]),
        task("my teams", "connect_group_membership", user=neighbour["username"], groups=[team, "shared"]),
    ]


def test_parallel_runs_converge_to_the_union(sim, ansible):
    sim.control.reset()
    results = parallel(lambda index: ansible.run(_tasks(sim, index)), range(PROCESSES), PROCESSES)
    failures = ["process {0}: {1}".format(i, [(e["task"], e["result"].get("msg")) for e in r.failed()] or r.describe())
                for i, r in enumerate(results) if r.rc != 0]
    state = state_view(sim.state())
    numbers = range(PROCESSES + 2)
    expected_users = dict(("u{0:02d}".format(n), {
        "username": "u{0:02d}".format(n), "email": "u{0:02d}@example.com".format(n), "first_name": "U" + str(n),
        "last_name": "Fork", "user_role": "publisher" if n % 2 else "viewer", "locked": False}) for n in numbers)
    teams = {}
    for index in range(PROCESSES):
        for member in (index, index + 1):
            teams.setdefault("team{0}".format(index % TEAMS), set()).add("u{0:02d}".format(member))
    expected_groups = {"shared": {"owner": "admin", "members": sorted(expected_users)}}
    for name, members in teams.items():
        expected_groups[name] = {"owner": "admin", "members": sorted(members)}
    record("concurrency", processes=PROCESSES, tasks=sum(len(r.results) for r in results), failed_processes=len(failures))
    assert not failures, "\n".join(failures)
    assert dict((k, v) for k, v in state["users"].items() if k != "admin") == expected_users
    assert state["groups"] == expected_groups
