# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Suite 7, trust at the boundary: servers that misbehave on purpose.

Every row of the client table of issue 11 is run as real ``ansible-playbook``
tasks of several modules against a misbehaving front (misbehaving.py), a
private simulator, or both: redirects of every kind (to the simulator, to
another host, to https, of writes only), HTML, plain text and wrong-shape JSON
answers, trickled answers, refused connections, unknown hosts, Retry-After on
creates, the task-wide retry_max_time, TLS mistakes, a server that is not
Connect and urls with a query or fragment.

All the playbooks run once, in parallel, in the ``outcomes`` fixture; each
test then checks one row of the table, so a failure names the row. Messages
are checked by keywords only, as the contract asks.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from urllib.parse import urlsplit

import pytest

from misbehaving import WRITE_METHODS, Front
from rel_support import assert_clean_failure, parallel, record

PASSWORD = "Boundary-pw-5521"
# The key the fronts are given; it must never show up in a result.
FRONT_KEY = "boundary-key-7731"
# Most of a playbook's time is start-up or waiting on a slow front, so more than the CPUs.
WORKERS = 6
# The trickle rows: each attempt may last 2 s, one retry, 5 s of retrying at most.
SLOW = {"timeout": 2, "retries": 1, "retry_max_time": 5}
# What a trickled task may take beyond the start-up: two attempts of timeout seconds, at most
# retry_max_time of waiting, and some slack.
SLOW_WORK = 2 * SLOW["timeout"] + SLOW["retry_max_time"] + 3
# Quick, bounded options for the rows that fail at once, so a wrong implementation fails fast too.
BRISK = {"retries": 1, "retry_max_time": 5, "timeout": 10}
REDIRECTS = (301, 302, 303, 307, 308)

SEED = {"users": [{"username": "nina", "email": "nina@example.com", "first_name": "Nina", "user_role": "viewer"}],
        "groups": [{"name": "crew", "members": [], "owner": "admin"}]}

# One task of each kind the issue names: label -> (module, options). Every one of them needs a
# server answer before it can succeed, and the write tasks all need a write.
MODULES = {
    "user create": ("connect_user", {"username": "ana", "email": "ana@example.com", "password": PASSWORD}),
    "user update": ("connect_user", {"username": "nina", "last_name": "Novak"}),
    "user lock": ("connect_user", {"username": "nina", "state": "absent"}),
    "bulk": ("connect_users", {"concurrency": 1, "users": [
        {"username": "ana", "email": "ana@example.com", "password": PASSWORD},
        {"username": "bea", "email": "bea@example.com", "user_must_set_password": True}]}),
    "group create": ("connect_group", {"name": "team"}),
    "member add": ("connect_group_membership", {"group": "crew", "users": ["nina"]}),
    "user info": ("connect_user_info", {"username": "nina"}),
}
WRITE_LABELS = [label for label in MODULES if label != "user info"]


# -- cases ----------------------------------------------------------------------------


# The outcome of a case that only measures (its row is checked elsewhere).
ANYTHING = "anything"
# The row of the tasks that measure the module's start-up.
BASELINE = "baseline"


class Case:
    """One task and the checks its result must pass.

    ``checks`` are callables taking the task's result entry; they raise
    AssertionError. ``words`` are the keywords of a failure; None: the task
    must succeed; ANYTHING: the outcome is not this case's business.
    """

    def __init__(self, row, name, label, connection, words, checks=(), **overrides):
        module, options = MODULES[label]
        self.row = row
        self.name = "{0} / {1} / {2}".format(row, name, label)
        args = dict(options)
        args.update(connection)
        args.update(overrides)
        self.task = {"name": self.name, "posit.connect." + module: args, "ignore_errors": True}
        self.words = words
        self.checks = list(checks)

    def entry(self, result):
        found = [entry for entry in result.results if entry["task"] == self.name]
        return found[-1] if found else None

    def problems(self, result):
        """What is wrong with this case's outcome in ``result`` (a RunResult): (row, text) pairs."""
        entry = self.entry(result)
        if entry is None:
            return [(self.row, "{0}: no result; {1}".format(self.name, result.describe()[-1500:]))]
        problems = []
        for check in [self._outcome] + self.checks:
            try:
                check(entry)
            except AssertionError as failure:
                problems.append((self.row, "{0}: {1} (after {2} s)".format(self.name, failure, entry.get("seconds"))))
        return problems

    def _outcome(self, entry):
        if self.words == ANYTHING:
            return
        if self.words is None:
            assert entry["status"] == "ok", "should succeed: {0}".format(entry["result"].get("msg"))
            return
        message = assert_clean_failure(entry, self.words)
        assert FRONT_KEY not in message, "the API key is in the message"


