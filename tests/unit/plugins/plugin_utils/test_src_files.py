# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""src files are parsed into [line, entry] pairs by each module's layout of columns."""

from __future__ import annotations

import importlib

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
                                "name, guid, state, owner, members, force.")
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


@pytest.mark.parametrize("action, module, option", [(UsersAction, "connect_users", "users"),
                                                    (GroupsAction, "connect_groups", "groups")])
def test_src_columns_are_the_entry_options(action, module, option):
    """The action plugin's CSV layout and the module's entry options are one definition."""
    spec = importlib.import_module("ansible_collections.posit.connect.plugins.modules." + module).ARGUMENT_SPEC
    entry_options = spec[option]["options"]
    assert action.layout.columns == tuple(entry_options)
    assert action.layout.list_columns == frozenset(name for name, value in entry_options.items()
                                                   if value.get("type") == "list")


# -- strict files (issue 20) ---------------------------------------------------------------------


def refusal(text, name, kind):
    with pytest.raises(SourceError) as error:
        parse_entries(text, name, kind, USERS)
    return str(error.value)


def test_a_yaml_key_given_twice_is_refused_naming_file_line_and_key():
    text = "- username: ana\n  user_role: viewer\n- username: bob\n  user_role: viewer\n  user_role: administrator\n"
    message = refusal(text, "people.yml", "yaml")
    assert message == "people.yml line 5: key 'user_role' appears twice in one entry; give it once."


def test_a_json_key_given_twice_is_refused_naming_file_line_and_key():
    text = '[\n  {"username": "ana"},\n  {"username": "bob",\n   "user_role": "viewer",\n   "user_role": "administrator"}\n]\n'
    message = refusal(text, "people.json", "json")
    assert message == "people.json line 5: key 'user_role' appears twice in one entry; give it once."


def test_the_same_key_in_two_entries_is_fine():
    text = '[{"username": "ana", "user_role": "viewer"}, {"username": "bob", "user_role": "viewer"}]'
    assert [entry["user_role"] for _line, entry in parse_entries(text, "people.json", "json", USERS)] == ["viewer"] * 2
    text = "- {username: ana, groups: [a, a]}\n- {username: bob}\n"
    assert parse_entries(text, "people.yml", "yaml", USERS)[0][1]["groups"] == ["a", "a"]


@pytest.mark.parametrize("kind, name, template", [
    ("json", "people.json", '[\n{"username": "ana"},\n{"username": "bob", "unique_id": %s}\n]'),
    ("yaml", "people.yml", "- username: ana\n- username: bob\n  unique_id: %s\n"),
])
def test_a_number_too_long_to_read_gets_our_sentence(kind, name, template):
    message = refusal(template % ("9" * 5000), name, kind)
    assert message.startswith(name + " line 3: a number of 5000 digits is too long to read")
    assert "set_int_max_str_digits" not in message and "sys." not in message


def test_ordinary_numbers_still_parse():
    parsed = parse_entries('[{"username": "ana", "unique_id": 12345}]', "people.json", "json", USERS)
    assert parsed == [[1, {"username": "ana", "unique_id": 12345}]]
