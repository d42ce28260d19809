# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Suite 3, secrets: API keys and passwords never show, at -vvvv, in diffs, results or errors.

Every module runs, succeeding and failing (bad passwords, wrong and
under-privileged keys, spent retry budgets, lost answers), with ``-vvvv`` and
``--diff``, in normal and check mode. Then the key comes from CONNECT_API_KEY
instead of an option. Last, a ~/.netrc entry for the simulator's host (in a
temporary HOME) must not replace the key.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

from rel_support import assert_clean_failure, record, visible_text

VIEWER_KEY = "viewer-" + secrets.token_hex(12)
WRONG_KEY = "wrong-" + secrets.token_hex(12)
PASSWORDS = dict((name, "Pw-" + secrets.token_hex(8)) for name in ("sam", "sue", "sid", "sal", "vic", "eve", "tom"))
SHORT_PASSWORD = "Q" + secrets.token_hex(2)  # 5 characters: Connect refuses it


def _tasks(sim, connection):
    """Every module, succeeding and failing; ``connection`` is merged into each."""
    def task(title, module, ignore=False, check=False, **options):
        args = dict(connection)
        args.update(options)
        entry = {"name": title, "posit.connect." + module: args}
        if ignore:
            entry["ignore_errors"] = True
        if check:
            entry["check_mode"] = True
        return entry

    wrong = {"api_key": WRONG_KEY}
    viewer = {"api_key": VIEWER_KEY}
    return [
        task("create sam", "connect_user", username="sam", email="sam@example.com", password=PASSWORDS["sam"]),
        task("plan sal", "connect_user", check=True, username="sal", email="sal@example.com", password=PASSWORDS["sal"]),
        task("bulk", "connect_users", users=[
            {"username": "sue", "email": "sue@example.com", "password": PASSWORDS["sue"], "groups": ["crew"]},
            {"username": "sid", "email": "sid@example.com", "password": PASSWORDS["sid"], "user_role": "publisher"},
            {"username": "sam", "password": PASSWORDS["sam"], "first_name": "Sam"}]),
        task("bulk plan", "connect_users", check=True, users=[
            {"username": "eve", "email": "eve@example.com", "password": PASSWORDS["eve"]}], unlisted="lock", max_locks=20),
        task("group", "connect_group", name="secret-team", owner="sam"),
        task("members", "connect_group_membership", group="secret-team", users=["sam", "sue"]),
        task("user's groups", "connect_group_membership", user="sid", groups=["crew", "secret-team"]),
        task("info", "connect_user_info", prefix="s", include_groups=True),
        task("groups as code", "connect_groups", groups=[{"name": "crew", "members": ["sue", "sid"]},
                                                         {"name": "code-team", "members": ["sam"], "owner": "sam"}]),
        task("groups info", "connect_group_info", prefix="c", include_members=True),
        task("lock", "connect_user", username="sid", state="absent"),
        # failing
        task("weak password", "connect_user", ignore=True, username="tom", email="tom@example.com", password=SHORT_PASSWORD),
        task("bulk weak password", "connect_users", ignore=True, users=[
            {"username": "tom", "email": "tom@example.com", "password": SHORT_PASSWORD},
            {"username": "vic", "email": "vic-at-example.com", "password": PASSWORDS["vic"]}]),
        task("wrong key", "connect_user", ignore=True, username="sam", email="x@example.com", **wrong),
        task("wrong key bulk", "connect_users", ignore=True, users=[{"username": "tom", "password": PASSWORDS["tom"]}], **wrong),
        task("wrong key info", "connect_user_info", ignore=True, prefix="s", **wrong),
        task("wrong key group", "connect_group", ignore=True, name="x", **wrong),
        task("wrong key members", "connect_group_membership", ignore=True, group="crew", users=["sam"], **wrong),
        task("wrong key groups", "connect_groups", ignore=True, groups=[{"name": "crew", "members": ["sam"]}], **wrong),
        task("wrong key group info", "connect_group_info", ignore=True, prefix="c", **wrong),
        task("viewer creates", "connect_user", ignore=True, username="vic", email="vic@example.com",
             password=PASSWORDS["vic"], **viewer),
        task("viewer bulk", "connect_users", ignore=True, users=[
            {"username": "vic", "email": "vic@example.com", "password": PASSWORDS["vic"]}], **viewer),
        task("viewer group", "connect_group", ignore=True, name="nope", **viewer),
        task("viewer members", "connect_group_membership", ignore=True, group="crew", users=["sam"], **viewer),
        task("viewer groups", "connect_groups", ignore=True, groups=[{"name": "nope", "members": ["vera"]}], **viewer),
        task("viewer info", "connect_user_info", ignore=True, account_status=["locked"], **viewer),
        task("no such host", "connect_user", ignore=True, username="tom", password=PASSWORDS["tom"],
             url="http://127.0.0.1:9", retries=1),
    ]