class Scenario:
    """Cases run as one playbook, and checks of the whole run (``after``: callables, no arguments)."""

    def __init__(self, name, cases, after=()):
        self.name = name
        self.cases = cases
        self.after = list(after)
        self.result = None

    def run(self, ansible):
        self.result = ansible.run([case.task for case in self.cases], timeout=400)
        return self

    def problems(self):
        """(row, text) pairs; the run-wide checks count under the scenario's name."""
        found = []
        for case in self.cases:
            found.extend(case.problems(self.result))
        for check in self.after:
            try:
                check()
            except AssertionError as failure:
                found.append((self.name, "{0}: {1}".format(self.name, failure)))
        return found


# -- checks ---------------------------------------------------------------------------


def within(seconds):
    def check(entry):
        assert entry["seconds"] is not None and entry["seconds"] < seconds, (
            "took {0} s, more than {1} s".format(entry["seconds"], seconds))
    return check


def within_start_up(scenario, extra):
    """At most ``extra`` seconds more than the slowest baseline task of the same playbook.

    Most of a fast failure's time is the module's start-up, which a loaded machine
    stretches to several seconds; baselines (tasks that fail before any request)
    placed around the timed tasks measure it, so the bound stays tight without
    being flaky.
    """
    def check(entry):
        base = [e["seconds"] for e in scenario.result.results if e["task"].startswith(BASELINE + " / ")]
        start_up = max(base) if base else 3.0
        assert entry["seconds"] <= start_up + extra, "took {0} s, the start-up takes {1} s: more than {2} s of work".format(
            entry["seconds"], start_up, extra)
    return check


def requests_to(front, count):
    def check(unused_entry):
        seen = front.requests
        assert len(seen) == count, "{0} received {1} requests, not {2}: {3}".format(
            front.url, len(seen), count, [(r["method"], r["path"]) for r in seen])
    return check


def at_most_requests(front, count):
    def check(unused_entry):
        seen = front.requests
        assert 1 <= len(seen) <= count, "{0} received {1} requests, not 1 to {2}".format(front.url, len(seen), count)
    return check


def names_location(front):
    """The message names the Location the front answered (the last one it sent)."""
    def check(entry):
        locations = front.locations()
        assert locations, "{0} answered no redirect".format(front.url)
        message = entry["result"].get("msg") or ""
        assert locations[-1].lower() in message.lower(), "{0!r} does not name the Location {1!r}".format(
            message, locations[-1])
    return check


def one_write_then_nothing(front):
    """Exactly one write reached the front, and the client sent nothing after it."""
    def check(unused_entry):
        seen = front.requests
        writes = [index for index, r in enumerate(seen) if r["method"] in WRITE_METHODS]
        assert len(writes) == 1, "{0} writes reached the front: {1}".format(
            len(writes), [(r["method"], r["path"]) for r in seen])
        assert writes[0] == len(seen) - 1, "requests after the redirected write: {0}".format(
            [(r["method"], r["path"]) for r in seen[writes[0] + 1:]])
    return check


def never_suggests_insecure(entry):
    message = (entry["result"].get("msg") or "").lower().replace(" ", "")
    for hint in ("validate_certs:false", "validate_certs=false", "validate_certs:no"):
        assert hint not in message, "suggests turning verification off: {0!r}".format(entry["result"].get("msg"))


