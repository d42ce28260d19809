# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the info modules answer: users or groups found by the API layer's search, with what was asked beside them.

Read only: nothing here plans a write. The search itself (by guid, exact name,
prefix, count, and the workaround for old servers' prefix paging) is the API
layer's ``Resource.find``; this adds the modules' filters and the extra reads
(a user's groups and content, a group's members) and connect_user_info's
dormancy rule (user_details.py).
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.groups import read_members
from ansible_collections.posit.connect.plugins.module_utils._planning.user_details import add_details, dormant_users
from ansible_collections.posit.connect.plugins.module_utils._planning.users import ROLES

ACCOUNT_STATUSES = ("locked", "licensed", "inactive")


def either_of(option, values, allowed):
    """Connect's ``a|b`` filter from a list that may itself hold ``a|b`` strings."""
    if not values:
        return None
    chosen = [part.strip() for value in values for part in value.split("|") if part.strip()]
    wrong = [value for value in chosen if value not in allowed]
    if wrong:
        raise ConnectError("{0} {1!r} is not one of {2}.".format(option, wrong[0], ", ".join(allowed)))
    return "|".join(chosen)


def find_users(api, params):
    """(users, count) for connect_user_info's options; users is empty with count_only."""
    filters = _given({
        "prefix": params["prefix"],
        "user_role": either_of("user_role", params["user_role"], ROLES),
        "account_status": either_of("account_status", params["account_status"], ACCOUNT_STATUSES),
    })
    if params.get("inactive_days") is None:
        users, count = api.users.find(params["guid"], params["username"], filters, params["limit"], params["count_only"])
    else:
        users, count = _dormant(api, params, filters)
    if params["count_only"] or not users:
        return [], count
    return add_details(api, users, groups=params["include_groups"], content=params.get("include_content")), count


def _dormant(api, params, filters):
    """(dormant users, their count): every matching account is read, and judged here (Connect knows only 365 days)."""
    if params["limit"] is not None and params["limit"] < 1:
        raise ConnectError("limit must be 1 or more, not {0}.".format(params["limit"]))
    users, unused_count = api.users.find(None, params["username"], filters)
    dormant = dormant_users(users, params["inactive_days"])
    return (dormant[:params["limit"]] if params["limit"] is not None else dormant), len(dormant)


def find_groups(api, params):
    """(groups, count) for connect_group_info's options; groups is empty with count_only."""
    groups, count = api.groups.find(params["guid"], params["name"], _given({"prefix": params["prefix"]}),
                                    params["limit"], params["count_only"])
    if params["count_only"]:
        return [], count
    if params["include_members"]:
        groups = [dict(group, members=sorted(({"guid": member["guid"], "username": member["username"]}
                                              for member in read_members(api, group, "include_members")),
                                             key=lambda member: member["username"]))
                  for group in groups]
    return groups, count


def _given(filters):
    return dict((key, value) for key, value in filters.items() if value)
