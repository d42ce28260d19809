# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""check_inputs refuses bad input with one sentence and hides every form of a secret."""

from __future__ import annotations

import contextlib
import json
from unittest import mock

import pytest

from ansible.module_utils import basic

from ansible_collections.posit.connect.plugins.module_utils.inputs import MaskingAnsibleModule, check_inputs, given_secrets
from ansible_collections.posit.connect.plugins.module_utils.module_base import connect_argument_spec
from ansible_collections.posit.connect.plugins.modules import connect_content_access, connect_group, connect_group_membership
from ansible_collections.posit.connect.plugins.modules import connect_user, connect_user_info, connect_users

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core before 2.19
    @contextlib.contextmanager
    def patch_module_args(args):
        with mock.patch.object(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()):
            yield

KEY = "k3y-0123456789abcdef"
URL = "https://connect.example.com"
SPECS = {
    "connect_user": connect_user.ARGUMENT_SPEC,
    "connect_user_info": connect_user_info.ARGUMENT_SPEC,
    "connect_users": connect_users.ARGUMENT_SPEC,
    "connect_group": connect_group.ARGUMENT_SPEC,
    "connect_group_membership": connect_group_membership.ARGUMENT_SPEC,
    "connect_content_access": connect_content_access.ARGUMENT_SPEC,
}


class Failed(Exception):
    pass


def fail(msg, **unused_results):
    raise Failed(msg)


def checked(module_name, **options):
    """(module, message): check_inputs run on a real AnsibleModule; message is None when it passed."""
    spec = connect_argument_spec()
    spec.update(SPECS[module_name])
    args = dict(url=URL, api_key=KEY)
    args.update(options)

    # MaskingAnsibleModule checks while it starts (before the invocation is logged), as modules do;
    # the failing module comes back with the failure, for its masked values.
    def fail_module(module, msg, **unused_results):
        raise Failed(msg, module)

    with patch_module_args(args), mock.patch.object(MaskingAnsibleModule, "fail_json", autospec=True,
                                                    side_effect=fail_module):
        try:
            module = MaskingAnsibleModule(argument_spec=spec, supports_check_mode=True)
            check_inputs(module, spec)
        except Failed as failure:
            return failure.args[1], failure.args[0]
    return module, None


def refused(module_name, *words, **options):
    unused_module, message = checked(module_name, **options)
    assert message, "accepted: {0}".format(options)
    assert message.endswith(".") and "\n" not in message
    for word in words:
        assert word in message, (word, message)
    return message


def accepted(module_name, **options):
    module, message = checked(module_name, **options)
    assert message is None, message
    return module


# -- types ----------------------------------------------------------------------------


@pytest.mark.parametrize("value, kind", [(["a@b.c"], "a list"), ({"a": 1}, "a dict"), (5, "an int"), (True, "a bool"),
                                         (1.5, "a float")])
def test_non_string_for_a_string_option_is_refused(value, kind):
    assert refused("connect_user", username="ana", email=value) == "email must be a string, not {0}.".format(kind)


def test_non_string_in_a_suboption_names_the_entry():
    users = [{"username": "a"}, {"username": "b"}, {"username": "c", "email": {"x": 1}}]
    assert refused("connect_users", users=users) == "users[2].email must be a string, not a dict."


def test_non_string_list_element_is_refused():
    refused("connect_group_membership", "groups[1] must be a string, not an int", user="ana", groups=["eng", 7])
    refused("connect_users", "users[0].groups[0] must be a string", users=[{"username": "a", "groups": [["x"]]}])


def test_options_not_given_and_null_are_fine():
    accepted("connect_user", username="ana", email=None, first_name=None)
    accepted("connect_user_info")


def test_path_option_must_be_a_string_too():
    refused("connect_user", "ca_path must be a string", username="ana", ca_path=["/a"])


# -- api_key --------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["  " + KEY, KEY + "\n", "\t" + KEY + " \r\n"])
def test_api_key_is_trimmed(given):
    module = accepted("connect_user", username="ana", api_key=given)
    assert module.params["api_key"] == KEY
    assert given in module.no_log_values and KEY in module.no_log_values