def post_gap(front, path, seconds):
    """The second POST to ``path`` arrived at least ``seconds`` after the first."""
    def check(unused_entry):
        posts = [r for r in front.requests if r["method"] == "POST" and urlsplit(r["path"]).path == path]
        assert len(posts) >= 2, "{0} POST {1} seen, expected a retry".format(len(posts), path)
        gap = posts[1]["time"] - posts[0]["time"]
        assert gap >= seconds, "the retry came {0:.2f} s after the first POST, Retry-After said {1}".format(gap, seconds)
    return check


def changed(entry):
    assert entry["result"].get("changed") is True, "not changed: {0}".format(entry["result"].get("operations"))


def front_untouched(front):
    def check():
        requests_to(front, 0)(None)
    return check


def no_request_reached(sim):
    def check():
        seen = sim.control.requests()
        assert not seen, "the simulator at the Location received {0}".format([(r["method"], r["path"]) for r in seen])
    return check


def no_write_reached(sim):
    def check():
        writes = [(r["method"], r["path"]) for r in sim.control.requests() if r["method"] in WRITE_METHODS]
        assert not writes and not sim.writes(), "writes reached the simulator: {0}".format(writes)
    return check


def state_unchanged(sim, before):
    def check():
        assert sim.state() == before, "the failed run changed the simulator"
    return check


# -- things to point the modules at ------------------------------------------------------------


def closed_port():
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def not_pem_file(folder):
    path = os.path.join(folder, "ca-not-pem.crt")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("This is a certificate, honest.\nMIIB-not-base64-at-all\n")
    return path


def unreadable_file(folder):
    """A ca_path that exists but cannot be read.

    As root every regular file is readable, so a Unix socket stands in: it
    exists, and opening it fails (ENXIO) for every user.
    """
    path = os.path.join(folder, "ca-unreadable.pem")
    if os.geteuid() != 0:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
        os.chmod(path, 0)
        return path
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(path)
    return path


def wrong_shape_user(path):
    """Connect-like listings and objects whose items have no guid."""
    if path.startswith("/__api__/v1/users"):
        return {"results": [{"username": "nina", "email": "nina@example.com", "user_role": "viewer", "locked": False}],
                "total": 1, "current_page": 1}
    if path.startswith("/__api__/v1/groups"):
        return {"results": [{"name": "crew"}], "total": 1, "current_page": 1}
    return {"username": "admin", "user_role": "administrator"}


# -- the scenarios ----------------------------------------------------------------------------


def front_connection(front, **extra):
    options = {"url": front.url, "api_key": FRONT_KEY}
    options.update(BRISK)
    options.update(extra)
    return options


def redirect_scenarios(start, target_sim, sim):
    """Every 3xx, to the simulator (same host), to another host, to https, and of writes only."""
    to_sim, elsewhere_cases = [], []
    # Every request redirected, to the real simulator: the first request of each module fails.
    for index, label in enumerate(MODULES):
        status = REDIRECTS[index % len(REDIRECTS)]
        front = start("redirect", status=status, target=target_sim.url)
        to_sim.append(Case("redirect", "{0} to the simulator".format(status), label, front_connection(front),
                           ["redirected"], [requests_to(front, 1), names_location(front)]))
    # To another host: a recorder on 127.0.0.2 proves nothing is sent there.
    elsewhere = start("not_connect", host="127.0.0.2")
    labels = ["user create", "bulk", "member add", "user info", "group create"]
    for status, label in zip(REDIRECTS, labels):
        front = start("redirect", status=status, target=elsewhere.url)
        elsewhere_cases.append(Case("redirect", "{0} to another host".format(status), label, front_connection(front),
                                    ["redirected"], [requests_to(front, 1), names_location(front)]))
    # http:// -> https:// on the same host: the message suggests the https url.
    for status, label in zip((301, 308, 302), ("user info", "user update", "group create")):
        front = start("redirect", status=status, target="")
        front.options["target"] = "https://{0}:{1}".format(front.host, front.port)
        elsewhere_cases.append(Case("redirect to https", str(status), label, front_connection(front),
                                    ["redirected", "set url to https://"], [requests_to(front, 1), names_location(front)]))
    # Reads pass through to the simulator and the write is redirected to it: any method fails.
    writes = []
    for index, label in enumerate(WRITE_LABELS):
        status = (307, 308, 303, 302, 301)[index % len(REDIRECTS)]
        front = start("redirect_writes", status=status, target=sim.url, upstream=sim.url)
        writes.append(Case("redirect", "{0} of the write".format(status), label,
                           dict(sim.connection(**BRISK), url=front.url),
                           ["redirected"], [one_write_then_nothing(front), names_location(front)]))
    before = sim.state()
    return [Scenario("redirects", to_sim, [no_request_reached(target_sim)]),
            Scenario("redirects elsewhere", elsewhere_cases, [front_untouched(elsewhere)]),
            Scenario("redirected writes", writes, [no_write_reached(sim), state_unchanged(sim, before)])]


