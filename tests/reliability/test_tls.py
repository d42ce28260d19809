# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Suite 4, TLS: against the simulator's HTTPS mode (a private CA).

The default refuses the certificate with a clear message; ca_path and
CONNECT_CA_CERTIFICATE make it work; validate_certs: false and
CONNECT_INSECURE=true work and warn. REQUESTS_CA_BUNDLE in the environment
(another bundle) must not override any of these choices.
"""

from __future__ import annotations

import pytest

from rel_support import assert_clean_failure, parallel, record

try:
    import certifi
    OTHER_BUNDLE = certifi.where()
except ImportError:  # pragma: no cover
    OTHER_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"

WARNING = "verification is off"


@pytest.fixture(scope="module")
def tls_sim(simulators):
    return simulators(tls=True)


def _cases(sim):
    base = {"url": sim.url, "api_key": sim.key, "retries": 1, "retry_max_time": 5}
    ca = dict(base, ca_path=sim.ca_file)
    insecure = dict(base, validate_certs=False)
    return [
        # (name, connection, environment, expect success, warning expected)
        ("default refuses", base, {}, False, False),
        ("ca_path", ca, {}, True, False),
        ("CONNECT_CA_CERTIFICATE", base, {"CONNECT_CA_CERTIFICATE": sim.ca_file}, True, False),
        ("validate_certs false", insecure, {}, True, True),
        ("CONNECT_INSECURE=true", base, {"CONNECT_INSECURE": "true"}, True, True),
        ("CONNECT_INSECURE=false", base, {"CONNECT_INSECURE": "false"}, False, False),
        ("validate_certs true beats CONNECT_INSECURE", dict(base, validate_certs=True), {"CONNECT_INSECURE": "true"}, False, False),
        ("wrong CA", dict(base, ca_path=OTHER_BUNDLE), {}, False, False),
        ("ca_path beats REQUESTS_CA_BUNDLE", ca, {"REQUESTS_CA_BUNDLE": OTHER_BUNDLE}, True, False),
        ("validate_certs false beats REQUESTS_CA_BUNDLE", insecure, {"REQUESTS_CA_BUNDLE": OTHER_BUNDLE}, True, True),
        ("CONNECT_CA_CERTIFICATE beats CURL_CA_BUNDLE", base,
         {"CONNECT_CA_CERTIFICATE": sim.ca_file, "CURL_CA_BUNDLE": OTHER_BUNDLE}, True, False),
    ]


def test_tls_options(tls_sim, ansible):
    tls_sim.control.reset()
    cases = _cases(tls_sim)

    def run(case):
        name, connection, env = case[:3]
        tasks = [
            {"name": "read", "posit.connect.connect_user_info": dict(connection, prefix="a"), "ignore_errors": True},
            {"name": "write", "posit.connect.connect_group": dict(connection, name="tls-" + name.replace(" ", "-")),
             "ignore_errors": True},
        ]
        return ansible.run(tasks, env=env)

    results = parallel(run, cases, 4)
    problems = []
    for (name, unused_connection, unused_env, success, warns), result in zip(cases, results):
        for task_name in ("read", "write"):
            entry = result.task(task_name)
            try:
                if success:
                    assert entry["status"] == "ok", entry["result"].get("msg")
                    warnings = " ".join(entry["result"].get("warnings") or [])
                    assert (WARNING in warnings) == warns, "warnings: {0!r}".format(warnings)
                else:
                    message = assert_clean_failure(entry, ["TLS certificate", "ca_path"])
                    # Turning verification off is never the advice for an untrusted certificate.
                    assert "validate_certs" not in message, message
            except AssertionError as failure:
                problems.append("{0} / {1}: {2}".format(name, task_name, failure))
    assert not problems, "\n".join(problems)
    made = sorted(g["name"] for g in tls_sim.state()["groups"])
    expected = sorted("tls-" + case[0].replace(" ", "-") for case in cases if case[3])
    assert made == expected
    record("tls", cases=len(cases), tasks=2 * len(cases), unexpected=len(problems))
