# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module of the collection shares: options, the client, and the run.

A module builds a ConnectModule with its own options, asks its planner for a
Plan, and hands it to ``finish``; everything else (check mode, diff, errors,
partial failures) is handled here the same way for all modules.
"""

from __future__ import annotations

import os

from ansible.module_utils.basic import env_fallback, missing_required_lib
from ansible.module_utils.errors import AnsibleFallbackNotFound
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.posit.connect.plugins.module_utils._api.connect import ConnectApi
from ansible_collections.posit.connect.plugins.module_utils._http.client import (
    REQUESTS_IMPORT_ERROR,
    ConnectClient,
    RetryPolicy,
)
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils.inputs import MaskingAnsibleModule, check_inputs
from ansible_collections.posit.connect.plugins.module_utils._planning.failures import overtaken
from ansible_collections.posit.connect.plugins.module_utils._planning.lifeline import Lifeline
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import PartiallyApplied, RunGate


# Requests at once (listing pages, member reads, writes) for modules without a concurrency option.
DEFAULT_CONCURRENCY = 4


def _validate_certs_from_environment():
    """CONNECT_INSECURE=true (the variable rsconnect-python reads) turns verification off."""
    value = os.environ.get("CONNECT_INSECURE")
    if value is None or value.strip() == "":
        raise AnsibleFallbackNotFound
    return not boolean(value, strict=False)


def connect_argument_spec():
    """The connection options every module takes (documented in the ``connect`` doc fragment)."""
    return dict(
        url=dict(type="str", required=True, fallback=(env_fallback, ["CONNECT_SERVER"])),
        api_key=dict(type="str", required=True, no_log=True, fallback=(env_fallback, ["CONNECT_API_KEY"])),
        validate_certs=dict(type="bool", default=True, fallback=(_validate_certs_from_environment,)),
        ca_path=dict(type="path", fallback=(env_fallback, ["CONNECT_CA_CERTIFICATE"])),
        timeout=dict(type="float", default=30.0),
        retries=dict(type="int", default=5),
        retry_max_time=dict(type="float", default=60.0),
    )


class ConnectModule:
    """An AnsibleModule with the Connect options, a client, and plan/apply reporting."""

    def __init__(self, argument_spec, **kwargs):
        spec = connect_argument_spec()
        spec.update(argument_spec)
        # Read first: the processes above this one, while the run that started it is surely there.
        self.lifeline = Lifeline()
        self.ansible = MaskingAnsibleModule(argument_spec=spec, supports_check_mode=True, **kwargs)
        check_inputs(self.ansible, spec)
        self.params = self.ansible.params
        self.check_mode = self.ansible.check_mode
        if REQUESTS_IMPORT_ERROR:
            self.ansible.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        self._client = None
        self._api = None

    @property
    def client(self):
        if self._client is None:
            self._client = self._build_client()
        return self._client

    @property
    def api(self):
        """The server's resources (users, groups, facts) over this module's client."""
        if self._api is None:
            self._api = ConnectApi(self.client)
        return self._api

    @property
    def diff_mode(self):
        return bool(self.ansible._diff)

    def _build_client(self):
        params = self.params
        if not params["validate_certs"]:
            self.ansible.warn("TLS certificate verification is off (validate_certs: false); "
                              "prefer ca_path to trust a private CA.")
        try:
            return ConnectClient(
                params["url"], params["api_key"],
                validate_certs=params["validate_certs"], ca_path=params["ca_path"],
                timeout=params["timeout"],
                retry_policy=RetryPolicy(retries=params["retries"], max_time=params["retry_max_time"]),
                # The task's one budget of requests at once: the concurrency option where a module has one.
                concurrency=params.get("concurrency") or DEFAULT_CONCURRENCY,
            )
        except ConnectError as error:
            self.fail(error)

    def fail_message(self, message, **results):
        self.ansible.fail_json(msg=message, **results)

    def fail(self, error, **results):
        """Fail the task with the error's one-sentence message and its status and code."""
        results.update(error.to_result())
        results.update(getattr(error, "details", None) or {})
        if isinstance(error, PartiallyApplied):
            results["changed"] = bool(error.applied)
            results["operations"] = [op.describe() for op in error.applied]
        self.ansible.fail_json(msg=error.message, **results)

    def run(self, planner, *args, **kwargs):
        """Call a planner, turning a ConnectError into a failed task."""
        try:
            return planner(*args, **kwargs)
        except ConnectError as error:
            self.fail(error)

    def finish(self, plan, result_key, diff_fields, verify=None, **results):
        """Apply the plan unless in check mode, then exit with the resource and the diff.

        ``diff_fields``: the managed fields, or a function that makes the diff of a plan (groups show their
        owner by username). ``verify(plan)`` reads back what was written and gives the differences from the
        plan's desired state (words); any fails the task: another change overtook this run.
        """
        if not self.check_mode:
            self.run(plan.apply)
            differences = self.run(verify, plan) if verify is not None else []
            if differences:
                self.fail_message(overtaken(differences), changed=plan.changed, operations=plan.describe())
        results["changed"] = plan.changed
        results["operations"] = plan.describe()
        results[result_key] = plan.after
        if self.diff_mode:
            results["diff"] = diff_fields(plan) if callable(diff_fields) else plan.diff(diff_fields)
        self.exit(plan.warnings + (plan.notes if self.check_mode else []), **results)

    def finish_bulk(self, planner, work, failures, notes):
        """Apply every item's plan unless in check mode (the task's pool at a time), confirm what was written,
        then exit.

        ``planner`` is the BulkPlanner that made the work: it applies it (the
        unlisted objects last), confirms it (``confirm``), and its report's
        ``summarize``, ``diff_of`` and ``failure_message`` say what happened.
        """
        report = planner.report
        if not self.check_mode:
            planner.apply(work, self.client.pool.map, RunGate(self.lifeline))
            failures = list(failures) + planner.confirm(work)
        results = report.summarize(work, failures, self.check_mode)
        results.update(notes, changed=bool(results["operations"]))
        if self.diff_mode:
            results["diff"] = report.diff_of(work)
        warnings = [warning for item in work for warning in item.plan.warnings]
        if self.check_mode:
            # One sentence for the whole list, not one per account.
            warnings.extend(report.check_mode_notes(work))
        self.exit(warnings, report.failure_message(results["failures"]), **results)

    def exit(self, warnings=(), failure=None, **results):
        """End the task: with ``failure`` (a sentence) as a failed task that still reports ``results``."""
        for warning in warnings:
            self.ansible.warn(warning)
        if failure:
            self.ansible.fail_json(msg=failure, **results)
        self.ansible.exit_json(**results)