def body_scenarios(start):
    """Answers that are not Connect's JSON: HTML, text, wrong shapes, a plain 404 page, bad urls."""
    pages, shaped, elsewhere = [], [], []
    for label in ("user info", "user create", "member add"):
        front = start("html")
        pages.append(Case("html", "login page", label, front_connection(front), ["HTML page", "check url"]))
    for label in ("user info", "group create", "bulk"):
        front = start("text")
        pages.append(Case("not json", "text/plain", label, front_connection(front), ["not JSON"]))
    shapes = [
        ("list for an object", [], ("user info", "user create", "group create")),
        ("no guid", wrong_shape_user, ("user info", "user update", "member add")),
        ("listing without results or total", {"current_page": 1, "items": []}, ("user info", "bulk", "group create")),
    ]
    for shape, body, labels in shapes:
        for label in labels:
            front = start("json", body=body)
            shaped.append(Case("wrong shape", shape, label, front_connection(front), ["not a Connect"]))
    for label in ("user info", "user lock", "group create"):
        front = start("not_connect")
        elsewhere.append(Case("not connect", "404 page", label, front_connection(front),
                              ["not a Connect server", front.url], [requests_to(front, 1)]))
    for part, suffix, label in (("query", "/?next=1", "user info"), ("fragment", "/#top", "user create")):
        front = start("not_connect")
        elsewhere.append(Case("query or fragment", part, label, front_connection(front, url=front.url + suffix),
                              ["url", part], [requests_to(front, 0)]))
    return [Scenario("pages", pages), Scenario("shapes", shaped), Scenario("other servers", elsewhere)]


def baseline(start, number):
    """A task that fails on its url before sending anything: it measures the module's start-up."""
    front = start("not_connect")
    # Its outcome is the query row's business; here only its time counts.
    return Case(BASELINE, str(number), "user info", front_connection(front, url=front.url + "/?x=1"), ANYTHING)


def timed_scenario(start, name, cases):
    """A Scenario of ``cases`` between two baselines, each case bounded by ``extra`` seconds of work.

    ``cases`` are (case, extra) pairs: ``extra`` is what the case may take beyond the start-up.
    """
    scenario = Scenario(name, [baseline(start, 1)])
    for case, extra in cases:
        case.checks.append(within_start_up(scenario, extra))
        scenario.cases.append(case)
    scenario.cases.append(baseline(start, 2))
    return scenario


def slow_scenarios(start):
    """Trickled bodies and headers: 2 attempts of 2 s and the backoff between them, not minutes."""
    scenarios = []
    for mode, labels in (("trickle_body", ("user info", "user create")), ("trickle_headers", ("group create", "member add"))):
        cases = []
        for label in labels:
            front = start(mode)
            case = Case("slow", mode, label, front_connection(front, **SLOW), ["did not answer within"],
                        [within(30), at_most_requests(front, 2)])
            cases.append((case, SLOW_WORK))
        scenarios.append(timed_scenario(start, "slow " + mode, cases))
    return scenarios


