# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Suite 2, bad input: every case fails with one clear sentence and changes nothing.

Each case is one task (ignore_errors) in a generated playbook; the cases run in
a few playbooks in parallel against one simulator, whose state is compared
before and after, and whose request log must show no successful write.
"""

from __future__ import annotations

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
    writes = sim.writes()
    record("bad input", cases=len(all_cases), unclear_or_unclean=len(problems), writes=len(writes),
           state_changed=sim.state() != before)
    assert not problems, "\n".join(problems)
    assert writes == [], "a failing case wrote to the server"
    assert sim.state() == before


@pytest.mark.parametrize("message, expected", [
    ("Could not create user 'a': Connect answered HTTP 400 to POST /v1/users, code 6: too weak; try again.", True),
    ("First. Second.", False),
    ("no full stop", False),
])
def test_one_sentence_rule(message, expected):
    assert one_sentence(message) is expected
