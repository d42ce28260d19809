# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading ``src`` on the controller, for the bulk modules' action plugins (connect_users, connect_groups).

``SrcAction`` runs its module as Ansible would (the task's arguments, module_defaults
included, check mode, diff, async and delegate_to unchanged). With ``src`` it first
finds the file the way ansible.builtin.copy finds its ``src`` (the role's ``files/``,
the play's ``files/``, the play's directory; vault-encrypted files are decrypted),
parses it (CSV, JSON or YAML, by its extension) into entries, each with the line it
starts on, and hands them to the module as one JSON text in the private
``_src_entries`` option. The module validates every entry as it validates an entry
of its list option, and names the file and the line in its messages. One string
instead of a 10,000-entry list spares Ansible's per-entry work on the arguments (see
docs/performance.md), and its invocation echoes no entry (the option is no_log).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys

import yaml

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

# A list column's cell holds its items joined by this (data-science;finance).
LIST_SEPARATOR = ";"
# Separators other than the comma that spreadsheets export "CSV" with (Excel in many locales uses ";").
OTHER_SEPARATORS = ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars"))
FORMATS = {".csv": "csv", ".json": "json", ".yml": "yaml", ".yaml": "yaml"}
# Python refuses to turn longer digit strings into integers (and says to raise its limit); we say it first.
MAX_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 4300)() or 4300
YAML_INT = "tag:yaml.org,2002:int"


class SourceError(Exception):
    """A problem with the file as a whole or with one of its rows; the message names the file and the line."""


class Layout:
    """What a CSV of one module's entries looks like: its columns (the entry options) and which hold lists."""

    def __init__(self, columns, list_columns):
        self.columns = tuple(columns)
        self.list_columns = frozenset(list_columns)

    @classmethod
    def of_entries(cls, options):
        """The layout of a module's entry options (an argument spec): a column per option, lists where typed so."""
        return cls(options, [name for name, option in options.items() if option.get("type") == "list"])


def parse_entries(text, name, kind, layout):
    """[[line, entry], ...] from a file's text; ``name`` is the src as given, for messages."""
    if kind == "csv":
        return _csv_entries(text, name, layout)
    if kind == "json":
        return _json_entries(text, name)
    return _yaml_entries(text, name)


def _csv_entries(text, name, layout):
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise SourceError("{0} is empty; its first line must name the columns ({1}).".format(
                name, ", ".join(layout.columns)))
        _check_header(header, name, reader.line_num, layout)
        entries = []
        line = reader.line_num + 1
        for row in reader:
            if any(cell != "" for cell in row):
                entries.append([line, _csv_entry(header, row, name, line, layout)])
            line = reader.line_num + 1
        return entries
    except csv.Error as error:
        raise SourceError("{0} line {1}: not valid CSV ({2}).".format(name, reader.line_num, error))


def _check_header(header, name, line, layout):
    _refuse_other_separator(header, name, line, layout)
    seen = set()
    for column in header:
        if column not in layout.columns:
            raise SourceError("{0} line {1}: unknown column {2!r}; the columns are the entries' options: {3}.".format(
                name, line, column, ", ".join(layout.columns)))
        if column in seen:
            raise SourceError("{0} line {1}: column {2!r} appears twice.".format(name, line, column))
        seen.add(column)


def _refuse_other_separator(header, name, line, layout):
    """A header that is one cell of known columns joined by another separator: name the separator, not a column."""
    if len(header) != 1:
        return
    for separator, plural in OTHER_SEPARATORS:
        names = header[0].split(separator)
        if len(names) > 1 and any(column.strip() in layout.columns for column in names):
            raise SourceError("{0} line {1}: the columns are separated by {2} ({3!r}), but src CSV files are "
                              "comma-separated; export the file with commas (a list cell, such as groups, keeps "
                              "its ';').".format(name, line, plural, separator))


def _csv_entry(header, row, name, line, layout):
    if len(row) > len(header):
        raise SourceError("{0} line {1}: {2} cells, but the header names {3} columns.".format(name, line, len(row), len(header)))
    entry = {}
    for column, cell in zip(header, row):
        if cell == "":
            continue  # an empty cell: the field is not given, so not managed
        entry[column] = cell.split(LIST_SEPARATOR) if column in layout.list_columns else cell
    return entry


class _DuplicateKey(ValueError):
    def __init__(self, key):
        super().__init__(key)
        self.key = key


class _LongNumber(ValueError):
    def __init__(self, digits):
        super().__init__(len(digits))
        self.digits = digits


def _unique_pairs(pairs):
    """A JSON object's pairs as a dict, refusing a key given twice (json keeps the last one silently)."""
    result = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _bounded_int(digits):
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _LongNumber(digits)
    return int(digits)


def _json_decoder():
    return json.JSONDecoder(object_pairs_hook=_unique_pairs, parse_int=_bounded_int)


def _line_at(text, index):
    return text.count("\n", 0, index) + 1


def _duplicate_key_error(text, name, start, key):
    """Names the line of the key's second appearance in the entry that starts at ``start``."""
    found = [match.start() for match in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text[start:])]
    line = _line_at(text, start + found[1]) if len(found) > 1 else _line_at(text, start)
    return SourceError("{0} line {1}: key {2!r} appears twice in one entry; give it once.".format(name, line, key))


def long_number_error(name, line, digits):
    return SourceError("{0} line {1}: a number of {2} digits is too long to read; no option takes a number, so write "
                       "it in quotes if it is meant as text.".format(name, line, len(digits.lstrip("-"))))


