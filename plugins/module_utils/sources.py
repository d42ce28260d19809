# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The entries of a ``src`` file (read by the action plugin), validated as ``users`` entries are.

The action plugin sends ``[[line, entry], ...]`` as one JSON text. Each entry
goes through the same two steps as an entry of ``users``: Ansible's own
validation of the suboptions (ArgumentSpecValidator, the engine AnsibleModule
uses, with the same spec: types, choices, defaults, unknown keys), then the
collection's input checks (inputs.py: strings given as strings, no control
characters, no stray whitespace, email addresses). Every failing row is named by
the file and its line; the passwords of the rows are added to the values Ansible
masks, as a no_log suboption's are.
"""

from __future__ import annotations

import json

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.posit.connect.plugins.module_utils.inputs import _string_problem, _type_problem, given_secrets

# How many failing rows one message lists before it says how many more there are.
ROWS_SHOWN = 10


def src_entries(module, name, text, options):
    """The validated entries of ``src`` (``module``: an AnsibleModule), or the task fails naming the bad rows."""
    try:
        rows = json.loads(text)
    except (TypeError, ValueError):
        module.fail_json(msg="src: the entries did not come from the action plugin; run connect_users as a task, "
                             "with src naming a file on the controller.")
    validator = ArgumentSpecValidator(options)
    entries, problems = [], []
    for line, raw in rows:
        if raw.get("password") is not None:
            module.no_log_values.update(given_secrets(options, raw))
        problem, entry = _entry_problem(validator, options, raw)
        if problem:
            problems.append("{0} line {1}: {2}".format(name, line, problem))
        else:
            entries.append(entry)
    if problems:
        more = len(problems) - ROWS_SHOWN
        shown = "; ".join(problem.rstrip(".") for problem in problems[:ROWS_SHOWN])
        module.fail_json(msg=shown + (" (and {0} more rows).".format(more) if more > 0 else "."))
    return entries


def _entry_problem(validator, options, raw):
    """(problem or None, validated entry)."""
    result = validator.validate(raw)
    if result.error_messages:
        error = result.errors.errors[0]
        # AnsibleModule words an unknown key "Unsupported parameters for (module) module: key. Supported ...".
        prefix = "Unsupported parameters: " if isinstance(error, UnsupportedError) else ""
        return _sentence(prefix + error.msg), None
    entry = result.validated_parameters
    return _type_problem(options, raw) or _string_problem(options, entry), entry


def _sentence(message):
    message = message.strip()
    return message if message.endswith(".") else message + "."
