# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connect groups: finding them and their members, and the planner behind connect_group."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils.plan import Operation, Plan, field_changes
from ansible_collections.posit.connect.plugins.module_utils.server import is_guid
from ansible_collections.posit.connect.plugins.module_utils.users import UserFinder

DIFF_FIELDS = ("name", "owner_guid")

# Connect's code for "this provider cannot use this endpoint" (member listing under LDAP).
CODE_PROVIDER_CANNOT = 132


def group_path(guid):
    return "/v1/groups/" + guid


def members_path(guid):
    return group_path(guid) + "/members"


class GroupFinder:
    """Looks groups and their members up."""

    def __init__(self, client):
        self.client = client

    def by_guid(self, guid):
        try:
            return self.client.get(group_path(guid))
        except ConnectError as error:
            if error.status == 404:
                return None
            raise

    def by_name(self, name):
        """The group with exactly this name, or None (Connect only searches by prefix)."""
        for group in self.client.iterate("/v1/groups", {"prefix": name}):
            if group.get("name") == name:
                return group
        return None

    def find(self, name_or_guid):
        if is_guid(name_or_guid):
            return self.by_guid(name_or_guid)
        return self.by_name(name_or_guid)

    def all(self):
        return self.client.paginate("/v1/groups")

    def members(self, group):
        """The users in a group; a clear error where the provider keeps memberships to itself."""
        try:
            return self.client.paginate(members_path(group["guid"]))
        except ConnectError as error:
            if error.code == CODE_PROVIDER_CANNOT:
                raise provider_owns_memberships(group)
            raise


def provider_owns_memberships(group):
    return ConnectError(
        "The members of group '{0}' come from the server's authentication provider "
        "(LDAP or group provisioning), so Connect does not let the API list or change them.".format(group.get("name")))


def membership_index(client):
    """``{user_guid: [{guid, name}, ...]}`` for every group, in one pass.

    Connect has no user-to-groups endpoint; one groups listing plus one member
    listing per group answers the question for every user at once.
    """
    finder = GroupFinder(client)
    index = {}
    for group in finder.all():
        for member in finder.members(group):
            index.setdefault(member["guid"], []).append({"guid": group["guid"], "name": group["name"]})
    return index


class GroupPlanner:
    """Plans connect_group: create, rename, change owner, delete."""

    def __init__(self, client, facts):
        self.client = client
        self.facts = facts
        self.finder = GroupFinder(client)
        self.users = UserFinder(client)

    def plan_one(self, spec):
        current = self._find(spec)
        if spec["state"] == "absent":
            return self._plan_absent(current)
        desired = {"name": spec.get("new_name") or spec.get("name")}
        if spec.get("owner"):
            desired["owner_guid"] = self._owner_guid(spec["owner"])
        if current is None:
            if spec.get("guid"):
                raise ConnectError("No group has guid {0}; a group cannot be created with a chosen guid.".format(spec["guid"]))
            return self._plan_create(desired)
        return self._plan_modify(current, desired)

    def _find(self, spec):
        if spec.get("guid"):
            if not is_guid(spec["guid"]):
                raise ConnectError("guid {0!r} is not a valid Connect GUID.".format(spec["guid"]))
            return self.finder.by_guid(spec["guid"])
        if not spec.get("name") or not spec["name"].strip():
            raise ConnectError("name must be a non-empty string when no guid is given.")
        found = self.finder.by_name(spec["name"])
        if found is None and spec.get("new_name"):
            # Renamed on an earlier run: the group is already where it should be.
            found = self.finder.by_name(spec["new_name"])
        return found

    def _owner_guid(self, owner):
        user = self.users.by_ref(owner)
        if user is None:
            raise ConnectError("The owner '{0}' is not a Connect user.".format(owner))
        return user["guid"]

    def _plan_absent(self, current):
        if current is None:
            return Plan(None, None)

        def run():
            try:
                self.client.delete(group_path(current["guid"]))
            except ConnectError as error:
                if error.status != 404:
                    raise

        operation = Operation("delete", "group '{0}'".format(current["name"]), run,
                              {"name": {"before": current["name"], "after": None}})
        return Plan(current, None, [operation], live=None)

    def _plan_create(self, desired):
        live = {}
        name = desired["name"]
        from_directory = bool(self.facts.authentication.get("external_group_search"))
        if from_directory:
            # LDAP: groups come from the directory, by ticket, and have no owner.
            body, method = {"temp_ticket": self._directory_ticket(name)}, "PUT"
            owner = None
        else:
            body, method = {"name": name}, "POST"
            # Connect makes the creator the owner unless another is asked for.
            owner = desired.get("owner_guid") or self.facts.me.get("guid")

        def run():
            live.update(self.client.create(method, "/v1/groups", body, lambda: self.finder.by_name(name)))
            wanted = desired.get("owner_guid")
            if wanted and live.get("owner_guid") != wanted:
                live.update(self.client.post(group_path(live["guid"]), {"owner_guid": wanted}) or {})

        predicted = {"guid": None, "name": name, "owner_guid": owner}
        changes = dict((field, {"before": None, "after": predicted[field]}) for field in DIFF_FIELDS)
        return Plan(None, predicted, [Operation("create", "group '{0}'".format(name), run, changes)], live)

    def _refuse_name_clash(self, current, new_name):
        """Connect refuses a rename onto a taken name; say so while planning, so check mode says it too."""
        other = self.finder.by_name(new_name)
        if other is not None and other["guid"] != current["guid"]:
            raise ConnectError("Cannot rename group '{0}' to '{1}': a group of that name already exists; "
                               "nothing was changed.".format(current["name"], new_name))

    def _directory_ticket(self, name):
        found = self.client.get("/v1/groups/remote", {"prefix": name, "limit": 500}) or {}
        for entry in found.get("results") or []:
            if entry.get("name") == name:
                return entry["temp_ticket"]
        raise ConnectError("Group '{0}' is not in the directory of the server's {1} authentication provider, "
                           "so Connect cannot create it.".format(name, self.facts.provider_name))

    def _plan_modify(self, current, desired):
        changes = field_changes(current, desired)
        if not changes:
            return Plan(current, current)
        if "name" in changes:
            self._refuse_name_clash(current, changes["name"]["after"])
        live = dict(current)

        def run():
            body = dict((field, change["after"]) for field, change in changes.items())
            live.update(self.client.post(group_path(current["guid"]), body) or {})

        predicted = dict(current, **dict((field, change["after"]) for field, change in changes.items()))
        operation = Operation("update", "group '{0}'".format(current["name"]), run, changes)
        return Plan(current, predicted, [operation], live)
