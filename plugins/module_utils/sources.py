# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The entries of a ``src`` file (read by the action plugin), validated as ``users`` entries are.

The action plugin sends ``[[line, entry], ...]`` as one JSON text. Each entry
goes through the same two steps as an entry of ``users``: Ansible's own
validation of the suboptions (ArgumentSpecValidator, the engine AnsibleModule
uses, with the same spec: types, choices, defaults, unknown keys; run once per
shape of row, see RowValidator), then the collection's input checks (inputs.py:
strings given as strings, no control characters, no stray whitespace, email
addresses). Every failing row is named by
the file and its line; the passwords of the rows are added to the values Ansible
masks, as a no_log suboption's are.
"""

from __future__ import annotations

import json

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.posit.connect.plugins.module_utils.inputs import _string_problem, _type_problem, compose_names, given_secrets

# How many failing rows one message lists before it says how many more there are.
ROWS_SHOWN = 10


def src_entries(module, name, text, options):
    """(the validated entries of ``src``, where each is: "people.csv line 7"), or the task fails naming the bad rows.

    ``module`` is an AnsibleModule, ``options`` the entries' suboptions."""
    try:
        rows = json.loads(text)
    except (TypeError, ValueError):
        module.fail_json(msg="src: the entries did not come from the action plugin; run connect_users as a task, "
                             "with src naming a file on the controller.")
    validator = RowValidator(options)
    entries, labels, problems = [], [], []
    for line, raw in rows:
        if raw.get("password") is not None:
            module.no_log_values.update(given_secrets(options, raw))
        problem, entry = _entry_problem(validator, options, raw)
        where = "{0} line {1}".format(name, line)
        if problem:
            problems.append("{0}: {1}".format(where, problem))
        else:
            compose_names(options, entry)
            entries.append(entry)
            labels.append(where)
    if problems:
        more = len(problems) - ROWS_SHOWN
        shown = "; ".join(problem.rstrip(".") for problem in problems[:ROWS_SHOWN])
        module.fail_json(msg=shown + (" (and {0} more rows).".format(more) if more > 0 else "."))
    return entries, labels


def _entry_problem(validator, options, raw):
    """(problem or None, validated entry)."""
    problem, entry = validator.validate(raw)
    if problem:
        return problem, None
    return _type_problem(options, raw) or _string_problem(options, entry), entry


class RowValidator:
    """Ansible's validation of one entry (ArgumentSpecValidator), done once per shape of row.

    Rows of one file mostly differ only in free-text fields (a name, an email) and share
    everything else. Ansible's validation returns a string given for a ``str`` option without
    choices as it is, and a list of strings given for a list of such strings as an equal list:
    its result for a row is that of any other row with the same keys and the same values
    elsewhere, with the free-text values put back. So each such shape is validated once, the
    rest are filled in from it; a row with any other kind of value, or one that fails, is
    validated on its own. For 10,000 CSV rows this takes the step from 0.8 s to under 0.1 s.
    """

    def __init__(self, options):
        self.validator = ArgumentSpecValidator(options)
        # option name: the kind of value Ansible gives back unchanged (str, or list of str)
        kinds = dict((name, _free_text_kind(spec)) for name, spec in options.items())
        self.free_text = dict((name, kind) for name, kind in kinds.items() if kind)
        self.shapes = {}

    def validate(self, raw):
        """(problem or None, the validated entry)."""
        shape = self._shape(raw)
        if shape is None:
            return self._validate_fully(raw)
        template = self.shapes.get(shape)
        if template is None:
            problem, template = self._validate_fully(raw)
            if problem:
                return problem, None
            self.shapes[shape] = template
        entry = dict(template)
        for name, value in raw.items():
            if name in self.free_text:
                entry[name] = list(value) if isinstance(value, list) else value
        return None, entry

    def _shape(self, raw):
        """The keys of ``raw`` and its values other than free text, or None when Ansible could change a value."""
        shape = []
        for name, value in raw.items():
            if name in self.free_text:
                if not _is_kind(value, self.free_text[name]):
                    return None
                shape.append((name, None))
            elif value is None or isinstance(value, (str, bool, int, float)):
                shape.append((name, type(value), value))
            else:
                return None
        return tuple(sorted(shape, key=lambda item: item[0]))

    def _validate_fully(self, raw):
        result = self.validator.validate(raw)
        if result.error_messages:
            error = result.errors.errors[0]
            # AnsibleModule words an unknown key "Unsupported parameters for (module) module: key. Supported ...".
            prefix = "Unsupported parameters: " if isinstance(error, UnsupportedError) else ""
            return _sentence(prefix + error.msg), None
        return None, result.validated_parameters


def _free_text_kind(spec):
    """"str" or "list" for an option whose value of that kind Ansible gives back as it is (no choices,
    aliases, default or suboptions), else None."""
    if any(spec.get(key) is not None for key in ("choices", "aliases", "default", "options", "fallback")):
        return None
    kind = spec.get("type", "str")
    if kind == "str" or (kind == "list" and spec.get("elements") == "str"):
        return kind
    return None


def _is_kind(value, kind):
    if kind == "str":
        return isinstance(value, str)
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _sentence(message):
    message = message.strip()
    return message if message.endswith(".") else message + "."
