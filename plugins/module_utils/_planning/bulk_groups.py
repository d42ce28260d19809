# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reconciling many groups in one task: the planning, the guards and the report of connect_groups.

Each entry is planned by the same GroupPlanner as connect_group and its members
by the same MembershipPlanner as connect_group_membership, from one listing of
the groups (and, only when members or owners are named, one listing of the
users) instead of lookups. Member lists are read only for the groups that need
them, several at a time; the plans are applied by plan.apply_each.

The rules of connect_users hold: an entry that cannot be planned stops the run
before any write (unless ``partial``), and the deletes of one run are bounded
(``max_deletes``), with the groups named.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.posit.connect.plugins.module_utils._planning.bulk_users import (
    Refusal,
    entry_position,
    failure_sentence,
    guard_mass_change,
    outcome_results,
    planned_operations,
    refuse_unplannable,
)
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.groups import GroupPlanner, readable_group
from ansible_collections.posit.connect.plugins.module_utils._api.groups import ProviderOwnsMemberships, provider_owns_memberships
from ansible_collections.posit.connect.plugins.module_utils._planning.memberships import MembershipPlanner
from ansible_collections.posit.connect.plugins.module_utils._api.resource import is_guid

OUTCOMES = ("created", "renamed", "updated", "deleted", "memberships", "unchanged")
MEMBER_ACTIONS = ("add", "remove")


class ListedLookups:
    """The names GroupPlanner and MembershipPlanner ask about, answered from listings read once.

    The users listing is read only when a member or an owner has to be found.
    """

    def __init__(self, api, groups):
        self.api = api
        self.by_name = dict((group["name"], group) for group in groups)
        self.by_guid = dict((group["guid"], group) for group in groups)
        self._users = None

    def group_named(self, name):
        return self.by_name.get(name)

    def user(self, ref):
        if self._users is None:
            users = {}
            for user in self.api.users.all():
                users[user["guid"]] = user
                users.setdefault(user["username"], user)
            self._users = users
        return self._users.get(ref)

    def user_by_guid(self, guid):
        """One user by guid (a diff's owner): from the listing when it was read, else one request, not a listing."""
        if self._users is not None:
            return self._users.get(guid)
        return self.api.users.get(guid)


class GroupWork:
    """One group's plan in a bulk run; ``members`` is its MembershipPlan when its members were planned."""

    def __init__(self, name, plan, members=None):
        self.name = name
        self.plan = plan
        self.members = members
        # How the diff names owners: set to the planner's owner_name (by username) by BulkGroupPlanner.
        self.owner_name = str

    def done(self, check_mode):
        return self.plan.operations if check_mode else self.plan.applied

    def outcome(self, check_mode):
        done = self.done(check_mode)
        actions = dict((op.action, op) for op in done if op.action not in MEMBER_ACTIONS)
        create = actions.get("create")
        if "delete" in actions:
            return "deleted"
        if create is not None and not create.found_existing:
            return "created"
        if "update" in actions:
            return "renamed" if "name" in actions["update"].changes else "updated"
        return "memberships" if any(op.action in MEMBER_ACTIONS for op in done) else "unchanged"

    def member_changes(self, check_mode):
        done = self.done(check_mode)
        return dict((key, sorted(op.username for op in done if op.action == action))
                    for key, action in (("added", "add"), ("removed", "remove")))


class _Later(dict):
    """A group still to be created: its guid is read from the plan's live group when an operation runs."""

    def __init__(self, live, name):
        super().__init__(name=name, guid=None)
        self._live = live

    def __getitem__(self, key):
        if key == "guid":
            return self._live["guid"]
        return super().__getitem__(key)