def unreachable_scenarios(start):
    """Refused connections (default retries: about 3 s of them) and unknown hosts (no retries)."""
    refused = "http://127.0.0.1:{0}".format(closed_port())
    refusals = [(Case("refused", "closed port", label, {"url": refused, "api_key": FRONT_KEY},
                      ["refused the connection"]), 6)
                for label in ("user info", "user create", "bulk")]
    unknown = [(Case("unresolved", "connect.invalid", label, {"url": "http://connect.invalid", "api_key": FRONT_KEY},
                     ["could not be resolved"]), 3)
               for label in ("user info", "group create")]
    return [timed_scenario(start, "refused", refusals), timed_scenario(start, "unresolved", unknown)]


def retry_after_scenarios(start, sims):
    """Retry-After on creates, seen from a recording pass-through in front of the simulator."""
    first, second = sims
    first.control.set_faults([{"method": "POST", "path": "/v1/users", "status": 503, "retry_after": 3, "times": 1},
                              {"method": "POST", "path": "/v1/groups", "status": 503, "retry_after": 3, "times": 1}])
    second.control.set_faults([{"method": "POST", "path": "/v1/users", "status": 429, "retry_after": 3, "times": 1}])
    patient = {"retries": 3, "retry_max_time": 30, "timeout": 10}
    cases = []
    for sim, status, label, path in ((first, 503, "user create", "/__api__/v1/users"),
                                     (first, 503, "group create", "/__api__/v1/groups"),
                                     (second, 429, "bulk", "/__api__/v1/users")):
        front = start("proxy", upstream=sim.url)
        cases.append(Case("retry-after", "{0} Retry-After 3".format(status), label,
                          dict(sim.connection(**patient), url=front.url), None, [changed, post_gap(front, path, 3.0)]))
    return [Scenario("retry-after users and groups", cases[:2]), Scenario("retry-after bulk", cases[2:])]


def budget_scenarios(sim):
    """Every create answered 503: retry_max_time bounds the whole connect_users task, not each request."""
    sim.control.set_faults([{"method": "POST", "path": "/v1/users", "status": 503}])
    users = [{"username": "bulk{0:02d}".format(n), "email": "bulk{0:02d}@example.com".format(n),
              "user_must_set_password": True} for n in range(24)]
    before = sim.state()
    case = Case("retry_max_time", "24 creates answered 503", "bulk",
                sim.connection(retries=20, retry_max_time=4, timeout=10), ["retry_max_time"], [within(40)],
                users=users, concurrency=1)
    return [Scenario("task-wide retry budget", [case], [state_unchanged(sim, before)])]


def tls_scenarios(start, sim, tls_sim, folder):
    """https to a plain port, http to a TLS port, ca_path that is not PEM or unreadable, an untrusted certificate."""
    plain_as_https = "https://{0}:{1}".format(urlsplit(sim.url).hostname, urlsplit(sim.url).port)
    tls_as_http = "http://{0}:{1}".format(urlsplit(tls_sim.url).hostname, urlsplit(tls_sim.url).port)
    cases = [
        Case("https to http", "validate_certs true", "user info", dict(sim.connection(**BRISK), url=plain_as_https),
             ["TLS", "http://"], [never_suggests_insecure]),
        Case("https to http", "validate_certs false", "group create",
             dict(sim.connection(**BRISK), url=plain_as_https, validate_certs=False), ["TLS", "http://"],
             [never_suggests_insecure]),
        Case("untrusted certificate", "no ca_path", "user info", {"url": tls_sim.url, "api_key": tls_sim.key, **BRISK},
             ["certificate", "ca_path"]),
        Case("untrusted certificate", "no ca_path", "group create", {"url": tls_sim.url, "api_key": tls_sim.key, **BRISK},
             ["certificate", "ca_path"]),
    ]
    for kind, path, words in (("not PEM", not_pem_file(folder), ["ca_path", "PEM"]),
                              ("unreadable", unreadable_file(folder), ["ca_path", "read"])):
        for label in ("user info", "group create"):
            front = start("not_connect")
            cases.append(Case("ca_path", kind, label, front_connection(front, ca_path=path), words, [requests_to(front, 0)]))
    # Many retries and a long budget: the mistake must be named at once (within 3 s of work), not after them.
    plain_to_tls = Case("http to https", "retries 5", "user info",
                        {"url": tls_as_http, "api_key": tls_sim.key, "retries": 5, "retry_max_time": 60, "timeout": 10},
                        ["speaks TLS", "use https://"], [never_suggests_insecure])
    tls_before = tls_sim.state()
    return [Scenario("tls", cases, [state_unchanged(tls_sim, tls_before)]),
            timed_scenario(start, "http to https at once", [(plain_to_tls, 3)])]


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fronts():
    """start(mode, **options) -> a running Front; all are stopped when the module's tests end."""
    stack = contextlib.ExitStack()

    def start(mode, **options):
        return stack.enter_context(Front(mode, **options))

    with stack:
        yield start


