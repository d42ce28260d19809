# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark floor without per-entry validation: ``users`` is taken as a raw value.

Compared with bench_noop_users, it separates Ansible's cost of moving a large
list into a module from the cost of validating each entry's suboptions.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec=dict(
        url=dict(type="str"), api_key=dict(type="str", no_log=True), users=dict(type="raw", required=True),
    ), supports_check_mode=True)
    module.exit_json(changed=False)


if __name__ == "__main__":
    main()
