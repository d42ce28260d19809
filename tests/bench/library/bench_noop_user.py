# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark floor for connect_user: the same options, validated the same way, and nothing else.

No request, no import of requests: what this module costs is Ansible's own price
of a module task (templating the arguments, building and shipping the module,
starting Python, validating the arguments, returning the result).
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.posit.connect.plugins.module_utils._planning.users import user_argument_spec

# The user options come from the collection (a pure-Python module_utils that imports
# nothing heavy), so the floor validates exactly what connect_user validates; the
# connection options are copied from module_base.py, which would import requests.
CONNECTION = dict(
    url=dict(type="str", required=True),
    api_key=dict(type="str", required=True, no_log=True),
    validate_certs=dict(type="bool", default=True),
    ca_path=dict(type="path"),
    timeout=dict(type="float", default=30.0),
    retries=dict(type="int", default=5),
    retry_max_time=dict(type="float", default=60.0),
)
ARGUMENT_SPEC = dict(CONNECTION, **user_argument_spec())  # user_argument_spec includes force


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True,
                           required_one_of=[("username", "guid")],
                           mutually_exclusive=[("password", "user_must_set_password")])
    module.exit_json(changed=False)


if __name__ == "__main__":
    main()
