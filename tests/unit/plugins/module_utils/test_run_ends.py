# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs that end (issue 20, issue 23's keys): what stops a bulk run, cancel means stop, and messages of a few lines."""

from __future__ import annotations

import os
import time

from ansible_collections.posit.connect.plugins.module_utils._http.concurrency import WorkPool
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning import lifeline
from ansible_collections.posit.connect.plugins.module_utils._planning.bulk_users import BulkUserPlanner
from ansible_collections.posit.connect.plugins.module_utils._planning.failures import NAMES_SHOWN, summary
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import RunGate
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import FakeConnect, answer, make_user

ADMIN = make_user("admin", user_role="administrator")


def new_entry(username):
    return {"username": username, "email": username + "@example.com", "user_must_set_password": True}


def applied(fake, entries, gate=None, concurrency=4):
    planner = BulkUserPlanner(fake.api())
    work, failures, unused_notes = planner.plan(entries)
    planner.apply(work, WorkPool(concurrency).map, gate or RunGate())
    return BulkUserPlanner.report.summarize(work, failures, check_mode=False), work


def posts(fake):
    return [call for call in fake.calls if call.method == "POST" and call.path == "/v1/users"]


# -- what ends a run -----------------------------------------------------------------------------


def test_a_refused_key_ends_the_run_after_the_first_write():
    fake = FakeConnect([], me=ADMIN)
    fake.inject("POST", "/v1/users", *[answer(401, {"code": 30, "error": "Invalid login."})] * 200)
    results, unused_work = applied(fake, [new_entry("u%03d" % i) for i in range(200)], concurrency=1)
    assert len(posts(fake)) == 1
    assert results["counts"]["failed"] == 200
    assert all("not applied" in failure["msg"].lower() for failure in results["failures"][1:])


def test_a_key_whose_user_is_locked_ends_the_run():
    fake = FakeConnect([], me=ADMIN)
    fake.inject("POST", "/v1/users", *[answer(403, {"code": 50, "error": "This user is locked."})] * 50)
    results, unused_work = applied(fake, [new_entry("u%02d" % i) for i in range(50)], concurrency=1)
    assert len(posts(fake)) == 1 and results["counts"]["failed"] == 50


def test_a_403_on_a_write_stops_that_kind_of_write_only():
    users = [make_user("u%02d" % i) for i in range(10)]
    fake = FakeConnect(users, me=ADMIN)
    fake.inject("PUT", "/v1/users/*", *[answer(403, {"code": 21, "error": "You don't have permission to change this item."})] * 10)
    entries = [{"username": "u%02d" % i, "user_role": "publisher"} for i in range(10)] + [new_entry("new")]
    results, unused_work = applied(fake, entries, concurrency=1)
    assert len([call for call in fake.calls if call.method == "PUT"]) == 1
    assert results["created"] == ["new"]
    first = results["failures"][0]["msg"]
    assert "update user 'u00'" in first and "administrator role" in first and "lower role than its owner" in first
    assert all("refused an earlier update user write" in failure["msg"] for failure in results["failures"][1:])


def test_the_403_sentence_names_the_write_and_the_role_it_needs():
    error = ConnectError(status=403, code=22, error="You don't have permission to perform this operation.",
                         method="POST", path="/v1/users")
    error.needs = "a key with the administrator role"
    error.with_action("create user 'ana'")
    message = error.message
    assert message.startswith("Could not create user 'ana': ")
    assert "a key with the administrator role" in message and "lower role than its owner" in message
    assert message.count(". ") == 0 and message.endswith(".")


def test_other_failures_do_not_end_the_run():
    assert not ConnectError(status=409, code=8, method="POST", path="/v1/users").ends_the_run
    assert not ConnectError(status=403, code=95, method="POST", path="/v1/groups/x/members").stops_kind
    assert ConnectError(status=401, code=30, method="GET", path="/v1/users").ends_the_run


# -- cancel means stop ----------------------------------------------------------------------------


class Gone:
    def gone(self):
        return True


def test_a_cancelled_run_sends_no_write():
    fake = FakeConnect([], me=ADMIN)
    results, unused_work = applied(fake, [new_entry("u%d" % i) for i in range(5)], gate=RunGate(Gone()))
    assert fake.writes() == []
    assert all("cancelled" in failure["msg"] for failure in results["failures"])


def write_proc(root, pid, ppid, start, command):
    folder = os.path.join(str(root), str(pid))
    os.makedirs(folder)
    fields = ["S", str(ppid)] + ["0"] * 17 + [str(start)]
    with open(os.path.join(folder, "stat"), "w") as handle:
        handle.write("{0} (some name) {1}\n".format(pid, " ".join(fields)))
    with open(os.path.join(folder, "cmdline"), "wb") as handle:
        handle.write(b"\0".join(arg.encode() for arg in command))