@pytest.mark.parametrize("given, words", [
    ("abc\x01def-key", ["api_key", "control character"]),
    ("abc\x00def-key", ["api_key", "control character"]),
    ("abc\ndef-key", ["api_key", "control character"]),
    ("abc\u00e9def-key", ["api_key", "non-ASCII"]),
    ("abc\u2603def-key", ["api_key", "non-ASCII"]),
])
def test_bad_api_key_is_refused_without_showing_it(given, words):
    module, message = checked("connect_user", username="ana", api_key=given)
    assert message and all(word in message for word in words), message
    for form in (given, repr(given)[1:-1], ascii(given)[1:-1], json.dumps(given)[1:-1], "abc", "def-key"):
        assert form not in message
    for form in (given, repr(given)[1:-1], ascii(given)[1:-1], json.dumps(given)[1:-1]):
        assert form in module.no_log_values, form


def test_whitespace_only_forms_are_not_masked():
    module = accepted("connect_user", username="ana", api_key=KEY + "  ")
    assert all(value.strip() for value in module.no_log_values)


# -- url --------------------------------------------------------------------------------


@pytest.mark.parametrize("url, userinfo, password", [
    ("https://bob:s3cr3t-pw@connect.example.com", "bob:s3cr3t-pw", "s3cr3t-pw"),
    ("https://bob:p%40ss-word@connect.example.com/path", "bob:p%40ss-word", "p%40ss-word"),
    ("https://only-a-token@connect.example.com", "only-a-token", ""),
    ("bob:s3cr3t-pw@connect.example.com", "bob:s3cr3t-pw", "s3cr3t-pw"),
])
def test_url_with_credentials_is_refused_and_masked(url, userinfo, password):
    module, message = checked("connect_user", username="ana", url=url)
    assert message == ("url must not contain a user name or password; give the Connect API key in api_key instead.")
    assert url in module.no_log_values and userinfo in module.no_log_values
    if password:
        assert password in module.no_log_values
    assert "p@ss-word" in module.no_log_values or "%40" not in url


def test_at_sign_after_the_host_is_not_credentials():
    accepted("connect_user", username="ana", url="https://connect.example.com/a@b?x=@")


def test_url_credentials_are_masked_even_when_another_check_fails_first():
    module, message = checked("connect_user", username="ana", api_key="bad\x01key", url="https://u:pw-123456@h.example")
    assert message.startswith("url")
    assert "u:pw-123456" in module.no_log_values


# -- strings ----------------------------------------------------------------------------


@pytest.mark.parametrize("module_name, options, label", [
    ("connect_user", dict(username="ana", first_name="A\x00na"), "first_name"),
    ("connect_user", dict(username="an\ta"), "username"),
    ("connect_user", dict(username="ana", password="pass\x7fword1"), "password"),
    ("connect_users", dict(users=[{"username": "a"}, {"username": "b", "groups": ["eng", "o\nps"]}]), "users[1].groups[1]"),
    ("connect_group", dict(name="eng\x1b"), "name"),
    ("connect_group_membership", dict(group="eng", users=["ana", "b\x00b"]), "users[1]"),
    ("connect_user_info", dict(prefix="a\x00"), "prefix"),
])
def test_control_characters_are_refused(module_name, options, label):
    message = refused(module_name, "control character", **options)
    assert message.startswith(label + " ")


@pytest.mark.parametrize("module_name, options, label", [
    ("connect_user", dict(username=" ana"), "username"),
    ("connect_user", dict(username="ana", email="ana@example.com "), "email"),
    ("connect_user", dict(username="ana", unique_id=" 42"), "unique_id"),
    ("connect_users", dict(users=[{"username": "a"}, {"username": "b"}, {"username": "c "}]), "users[2].username"),
    ("connect_users", dict(users=[{"username": "a", "groups": [" eng"]}]), "users[0].groups[0]"),
    ("connect_group", dict(name="eng", new_name="ops "), "new_name"),
    ("connect_group", dict(name="eng", owner=" ana"), "owner"),
    ("connect_group", dict(guid=" 6f300623-1e0c-48e6-a473-ddf630c0c0c3"), "guid"),
    ("connect_group_membership", dict(group="eng ", users=["ana"]), "group"),
    ("connect_group_membership", dict(user="ana", groups=["eng", "ops\u00a0"]), "groups[1]"),
    ("connect_user_info", dict(username="ana "), "username"),
])
def test_surrounding_whitespace_in_names_is_refused(module_name, options, label):
    message = refused(module_name, "whitespace", **options)
    assert message.startswith(label + " ")


