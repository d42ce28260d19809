# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""connect_groups on the bulk engine: many groups and their members reconciled against one listing.

Each entry is planned by the same GroupPlanner as connect_group and its members
by the same MembershipPlanner as connect_group_membership, from one listing of
the groups (and, only when members or owners are named, one listing of the
users) instead of lookups. Member lists are read only for the groups that need
them, through the groups API's one member reader; the engine (bulk.py) applies
the plans, guards the deletes and reports.
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._api.groups import provider_owns_memberships
from ansible_collections.posit.connect.plugins.module_utils._api.identity import closest_clash, guid_key, lookalike_key, nfc, same_name
from ansible_collections.posit.connect.plugins.module_utils._api.resource import is_guid, require_guid
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.bulk import (
    BulkPlanner,
    BulkReport,
    MassChange,
    Work,
    entry_position,
)
from ansible_collections.posit.connect.plugins.module_utils._planning.groups import DIFF_FIELDS, GroupPlanner, readable_group
from ansible_collections.posit.connect.plugins.module_utils._planning.failures import overtaken
from ansible_collections.posit.connect.plugins.module_utils._planning.memberships import (
    MembershipPlanner,
    group_differences,
    touched_groups,
)
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import Pending

MEMBER_ACTIONS = ("add", "remove")


class ListedLookups:
    """The names GroupPlanner and MembershipPlanner ask about, answered from listings read once.

    The users listing is read only when a member or an owner has to be found.
    """

    def __init__(self, api, groups):
        self.api = api
        self.by_name = dict((nfc(group["name"]), group) for group in groups)
        self.by_guid = dict((guid_key(group["guid"]), group) for group in groups)
        self._by_look = {}
        for group in groups:
            self._by_look.setdefault(lookalike_key(group["name"]), []).append(group)
        self._users = None

    def group_named(self, name):
        return self.by_name.get(nfc(name))

    def group_clash(self, name, except_guid=None):
        """As ServerLookups.group_clash, from the listing."""
        return closest_clash(name, self._by_look.get(lookalike_key(name), ()), "name", except_guid)

    def user(self, ref):
        if self._users is None:
            users = {}
            for user in self.api.users.all():
                users[guid_key(user["guid"])] = user
                users.setdefault(nfc(user["username"]), user)
            self._users = users
        return (self._users.get(guid_key(ref)) if is_guid(ref) else None) or self._users.get(nfc(ref))

    def user_by_guid(self, guid):
        """One user by guid (a diff's owner): from the listing when it was read, else one request, not a listing."""
        if self._users is not None:
            return self._users.get(guid_key(guid))
        return self.api.users.get(guid)


class GroupWork(Work):
    """One group's plan in a bulk run; ``members`` is its MembershipPlan when its members were planned."""

    def __init__(self, name, plan, members=None):
        super().__init__(name, plan)
        self.members = members
        # How the diff names owners (guid -> username): the run's GroupPlanner.owner_name, set by BulkGroupPlanner.
        self.owner_name = str

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

    def add_to_diff(self, before, after):
        if self.members is not None:
            before["members"] = self.members.names_before["members"] if self.plan.before else []
            after["members"] = self.members.names_after["members"]


class GroupReport(BulkReport):
    key = "group"
    outcomes = ("created", "renamed", "updated", "deleted", "memberships", "unchanged")
    diff_fields = DIFF_FIELDS

    def more_results(self):
        return {"members": {}}

    def collect(self, item, check_mode, more):
        """The members added and removed per group."""
        changes = item.member_changes(check_mode)
        if changes["added"] or changes["removed"]:
            more["members"][item.name] = changes

    def view(self, item, resource):
        """Name and owner, the owner by username (the operations keep owner_guid)."""
        return readable_group(resource, item.owner_name)