def _faulted_tasks(connection):
    """Retries, lost answers and spent budgets, where a careless message would quote a request."""
    def task(title, module, **options):
        args = dict(connection, retries=1, retry_max_time=10)
        args.update(options)
        return {"name": title, "posit.connect." + module: args, "ignore_errors": True}

    return [
        task("lost create", "connect_user", username="tom", email="tom@example.com", password=PASSWORDS["tom"]),
        task("spent create", "connect_user", username="vic", email="vic@example.com", password=PASSWORDS["vic"]),
        task("spent bulk", "connect_users", users=[{"username": "eve", "email": "eve@example.com", "password": PASSWORDS["eve"]}]),
        task("spent group", "connect_group", name="g2"),
        task("spent members", "connect_group_membership", group="crew", users=["tom"]),
        task("spent info", "connect_user_info", prefix="t"),
        task("spent groups as code", "connect_groups", groups=[{"name": "g3", "members": ["tom"]}]),
        task("spent group info", "connect_group_info", prefix="g", include_members=True),
    ]


def _secrets(sim):
    values = [sim.key, VIEWER_KEY, WRONG_KEY, SHORT_PASSWORD] + list(PASSWORDS.values())
    return values


def _leaks(result, values):
    text = result.output + "\n" + visible_text(result.results)
    return [value for value in values if value in text]


def _prepare(sim):
    sim.control.reset()
    sim.control.seed(users=[{"username": "vera", "email": "vera@example.com"}],
                     groups=[{"name": "crew", "members": [], "owner": "admin"}],
                     api_keys=[{"username": "vera", "key": VIEWER_KEY}])


def test_no_secret_shows_at_vvvv_with_diff(sim, ansible):
    values = _secrets(sim)
    _prepare(sim)
    run = ansible.run(_tasks(sim, sim.connection()), args=["-vvvv", "--diff"])
    assert run.rc == 0, run.describe()
    assert "********" in run.output or "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in run.output
    ok = [e for e in run.results if e["status"] == "ok"]
    failed = [e for e in run.results if e["status"] == "failed"]
    assert len(ok) == 11 and len(failed) == 16, [(e["task"], e["status"]) for e in run.results]
    assert all(e["result"].get("diff") for e in ok if e["task"] in ("create sam", "bulk", "members", "groups as code")), \
        "no diff was shown"
    # The group modules ran for real: their failures are the key's, not some other mistake's.
    assert [run.task(name)["result"].get("status") for name in ("wrong key groups", "wrong key group info")] == [401, 401]
    assert "HTTP 403" in run.task("viewer groups")["result"]["msg"], run.task("viewer groups")["result"]["msg"]
    assert sorted(g["name"] for g in run.task("groups info")["result"]["groups"]) == ["code-team", "crew"]
    assert not _leaks(run, values), "secret shown: {0}".format(_leaks(run, values))

    # The same with faults: a lost create answer, then budgets spent on 503s and dropped connections.
    sim.control.set_faults([{"method": "POST", "path": "/v1/users", "drop": "after_commit", "times": 1},
                            {"method": "POST", "path": "/v1/users", "status": 503, "times": 2},
                            {"method": "POST", "path": "/v1/users", "drop": "before_commit", "times": 2},
                            {"path": "/v1/groups*", "status": 503}])
    faulted = ansible.run(_faulted_tasks(sim.connection()), args=["-vvvv", "--diff"])
    sim.control.clear_faults()
    assert faulted.rc == 0, faulted.describe()
    assert faulted.task("lost create")["status"] == "ok", faulted.describe()
    assert not _leaks(faulted, values), "secret shown: {0}".format(_leaks(faulted, values))

    # The key from CONNECT_API_KEY, in check mode, must not show either.
    _prepare(sim)
    from_env = dict((k, v) for k, v in sim.connection().items() if k != "api_key")
    env_tasks = [t for t in _tasks(sim, from_env) if t["name"] in ("create sam", "plan sal", "bulk", "info", "viewer bulk",
                                                                   "groups as code", "groups info")]
    env_run = ansible.run(env_tasks, args=["-vvvv", "--diff"], env={"CONNECT_API_KEY": sim.key})
    assert env_run.rc == 0, env_run.describe()
    assert not _leaks(env_run, values), "secret shown: {0}".format(_leaks(env_run, values))
    record("secrets", runs=3, tasks=len(run.results) + len(faulted.results) + len(env_run.results),
           secrets_checked=len(values), leaks=0, verbosity="-vvvv --diff")