@pytest.mark.parametrize("char", ["\u200b", "\ufeff", "\u200e", "\u2060"])
@pytest.mark.parametrize("module_name, options, label", [
    ("connect_user", dict(username="alice{0}"), "username"),
    ("connect_users", dict(users=[{"username": "a"}, {"username": "alice{0}"}]), "users[1].username"),
    ("connect_users", dict(users=[{"username": "a", "groups": ["eng{0}"]}]), "users[0].groups[0]"),
    ("connect_group", dict(name="team{0}"), "name"),
    ("connect_group", dict(name="team", new_name="{0}ops"), "new_name"),
    ("connect_group_membership", dict(group="eng", users=["ana", "b{0}ob"]), "users[1]"),
    ("connect_content_access", dict(name="dash", viewers={"users": ["ana"], "groups": ["sa{0}les"]}), "viewers.groups[0]"),
    ("connect_content_access", dict(name="dash", collaborators={"users": ["b{0}ob"]}), "collaborators.users[0]"),
])
def test_invisible_format_characters_in_names_are_refused_naming_the_entry(char, module_name, options, label):
    options = dict((key, _with(value, char)) for key, value in options.items())
    message = refused(module_name, "invisible format character", "U+{0:04X}".format(ord(char)), **options)
    assert message.startswith(label + " ")


def _with(value, char):
    if isinstance(value, str):
        return value.format(char)
    if isinstance(value, list):
        return [_with(item, char) for item in value]
    return dict((key, _with(item, char)) for key, item in value.items())


def test_format_characters_in_free_text_are_left_alone():
    # A zero-width joiner belongs in some scripts' names; only identifying names are strict.
    accepted("connect_user", username="ana", first_name="An\u200da")


def test_names_are_composed_before_anything_compares_them():
    module = accepted("connect_users", users=[{"username": "jose\u0301", "first_name": "Jose\u0301",
                                               "groups": ["E\u0301quipe"]}])
    entry = module.params["users"][0]
    assert entry["username"] == "jos\u00e9" and entry["first_name"] == "Jos\u00e9"
    assert entry["groups"] == ["\u00c9quipe"]
    module = accepted("connect_group", name="E\u0301quipe")
    assert module.params["name"] == "\u00c9quipe"
    # A dict option's suboptions too (connect_content_access's viewers and collaborators).
    module = accepted("connect_content_access", name="dash", viewers={"users": ["jose\u0301"], "groups": ["E\u0301quipe"]})
    assert module.params["viewers"] == {"users": ["jos\u00e9"], "groups": ["\u00c9quipe"]}


def test_whitespace_inside_free_text_is_fine():
    accepted("connect_user", username="ana", first_name=" Ana ", last_name="da Silva")


@pytest.mark.parametrize("module_name, options, label", [
    ("connect_user", dict(username=""), "username"),
    ("connect_user", dict(guid="", username="ana"), "guid"),
    ("connect_user_info", dict(username=""), "username"),
    ("connect_user_info", dict(guid=""), "guid"),
    ("connect_users", dict(users=[{"username": ""}]), "users[0].username"),
    ("connect_group", dict(name=""), "name"),
    ("connect_group", dict(name="eng", new_name=""), "new_name"),
    ("connect_group", dict(name="eng", owner=""), "owner"),
    ("connect_group_membership", dict(group="", users=["ana"]), "group"),
    ("connect_group_membership", dict(user="", groups=["eng"]), "user"),
    ("connect_group_membership", dict(group="eng", users=["ana", ""]), "users[1]"),
])
def test_empty_identifying_options_are_refused(module_name, options, label):
    assert refused(module_name, **options) == "{0} must not be empty.".format(label)