class BulkGroupPlanner(BulkPlanner):
    """Plans a whole list of desired groups (and their members) against one listing of the server."""

    report = GroupReport()
    unlisted_change = MassChange("delete", "groups", "max_deletes", "would_delete", "groups", "groups", "every group")
    name_field = "name"

    def __init__(self, api, exclusive=False):
        self.api = api
        self.exclusive = exclusive
        self.listing = None
        self.lookups = None
        self.planner = None

    def read_server(self, entries):
        self.listing = self.api.groups.all()
        self.lookups = ListedLookups(self.api, self.listing)
        # One planner for the run: the owners it meets are named in the diff without asking again.
        self.planner = GroupPlanner(self.api, self.lookups)

    def guarded_population(self):
        return len(self.listing)

    def plan_entries(self, entries, labels):
        found, failures, listed = self._find_all(entries, self.lookups, self.exclusive, labels)
        members = self.api.groups.members_of(
            [current for _label, spec, current in found if _needs_members(spec, current, self.exclusive)])
        work = []
        for label, spec, current in found:
            try:
                item = self._plan_entry(self.planner, self.lookups, label, spec, current, members, self.exclusive)
                item.force, item.desired = bool(spec.get("force")), desired_group(spec, item.plan)
                item.owner_name = self.planner.owner_name
                work.append(item)
            except ConnectError as error:
                failures.append({"group": label, "msg": error.message})
        return work, failures, listed

    def unlisted_work(self, listed):
        work = [GroupWork(group["name"], self.planner.plan({"state": "absent"}, group))
                for group in self.listing if group["guid"] not in listed]
        for item in work:
            item.owner_name = self.planner.owner_name
        return work

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
        spec = {"state": state, "owner": entry.get("owner"), "members": entry.get("members"), "force": entry.get("force")}
        if guid:
            require_guid(guid)
            # With guid, name is the name the group should have: a rename.
            spec.update(guid=guid, name=None, new_name=name)
            return spec, lookups.by_guid.get(guid_key(guid))
        spec.update(guid=None, name=name, new_name=None)
        return spec, lookups.group_named(name)

    # -- confirming what was written --------------------------------------------------------------

    def verify(self, work):
        """Failures for the groups another change overtook: names and owners as the writes answered them, and
        the member lists of the groups written to, read back once each and compared with the entries' members
        (exactly, with exclusive)."""
        written = [item for item in work if item.plan.applied and item.plan.error is None]
        members = self._read_members_back(touched_groups([op for item in written for op in item.plan.applied]))
        failures = []
        for item in written:
            words = group_field_differences(item.plan.live, item.desired, item.name)
            if item.members is not None and item.members.operations:
                words.extend(_member_words(item.members, members))
            if words:
                failures.append({"group": item.name, "msg": overtaken(words)})
        return failures

    def _read_members_back(self, groups):
        """``{guid: members}`` of the groups written to; a group gone meanwhile maps to None."""
        def read(group):
            try:
                return group["guid"], self.api.groups.members(group)
            except ConnectError as error:
                if error.status == 404:
                    return group["guid"], None
                raise

        return dict(self.api.client.pool.map(read, groups)) if groups else {}

    # -- planning one entry ------------------------------------------------------------------

    def _plan_entry(self, planner, lookups, label, spec, current, members, exclusive):
        plan = planner.plan(spec, current)
        name = (plan.after or plan.before or {}).get("name") or label
        if spec["state"] == "absent" or spec["members"] is None or (not exclusive and not spec["members"]):
            return GroupWork(name, plan)
        if current is None:
            if self.api.facts.groups_from_directory():
                raise provider_owns_memberships({"name": name})
            group, current_members = Pending(plan.live, name=name, owner_guid=plan.after.get("owner_guid")), []
        else:
            group, current_members = dict(current, name=name), members.get(current["guid"])
            if current_members is None:
                raise provider_owns_memberships(current)
        member_plan = MembershipPlanner(self.api).plan_members(group, current_members, spec["members"], "present",
                                                               exclusive, find_user=lookups.user)
        plan.operations.extend(member_plan.operations)
        return GroupWork(name, plan, member_plan)


def _needs_members(spec, current, exclusive):
    """Whether planning an entry needs its group's member list: to know who to remove, or who is missing."""
    return (current is not None and spec["state"] == "present" and spec["members"] is not None
            and (exclusive or bool(spec["members"])))


def desired_group(spec, plan):
    """The name (and owner, when the entry gives one) the run should leave a group with; None for a delete."""
    if spec["state"] == "absent" or not plan.after:
        return None
    desired = {"name": plan.after["name"]}
    if spec.get("owner"):
        desired["owner_guid"] = plan.after.get("owner_guid")
    return desired


def group_field_differences(group, desired, name):
    """Words for each desired field a group, as the run's writes answered it, does not have."""
    words = []
    for field, value in sorted((desired or {}).items()):
        if not group or field not in group:
            continue
        current = group[field]
        if (field == "name" and not same_name(current, value)) or (field != "name" and current != value):
            words.append("group '{0}' has {1} {2!r}, not {3!r}".format(name, field, current, value))
    return words


def _member_words(member_plan, members):
    guid = member_plan.group["guid"]
    if guid not in members:
        return []
    if members[guid] is None:
        return ["group '{0}' no longer exists".format(member_plan.group["name"])]
    return group_differences(member_plan, members[guid])