def test_netrc_does_not_replace_the_key(sim, ansible, tmp_path):
    _prepare(sim)
    home = tmp_path / "home"
    home.mkdir()
    netrc_password = "netrc-" + secrets.token_hex(8)
    netrc = home / ".netrc"
    netrc.write_text("machine 127.0.0.1 login admin password {0}\n".format(netrc_password))
    netrc.chmod(0o600)
    # The entry is live: requests, left to itself, would send it for this URL.
    probe = subprocess.run(
        [sys.executable, "-c", "import requests.utils, sys; print(requests.utils.get_netrc_auth(sys.argv[1]))", sim.url],
        env=dict(os.environ, HOME=str(home)), capture_output=True, text=True, check=True)
    assert netrc_password in probe.stdout

    sim.control.clear_requests()
    run = ansible.run([t for t in _tasks(sim, sim.connection()) if t["name"] in ("create sam", "bulk", "group", "info")],
                      args=["-vvvv", "--diff"], home=str(home))
    assert run.rc == 0, run.describe()
    log = sim.control.requests()
    assert log and all(entry["status"] != 401 for entry in log), [e for e in log if e["status"] == 401]
    assert not _leaks(run, _secrets(sim) + [netrc_password])
    record("secrets: netrc", runs=1, calls=len(log), unauthorized=0)


# -- the input rules for the key and the url (contract "Issue 11: input") ----------------------------------


def _forms(value):
    """A secret as given and in the escaped forms a careless message or log would show."""
    forms = set([value, repr(value)[1:-1], ascii(value)[1:-1], json.dumps(value)[1:-1],
                 json.dumps(value, ensure_ascii=False)[1:-1], value.encode("unicode_escape").decode("ascii")])
    return set(form for form in forms if form.strip())


def _shown(run, values):
    text = run.output + "\n" + visible_text(run.results)
    return sorted(form for value in values for form in _forms(value) if form in text)


def test_api_key_surrounding_whitespace_is_trimmed(sim, ansible):
    _prepare(sim)
    tasks = [
        {"name": "trailing newline", "posit.connect.connect_user_info": dict(sim.connection(api_key=sim.key + "\n"), prefix="v")},
        {"name": "spaces and CRLF",
         "posit.connect.connect_user": dict(sim.connection(api_key="  " + sim.key + " \r\n"), username="vera", first_name="Vera")},
        {"name": "from the environment", "posit.connect.connect_group": dict(url=sim.url, name="crew")},
    ]
    run = ansible.run(tasks, args=["-vvvv", "--diff"], env={"CONNECT_API_KEY": "\t" + sim.key + "\n"})
    assert run.rc == 0, run.describe()
    assert [e["status"] for e in run.results] == ["ok", "ok", "ok"], run.describe()
    assert run.task("trailing newline")["result"]["users"][0]["username"] == "vera"
    assert not _shown(run, [sim.key, sim.key + "\n", "  " + sim.key + " \r\n"]), _shown(run, [sim.key])


