# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks every module's input passes before anything is sent to Connect.

``check_inputs`` runs right after the AnsibleModule is built. It first makes
sure secrets cannot show (every written form of the API key, and credentials
put into url, are added to the values Ansible masks), then fails the task with
one sentence at the first problem: a non-string given for a string option, a
control character, an invisible format character (zero-width space, byte order
mark, direction marks) in a name, stray whitespace or emptiness in a name, an
address that is not an email address, or a number out of range. Messages name
the option (and the entry, ``users[2].email``), never its value.

Names that pass are then put in Unicode's composed form (NFC), in place, before
any planner compares or sends them: Connect and the people reading its pages
see one ``José`` whichever way the keyboard or the export spelled it.
"""

from __future__ import annotations

import json
import math
import os
import re
import unicodedata
from urllib.parse import unquote

from ansible.module_utils.basic import AnsibleModule, _load_params, env_fallback

from ansible_collections.posit.connect.plugins.module_utils._api.identity import forbidden_character, nfc

# Options (and lists of references) that name a user or a group.
IDENTIFYING = frozenset(("username", "new_username", "name", "new_name", "group", "user", "owner", "guid", "successor",
                         "unlisted_successor"))
REFERENCE_LISTS = frozenset(("groups", "members", "users"))
# Options where leading or trailing whitespace is a mistake.
TRIMMED = IDENTIFYING | REFERENCE_LISTS | frozenset(("email", "unique_id"))
# Options that must not be empty when given.
NOT_EMPTY = IDENTIFYING | REFERENCE_LISTS
# Options put in composed form (NFC) before they are compared or sent.
COMPOSED = (IDENTIFYING | REFERENCE_LISTS | frozenset(("email", "first_name", "last_name"))) - frozenset(("guid",))
STRING_TYPES = ("str", "path")

# option: (lowest, lowest allowed itself, highest, wording of the range)
RANGES = {
    "timeout": (0, False, 3600, "a number of seconds above 0 and at most 3600"),
    "retry_max_time": (0, True, 86400, "a number of seconds from 0 to 86400"),
    "retries": (0, True, 100, "a whole number from 0 to 100"),
    "concurrency": (1, True, 32, "a whole number from 1 to 32"),
    "limit": (0, True, None, "0 or more"),
    "inactive_days": (1, True, None, "1 or more"),
    "max_locks": (0, True, None, "0 or more"),
    "max_deletes": (0, True, None, "0 or more"),
}


def check_inputs(module, argument_spec):
    """Fail ``module`` (an AnsibleModule) with one sentence at the first bad input."""
    raw = _raw_params(module)
    _hide_secrets(module)
    problem = (_url_problem(module.params.get("url"))
               or _api_key_problem(module)
               or _type_problem(argument_spec, raw)
               or _string_problem(argument_spec, module.params)
               or _number_problem(argument_spec, module.params))
    if problem:
        module.fail_json(msg=problem)
    compose_names(argument_spec, module.params)


def compose_names(argument_spec, values):
    """Put the names in ``values`` (options, list items, suboptions) in composed form (NFC), in place."""
    for container, key, unused_label, name in _string_slots(argument_spec, values):
        if name in COMPOSED and not isinstance(container, tuple):
            container[key] = nfc(container[key])


def _raw_params(module):
    """The task's arguments as given, before Ansible converted them to the options' types."""
    try:
        raw = _load_params()
    except Exception:  # pylint: disable=broad-except
        raw = None
    if isinstance(raw, dict):
        return raw
    return module.params if module is not None else {}


# -- secrets ---------------------------------------------------------------------


class MaskingAnsibleModule(AnsibleModule):
    """An AnsibleModule that hides the secrets it was given even when its own argument checks fail.

    ansible-core collects the values of no_log options only once the options have the right shape: a
    task with, say, a string where a list of dicts is expected fails before, and its invocation would
    show api_key. Every failure of this module masks the given no_log values (and their escaped forms).
    """

    def fail_json(self, *args, **kwargs):  # pylint: disable=arguments-differ
        self.no_log_values.update(given_secrets(self.argument_spec, _raw_params(None)))
        super().fail_json(*args, **kwargs)

    def _log_invocation(self):
        # The invocation goes to syslog or the journal while the module starts: check the
        # input first (a NUL character would otherwise fail the logging itself, with
        # ansible-core's words) and hide the credentials of a url and the key's other forms.
        check_inputs(self, self.argument_spec)
        super()._log_invocation()


def given_secrets(argument_spec, values):
    """Every written form of the no_log values in ``values`` (raw task arguments), suboptions included."""
    found = set()
    values = values if isinstance(values, dict) else {}
    for name, spec in argument_spec.items():
        value = values.get(name)
        if spec.get("no_log") and value is None:
            value = _env_fallback_value(spec)
        if spec.get("no_log"):
            found.update(_leaf_forms(value))
        if spec.get("options") and value is not None:
            for entry in value if isinstance(value, list) else [value]:
                found.update(given_secrets(spec["options"], entry))
    return found


def _env_fallback_value(spec):
    fallback = spec.get("fallback") or ()
    if len(fallback) < 2 or fallback[0] is not env_fallback:
        return None
    for variable in fallback[1]:
        if variable in os.environ:
            return os.environ[variable]
    return None


def _leaf_forms(value):
    if isinstance(value, str):
        return _written_forms(value)
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return set(form for item in value for form in _leaf_forms(item))
    return set()


def _hide_secrets(module):
    """Add every form of the API key, and any credentials in url, to the values Ansible masks."""
    key = module.params.get("api_key")
    if isinstance(key, str):
        module.no_log_values.update(_written_forms(key))
        module.params["api_key"] = key.strip()
    module.no_log_values.update(_url_secrets(module.params.get("url")))


def _written_forms(text):
    """``text`` and its stripped form, as given, repr-, ASCII- and JSON-escaped."""
    forms = set()
    for value in (text, text.strip()):
        forms.update((value, repr(value)[1:-1], ascii(value)[1:-1],
                      json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]))
    return set(form for form in forms if form.strip())


def _userinfo(url):
    """The ``user:password`` part of a url ("" when there is none)."""
    rest = url.partition("://")[2] or url
    for end in "/?#":
        rest = rest.partition(end)[0]
    return rest.rpartition("@")[0] if "@" in rest else ""


def _url_secrets(url):
    if not isinstance(url, str):
        return set()
    userinfo = _userinfo(url)
    if not userinfo:
        return set()
    password = userinfo.partition(":")[2]
    values = set((url, url.strip(), userinfo, unquote(userinfo), password, unquote(password)))
    forms = set()
    for value in values:
        if value:
            forms.update(_written_forms(value))
    return forms


def _url_problem(url):
    if isinstance(url, str) and _userinfo(url):
        return "url must not contain a user name or password; give the Connect API key in api_key instead."
    return None


def _api_key_problem(module):
    key = module.params.get("api_key")
    if not isinstance(key, str):
        return None
    if _CONTROL.search(key):
        return "api_key contains a control character; copy the Connect API key again (it is not shown)."
    if any(ord(char) > 127 for char in key):
        return "api_key contains a non-ASCII character; Connect API keys are ASCII (the key is not shown)."
    return None


# -- types -------------------------------------------------------------------------


def _kind(value):
    """What a non-string value is, with its article: "a list", "an int"."""
    for kind, types in (("a bool", bool), ("an int", int), ("a float", float), ("a dict", dict), ("a list", (list, tuple))):
        if isinstance(value, types):
            return kind
    return "a " + type(value).__name__


def _type_problem(argument_spec, raw):
    for label, unused_name, value in _string_fields(argument_spec, raw):
        if value is not None and not isinstance(value, str):
            return "{0} must be a string, not {1}.".format(label, _kind(value))
    return None


def _string_fields(argument_spec, values, prefix=""):
    """(label, option name, value) of every string given: options, list items and suboptions."""
    for container, key, label, name in _string_slots(argument_spec, values, prefix):
        yield label, name, container[key]


def _string_slots(argument_spec, values, prefix=""):
    """(container, key, label, option name) of every string given: options, list items and suboptions.

    ``container[key]`` is the string, so that a caller may read it (the checks)
    or replace it (composing names) with one walk of the options.
    """
    if not isinstance(values, dict):
        return
    for name, spec in argument_spec.items():
        value = values.get(name)
        if value is None:
            continue
        label = prefix + name
        kind = spec.get("type", "str")
        if kind in STRING_TYPES:
            yield values, name, label, name
        elif kind == "list" and isinstance(value, (list, tuple)):
            yield from _list_slots(spec, value, label, name)
        elif kind == "dict" and spec.get("options") and isinstance(value, dict):
            # A dict option with suboptions (connect_content_access's viewers): its strings count too.
            yield from _string_slots(spec["options"], value, label + ".")


def _list_slots(spec, items, label, name):
    elements = spec.get("elements")
    for index, item in enumerate(items):
        item_label = "{0}[{1}]".format(label, index)
        if elements in STRING_TYPES and item is not None:
            yield items, index, item_label, name
        elif elements == "dict" and spec.get("options"):
            yield from _string_slots(spec["options"], item, item_label + ".")


# -- strings -----------------------------------------------------------------------


# Unicode's control characters (category Cc): C0, DEL and C1.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s")


def _string_problem(argument_spec, params):
    for label, name, value in _string_fields(argument_spec, params):
        if not isinstance(value, str):
            continue
        problem = _one_string_problem(label, name, value)
        if problem:
            return problem
    return None


def _one_string_problem(label, name, value):
    control = _CONTROL.search(value)
    if control:
        return "{0} contains a control character (U+{1:04X}); remove it.".format(label, ord(control.group()))
    invisible = forbidden_character(value) if name in NOT_EMPTY else None
    if invisible:
        # A zero-width space or a direction mark makes a second account or group that looks like the first.
        return "{0} contains an invisible format character (U+{1:04X} {2}); remove it.".format(
            label, ord(invisible), unicodedata.name(invisible, "unnamed"))
    if name in NOT_EMPTY and value == "":
        return "{0} must not be empty.".format(label)
    if name in TRIMMED and value != value.strip():
        return "{0} must not begin or end with whitespace; remove the spaces around it.".format(label)
    if name == "email" and value and not _looks_like_email(value):
        return "{0} is not an email address (one @ between a name and a domain, and no spaces).".format(label)
    return None


def _looks_like_email(value):
    if value.count("@") != 1 or _SPACE.search(value):
        return False
    local, domain = value.split("@")
    return bool(local) and bool(domain)


# -- numbers -----------------------------------------------------------------------


def _number_problem(argument_spec, params):
    for name, bounds in RANGES.items():
        if name not in argument_spec or params.get(name) is None:
            continue
        value = params[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not _in_range(value, bounds):
            return "{0} must be {1}, not {2}.".format(name, bounds[3], value)
    return None


def _in_range(value, bounds):
    lowest, lowest_allowed, highest, unused_wording = bounds
    if not math.isfinite(value):
        return False
    if value < lowest or (value == lowest and not lowest_allowed):
        return False
    return highest is None or value <= highest
