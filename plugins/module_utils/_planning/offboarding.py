# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offboarding: what a departing account owns goes to a successor, then the account is locked.

Locking alone leaves a leaver's dashboards running with nobody able to manage
them. This planner puts one ``transfer`` before the lock for every content item
and every group the account owns, so that the plan reads, in order: hand over,
then lock. connect_user asks the server what the account owns (ServerOwnership);
connect_users answers from one listing of all content and one of all groups
(ListedOwnership) whatever the number of leavers. The lock itself comes from
the user planner, with its refusals.
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._api.content import by_owner
from ansible_collections.posit.connect.plugins.module_utils._api.resource import is_guid
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.accounts import ServerAccounts
from ansible_collections.posit.connect.plugins.module_utils._planning.handover import HandoverPlan
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import Operation
from ansible_collections.posit.connect.plugins.module_utils._planning.users import UserPlanner

TRANSFER = "transfer"
# Who a connect_users refusal about unlisted_successor names, instead of one account.
UNLISTED = "the unlisted accounts"
# Roles that may own content (and groups): a viewer cannot publish.
OWNER_ROLES = ("publisher", "administrator")


def refuse(account, why):
    """The one sentence of every offboarding refusal, naming the departing account (or "the unlisted accounts")."""
    who = UNLISTED if account == UNLISTED else "user '{0}'".format(account)
    return ConnectError("Cannot offboard {0}: {1}; nothing was changed.".format(who, why))


def check_successor_option(spec):
    """``successor`` hands over what a locked account owns, so it goes with state: absent only."""
    if spec.get("successor") is not None and spec.get("state", "present") != "absent":
        raise refuse(spec.get("username") or spec.get("guid"),
                     "successor is only for state: absent (the account is locked once what it owns is handed over), "
                     "and this task keeps the account")
    if spec.get("successor") is not None and not str(spec["successor"]).strip():
        raise refuse(spec.get("username") or spec.get("guid"), "successor must not be empty")


def content_target(item):
    """Content names are unique per owner only, so the guid goes with the name."""
    return "content '{0}' ({1})".format(item.get("name"), item["guid"])


def group_target(group):
    return "group '{0}'".format(group.get("name"))


def check_successor(successor, account, current=None, option="successor"):
    """Refuse a successor that could not own what it is given: the user themselves, a locked account, a viewer."""
    name = successor["username"]
    if current is not None and successor["guid"] == current["guid"]:
        raise refuse(account, "{0} '{1}' is the user themselves; name the account that takes over".format(option, name))
    if successor.get("locked"):
        raise refuse(account, "{0} '{1}' is locked, and a locked account cannot manage what it owns".format(option, name))
    if successor.get("user_role") not in OWNER_ROLES:
        raise refuse(account, "{0} '{1}' is a {2}, and content owners must be publishers or administrators".format(
            option, name, successor.get("user_role")))
    return successor


class ServerOwnership:
    """What one departing account owns, asked of the server: its content listing and the groups listing."""

    def __init__(self, api):
        self.api = api
        self._groups = None

    def content_of(self, guid):
        return self.api.content.owned_by(guid)

    def groups_of(self, guid):
        if self._groups is None:
            self._groups = list(self.api.groups.all())
        return [group for group in self._groups if group.get("owner_guid") == guid]


class ListedOwnership:
    """What every account owns, from one listing of all content and one of all groups (bulk runs)."""

    def __init__(self, content, groups):
        self._content = by_owner(content)
        self._groups = by_owner(groups)

    def content_of(self, guid):
        return list(self._content.get(guid, []))

    def groups_of(self, guid):
        return list(self._groups.get(guid, []))


class OffboardingPlanner:
    """Plans ``state: absent`` with a ``successor``: one transfer per owned item and group, then the lock.

    ``accounts`` finds the successor (the server, or one listing of all
    accounts); ``ownership`` says what the departing account owns. The plans
    write their transfers through the task's pool (the client's: its
    ``concurrency`` at a time), the lock strictly after them.
    """

    def __init__(self, api, accounts=None, ownership=None):
        self.api = api
        self.accounts = accounts or ServerAccounts(api.users)
        self.ownership = ownership or ServerOwnership(api)
        self.users = UserPlanner(api, self.accounts)

    def plan_one(self, spec):
        """Look the departing account up on the server, and plan."""
        check_successor_option(spec)
        return self.hand_over(spec, self.users.plan_one(spec))

    def plan(self, spec, current, variant=None):
        """Plan against an account already found (bulk runs): the user plan, with the handover before its lock."""
        check_successor_option(spec)
        return self.hand_over(spec, self.users.plan(spec, current, variant))

    def hand_over(self, spec, lock_plan):
        """The user's plan (a lock, or nothing) with the transfers to the successor put first."""
        current = lock_plan.before
        account = current["username"] if current else spec.get("username") or spec.get("guid")
        successor = self.successor(spec["successor"], account, current)
        content, groups = [], []
        if current is not None:
            content = self.ownership.content_of(current["guid"])
            groups = self.ownership.groups_of(current["guid"])
        change = {"owner": {"before": account, "after": successor["username"]}}
        transfers = [self._content_transfer(item, successor, change) for item in content]
        transfers += [self._group_transfer(group, successor, change) for group in groups]
        return HandoverPlan(lock_plan, transfers, successor, content, groups, self.api.client.pool.map)

    def successor(self, ref, account, current, option="successor"):
        """The account that takes over, refused while planning when it could not own content.

        ``option`` names the option in the sentence (``unlisted_successor`` in connect_users).
        """
        exact, variant = self.accounts.find({"guid": ref} if is_guid(ref) else {"username": ref})
        if exact is None:
            hint = " (account '{0}' differs only in case)".format(variant["username"]) if variant else ""
            raise refuse(account, "{0} '{1}' is not a Connect user{2}".format(option, ref, hint))
        return check_successor(exact, account, current, option)

    def _content_transfer(self, item, successor, change):
        content = self.api.content

        def run(operation):
            content.set_owner(item["guid"], successor["guid"])

        return Operation(TRANSFER, content_target(item), run, change)

    def _group_transfer(self, group, successor, change):
        groups = self.api.groups

        def run(operation):
            groups.modify(group["guid"], {"owner_guid": successor["guid"]})

        return Operation(TRANSFER, group_target(group), run, change)