@pytest.mark.parametrize("email", ["a b@c.d", "no-at", "a@", "@b", "a@b@c.d", "ana@exa mple.com"])
def test_email_must_look_like_an_address(email):
    refused("connect_user", "email", "not an email address", username="ana", email=email)
    refused("connect_users", "users[0].email", "not an email address", users=[{"username": "a", "email": email}])


@pytest.mark.parametrize("email", ["", "ana@example.com", "Ana.Lima+tag@sub.example.co.uk", "x@localhost"])
def test_real_and_empty_emails_pass(email):
    accepted("connect_user", username="ana", email=email)


# -- numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize("module_name, option, value", [
    ("connect_user", "timeout", "nan"), ("connect_user", "timeout", "inf"), ("connect_user", "timeout", "-inf"),
    ("connect_user", "timeout", 0), ("connect_user", "timeout", -1), ("connect_user", "timeout", 3600.5),
    ("connect_group", "retry_max_time", "nan"), ("connect_group", "retry_max_time", "inf"),
    ("connect_group", "retry_max_time", -0.1), ("connect_group", "retry_max_time", 86401),
    ("connect_user_info", "retries", -1), ("connect_user_info", "retries", 101),
    ("connect_users", "concurrency", 0), ("connect_users", "concurrency", 33),
    ("connect_user_info", "limit", -1),
    ("connect_users", "max_locks", -1),
])
def test_numbers_out_of_range_are_refused(module_name, option, value):
    options = dict(username="ana") if module_name == "connect_user" else {}
    if module_name == "connect_group":
        options = dict(name="eng")
    if module_name == "connect_users":
        options = dict(users=[{"username": "ana"}])
    options[option] = value
    message = refused(module_name, **options)
    assert message.startswith(option + " must be "), message


@pytest.mark.parametrize("option, value", [("timeout", 3600), ("timeout", 0.001), ("retry_max_time", 0),
                                           ("retry_max_time", 86400), ("retries", 0), ("retries", 100),
                                           ("concurrency", 1), ("concurrency", 32), ("max_locks", 0)])
def test_numbers_at_the_bounds_pass(option, value):
    accepted("connect_users", users=[{"username": "ana"}], **{option: value})


def test_limit_zero_is_left_to_the_module():
    accepted("connect_user_info", limit=0)


def test_ranges_apply_only_to_options_the_module_has():
    spec = connect_argument_spec()
    spec.pop("timeout")
    with patch_module_args(dict(url=URL, api_key=KEY)):
        module = basic.AnsibleModule(argument_spec=spec)
        module.params["timeout"] = -5
        with mock.patch.object(module, "fail_json", side_effect=AssertionError):
            check_inputs(module, spec)


# -- secrets when ansible-core's own checks fail --------------------------------------------------


def test_given_secrets_finds_keys_passwords_and_their_escaped_forms():
    spec = dict(connect_argument_spec(), **connect_users.ARGUMENT_SPEC)
    found = given_secrets(spec, {"api_key": "key\x01one", "users": [{"username": "a", "password": "pw-\u00e9-1"}, "x"]})
    for form in ("key\x01one", "key\\x01one", "key\\u0001one", "pw-\u00e9-1", "pw-\\u00e9-1", "pw-\\xe9-1"):
        assert form in found, form
    assert "a" not in found


def test_given_secrets_reads_the_environment_fallback(monkeypatch):
    monkeypatch.setenv("CONNECT_API_KEY", "env-key-123456")
    assert "env-key-123456" in given_secrets(connect_argument_spec(), {})
    assert "env-key-123456" not in given_secrets(connect_argument_spec(), {"api_key": "given-key-1"})


def test_masking_module_hides_the_key_when_ansible_refuses_an_option_shape(capsys):
    spec = dict(connect_argument_spec(), **connect_users.ARGUMENT_SPEC)
    with patch_module_args(dict(url=URL, api_key=KEY, users="vera")):
        with pytest.raises(SystemExit):
            MaskingAnsibleModule(argument_spec=spec, supports_check_mode=True)
    output = capsys.readouterr().out
    assert json.loads(output)["failed"] is True
    assert KEY not in output
