# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a module's main() against the fake server, in the community.general style.

``set_module_args`` gives the module its arguments, ``exit_json``/``fail_json``
raise AnsibleExitJson/AnsibleFailJson with the result, and ConnectModule's
client is the real ConnectClient with the fake server as its session.
"""

from __future__ import annotations

import contextlib
import json
from unittest import mock

from ansible.module_utils import basic

from ansible_collections.posit.connect.plugins.module_utils import module_base
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import KEY, SERVER

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core before 2.19
    @contextlib.contextmanager
    def patch_module_args(args):
        with mock.patch.object(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()):
            yield


class AnsibleExitJson(Exception):
    """exit_json was called; the result is ``args[0]``."""


class AnsibleFailJson(Exception):
    """fail_json was called; the result is ``args[0]``."""


def exit_json(self, **kwargs):  # pylint: disable=unused-argument
    kwargs.setdefault("changed", False)
    raise AnsibleExitJson(kwargs)


def fail_json(self, msg, **kwargs):  # pylint: disable=unused-argument
    kwargs["failed"] = True
    kwargs["msg"] = msg
    raise AnsibleFailJson(kwargs)


def set_module_args(args):
    """The module's arguments, with the connection options added."""
    full = {"url": SERVER, "api_key": KEY}
    full.update(args)
    return patch_module_args(full)


class Harness:
    """Runs modules against one fake server; ``warnings`` collects what they warned."""

    def __init__(self, monkeypatch, fake):
        self.fake = fake
        self.warnings = []
        self.clients = []
        real_client = module_base.ConnectClient

        def client_over_fake(*args, **kwargs):
            client = real_client(*args, **kwargs)
            client.session = fake
            self.clients.append(client)
            return client

        monkeypatch.setattr(module_base, "ConnectClient", client_over_fake)
        monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
        monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
        monkeypatch.setattr(basic.AnsibleModule, "warn", lambda module, warning: self.warnings.append(warning))

    def run(self, module, check_mode=False, diff=False, **args):
        """(result, failed) of the module's main() with ``args``."""
        if check_mode:
            args["_ansible_check_mode"] = True
        if diff:
            args["_ansible_diff"] = True
        with set_module_args(args):
            try:
                module.main()
            except AnsibleExitJson as done:
                return done.args[0], False
            except AnsibleFailJson as failed:
                return failed.args[0], True
        raise AssertionError("main() returned without exit_json or fail_json")

    def ok(self, module, **args):
        result, failed = self.run(module, **args)
        assert not failed, result.get("msg")
        return result

    def fails(self, module, *words, **args):
        """The failed result, whose msg is one sentence holding every keyword (case-insensitive)."""
        result, failed = self.run(module, **args)
        assert failed, result
        message = result["msg"]
        for word in words:
            assert word.lower() in message.lower(), (word, message)
        assert "\n" not in message and "Traceback" not in message and KEY not in json.dumps(result)
        return result

    def same_failure_in_check_mode_and_real_run(self, module, *words, **args):
        """Both fail with the same message, and nothing is written."""
        checked = self.fails(module, *words, check_mode=True, **args)
        applied = self.fails(module, *words, **args)
        assert checked["msg"] == applied["msg"]
        assert self.fake.writes() == []
        return applied
