# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Group memberships: the planner behind connect_group_membership and connect_users' groups.

Memberships are planned as sets of (user, group) pairs to add and to remove.
Removing is explicit (state absent, or exclusive), because a wrong removal
takes people's access to content away.
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._api.groups import provider_owns_memberships
from ansible_collections.posit.connect.plugins.module_utils._api.identity import guid_key, nfc
from ansible_collections.posit.connect.plugins.module_utils._api.resource import is_guid
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import Operation, Plan, unique_in_order


def _quoted(names):
    return ", ".join("'{0}'".format(name) for name in names)


def ref_index(items, name_key):
    """``{key: item}`` by guid (without case) and by composed name, for ``find_in``; the first of a name wins."""
    index = {}
    for item in items:
        index.setdefault(("guid", guid_key(item["guid"])), item)
        index.setdefault(("name", nfc(item[name_key])), item)
    return index


def find_in(index, ref):
    """The item a reference (a guid, any case, or a name) names in a ref_index, or None."""
    found = index.get(("guid", guid_key(ref))) if is_guid(ref) else None
    return found or index.get(("name", nfc(ref)))


def add_member_operation(groups, user, group):
    """Add a user to a group. ``user`` (or ``group``) may be still to be created: its guid is read when this runs."""
    def run(operation):
        groups.add_member(group["guid"], user["guid"])

    return _member_operation("add", "user '{0}' to group '{1}'".format(user["username"], group["name"]), run, user, group)


def remove_member_operation(groups, user, group):
    def run(operation):
        groups.remove_member(group["guid"], user["guid"])

    return _member_operation("remove", "user '{0}' from group '{1}'".format(user["username"], group["name"]), run, user,
                             group)


def _member_operation(action, target, run, user, group):
    operation = Operation(action, target, run)
    # Who is added or removed, for reports that list members (connect_groups), and where, for reading the group's
    # members back after the writes; not part of describe().
    operation.username = user["username"]
    operation.member = user
    operation.group = group
    return operation


def touched_groups(operations):
    """The groups that member writes in ``operations`` went to, each once: what a confirmation reads back."""
    groups = {}
    for operation in operations:
        if operation.action in ("add", "remove"):
            groups.setdefault(guid_key(operation.group["guid"]), operation.group)
    return list(groups.values())


def member_differences(operations, members_by_group):
    """Words for each member write whose effect a group's member list (read after the writes) does not show."""
    words, guids = [], {}
    for operation in operations:
        if operation.action not in ("add", "remove"):
            continue
        members = members_by_group.get(operation.group["guid"])
        if members is None:
            continue
        group_guid = guid_key(operation.group["guid"])
        if group_guid not in guids:
            guids[group_guid] = set(guid_key(member["guid"]) for member in members)
        present = guid_key(operation.member["guid"]) in guids[group_guid]
        if present != (operation.action == "add"):
            missing = "no " if operation.action == "add" else ""
            words.append("{0}user '{1}' in group '{2}'".format(missing, operation.username, operation.group["name"]))
    return words


class MembershipPlanner:
    """Plans one group's members, or one user's groups."""

    def __init__(self, api):
        self.groups = api.groups
        self.users = api.users
        self.facts = api.facts

    # -- one group, a list of users -------------------------------------------

    def plan_group(self, group_ref, user_refs, state, exclusive):
        group = self.groups.by_ref(group_ref)
        if group is None:
            raise ConnectError("Group '{0}' does not exist; no membership was changed.".format(group_ref))
        return self.plan_members(group, self.groups.members(group), user_refs, state, exclusive)

    def plan_members(self, group, members, user_refs, state, exclusive, find_user=None):
        """Plan a group's members against its member list, already read (``[]`` for a group still to be created).

        ``find_user`` finds the users who are not members yet (by default one request each).
        """
        listed = self._resolve_users(user_refs, members, find_user or self.users.by_ref)
        to_add, to_remove, after_members = set_changes(listed, members, state, exclusive)
        operations = ([add_member_operation(self.groups, user, group) for user in to_add]
                      + [remove_member_operation(self.groups, user, group) for user in to_remove])
        self._refuse_provider_owned(operations, group)
        plan = MembershipPlan(
            before={"group": group["name"], "members": _usernames(members)},
            after={"group": group["name"], "members": _usernames(after_members)},
            operations=operations,
            added=_usernames(to_add), removed=_usernames(to_remove),
            resource=dict(group, members=[_brief_user(m) for m in sorted(after_members, key=_username)]))
        # What a confirmation compares the group's member list with, read back after the writes.
        plan.group, plan.listed, plan.state, plan.exclusive = group, listed, state, exclusive
        return plan

    def verify(self, plan):
        """Words for how the membership, read back after the plan's writes, differs from the plan's
        (one member listing per group written to); [] when it holds or nothing was written."""
        if not plan.applied:
            return []
        if getattr(plan, "group", None) is not None:
            return group_differences(plan, self.groups.members(plan.group))
        return member_differences(plan.applied, self.groups.members_of(touched_groups(plan.applied)))

    @staticmethod
    def _resolve_users(refs, members, find_user):
        """The users named by usernames or guids; members are found without a request."""
        by_ref = ref_index(members, "username")

        def lookup(ref):
            return find_in(by_ref, ref) or find_user(ref)

        return resolve_all(refs, lookup, "user")

    # -- one user, a list of groups -------------------------------------------

    def plan_user(self, user_ref, group_refs, state, exclusive):
        user = self.users.by_ref(user_ref)
        if user is None:
            raise ConnectError("No Connect user is named '{0}'; no membership was changed.".format(user_ref))
        all_groups = self.groups.all()
        listed = self._resolve_groups(group_refs, all_groups)
        # Connect cannot say which groups a user is in: read the members of the
        # groups that matter, which is every group only when exclusive.
        candidates = all_groups if exclusive else listed
        current = [group for group in candidates if self._is_member(user, group)]
        to_add, to_remove, after_groups = set_changes(listed, current, state, exclusive)
        operations = ([add_member_operation(self.groups, user, group) for group in to_add]
                      + [remove_member_operation(self.groups, user, group) for group in to_remove])
        for group in to_add + to_remove:
            self._refuse_provider_owned(operations, group)
        return MembershipPlan(
            before={"user": user["username"], "groups": _names(current)},
            after={"user": user["username"], "groups": _names(after_groups)},
            operations=operations,
            added=_names(to_add), removed=_names(to_remove),
            resource=dict(_brief_user(user), groups=[_brief_group(g) for g in sorted(after_groups, key=_name)]))

    def _resolve_groups(self, refs, all_groups):
        index = ref_index(all_groups, "name")
        return resolve_all(refs, lambda ref: find_in(index, ref), "group")

    def _is_member(self, user, group):
        return any(member["guid"] == user["guid"] for member in self.groups.members(group))

    def _refuse_provider_owned(self, operations, group):
        """Fail before writing when the provider owns memberships (checked only when there are writes)."""
        if operations and (group.get("owner_guid") is None and self.facts.memberships_owned_by_provider()):
            raise provider_owns_memberships(group)