BAD_KEYS = dict((name, "bk{0}-{1}{2}{3}".format(name, secrets.token_hex(8), char, secrets.token_hex(8))) for name, char in (
    ("soh", "\x01"), ("nul", "\x00"), ("newline", "\n"), ("tab", "\t"), ("esc", "\x1b"), ("del", "\x7f"),
    ("c1", "\x85"), ("eacute", "\u00e9"), ("snowman", "\u2603"), ("zwsp", "\u200b")))


def test_api_key_with_control_or_non_ascii_characters_is_refused_unseen(sim, ansible):
    _prepare(sim)
    modules = [("connect_user", {"username": "vera"}), ("connect_user_info", {}), ("connect_group", {"name": "crew"}),
               ("connect_group_membership", {"group": "crew", "users": ["vera"]}),
               ("connect_users", {"users": [{"username": "vera"}]}),
               ("connect_groups", {"groups": [{"name": "crew"}]}), ("connect_group_info", {"prefix": "c"})]
    tasks = []
    for number, (name, key) in enumerate(sorted(BAD_KEYS.items())):
        module, options = modules[number % len(modules)]
        tasks.append({"name": name, "posit.connect." + module: dict(sim.connection(api_key=key), **options),
                      "ignore_errors": True})
    sim.control.clear_requests()
    run = ansible.run(tasks, args=["-vvvv", "--diff"])
    assert run.rc == 0, run.describe()
    for name, key in BAD_KEYS.items():
        entry = run.task(name)
        message = assert_clean_failure(entry, ["api_key"])
        kind = "non-ASCII" if name in ("eacute", "snowman", "zwsp") else "control character"
        assert kind in message, message
    halves = [part for key in BAD_KEYS.values() for part in (key[:-16], key[-16:])]
    shown = _shown(run, list(BAD_KEYS.values()) + halves)
    assert not shown, "the bad key shows: {0!r}".format(shown)
    assert sim.control.requests() == [], "a bad key was sent to the server"
    record("secrets: bad api_key", tasks=len(tasks), leaks=0)


URL_PASSWORD = "urlpw-" + secrets.token_hex(10)
URL_TOKEN = "urltoken-" + secrets.token_hex(10)


def test_url_with_credentials_is_refused_unseen(sim, ansible):
    _prepare(sim)
    scheme, rest = sim.url.split("://", 1)
    userinfos = {"user and password": "ursula:" + URL_PASSWORD, "token only": URL_TOKEN,
                 "escaped": "ur%40sula:" + URL_PASSWORD + "%21"}
    tasks = []
    for number, (name, userinfo) in enumerate(sorted(userinfos.items())):
        url = "{0}://{1}@{2}{3}".format(scheme, userinfo, rest, "/path" if number else "")
        module = ("connect_user", "connect_users", "connect_group")[number]
        options = ({"username": "vera"}, {"users": [{"username": "vera"}]}, {"name": "crew"})[number]
        tasks.append({"name": name, "posit.connect." + module: dict(sim.connection(url=url), **options),
                      "ignore_errors": True})
    # The url from CONNECT_SERVER is masked the same way.
    tasks.append({"name": "from the environment", "posit.connect.connect_user_info": {"api_key": sim.key},
                  "ignore_errors": True})
    env_url = "{0}://envuser:{1}@{2}".format(scheme, URL_PASSWORD + "-env", rest)
    sim.control.clear_requests()
    run = ansible.run(tasks, args=["-vvvv", "--diff"], env={"CONNECT_SERVER": env_url})
    assert run.rc == 0, run.describe()
    for name in list(userinfos) + ["from the environment"]:
        entry = run.task(name)
        assert_clean_failure(entry, ["url", "user name or password", "api_key"])
        assert "invocation" in entry["result"], "no invocation in the result: the check would prove nothing"
    values = list(userinfos.values()) + [URL_PASSWORD, URL_TOKEN, "ur@sula:" + URL_PASSWORD + "!",
                                         "envuser:" + URL_PASSWORD + "-env", sim.key]
    shown = _shown(run, values)
    assert not shown, "url credentials show: {0!r}".format(shown)
    assert sim.control.requests() == [], "a url with credentials was used"
    record("secrets: url credentials", tasks=len(tasks), leaks=0)
