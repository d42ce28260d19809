# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""src rows are validated exactly as Ansible validates a users entry, once per shape of row."""

from __future__ import annotations

import json

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.posit.connect.plugins.module_utils.sources import RowValidator, src_entries
from ansible_collections.posit.connect.plugins.modules.connect_users import USER_OPTIONS


class Failed(Exception):
    pass


class FakeModule:
    def __init__(self):
        self.no_log_values = set()

    def fail_json(self, msg):
        raise Failed(msg)


# Rows of many shapes: free text, choices, booleans given as text or as bools, lists, nulls,
# numbers, unknown keys and wrong types. Each is validated twice, so the second meets a known shape.
ROWS = [
    {"username": "ann", "email": "ann@example.com", "user_role": "viewer"},
    {"username": "bob", "email": "bob@example.com", "user_role": "viewer"},
    {"username": "cy", "user_role": "publisher", "force": "yes"},
    {"username": "di", "user_role": "publisher", "force": "true"},
    {"username": "ed", "user_role": "publisher", "force": True},
    {"username": "fay", "force": 1},
    {"username": "gus", "user_must_set_password": "no", "state": "absent"},
    {"username": "hal", "groups": ["a", "b"]},
    {"username": "ida", "groups": ["c"]},
    {"username": "jo", "groups": "a,b"},
    {"username": "kim", "groups": ["a", 3]},
    {"username": "lu", "email": None},
    {"username": 42},
    {"username": ["x"]},
    {"username": "max", "user_role": "viewer"},
    {"username": "mo", "user_role": "owner"},
    {"username": "nat", "state": "present"},
    {"username": "ned", "state": "gone"},
    {"username": "oz", "force": "maybe"},
    {"username": "pat", "colour": "blue"},
    {"guid": "0b2f1d4e-5c6a-4b7d-8e9f-0a1b2c3d4e5f", "password": "Tr0ub4dor-and-3"},
    {"username": "quin", "first_name": 1.5},
    {},
]


def ansible_result(raw):
    result = ArgumentSpecValidator(USER_OPTIONS).validate(dict(raw))
    return bool(result.error_messages), (None if result.error_messages else result.validated_parameters)


@pytest.mark.parametrize("raw", ROWS, ids=[json.dumps(row) for row in ROWS])
def test_each_row_validates_as_ansible_validates_it(raw):
    validator = RowValidator(USER_OPTIONS)
    for first in ROWS:  # the shapes the other rows leave behind must not change this row's result
        validator.validate(dict(first))
    for unused_round in range(2):
        problem, entry = validator.validate(dict(raw))
        failed, expected = ansible_result(raw)
        assert bool(problem) == failed
        assert entry == expected


def test_a_known_shape_takes_the_rows_own_text_and_a_copy_of_its_list():
    validator = RowValidator(USER_OPTIONS)
    validator.validate({"username": "ann", "groups": ["a"]})
    groups = ["b", "c"]
    problem, entry = validator.validate({"username": "bob", "groups": groups})
    assert problem is None
    assert entry["username"] == "bob" and entry["groups"] == ["b", "c"] and entry["groups"] is not groups
    assert entry["state"] == "present" and entry["force"] is False and entry["email"] is None


def test_src_entries_names_the_file_and_line_of_each_bad_row():
    rows = [[2, {"username": "ann"}], [3, {"username": "bob", "user_role": "owner"}], [4, {"username": " cy"}]]
    with pytest.raises(Failed) as failed:
        src_entries(FakeModule(), "people.csv", json.dumps(rows), USER_OPTIONS)
    message = str(failed.value)
    assert message.startswith("people.csv line 3: value of user_role must be one of:")
    assert "people.csv line 4: username must not begin or end with whitespace" in message
    assert "line 2" not in message


def test_src_entries_masks_each_rows_password():
    module = FakeModule()
    entries, labels = src_entries(module, "people.csv", json.dumps([[2, {"username": "ann", "password": "s3cret-pass"}]]),
                                  USER_OPTIONS)
    assert entries[0]["password"] == "s3cret-pass"
    assert labels == ["people.csv line 2"]
    assert "s3cret-pass" in module.no_log_values