def test_the_lifeline_notices_the_playbook_gone_while_the_worker_lives(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "getppid", lambda: 40)
    write_proc(tmp_path, 40, 30, 7, ["/bin/sh", "-c", "python module.py"])
    write_proc(tmp_path, 30, 20, 6, ["/usr/bin/python3", "/usr/bin/ansible-playbook", "site.yml"])  # the worker
    write_proc(tmp_path, 20, 10, 5, ["/usr/bin/python3", "/usr/bin/ansible-playbook", "site.yml"])
    write_proc(tmp_path, 10, 1, 4, ["bash"])
    line = lifeline.Lifeline(proc=str(tmp_path), clock=time.monotonic)
    assert [pid for pid, _parent, _start in line.watched] == [40, 30, 20]
    assert not line.gone()
    # ansible-playbook killed: its worker is adopted by init, the module's own parent lives on.
    os.remove(os.path.join(str(tmp_path), "20", "stat"))
    os.remove(os.path.join(str(tmp_path), "30", "stat"))
    write_proc(tmp_path.joinpath("x"), 30, 1, 6, ["python3"])
    os.rename(os.path.join(str(tmp_path), "x", "30", "stat"), os.path.join(str(tmp_path), "30", "stat"))
    line._checked = None
    assert line.gone()


def test_an_async_job_outlives_the_run_on_purpose(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "getppid", lambda: 40)
    write_proc(tmp_path, 40, 1, 7, ["/usr/bin/python3", "/root/.ansible/tmp/AnsiballZ_async_wrapper.py"])
    line = lifeline.Lifeline(proc=str(tmp_path))
    monkeypatch.setattr(os, "getppid", lambda: 1)
    assert line.watched == [] and not line.gone()


def test_a_playbook_started_by_an_async_task_is_still_watched(tmp_path, monkeypatch):
    # ansible-playbook run by a command task with async: the async wrapper is above the playbook, not below it.
    monkeypatch.setattr(os, "getppid", lambda: 40)
    write_proc(tmp_path, 40, 30, 7, ["/bin/sh", "-c", "python module.py"])
    write_proc(tmp_path, 30, 20, 6, ["/usr/bin/python3", "/usr/bin/ansible-playbook", "inner.yml"])
    write_proc(tmp_path, 20, 15, 5, ["/usr/bin/python3", "/usr/bin/ansible-playbook", "inner.yml"])
    write_proc(tmp_path, 15, 12, 4, ["/usr/bin/python3", "/root/.ansible/tmp/AnsiballZ_command.py"])
    write_proc(tmp_path, 12, 1, 3, ["/usr/bin/python3", "/root/.ansible/tmp/AnsiballZ_async_wrapper.py"])
    line = lifeline.Lifeline(proc=str(tmp_path))
    assert [pid for pid, _parent, _start in line.watched] == [40, 30, 20]


def test_without_proc_only_the_parent_is_watched(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "getppid", lambda: 40)
    line = lifeline.Lifeline(proc=str(tmp_path.joinpath("none")))
    assert line.watched == [] and not line.gone()
    monkeypatch.setattr(os, "getppid", lambda: 1)
    line._checked = None
    assert line.gone()


# -- messages of a few lines -----------------------------------------------------------------------


def test_two_thousand_failures_make_a_short_message_counted_by_cause():
    failures = [{"user": "u%04d" % i, "msg": "Not applied: the run stopped after an earlier failure (Could not create "
                                             "user 'u0000': Connect refused the API key (HTTP 401, code 30))."}
                for i in range(1, 2000)]
    failures.insert(0, {"user": "u0000", "msg": "Could not create user 'u0000': Connect refused the API key (HTTP 401)."})
    text = summary(failures, "user")
    assert len(text) < 1000
    assert text.startswith("u0000: Could not create user 'u0000'")
    assert "(1999: 'u0001'" in text and "and 1990 more" in text
    assert "u0000: Could not create user 'u0000'" in text
    assert sum(text.count("'u%04d'" % i) for i in range(2000)) <= NAMES_SHOWN + 2


def test_one_failure_keeps_its_whole_sentence():
    assert summary([{"group": "eng", "msg": "No Connect user is named 'ghost'."}], "group") == (
        "eng: No Connect user is named 'ghost'")


def test_a_few_different_causes_are_all_shown():
    failures = [{"user": "u%d" % i, "msg": "Reason number %d." % i} for i in range(7)]
    text = summary(failures, "user")
    assert all("Reason number %d" % i in text for i in range(7))


def test_many_causes_show_the_most_frequent_ten_names_in_all():
    failures = [{"user": "u%d" % i, "msg": "Reason number %d." % (i % 15)} for i in range(60)]
    text = summary(failures, "user")
    assert "and 5 other causes" in text and len(text) < 1500