@pytest.fixture(scope="module")
def outcomes(simulators, sim, fronts, ansible, tmp_path_factory):
    """Runs every scenario once, in parallel; row -> problems, and the counts."""
    sim.control.reset()
    sim.control.seed(SEED)
    target_sim = simulators()
    target_sim.control.clear_requests()
    tls_sim = simulators(tls=True)
    folder = str(tmp_path_factory.mktemp("boundary"))
    # Longest playbooks first, so that the short ones fill the end.
    scenarios = (slow_scenarios(fronts) + unreachable_scenarios(fronts) + body_scenarios(fronts)
                 + redirect_scenarios(fronts, target_sim, sim) + tls_scenarios(fronts, sim, tls_sim, folder)
                 + retry_after_scenarios(fronts, (simulators(), simulators())) + budget_scenarios(simulators()))
    started = time.monotonic()
    parallel(lambda scenario: scenario.run(ansible), scenarios, WORKERS)
    seconds = round(time.monotonic() - started, 1)
    rows = {}
    for scenario in scenarios:
        rows.setdefault(scenario.name, [])
        for case in scenario.cases:
            rows.setdefault(case.row, [])
        for row, problem in scenario.problems():
            rows[row].append(problem)
    cases = [case for scenario in scenarios for case in scenario.cases]
    measured = [case for case in cases if case.row != BASELINE]
    record("boundary", cases=len(measured), baseline_tasks=len(cases) - len(measured), playbooks=len(scenarios), rows=len(rows),
           failing_rows=sum(1 for problems in rows.values() if problems),
           problems=sum(len(problems) for problems in rows.values()), seconds=seconds,
           slowest_playbook=round(max(scenario.result.seconds for scenario in scenarios), 1))
    return rows


def check_row(outcomes, *rows):
    """No problem in any of ``rows`` (case rows or scenario names), each of which must have run."""
    problems = []
    for row in rows:
        problems.extend(outcomes[row] if row in outcomes else ["row {0!r} was not run".format(row)])
    assert not problems, "\n".join(problems)


# -- one test a row of the contract ---------------------------------------------------------------


def test_redirects_are_refused_and_not_followed(outcomes):
    check_row(outcomes, "redirect", "redirect to https", "redirected writes", "redirects", "redirects elsewhere")


def test_html_and_text_answers_are_refused(outcomes):
    check_row(outcomes, "html", "not json")


def test_json_of_the_wrong_shape_is_refused(outcomes):
    check_row(outcomes, "wrong shape")


def test_a_server_that_is_not_connect_is_named(outcomes):
    check_row(outcomes, "not connect", "query or fragment")


def test_trickled_answers_end_within_the_timeout(outcomes):
    check_row(outcomes, "slow")


def test_refused_and_unresolvable_fail_fast(outcomes):
    check_row(outcomes, "refused", "unresolved")


def test_retry_after_is_honoured_on_creates(outcomes):
    check_row(outcomes, "retry-after")


def test_retry_max_time_bounds_the_whole_task(outcomes):
    check_row(outcomes, "retry_max_time", "task-wide retry budget")


def test_tls_mistakes_are_explained(outcomes):
    check_row(outcomes, "https to http", "http to https", "untrusted certificate", "ca_path", "tls")
