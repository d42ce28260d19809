#!/usr/bin/env python
"""Reconcile users with posit-sdk, the way its documentation shows: one lookup per desired user.

usage: sdk_reconcile.py DESIRED.json [--limit N]
CONNECT_SERVER and CONNECT_API_KEY name the server. DESIRED.json is a list of
users as connect_users takes them (username, email, first_name, last_name,
user_role, state). Prints {"setup_seconds", "loop_seconds", "entries", "changes"} as JSON.

For each desired user: ``client.users.find_one(prefix=username)`` (Connect only
searches by prefix; the exact username comes first), falling back to
``client.users.find(prefix=...)`` when the first match is someone else; then
``user.update(...)`` with the fields that differ, ``user.lock()`` for
state: absent, ``user.unlock()`` for a locked user that should be present,
``client.users.create(...)`` for a user that does not exist.
"""

from __future__ import annotations

import argparse
import json
import os
import time

FIELDS = ("email", "first_name", "last_name", "user_role")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("desired")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    with open(args.desired) as handle:
        desired = json.load(handle)
    if args.limit is not None:
        desired = desired[: args.limit]

    started = time.monotonic()
    from posit import connect

    client = connect.Client(os.environ["CONNECT_SERVER"], os.environ["CONNECT_API_KEY"])
    setup = time.monotonic() - started

    started = time.monotonic()
    changes = 0
    for want in desired:
        username = want["username"]
        user = client.users.find_one(prefix=username)
        if user is not None and user["username"] != username:
            user = next((u for u in client.users.find(prefix=username) if u["username"] == username), None)
        if want.get("state", "present") == "absent":
            if user is not None and not user["locked"]:
                user.lock()
                changes += 1
            continue
        if user is None:
            client.users.create(username=username, **dict((f, want[f]) for f in FIELDS if f in want),
                                user_must_set_password=True)
            changes += 1
            continue
        update = dict((f, want[f]) for f in FIELDS if f in want and user[f] != want[f])
        if update:
            user.update(**update)
            changes += 1
        if user["locked"]:
            user.unlock()
            changes += 1
    loop = time.monotonic() - started
    print(json.dumps({"setup_seconds": setup, "loop_seconds": loop, "entries": len(desired), "changes": changes}))


if __name__ == "__main__":
    main()