def _json_value(decoder, text, name, position, line):
    """The JSON value at ``position`` and where it ends, or a SourceError in our words."""
    try:
        return decoder.raw_decode(text, position)
    except _DuplicateKey as error:
        raise _duplicate_key_error(text, name, position, error.key)
    except _LongNumber as error:
        at = text.find(error.digits, position)
        raise long_number_error(name, _line_at(text, at) if at >= 0 else line, error.digits)
    except ValueError as error:
        raise SourceError("{0} line {1}: not valid JSON ({2}).".format(name, _error_line(text, error, line), error))


def _json_entries(text, name):
    """Reads the top-level list element by element, so that each entry knows its line."""
    decoder = _json_decoder()
    position = _skip_space(text, 0)
    if text[position:position + 1] != "[":
        raise SourceError("{0}: a JSON src must be a list of entries (objects).".format(name))
    entries = []
    position = _skip_space(text, position + 1)
    if text[position:position + 1] == "]":
        return _json_end(text, position + 1, name, entries)
    while True:
        line = text.count("\n", 0, position) + 1
        value, position = _json_value(decoder, text, name, position, line)
        entries.append([line, _mapping(value, name, line)])
        position = _skip_space(text, position)
        separator = text[position:position + 1]
        if separator == "]":
            return _json_end(text, position + 1, name, entries)
        if separator != ",":
            raise SourceError("{0} line {1}: not valid JSON (expected ',' or ']' after an entry).".format(
                name, text.count("\n", 0, position) + 1))
        position = _skip_space(text, position + 1)


def _json_end(text, position, name, entries):
    if _skip_space(text, position) != len(text):
        raise SourceError("{0} line {1}: not valid JSON (text after the list).".format(name, text.count("\n", 0, position) + 1))
    return entries


def _skip_space(text, position):
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _error_line(text, error, default):
    index = getattr(error, "pos", None)
    return text.count("\n", 0, index) + 1 if index is not None else default


def _yaml_entries(text, name):
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise SourceError("{0}: a YAML src must be a list of entries (mappings).".format(name))
        _check_yaml_nodes(node, name)
        values = loader.construct_document(node)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = " line {0}".format(mark.line + 1) if mark is not None else ""
        raise SourceError("{0}{1}: not valid YAML ({2}).".format(name, where, getattr(error, "problem", None) or error))
    finally:
        loader.dispose()
    return [[item.start_mark.line + 1, _mapping(value, name, item.start_mark.line + 1)]
            for item, value in zip(node.value, values)]


def _check_yaml_nodes(node, name):
    """Refuse what YAML would take silently or Python would refuse in its own words: a key given twice in one
    mapping (the last would win), and an integer too long to convert."""
    pending, visited = [node], set()
    while pending:
        node = pending.pop()
        if id(node) in visited:
            continue  # an alias of a node already checked (or a recursive one)
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if key.value in seen:
                        raise SourceError("{0} line {1}: key {2!r} appears twice in one entry; give it once.".format(
                            name, key.start_mark.line + 1, key.value))
                    seen.add(key.value)
                pending.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
        elif node.tag == YAML_INT and len(node.value.lstrip("+-")) > MAX_DIGITS:
            raise long_number_error(name, node.start_mark.line + 1, node.value)


def _mapping(value, name, line):
    if not isinstance(value, dict):
        raise SourceError("{0} line {1}: an entry must be a mapping of the entry options, not {2}.".format(
            name, line, "null" if value is None else type(value).__name__))
    return value


class SrcAction(ActionBase):
    """The action plugin of a bulk module whose entries (``entries_option``) may come from a file (``src``)."""

    _supports_check_mode = True
    _supports_async = True
    entries_option = None  # "users" or "groups"
    layout = None  # a Layout

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        # The task's arguments, already templated and merged with module_defaults by Ansible.
        args = dict(self._task.args)
        src = args.get("src")
        if src is not None:
            if args.get(self.entries_option) is not None:
                return dict(result, failed=True, msg="parameters are mutually exclusive: {0}|src".format(self.entries_option))
            try:
                args["_src_entries"] = self._read_src(src)
            except (SourceError, AnsibleError) as error:
                return dict(result, failed=True, msg=to_text(error.message if isinstance(error, AnsibleError) else error))
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result = merge_hash(result, self._execute_module(module_args=args, task_vars=task_vars,
                                                         wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _read_src(self, src):
        if not isinstance(src, str) or not src.strip():
            raise SourceError("src must be the name of a CSV, JSON or YAML file.")
        kind = FORMATS.get(os.path.splitext(src)[1].lower())
        if kind is None:
            raise SourceError("src {0!r} must end in .csv, .json, .yml or .yaml, which says how to read it.".format(src))
        try:
            found = self._find_needle("files", src)
        except AnsibleError:
            raise SourceError("src {0!r} was not found on the controller (looked in the role's and the play's files/ "
                              "directories and beside the play, as ansible.builtin.copy does).".format(src))
        if os.path.isdir(found):
            raise SourceError("src {0!r} is a directory ({1}); give one CSV, JSON or YAML file.".format(src, found))
        real = self._loader.get_real_file(found, decrypt=True)
        try:
            with open(real, "rb") as handle:
                data = handle.read()
        finally:
            self._loader.cleanup_tmp_file(real)
        try:
            text = data.decode("utf-8-sig")  # a spreadsheet's CSV export often starts with a byte order mark
        except UnicodeDecodeError as error:
            raise SourceError("{0} line {1}: not UTF-8 text.".format(src, data.count(b"\n", 0, error.start) + 1))
        entries = parse_entries(text, src, kind, self.layout)
        # One JSON text: Ansible moves one string, not thousands of dicts. default=str: YAML dates stay text.
        return json.dumps(entries, separators=(",", ":"), default=str)