def resolve_all(refs, lookup, kind):
    """The items that refs name, each once even when named by name and by guid.

    Every unknown name is reported at once, before anything is written.
    """
    resolved, unknown, seen = [], [], set()
    for ref in unique_in_order(refs):
        item = lookup(ref)
        if item is None:
            unknown.append(ref)
        elif guid_key(item["guid"]) not in seen:
            # A set, not a scan of what is resolved: 20,000 members stay linear.
            seen.add(guid_key(item["guid"]))
            resolved.append(item)
    if unknown:
        raise ConnectError("No Connect {0} is named {1}; no membership was changed.".format(kind, _quoted(unknown)))
    return resolved


def set_changes(listed, current, state, exclusive):
    """(to_add, to_remove, after) between the listed and the current items, matched by guid.

    present adds the listed items that are missing and, only when exclusive,
    removes the current items that are not listed; absent removes the listed
    items that are there.
    """
    current_guids = set(item["guid"] for item in current)
    listed_guids = set(item["guid"] for item in listed)
    if state == "present":
        to_add = [item for item in listed if item["guid"] not in current_guids]
        to_remove = [item for item in current if item["guid"] not in listed_guids] if exclusive else []
    else:
        to_add = []
        to_remove = [item for item in listed if item["guid"] in current_guids]
    removed = set(item["guid"] for item in to_remove)
    after = [item for item in current if item["guid"] not in removed] + to_add
    return to_add, to_remove, after


def group_differences(plan, members):
    """Words for how a group's member list differs from what a group-form plan wants: listed users missing (or,
    with state absent, still there) and, when exclusive, members nobody listed."""
    have = dict((guid_key(member["guid"]), member["username"]) for member in members)
    listed = dict((guid_key(user["guid"]), user["username"]) for user in plan.listed)
    if plan.state == "absent":
        wrong = sorted(name for guid, name in listed.items() if guid in have)
        return ["user '{0}' still in group '{1}'".format(name, plan.group["name"]) for name in wrong]
    words = ["no user '{0}' in group '{1}'".format(name, plan.group["name"])
             for guid, name in sorted(listed.items(), key=lambda item: item[1]) if guid not in have]
    if plan.exclusive:
        words.extend("user '{0}' in group '{1}', who is not listed".format(name, plan.group["name"])
                     for guid, name in sorted(have.items(), key=lambda item: item[1]) if guid not in listed)
    return words


class MembershipPlan(Plan):
    """A Plan whose resource is a membership, with who (or which groups) it adds and removes.

    Its diff compares plain lists of names, which is what a reviewer reads.
    """

    def __init__(self, before, after, operations, added, removed, resource):
        super().__init__(before=None, after=resource, operations=operations)
        self.names_before = before
        self.names_after = after
        self.added = added
        self.removed = removed

    def diff(self, fields=None):
        return {"before": self.names_before, "after": self.names_after}


def _brief_user(user):
    return {"guid": user["guid"], "username": user["username"]}


def _brief_group(group):
    return {"guid": group["guid"], "name": group["name"]}


def _name(group):
    return group["name"]


def _username(user):
    return user["username"]


def _usernames(users):
    return sorted(user["username"] for user in users)


def _names(groups):
    return sorted(group["name"] for group in groups)
