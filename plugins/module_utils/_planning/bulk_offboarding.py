# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Successors in connect_users: the offboarding planner fed from one listing of all content and groups.

connect_users hands over what its leavers own (an entry's ``successor``, and
``unlisted_successor`` for the accounts locked because nobody listed them) with
the planner connect_user uses, so an entry means the same in both. What a bulk
run adds is kept here, beside the engine rather than in it: the content and
groups are read once for the whole run (one ``GET /v1/content`` whatever the
number of leavers), a successor is refused when the same run locks or demotes
it, a refused lock guard also says what would have moved, and the results count
what was handed over.
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._planning.bulk import NAMES_SHOWN, Refusal, planned_operations
from ansible_collections.posit.connect.plugins.module_utils._planning.handover import HandoverPlan
from ansible_collections.posit.connect.plugins.module_utils._planning.offboarding import (
    OWNER_ROLES,
    TRANSFER,
    UNLISTED,
    ListedOwnership,
    OffboardingPlanner,
    content_target,
    group_target,
    refuse,
)


def hands_over(entries, unlisted_successor):
    """Whether a run needs the content and groups listings: some entry, or the unlisted rule, has a successor."""
    return unlisted_successor is not None or any(spec.get("successor") is not None for spec in entries)


def read_ownership(api):
    """(every content item, every group): the two listings a run with successors needs, read side by side."""
    readers = [api.content.all, lambda: list(api.groups.all())]
    content, groups = api.client.pool.map(lambda read: read(), readers)
    return content, groups


class BulkHandover:
    """The offboarding side of one connect_users run, planned against listings read once."""

    def __init__(self, api, accounts, content, groups, unlisted_successor=None):
        self.api = api
        self.accounts = accounts
        self.unlisted_successor = unlisted_successor
        self.planner = OffboardingPlanner(api, accounts, ListedOwnership(content, groups))

    def plan(self, spec, current, variant):
        """An entry with a successor: its transfers, then its lock (a refusal names the entry's account)."""
        return self.planner.plan(spec, current, variant)

    def plan_unlisted(self, user):
        """The lock of an account nobody listed, with its content and groups going to unlisted_successor first."""
        spec = {"username": user["username"], "state": "absent", "successor": self.unlisted_successor}
        return self.planner.plan(spec, user)

    def check_unlisted_successor(self, listed, me):
        """unlisted_successor must exist, could own content, and must not itself be locked as unlisted."""
        ref = self.unlisted_successor
        successor = self.planner.successor(ref, UNLISTED, None, option="unlisted_successor")
        if successor["guid"] not in listed and successor["guid"] != me:
            raise Refusal("Cannot offboard {0}: unlisted_successor '{1}' is not in the users list, so unlisted: lock "
                          "would lock it too; list it; nothing was changed.".format(UNLISTED, successor["username"]))
        return successor

    @staticmethod
    def check_successors_stay(work):
        """Refuse a successor that another entry of the same run locks, or demotes to viewer."""
        after = dict((item.plan.before["guid"], item.plan.after) for item in work
                     if item.plan.before is not None and item.plan.operations)
        for item in work:
            plan = item.plan
            future = after.get(plan.successor["guid"]) if isinstance(plan, HandoverPlan) else None
            if future is None:
                continue
            if future.get("locked"):
                why = "is locked by this same run"
            elif future.get("user_role") not in OWNER_ROLES:
                why = "becomes a {0} in this same run, and content owners must be publishers or administrators".format(
                    future.get("user_role"))
            else:
                continue
            raise Refusal(refuse(item.name, "successor '{0}' {1}".format(plan.successor["username"], why)).message,
                          operations=planned_operations(work))


def with_what_would_move(refusal):
    """A refused lock guard's sentence and results, with the handovers the plan held (from its operations)."""
    moves = handovers_in(refusal.details.get("operations") or []) if "would_lock" in refusal.details else []
    if not moves:
        return refusal
    shown = "; ".join("'{0}' to '{1}': {2} content item{3} and {4} group{5}".format(
        move["user"], move["successor"], move["content"], "" if move["content"] == 1 else "s",
        move["groups"], "" if move["groups"] == 1 else "s") for move in moves[:NAMES_SHOWN])
    more = len(moves) - NAMES_SHOWN
    message = "{0}; it would also have handed over {1}{2}.".format(
        refusal.message.rstrip("."), shown, " and {0} more".format(more) if more > 0 else "")
    return Refusal(message, would_hand_over=moves, **refusal.details)


def handovers_in(operations):
    """``[{user, successor, content, groups}]`` (counts) from described operations, in the order of the plan."""
    moves = {}
    for operation in operations:
        if operation["action"] != TRANSFER:
            continue
        owner = operation["changes"]["owner"]
        move = moves.setdefault((owner["before"], owner["after"]), {
            "user": owner["before"], "successor": owner["after"], "content": 0, "groups": 0})
        move["groups" if operation["target"].startswith("group '") else "content"] += 1
    return list(moves.values())


def handover_results(work, check_mode):
    """``handovers`` (per leaver: successor, content and groups moved) and their totals, for the task's results."""
    handovers = []
    for item in work:
        plan = item.plan
        if not isinstance(plan, HandoverPlan):
            continue
        done = set(op.target for op in item.done(check_mode) if op.action == TRANSFER)
        if not done:
            continue
        moved = plan.handover()
        moved["content"] = [entry for entry, owned in zip(moved["content"], plan.content) if content_target(owned) in done]
        moved["groups"] = [entry for entry, group in zip(moved["groups"], plan.groups) if group_target(group) in done]
        handovers.append(dict(moved, user=item.name))
    totals = {"content_handed_over": sum(len(h["content"]) for h in handovers),
              "groups_handed_over": sum(len(h["groups"]) for h in handovers)}
    return handovers, totals
