#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: connect_user_info
short_description: Find and count Posit Connect users
version_added: 1.0.0
description:
  - Lists the users of a Posit Connect server that match filters, counts them, or gets one user by username or GUID.
  - Pages through the whole result (500 users a request), so nothing is silently cut off.
  - Read-only; it never changes anything and runs in check mode.
author:
  - Posit Connect collection maintainers (@posit-dev)
options:
  prefix:
    description:
      - Only users whose username, first name or last name starts with this text, case-insensitively.
      - Connect orders prefix results by similarity to the prefix.
      - Connect before 2025.04 returns only the first 500 matches of a prefix search. When more match,
        the module reads the full listing instead and matches the prefix itself, in Connect's order
        without a prefix (first name, last name, username).
    type: str
  username:
    description:
      - Only the user with exactly this username (case-sensitive). Unlike a prefix search, C(jo) does not find C(john).
    type: str
  guid:
    description:
      - Only the user with this GUID. Fails when no user has it.
    type: str
  user_role:
    description:
      - Only users with one of these roles. A list, or Connect's own V(viewer|publisher) form.
    type: list
    elements: str
  account_status:
    description:
      - Only users with one of these account statuses. A list, or Connect's own V(locked|inactive) form.
      - V(locked) accounts are locked; V(licensed) accounts are unlocked and were active in the last year;
        V(inactive) accounts are unlocked and were not. Connect allows this filter to administrators only.
    type: list
    elements: str
  limit:
    description:
      - Return at most this many users, and stop reading the server once they are in.
      - RV(count) still gives the number of all matching users.
    type: int
  count_only:
    description:
      - Return only RV(count), the number of matching users, at the cost of one request. RV(users) is then empty.
    type: bool
    default: false
  include_groups:
    description:
      - Add C(groups), the list of groups (C(guid) and C(name)) each returned user belongs to.
      - Connect has no endpoint for a user's groups, so this reads every group's members once per task
        (one listing of groups plus one member listing per group), whatever the number of users returned.
      - Not available where the authentication provider keeps group memberships to itself (LDAP); the task then fails
        saying so, in the same words as O(posit.connect.connect_group_info#module:include_members).
    type: bool
    default: false
  include_content:
    description:
      - Add C(content), the content items each returned user owns, each with C(guid), C(name), C(title), C(app_mode),
        C(access_type), C(content_url) and C(dashboard_url).
      - Costs one request whatever the number of users returned (C(GET /v1/content), an unpaged listing, filtered by
        C(owner_guid) when one user is returned); with O(include_groups) the two are read side by side.
      - Lists what the API key's user may see; an administrator's key sees every item.
    type: bool
    default: false
    version_added: 1.0.0
  inactive_days:
    description:
      - Only unlocked accounts that have not been active in the last O(inactive_days) days (dormant accounts, which
        still take a licence seat). An account that was never active counts only when it was created more than
        O(inactive_days) days ago, so a new account is not reported before its owner had a chance to sign in.
      - Decided by the module from each account's C(active_time) and C(created_time), against the clock of the host
        that runs it. Connect's own O(account_status=inactive) is the same rule with a fixed 365 days.
      - Combines with the other filters. The whole matching listing is read (also with O(count_only)), and
        O(limit) and RV(count) apply to the dormant accounts.
      - Not with O(guid).
    type: int
    version_added: 1.0.0
extends_documentation_fragment:
  - posit.connect.connect
  - posit.connect.connect.attributes
attributes:
  check_mode:
    description: Read-only; runs the same in check mode.
    support: full
  diff_mode:
    description: Nothing changes, so there is no diff.
    support: N/A
seealso:
  - module: posit.connect.connect_user
"""

EXAMPLES = r"""
- name: Find users whose name starts with "jo"
  posit.connect.connect_user_info:
    prefix: jo
  register: found

- name: Get one user by exact username
  posit.connect.connect_user_info:
    username: ana
  register: ana

- name: Count licensed publishers and administrators (one request)
  posit.connect.connect_user_info:
    user_role: [publisher, administrator]
    account_status: licensed
    count_only: true
  register: licensed

- name: List locked accounts with their groups
  posit.connect.connect_user_info:
    account_status: locked
    include_groups: true
  register: locked

- name: Show them
  ansible.builtin.debug:
    msg: "{{ locked.users | map(attribute='username') | list }}"

- name: Accounts not active for 90 days, with the content they own (licence seats to free)
  posit.connect.connect_user_info:
    inactive_days: 90
    include_content: true
  register: dormant

- name: Show them with what they own
  ansible.builtin.debug:
    msg: "{{ item.username }} owns {{ item.content | map(attribute='name') | list }}"
  loop: "{{ dormant.users }}"
  loop_control:
    label: "{{ item.username }}"
"""

RETURN = r"""
users:
  description:
    - The matching users, as Connect returns them, in the server's order; with O(include_groups), each has C(groups),
      and with O(include_content), C(content).
  returned: always
  type: list
  elements: dict
  contains:
    guid: {description: The account's GUID (V(null) for an account predicted in check mode)., type: str}
    username: {description: The username., type: str}
    email: {description: The email address (empty when Connect hides addresses from the key's user)., type: str}
    first_name: {description: First name., type: str}
    last_name: {description: Last name., type: str}
    user_role: {description: "V(administrator), V(publisher) or V(viewer).", type: str}
    locked: {description: Whether the account is locked., type: bool}
    confirmed: {description: Whether the user confirmed the account (password authentication)., type: bool}
    created_time: {description: When the account was made (RFC 3339)., type: str}
    updated_time: {description: When the account last changed (RFC 3339)., type: str}
    active_time: {description: "When the user was last active (RFC 3339), or V(null).", type: str}
    groups:
      description: With O(include_groups), the groups the user is in, each with C(guid) and C(name).
      type: list
      elements: dict
    content:
      description:
        - With O(include_content), the content items the user owns, each with C(guid), C(name), C(title),
          C(app_mode), C(access_type), C(content_url) and C(dashboard_url).
      type: list
      elements: dict
  sample:
    - guid: 8f1c3b0e-2f0e-4f6f-9a57-6b4ad3f1a0c2
      username: ana
      email: ana@example.com
      first_name: Ana
      last_name: Lima
      user_role: publisher
      locked: false
      confirmed: true
      created_time: "2026-11-28T10:00:00Z"
      updated_time: "2026-11-28T10:00:00Z"
      active_time: null
count:
  description:
    - The number of users matching the filters, all of them even when O(limit) returned fewer.
    - With O(inactive_days), the number of dormant accounts among them.
  returned: always
  type: int
  sample: 42
status:
  description:
    - The HTTP status of the request that failed.
    - Left out when the task failed before any request did (a bad option, or a refusal while planning).
  returned: on failure, when a request failed
  type: int
  sample: 409
code:
  description:
    - Connect's own error code for the request that failed (see Connect's API error codes).
    - Left out when Connect's answer carried no code.
  returned: on failure, when Connect gave a code
  type: int
  sample: 8
"""

from ansible_collections.posit.connect.plugins.module_utils._planning.info import find_users
from ansible_collections.posit.connect.plugins.module_utils.module_base import ConnectModule

ARGUMENT_SPEC = dict(
    prefix=dict(type="str"),
    username=dict(type="str"),
    guid=dict(type="str"),
    user_role=dict(type="list", elements="str"),
    account_status=dict(type="list", elements="str"),
    limit=dict(type="int"),
    count_only=dict(type="bool", default=False),
    include_groups=dict(type="bool", default=False),
    include_content=dict(type="bool", default=False),
    inactive_days=dict(type="int"),
)


def main():
    exclusive = [("username", "guid"), ("username", "prefix"), ("guid", "prefix"), ("guid", "inactive_days")]
    module = ConnectModule(ARGUMENT_SPEC, mutually_exclusive=exclusive)
    users, count = module.run(find_users, module.api, module.params)
    module.exit(changed=False, users=users, count=count)


if __name__ == "__main__":
    main()
