# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""src files are parsed into [line, entry] pairs by each module's layout of columns."""

from __future__ import annotations

import pytest

from ansible_collections.posit.connect.plugins.action.connect_groups import ActionModule as GroupsAction
from ansible_collections.posit.connect.plugins.action.connect_users import ActionModule as UsersAction
from ansible_collections.posit.connect.plugins.plugin_utils.src_files import SourceError, parse_entries

GROUPS = GroupsAction.layout
USERS = UsersAction.layout


def test_a_groups_csv_splits_members_and_leaves_empty_cells_out():
    text = 'name,owner,members,state\nanalysts,,ana;bob,\n\n"fin, ops",ana,,absent\n'
    assert parse_entries(text, "groups.csv", "csv", GROUPS) == [
        [2, {"name": "analysts", "members": ["ana", "bob"]}],
        [4, {"name": "fin, ops", "owner": "ana", "state": "absent"}],
    ]


def test_each_layout_has_its_own_columns():
    with pytest.raises(SourceError) as error:
        parse_entries("username,members\nana,x\n", "groups.csv", "csv", GROUPS)
    assert str(error.value) == ("groups.csv line 1: unknown column 'username'; the columns are the entries' options: "
                                "name, guid, state, owner, members.")
    # members is not a list column of connect_users' layout, and groups is not one of connect_groups'
    with pytest.raises(SourceError):
        parse_entries("username,members\nana,x\n", "people.csv", "csv", USERS)
    assert parse_entries("username,groups\nana,a;b\n", "people.csv", "csv", USERS) == [[2, {"username": "ana", "groups": ["a", "b"]}]]


def test_json_and_yaml_entries_know_their_lines():
    json_text = '[\n  {"name": "a"},\n\n  {"name": "b", "members": []}\n]\n'
    assert parse_entries(json_text, "g.json", "json", GROUPS) == [[2, {"name": "a"}], [4, {"name": "b", "members": []}]]
    yaml_text = "---\n- name: a\n- members: [bob]\n"
    assert parse_entries(yaml_text, "g.yml", "yaml", GROUPS) == [[2, {"name": "a"}], [3, {"members": ["bob"]}]]


def test_a_row_longer_than_the_header_is_named_by_its_line():
    with pytest.raises(SourceError) as error:
        parse_entries("name,owner\nanalysts,ana,extra\n", "groups.csv", "csv", GROUPS)
    assert str(error.value) == "groups.csv line 2: 3 cells, but the header names 2 columns."


@pytest.mark.parametrize("header, words", [("username;email;user_role", "semicolons (';')"),
                                           ("username\temail", "tabs ('\\t')"),
                                           ("username;mail", "semicolons")])
def test_a_csv_separated_by_something_else_names_the_separator(header, words):
    with pytest.raises(SourceError) as error:
        parse_entries(header + "\nana;ana@example.com;viewer\n", "people.csv", "csv", USERS)
    message = str(error.value)
    assert message.startswith("people.csv line 1: the columns are separated by ") and words in message
    assert "comma" in message and "unknown column" not in message


def test_a_single_column_is_not_taken_for_another_separator():
    assert parse_entries("username\nana\n", "people.csv", "csv", USERS) == [[2, {"username": "ana"}]]