class BulkGroupPlanner:
    """Plans a whole list of desired groups against one listing of the server."""

    def __init__(self, api, concurrency=1):
        self.api = api
        self.concurrency = concurrency

    def plan(self, entries, exclusive=False, unlisted="keep", max_deletes=None, partial=False, labels=None):
        """(work, failures, notes), as BulkUserPlanner.plan."""
        if unlisted == "delete" and not entries:
            raise Refusal("Refusing unlisted: delete with an empty groups list, so nothing was changed: it would delete "
                          "every group; list the groups to keep (a variable that did not load looks like this).")
        listing = self.api.groups.all()
        lookups = ListedLookups(self.api, listing)
        found, failures, listed = self._find_all(entries, lookups, exclusive, labels)
        members = self._read_members([item[2] for item in found if _needs_members(item[1], item[2], exclusive)])
        planner = GroupPlanner(self.api, lookups)
        work = []
        for label, spec, current in found:
            try:
                work.append(self._plan_entry(planner, lookups, label, spec, current, members, exclusive))
            except ConnectError as error:
                failures.append({"group": label, "msg": error.message})
        if failures and not partial:
            refuse_unplannable(failures, "group", planned_operations(work))
        notes = {}
        if unlisted == "delete":
            if failures:
                notes["unlisted_skipped"] = ("unlisted groups were not deleted because {0} entries could not be "
                                             "planned".format(len(failures)))
            else:
                work.extend(GroupWork(group["name"], planner.plan({"state": "absent"}, group))
                            for group in listing if group["guid"] not in listed)
        self._guard_deletes(work, max_deletes, len(listing))
        for item in work:
            item.owner_name = planner.owner_name
        return work, failures, notes

    # -- finding the groups the entries name ----------------------------------------------

    def _find_all(self, entries, lookups, exclusive, labels):
        """([(label, spec, current group or None)], failures, guids of the groups the entries name)."""
        found, failures, listed, seen = [], [], set(), set()
        for position, entry in enumerate(entries):
            label = entry.get("name") or entry.get("guid") or entry_position(labels, "groups", position)
            try:
                spec, current = self._find(entry, lookups, exclusive)
                if current is not None:
                    # The groups an entry names are listed even when it fails: unlisted=delete must not delete them.
                    listed.add(current["guid"])
                for key in set([current and current["guid"], spec.get("new_name") or spec.get("name")]) - set([None]):
                    if key in seen:
                        raise ConnectError("Group '{0}' is listed more than once.".format(label))
                    seen.add(key)
                found.append((label, spec, current))
            except ConnectError as error:
                failures.append({"group": label, "msg": error.message})
        return found, failures, listed

    @staticmethod
    def _find(entry, lookups, exclusive):
        name, guid, state = entry.get("name"), entry.get("guid"), entry.get("state") or "present"
        if not name and not guid:
            raise ConnectError("An entry needs name, guid or both.")
        if state == "absent" and entry.get("members") is not None:
            raise ConnectError("members cannot be given with state: absent, which deletes the group.")
        if state == "present" and exclusive and entry.get("members") is None:
            raise ConnectError("With exclusive: true an entry needs members; a missing members is not an empty group "
                               "(give members: [] to empty it on purpose).")
        spec = {"state": state, "owner": entry.get("owner"), "members": entry.get("members")}
        if guid:
            if not is_guid(guid):
                raise ConnectError("guid {0!r} is not a valid Connect GUID.".format(guid))
            # With guid, name is the name the group should have: a rename.
            spec.update(guid=guid, name=None, new_name=name)
            return spec, lookups.by_guid.get(guid)
        spec.update(guid=None, name=name, new_name=None)
        return spec, lookups.group_named(name)

    def _read_members(self, groups):
        """``{group guid: its members, or None when the provider keeps them}``, read ``concurrency`` at a time."""
        def read(group):
            try:
                return group["guid"], self.api.groups.members(group)
            except ProviderOwnsMemberships:
                return group["guid"], None

        if self.concurrency <= 1 or len(groups) <= 1:
            return dict(read(group) for group in groups)
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            return dict(pool.map(read, groups))

    # -- planning one entry ------------------------------------------------------------------

    def _plan_entry(self, planner, lookups, label, spec, current, members, exclusive):
        plan = planner.plan(spec, current)
        name = (plan.after or plan.before or {}).get("name") or label
        if spec["state"] == "absent" or spec["members"] is None or (not exclusive and not spec["members"]):
            return GroupWork(name, plan)
        if current is None:
            if self.api.facts.groups_from_directory():
                raise provider_owns_memberships({"name": name})
            group, current_members = _Later(plan.live, name), []
            group["owner_guid"] = plan.after.get("owner_guid")
        else:
            group, current_members = dict(current, name=name), members.get(current["guid"])
            if current_members is None:
                raise provider_owns_memberships(current)
        member_plan = MembershipPlanner(self.api).plan_members(group, current_members, spec["members"], "present",
                                                               exclusive, find_user=lookups.user)
        plan.operations.extend(member_plan.operations)
        return GroupWork(name, plan, member_plan)

    @staticmethod
    def _guard_deletes(work, max_deletes, groups):
        deletes = [item.name for item in work if item.outcome(check_mode=True) == "deleted"]
        try:
            guard_mass_change(deletes, max_deletes, groups, ("delete", "groups", "max_deletes", "would_delete", "groups",
                                                             "groups"))
        except Refusal as refusal:
            refusal.details["operations"] = planned_operations(work)
            raise


def _needs_members(spec, current, exclusive):
    """Whether planning an entry needs its group's member list: to know who to remove, or who is missing."""
    return (current is not None and spec["state"] == "present" and spec["members"] is not None
            and (exclusive or bool(spec["members"])))


def summarize(work, failures, check_mode):
    """The task's results: lists per outcome, the members added and removed per group, the operations, the failures."""
    outcomes = dict((key, []) for key in OUTCOMES)
    operations, members, failures = [], {}, list(failures)
    for item in work:
        # A create that found its group already made (by a run in parallel) wrote nothing.
        operations.extend(op.describe() for op in item.done(check_mode) if not op.found_existing)
        changes = item.member_changes(check_mode)
        if changes["added"] or changes["removed"]:
            members[item.name] = changes
        outcome = item.outcome(check_mode)
        if item.plan.error is not None:
            failures.append({"group": item.name, "msg": item.plan.error.message})
            # What was applied before the failure (a create, a rename) still happened.
            if outcome == "unchanged":
                continue
        outcomes[outcome].append(item.name)
    return outcome_results(outcomes, failures, members=members, operations=operations)


def failure_message(failures):
    return failure_sentence(failures, "group")


def check_mode_notes(work):
    """Group plans predict everything they report."""
    return []


def diff_of(work):
    """Name and owner (by username) before and after, and the members by username when planned, for the groups
    that change; the operations keep owner_guid."""
    before, after = {}, {}
    for item in work:
        if not item.plan.operations:
            continue
        before[item.name] = readable_group(item.plan.before, item.owner_name)
        after[item.name] = readable_group(item.plan.after, item.owner_name)
        if item.members is not None:
            before[item.name]["members"] = item.members.names_before["members"] if item.plan.before else []
            after[item.name]["members"] = item.members.names_after["members"]
    return {"before": before, "after": after}
