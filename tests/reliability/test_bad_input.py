# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Suite 2, bad input: every case fails with one clear sentence and changes nothing.

Each case is one task (ignore_errors) in a generated playbook; the cases run in
a few playbooks in parallel against one simulator, whose state is compared
before and after, and whose request log must show no successful write.
"""

from __future__ import annotations

import json
import re

import pytest

from rel_support import FULL, assert_clean_failure, parallel, record, sized

VIEWER_KEY = "viewer-key-5f1d0c7a"
PUBLISHER_KEY = "publisher-key-93be41aa"
LOCKED_KEY = "locked-key-0b6c7e21"
GOOD_GUID = "0b0e8a4c-1111-4222-8333-944455556666"

SEED = {
    "users": [
        {"username": "vera", "email": "vera@example.com", "first_name": "Vera", "user_role": "viewer"},
        {"username": "paul", "email": "paul@example.com", "first_name": "Paul", "user_role": "publisher"},
        # A locked administrator: "admin" stays the last unlocked one.
        {"username": "ada", "email": "ada@example.com", "user_role": "administrator", "locked": True},
        {"username": "lou", "email": "lou@example.com", "user_role": "publisher", "locked": True},
    ],
    "groups": [
        {"name": "eng", "members": ["vera"], "owner": "admin"},
        {"name": "ops", "members": [], "owner": "admin"},
        {"name": "pubs", "members": ["paul"], "owner": "paul"},
    ],
    "api_keys": [{"username": "vera", "key": VIEWER_KEY}, {"username": "paul", "key": PUBLISHER_KEY},
                 {"username": "lou", "key": LOCKED_KEY}],
}

# Messages written by Ansible's own argument checks (not by the collection) may
# have a second sentence listing the valid parameters; ours must have one.
ANSIBLE_WORDING = ("Unsupported parameters", "argument '", "dictionary requested", "value of ", "missing required arguments",
                   "parameters are mutually exclusive",
                   "one of the following is required", "parameters are required together", "is of type",
                   "cannot be converted", "Elements value for option")


def cases(sim):
    """(module, options, words the message must contain, connection override)."""
    admin = sim.connection(retries=1, retry_max_time=5)
    viewer = dict(admin, api_key=VIEWER_KEY)
    publisher = dict(admin, api_key=PUBLISHER_KEY)
    no_key = dict((k, v) for k, v in admin.items() if k != "api_key")
    new_user = {"email": "new@example.com", "password": "Secret-pw-1"}
    return [
        # connect_user: options
        ("connect_user", dict(username="nia", user_role="superuser", **new_user), ["user_role"], admin),
        ("connect_user", dict(username="nia", email="n@example.com", password="Secret-pw-1", user_must_set_password=True),
         ["password", "user_must_set_password"], admin),
        ("connect_user", dict(username="", **new_user), ["username"], admin),
        ("connect_user", dict(username="   ", **new_user), ["username"], admin),
        ("connect_user", dict(username="connect", **new_user), ["username", "prohibited"], admin),
        ("connect_user", dict(username="9lives", **new_user), ["username"], admin),
        ("connect_user", dict(guid="not-a-guid", username="vera"), ["guid"], admin),
        ("connect_user", dict(guid=GOOD_GUID, username="ghost"), ["guid"], admin),
        ("connect_user", dict(username="nia", email="nia-at-example.com", password="Secret-pw-1"), ["email"], admin),
        ("connect_user", dict(username="nia", email="nia@example.com", password="abc"), ["password"], admin),
        ("connect_user", dict(username="nia", password="Secret-pw-1"), ["email"], admin),
        ("connect_user", dict(username="nia", user_role=["viewer", "publisher"], **new_user), ["user_role"], admin),
        ("connect_user", dict(username="vera", foo="bar"), ["foo"], admin),
        ("connect_user", dict(username="vera", state="gone"), ["state"], admin),
        ("connect_user", dict(username="vera", force="perhaps", state="absent"), ["force"], admin),
        ("connect_user", dict(guid="{vera}", username="paul"), ["409", "username"], admin),
        ("connect_user", dict(username="vera"), ["retries"], dict(admin, retries="many")),
        # connect_user: who may do what
        ("connect_user", dict(username="nia", **new_user), ["permission"], viewer),
        ("connect_user", dict(username="paul", state="absent"), ["lock"], viewer),
        ("connect_user", dict(username="ada", user_role="viewer"), ["may not change this user"], publisher),
        ("connect_user", dict(username="vera", user_role="administrator"), ["may not change this user"], publisher),
        ("connect_user", dict(username="admin", user_role="viewer"), ["administrator"], admin),
        ("connect_user", dict(username="admin", state="absent"), ["force"], admin),
        ("connect_user", dict(username="vera", first_name="V"), ["locked"], dict(admin, api_key=LOCKED_KEY)),
        # connection options
        ("connect_user", dict(username="vera"), ["url"], dict(admin, url=sim.url.split("://", 1)[1])),
        ("connect_user", dict(username="vera"), ["url"], dict(admin, url="ftp://127.0.0.1/")),
        ("connect_user", dict(username="vera"), ["url"], dict(admin, url="")),
        ("connect_user", dict(username="vera"), ["could not be reached"], dict(admin, url="http://127.0.0.1:9")),
        ("connect_user", dict(username="vera"), ["API key"], dict(admin, api_key="wrong-key-1c9e")),
        ("connect_user", dict(username="vera"), ["api_key"], no_key),
        ("connect_user", dict(username="vera"), ["api_key"], dict(admin, api_key="")),
        ("connect_user", dict(username="vera"), ["timeout"], dict(admin, timeout=0)),
        ("connect_user", dict(username="vera"), ["retries"], dict(admin, retries=-1)),
        ("connect_user", dict(username="vera"), ["validate_certs"], dict(admin, validate_certs="perhaps")),
        ("connect_user", dict(username="vera"), ["ca_path"], dict(admin, ca_path="/nonexistent/ca.pem")),
        ("connect_user", dict(username="vera"), ["retry_max_time"], dict(admin, retry_max_time=-1)),
        # connect_user_info
        ("connect_user_info", dict(limit=0), ["limit"], admin),
        ("connect_user_info", dict(account_status=["bogus"]), ["account_status"], admin),
        ("connect_user_info", dict(user_role="viewer|owner"), ["user_role"], admin),
        ("connect_user_info", dict(guid="1234"), ["guid"], admin),
        ("connect_user_info", dict(guid=GOOD_GUID), ["guid"], admin),
        ("connect_user_info", dict(username="vera", prefix="v"), ["username", "prefix"], admin),
        ("connect_user_info", dict(account_status=["locked"]), ["permission"], viewer),
        ("connect_user_info", dict(limit="many"), ["limit"], admin),
        # connect_group
        ("connect_group", dict(), ["name", "guid"], admin),
        ("connect_group", dict(name=""), ["name"], admin),
        ("connect_group", dict(name="newgroup", owner="ghost"), ["owner", "ghost"], admin),
        ("connect_group", dict(guid=GOOD_GUID), ["guid"], admin),
        ("connect_group", dict(guid="nope", state="absent"), ["guid"], admin),
        ("connect_group", dict(name="eng", new_name="ops"), ["already exists", "ops"], admin),
        ("connect_group", dict(name="viewers-group"), ["permission"], viewer),
        ("connect_group", dict(name="publishers-group"), ["permission"], publisher),
        ("connect_group", dict(name="eng", state="absent"), ["permission"], publisher),
        ("connect_group", dict(name="x" * 5000), ["name"], admin),
        ("connect_group", dict(name="   "), ["name"], admin),
        # connect_group_membership
        ("connect_group_membership", dict(group="nogroup", users=["vera"]), ["nogroup"], admin),
        ("connect_group_membership", dict(group="eng", users=["vera", "ghost"]), ["ghost"], admin),
        ("connect_group_membership", dict(user="ghost", groups=["eng"]), ["ghost"], admin),
        ("connect_group_membership", dict(user="vera", groups=["eng", "nogroup"]), ["nogroup"], admin),
        ("connect_group_membership", dict(group="eng", users=[], state="absent", exclusive=True), ["exclusive"], admin),
        ("connect_group_membership", dict(group="eng", user="vera", users=["vera"]), ["group", "user"], admin),
        ("connect_group_membership", dict(group="eng", users={"name": "vera"}), ["users"], admin),
        ("connect_group_membership", dict(group="eng"), ["users"], admin),
        ("connect_group_membership", dict(users=["vera"]), ["group"], admin),
        ("connect_group_membership", dict(group="eng", users=["paul"]), ["permission"], viewer),
        ("connect_group_membership", dict(group="eng", users=["admin"], exclusive="maybe"), ["exclusive"], admin),
        # connect_users
        # ansible-core's own check; its first error (from no_log handling) does not name the option.
        ("connect_users", dict(users="vera"), ["dictionary requested"], admin),
        ("connect_users", dict(users=[{"username": "vera"}], concurrency=0), ["concurrency"], admin),
        ("connect_users", dict(users=[{"username": "vera"}], concurrency=1000), ["concurrency"], admin),
        ("connect_users", dict(users=[{"username": "vera"}], max_locks=-1), ["max_locks"], admin),
        ("connect_users", dict(users=[{"username": "vera"}], unlisted="delete"), ["unlisted"], admin),
        ("connect_users", dict(users=[{"username": "nia", "user_role": "owner", "email": "n@example.com"}]), ["user_role"], admin),
        ("connect_users", dict(users=[{"username": "nia", "email": "n@example.com", "password": "Secret-pw-1",
                                       "user_must_set_password": True}]), ["password"], admin),
        ("connect_users", dict(users=[{"username": "vera"}, {"username": "vera"}]), ["vera", "more than once"], admin),
        ("connect_users", dict(users=[{"username": "vera", "groups": ["nogroup"]}]), ["nogroup"], admin),
        ("connect_users", dict(users=[{"username": "vera", "colour": "red"}]), ["colour"], admin),
        ("connect_users", dict(users=[{"username": ""}]), ["username"], admin),
        ("connect_users", dict(users=[{"guid": "bad-guid"}]), ["guid"], admin),
        ("connect_users", dict(users=[{"username": "nia", "email": "n@example.com", "password": "Secret-pw-1"}]), ["permission"], viewer),
        ("connect_users", dict(), ["users"], admin),
        ("connect_users", dict(users=[{"username": "vera", "email": "vera-at-example.com"}]), ["email"], admin),
        ("connect_users", dict(users=[{"username": "vera"}]), ["API key"], dict(admin, api_key="wrong-key-77")),
    ]


# -- the input table (contract "Issue 11: input"): refused by inputs.py before any request --------------

# A minimal, otherwise valid task of each module.
BASE = {
    "connect_user": {"username": "vera"},
    "connect_user_info": {},
    "connect_users": {"users": [{"username": "vera"}]},
    "connect_group": {"name": "eng"},
    "connect_group_membership": {"group": "eng", "users": ["vera"]},
}
MODULES = tuple(BASE)
URL_PASSWORD = "url-pw-7d2f9c41e0"
URL_TOKEN = "urltoken-3b8e51c07a"
BAD_KEY_STEM = "bad-key-6a1f0e93c2"


def _on(module, connection, words, **options):
    """A case of ``module``: its base options, with ``options`` replacing them."""
    args = dict(BASE[module])
    args.update(options)
    return module, args, words, connection


def _with_credentials(url, userinfo):
    scheme, rest = url.split("://", 1)
    return "{0}://{1}@{2}".format(scheme, userinfo, rest)


def _api_key_cases(admin):
    bad = [("\x01", "control character"), ("\u00e9", "non-ASCII"), ("\x00", "control character"),
           ("\n", "control character"), ("\t", "control character"), ("\x7f", "control character"),
           ("\x1b[0m", "control character"), ("\u2603", "non-ASCII"), ("\u200b", "non-ASCII"), ("\x85", "control character")]
    found = []
    for number, (char, words) in enumerate(bad):
        key = "{0}{1}{2}".format(BAD_KEY_STEM[:8], char, BAD_KEY_STEM[8:] + str(number))
        module = MODULES[number % len(MODULES)]
        found.append(_on(module, dict(admin, api_key=key), ["api_key", words]))
    return found


def _url_cases(admin, url):
    words = ["url", "user name or password", "api_key"]
    userinfos = ["ursula:" + URL_PASSWORD, URL_TOKEN, "ursula:" + URL_PASSWORD, "u%40x:" + URL_PASSWORD,
                 "ursula:" + URL_PASSWORD]
    found = [_on(module, dict(admin, url=_with_credentials(url, userinfo)), words)
             for module, userinfo in zip(MODULES, userinfos)]
    found.append(_on("connect_user", dict(admin, url=_with_credentials(url, "ursula:" + URL_PASSWORD) + "/some/path"), words))
    return found


def _number_cases(admin):
    values = [("timeout", ["nan", "inf", "-inf", 0, -1, 3601, 1e9]),
              ("retry_max_time", ["nan", "inf", -1, -0.5, 86401]),
              ("retries", [-1, 101, -100])]
    found = []
    for option, bad in values:
        for number, value in enumerate(bad):
            found.append(_on(MODULES[number % len(MODULES)], dict(admin, **{option: value}), [option]))
    for option, module, bad in (("concurrency", "connect_users", [0, 33, -1]), ("limit", "connect_user_info", [-1, -50]),
                                ("max_locks", "connect_users", [-1, -20])):
        found.extend(_on(module, admin, [option], **{option: value}) for value in bad)
    return found


def _type_cases(admin):
    entries = [{"username": "vera"}, {"username": "paul"}]
    rows = [
        ("connect_user", dict(username="vera", email=["vera@example.com"]), "email must be a string, not a list"),
        ("connect_user", dict(username="vera", first_name={"given": "Vera"}), "first_name must be a string, not a dict"),
        ("connect_user", dict(username=12345), "username must be a string, not an int"),
        ("connect_user", dict(username="vera", last_name=True), "last_name must be a string, not a bool"),
        ("connect_user", dict(username="vera", unique_id=42), "unique_id must be a string, not an int"),
        ("connect_user_info", dict(prefix=["v"]), "prefix must be a string, not a list"),
        ("connect_user_info", dict(user_role=["viewer", 7]), "user_role[1] must be a string, not an int"),
        ("connect_users", dict(users=entries + [{"username": "nia", "email": ["n@example.com"]}]),
         "users[2].email must be a string, not a list"),
        ("connect_users", dict(users=entries + [{"username": "nia", "email": {"a": "n@example.com"}}]),
         "users[2].email must be a string, not a dict"),
        ("connect_users", dict(users=[{"username": ["vera"]}]), "users[0].username must be a string, not a list"),
        ("connect_users", dict(users=[{"username": "vera", "groups": ["eng", {"name": "ops"}]}]),
         "users[0].groups[1] must be a string, not a dict"),
        ("connect_group", dict(name={"name": "eng"}), "name must be a string, not a dict"),
        ("connect_group", dict(name="eng", owner=["admin"]), "owner must be a string, not a list"),
        ("connect_group", dict(name="eng", new_name=False), "new_name must be a string, not a bool"),
        ("connect_group_membership", dict(group=["eng"], users=["vera"]), "group must be a string, not a list"),
        ("connect_group_membership", dict(group="eng", users=["vera", 7]), "users[1] must be a string, not an int"),
        ("connect_group_membership", dict(user="vera", groups=[["eng"]]), "groups[0] must be a string, not a list"),
        ("connect_group_membership", dict(user={"username": "vera"}, groups=["eng"]), "user must be a string, not a dict"),
    ]
    return [(module, options, [words], admin) for module, options, words in rows]


def _whitespace_cases(admin):
    entries = [{"username": "vera"}, {"username": "paul"}]
    rows = [
        ("connect_user", dict(username=" vera"), "username"),
        ("connect_user", dict(username="vera\u00a0"), "username"),
        ("connect_user", dict(username="vera", email="vera@example.com "), "email"),
        ("connect_user", dict(username="vera", unique_id=" u-1"), "unique_id"),
        ("connect_user", dict(guid=" " + GOOD_GUID, username="vera"), "guid"),
        ("connect_user_info", dict(username="vera "), "username"),
        ("connect_users", dict(users=entries + [{"username": "nia "}]), "users[2].username"),
        ("connect_users", dict(users=entries + [{"username": "nia", "email": " n@example.com"}]), "users[2].email"),
        ("connect_users", dict(users=[{"username": "vera", "groups": ["eng "]}]), "users[0].groups[0]"),
        ("connect_group", dict(name=" eng"), "name"),
        ("connect_group", dict(name="eng", new_name="ops2 "), "new_name"),
        ("connect_group", dict(name="eng", owner="admin "), "owner"),
        ("connect_group_membership", dict(group="eng ", users=["vera"]), "group"),
        ("connect_group_membership", dict(group="eng", users=["vera", " paul"]), "users[1]"),
        ("connect_group_membership", dict(user=" vera", groups=["eng"]), "user"),
        ("connect_group_membership", dict(user="vera", groups=["eng", "ops  "]), "groups[1]"),
    ]
    return [(module, options, [field, "whitespace"], admin) for module, options, field in rows]


def _control_cases(admin):
    entries = [{"username": "vera"}, {"username": "paul"}]
    rows = [
        ("connect_user", dict(username="vera", first_name="Ve\x00ra"), "first_name"),
        ("connect_user", dict(username="vera", last_name="Lima\x07"), "last_name"),
        ("connect_user", dict(username="ve\tra"), "username"),
        ("connect_user", dict(username="nia", email="nia@example.com", password="Secret-\x00-pw-1"), "password"),
        ("connect_user", dict(username="vera", email="vera@exa\nmple.com"), "email"),
        ("connect_user", dict(username="vera", unique_id="u\x1b1"), "unique_id"),
        ("connect_user_info", dict(prefix="v\x00"), "prefix"),
        ("connect_user_info", dict(account_status=["locked\x00"]), "account_status[0]"),
        ("connect_users", dict(users=entries + [{"username": "nia", "first_name": "N\x00"}]), "users[2].first_name"),
        ("connect_users", dict(users=[{"username": "vera", "groups": ["e\rng"]}]), "users[0].groups[0]"),
        ("connect_group", dict(name="en\x00g"), "name"),
        ("connect_group", dict(name="eng", new_name="o\x0bps"), "new_name"),
        ("connect_group_membership", dict(group="eng", users=["ve\x00ra"]), "users[0]"),
        ("connect_group_membership", dict(user="vera", groups=["e\x1fng"]), "groups[0]"),
    ]
    found = [(module, options, [field, "control character"], admin) for module, options, field in rows]
    found.append(("connect_user", dict(username="vera"), ["url", "control character"], dict(admin, url=admin["url"] + "\x00")))
    found.append(("connect_group", dict(name="eng"), ["ca_path", "control character"], dict(admin, ca_path="/tmp/ca\x00.pem")))
    return found


def _email_cases(admin):
    found = []
    for email in ("a b@example.com", "no-at", "nia@", "@example.com", "nia@@example.com"):
        found.append(("connect_user", dict(username="vera", email=email), ["email", "not an email address"], admin))
        found.append(("connect_users", dict(users=[{"username": "vera"}, {"username": "nia", "email": email}]),
                      ["users[1].email", "not an email address"], admin))
    return found


def _empty_cases(admin):
    rows = [
        ("connect_user", dict(username=""), "username"),
        ("connect_user", dict(username="vera", guid=""), "guid"),
        ("connect_user_info", dict(username=""), "username"),
        ("connect_user_info", dict(guid=""), "guid"),
        ("connect_users", dict(users=[{"username": "vera"}, {"username": ""}]), "users[1].username"),
        ("connect_users", dict(users=[{"guid": ""}]), "users[0].guid"),
        ("connect_group", dict(name=""), "name"),
        ("connect_group", dict(guid=""), "guid"),
        ("connect_group", dict(name="eng", new_name=""), "new_name"),
        ("connect_group", dict(name="eng", owner=""), "owner"),
        ("connect_group_membership", dict(group="", users=["vera"]), "group"),
        ("connect_group_membership", dict(user="", groups=["eng"]), "user"),
        ("connect_group_membership", dict(group="eng", users=["vera", ""]), "users[1]"),
    ]
    return [(module, options, ["{0} must not be empty".format(field)], admin) for module, options, field in rows]


def input_cases(sim):
    """(module, options, words the message must contain, connection): every row of the input table."""
    admin = sim.connection(retries=1, retry_max_time=5)
    return (_api_key_cases(admin) + _url_cases(admin, sim.url) + _number_cases(admin) + _type_cases(admin)
            + _whitespace_cases(admin) + _control_cases(admin) + _email_cases(admin) + _empty_cases(admin))


def secret_forms(values):
    """Each secret as given, repr-escaped and JSON-escaped (short values are left out: they match by chance)."""
    forms = set()
    for value in values:
        for form in (value, repr(value)[1:-1], ascii(value)[1:-1], json.dumps(value)[1:-1]):
            if len(form.strip()) >= 8:
                forms.add(form)
    return forms


def case_secrets(connection, options):
    """The secrets of one case: its API key, passwords, and credentials put into its url."""
    values = [connection.get("api_key") or ""]
    entries = options.get("users") if isinstance(options.get("users"), list) else []
    values.extend(entry.get("password") or "" for entry in [options] + entries if isinstance(entry, dict))
    url = connection.get("url") or ""
    authority = url.split("://", 1)[-1].split("/", 1)[0]
    if "@" in authority:
        userinfo = authority.rpartition("@")[0]
        values.extend([userinfo, userinfo.partition(":")[2]])
    return [value for value in values if isinstance(value, str)]


def leaks(run, secrets):
    """The secrets shown by a run, each with the tasks whose results show it (or "output")."""
    shown = []
    for form in sorted(secret_forms(secrets)):
        where = [entry["task"] for entry in run.results if form in json.dumps(entry, default=str)]
        if where or form in run.output:
            shown.append("{0!r} in {1}".format(form, ", ".join(where) or "output"))
    return shown


def one_sentence(message):
    """A message written by the collection is one sentence: it ends once, with a full stop."""
    body = message.strip()
    if not body.endswith("."):
        return False
    # A sentence ends at ". " followed by a capital letter (quoted values and paths aside).
    unquoted = re.sub(r"'[^']*'", "''", body)
    return not re.search(r"[.!?]\s+[A-Z]", unquoted[:-1])


def test_bad_input_fails_clearly_and_changes_nothing(sim, ansible):
    sim.control.reset()
    sim.control.seed(SEED)
    all_cases = cases(sim)
    assert len(all_cases) >= 80
    # quick: every other case (still more than 40); full: all of them.
    all_cases = all_cases if FULL else all_cases[::2]
    assert len(all_cases) >= 40
    before = sim.state()
    sim.control.clear_requests()

    guids = dict((user["username"], user["guid"]) for user in before["users"])
    for case in all_cases:
        options = case[1]
        if options.get("guid", "").startswith("{"):
            options["guid"] = guids[options["guid"].strip("{}")]
    chunks = [list(enumerate(all_cases))[i::4] for i in range(4)]

    def run_chunk(chunk):
        tasks = []
        for number, (module, options, unused_words, connection) in chunk:
            args = dict(connection)
            args.update(options)
            tasks.append({"name": "case {0} {1}".format(number, module), "posit.connect." + module: args,
                          "ignore_errors": True})
        return ansible.run(tasks)

    runs = parallel(run_chunk, chunks, workers=sized(2, 4))
    problems = []
    for chunk, run in zip(chunks, runs):
        assert "Traceback" not in run.output and "exception occurred" not in run.output, run.describe()
        for number, (module, options, words, unused_connection) in chunk:
            entry = run.task("case {0} {1}".format(number, module))
            try:
                message = assert_clean_failure(entry, words)
                if not message.startswith(ANSIBLE_WORDING) and not one_sentence(message):
                    raise AssertionError("not one sentence: {0!r}".format(message))
            except AssertionError as failure:
                problems.append("case {0} {1} {2}: {3}".format(number, module, options if len(repr(options)) < 200 else "...", failure))
        shown = leaks(run, [secret for item in chunk for secret in case_secrets(item[1][3], item[1][1])]
                      + [sim.key, VIEWER_KEY, PUBLISHER_KEY, LOCKED_KEY])
        if shown:
            problems.append("secrets shown: {0!r}".format(shown))
    writes = sim.writes()
    record("bad input", cases=len(all_cases), unclear_or_unclean=len(problems), writes=len(writes),
           state_changed=sim.state() != before)
    assert not problems, "\n".join(problems)
    assert writes == [], "a failing case wrote to the server"
    assert sim.state() == before


def test_input_table_is_refused_before_any_request(sim, ansible):
    """Every row of the input table, on every module, at -vvvv: one sentence, no request, no secret shown."""
    sim.control.reset()
    sim.control.seed(SEED)
    table = input_cases(sim)
    assert len(table) >= 100
    assert len(cases(sim)) + len(table) >= 130
    before = sim.state()
    sim.control.clear_requests()
    chunks = [list(enumerate(table))[i::4] for i in range(4)]

    def run_chunk(chunk):
        tasks = []
        for number, (module, options, unused_words, connection) in chunk:
            args = dict(connection)
            args.update(options)
            tasks.append({"name": "input {0} {1}".format(number, module), "posit.connect." + module: args,
                          "ignore_errors": True})
        return ansible.run(tasks, args=["-vvvv"])

    runs = parallel(run_chunk, chunks, workers=sized(2, 4))
    problems = []
    for chunk, run in zip(chunks, runs):
        assert "Traceback" not in run.output and "exception occurred" not in run.output, run.describe()
        for number, (module, options, words, connection) in chunk:
            label = "input {0} {1}".format(number, module)
            try:
                message = assert_clean_failure(run.task(label), words)
                if not one_sentence(message):
                    raise AssertionError("not one sentence: {0!r}".format(message))
            except AssertionError as failure:
                problems.append("{0} {1!r}: {2}".format(label, options, failure))
        shown = leaks(run, [secret for item in chunk for secret in case_secrets(item[1][3], item[1][1])]
                      + [sim.key, VIEWER_KEY, PUBLISHER_KEY, LOCKED_KEY])
        if shown:
            problems.append("secrets shown at -vvvv: {0!r}".format(shown))
    requests = sim.control.requests()
    record("bad input: input table", cases=len(table), unclear_or_unclean=len(problems), requests=len(requests),
           state_changed=sim.state() != before)
    assert not problems, "\n".join(problems)
    assert requests == [], "an input-table case reached the server: {0}".format(requests[:5])
    assert sim.state() == before


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 503])
@pytest.mark.parametrize("connect_said", ["The requested username is already in use. Choose another one.",
                                          "Password too weak. Use 8 characters or more. Try again", "bad request"])
def test_connect_errors_become_one_sentence(collections_path, status, connect_said):
    """The collection's error sentences (errors.py), fed Connect's own multi-sentence messages, pass the rule above.

    Connect's messages are several sentences; the cases above meet only those the simulator writes.
    """
    import sys

    if collections_path not in sys.path:
        sys.path.insert(0, collections_path)
    from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError

    message = ConnectError(status=status, code=3, error=connect_said, method="POST", path="/v1/users",
                           action="create user 'j.doe'").message
    assert not message.startswith(ANSIBLE_WORDING), message  # so the rule really applies to it
    assert one_sentence(message), message
    assert connect_said.split(".")[0].lower() in message.lower(), message  # Connect's words are kept
