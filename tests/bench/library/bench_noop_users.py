# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark floor for connect_users: the same options, validated the same way, and nothing else.

With ``users`` holding 10,000 entries, this measures what Ansible itself spends
on such a task: templating the list on the controller, serialising it into the
module's arguments, and validating every entry's suboptions in AnsibleModule.
bench_noop_users_raw takes ``users`` as a raw value instead (no per-entry
validation), which splits that cost in two.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.posit.connect.plugins.module_utils._planning.users import user_entry_spec

# As in bench_noop_user: the entry options come from the collection, the connection options are copied.
CONNECTION = dict(
    url=dict(type="str", required=True),
    api_key=dict(type="str", required=True, no_log=True),
    validate_certs=dict(type="bool", default=True),
    ca_path=dict(type="path"),
    timeout=dict(type="float", default=30.0),
    retries=dict(type="int", default=5),
    retry_max_time=dict(type="float", default=60.0),
)
USER_OPTIONS = user_entry_spec()
OTHER = dict(
    unlisted=dict(type="str", default="keep", choices=["keep", "lock"]),
    max_locks=dict(type="int", default=10),
    concurrency=dict(type="int", default=4),
)


ARGUMENT_SPEC = dict(CONNECTION, **OTHER)
ARGUMENT_SPEC["users"] = dict(type="list", elements="dict", required=True, options=USER_OPTIONS,
                              mutually_exclusive=[("password", "user_must_set_password")])


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.exit_json(changed=False)


if __name__ == "__main__":
    main()
