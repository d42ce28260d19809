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


@pytest.mark.parametrize("action, module, option", [(UsersAction, "connect_users", "users"),
                                                    (GroupsAction, "connect_groups", "groups")])
def test_src_columns_are_the_entry_options(action, module, option):
    """The action plugin's CSV layout and the module's entry options are one definition."""
    spec = importlib.import_module("ansible_collections.posit.connect.plugins.modules." + module).ARGUMENT_SPEC
    entry_options = spec[option]["options"]
    assert action.layout.columns == tuple(entry_options)
    assert action.layout.list_columns == frozenset(name for name, value in entry_options.items()
                                                   if value.get("type") == "list")
