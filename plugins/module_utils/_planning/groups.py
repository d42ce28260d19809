# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one group planner behind connect_group and connect_groups: create, rename, change the owner of and delete a group.

connect_group looks the group (and the names it needs) up on the server;
connect_groups plans against one listing of every group (bulk_groups.py). The
planner asks its ``lookups`` and cannot tell which.
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._api.groups import ProviderOwnsMemberships
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import Operation, Plan, field_changes
from ansible_collections.posit.connect.plugins.module_utils._api.providers import LDAP
from ansible_collections.posit.connect.plugins.module_utils._api.resource import is_guid

DIFF_FIELDS = ("name", "owner_guid")
# The providers under which the 2023.09 spec lets POST /v1/groups/{guid} rename a group or change its owner.
MODIFIABLE_UNDER = "password, PAM, OAuth2, SAML and proxied authentication"


def readable_group(group, owner_name):
    """A group's name and owner, the owner by username (``owner_name(guid)``), for diffs; {} for no group."""
    if not group:
        return {}
    view = {"name": group.get("name")}
    if "owner_guid" in group:
        view["owner"] = owner_name(group["owner_guid"]) if group["owner_guid"] else None
    return view


def group_diff(plan, owner_name):
    return {"before": readable_group(plan.before, owner_name), "after": readable_group(plan.after, owner_name)}


def members_unreadable(option):
    """The one sentence for asking for member lists a server will not give (LDAP), whatever the module."""
    return ConnectError("{0} is not available on this server: its authentication provider (LDAP) supplies the members "
                        "of groups, and Connect does not let the API list them.".format(option))


def read_members(api, group, option):
    """The members of a group, for an option that asked for them (``include_members``, ``include_groups``)."""
    try:
        return api.groups.members(group)
    except ProviderOwnsMemberships:
        raise members_unreadable(option) from None


def membership_index(api, option="include_groups"):
    """``{user_guid: [{guid, name}, ...]}`` for every group, in one pass.

    Connect has no user-to-groups endpoint; one groups listing plus one member
    listing per group answers the question for every user at once.
    """
    index = {}
    for group in api.groups.all():
        for member in read_members(api, group, option):
            index.setdefault(member["guid"], []).append({"guid": group["guid"], "name": group["name"]})
    return index


class ServerLookups:
    """The names a group plan needs, asked of the server one request at a time (connect_group)."""

    def __init__(self, api):
        self.api = api

    def group_named(self, name):
        return self.api.groups.by_name(name)

    def user(self, ref):
        return self.api.users.by_ref(ref)

    def user_by_guid(self, guid):
        return self.api.users.get(guid)


class GroupPlanner:
    """Plans a group: create, rename, change owner, delete.

    ``lookups`` answers "which group has this name" and "which user is this
    username or guid": the server by default, one listing in connect_groups.
    """

    def __init__(self, api, lookups=None):
        self.groups = api.groups
        self.users = api.users
        self.facts = api.facts
        self.lookups = lookups or ServerLookups(api)
        # guid -> username of the owners this planner has met, so a diff names them without asking again.
        self._usernames = {}

    def owner_name(self, guid):
        """The username of the user with this guid (a diff shows owners by name); the guid when it cannot be read."""
        if guid not in self._usernames:
            try:
                user = self.lookups.user_by_guid(guid)
            except ConnectError:
                user = None
            self._usernames[guid] = user["username"] if user else guid
        return self._usernames[guid]

    def plan_one(self, spec):
        """Find the group the spec names on the server, and plan."""
        return self.plan(spec, self._find(spec))

    def plan(self, spec, current):
        """Plan a desired group against the group it names (None when there is none)."""
        if spec["state"] == "absent":
            return self._plan_absent(current)
        desired = {"name": spec.get("new_name") or (current or {}).get("name") or spec.get("name")}
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
            found = self.groups.get(spec["guid"])
            self._refuse_silent_rename(spec, found)
            return found
        if not spec.get("name") or not spec["name"].strip():
            raise ConnectError("name must be a non-empty string when no guid is given.")
        found = self.groups.by_name(spec["name"])
        if found is None and spec.get("new_name"):
            # Renamed on an earlier run: the group is already where it should be.
            found = self.groups.by_name(spec["new_name"])
        return found

    @staticmethod
    def _refuse_silent_rename(spec, found):
        """With guid, name names the group; renaming is new_name's job, so a different name is a mistake."""
        name = spec.get("name")
        if found is not None and name and name != found["name"] and name != spec.get("new_name"):
            raise ConnectError("Group {0} is named '{1}', not '{2}'; to rename it, set new_name (name only identifies "
                               "the group); nothing was changed.".format(spec["guid"], found["name"], name))

    def _owner_guid(self, owner):
        user = self.lookups.user(owner)
        if user is None:
            raise ConnectError("The owner '{0}' is not a Connect user.".format(owner))
        self._usernames[user["guid"]] = user["username"]
        return user["guid"]

    def _plan_absent(self, current):
        if current is None:
            return Plan(None, None)

        def run(operation):
            self.groups.delete(current["guid"])

        operation = Operation("delete", "group '{0}'".format(current["name"]), run,
                              {"name": {"before": current["name"], "after": None}})
        return Plan(current, None, [operation], live=None)

    def _plan_create(self, desired):
        name = desired["name"]
        live = {}
        if self.facts.groups_from_directory():
            if desired.get("owner_guid"):
                raise ConnectError("Cannot create group '{0}' with an owner: groups from the directory of the server's {1} provider have "
                                   "no owner; leave owner out.".format(name, self.facts.provider_name))
            entry = self.groups.require_directory_entry(name, self.facts.provider_name)
            owner = None

            def create():
                return self.groups.create_from_entry(entry)
        else:
            # Connect makes the creator the owner unless another is asked for.
            owner = desired.get("owner_guid") or self.facts.me["guid"]
            self._usernames.setdefault(self.facts.me["guid"], self.facts.me["username"])

            def create():
                return self.groups.create(name)

        def run(operation):
            created, made = create()
            operation.found_existing = not made
            live.update(created)
            wanted = desired.get("owner_guid")
            if wanted and live.get("owner_guid") != wanted:
                live.update(self.groups.modify(live["guid"], {"owner_guid": wanted}))

        predicted = {"guid": None, "name": name, "owner_guid": owner}
        changes = dict((field, {"before": None, "after": predicted[field]}) for field in DIFF_FIELDS)
        return Plan(None, predicted, [Operation("create", "group '{0}'".format(name), run, changes)], live)

    def _refuse_name_clash(self, current, new_name):
        """Connect refuses a rename onto a taken name; say so while planning, so check mode says it too."""
        other = self.lookups.group_named(new_name)
        if other is not None and other["guid"] != current["guid"]:
            raise ConnectError("Cannot rename group '{0}' to '{1}': a group of that name already exists; "
                               "nothing was changed.".format(current["name"], new_name))

    def _refuse_directory_group(self, current, changes):
        """An LDAP server's groups come from its directory: Connect renames groups and changes their owners only
        under the other providers (2023.09 spec), so say it while planning; where the settings disagree about
        the provider, refuse too, rather than send a write that Connect may refuse."""
        if current.get("owner_guid") is not None:
            # LDAP groups have no owner, so an owned group is not one: no need to read the settings.
            return
        provider = self.facts.provider()
        if not provider.may_be(LDAP):
            return
        doing = []
        if "name" in changes:
            doing.append("rename group '{0}' to '{1}'".format(current["name"], changes["name"]["after"]))
        if "owner_guid" in changes:
            doing.append("change its owner" if doing else "change the owner of group '{0}'".format(current["name"]))
        why = "the server uses LDAP authentication" if provider.kind == LDAP else \
            "the server may use LDAP authentication ({0})".format(provider.why_unsure())
        raise ConnectError("Cannot {0}: {1}, whose groups come from the directory, and Connect renames groups and "
                           "changes their owners only under {2}; nothing was changed.".format(
                               " and ".join(doing), why, MODIFIABLE_UNDER))

    def _plan_modify(self, current, desired):
        changes = field_changes(current, desired)
        if not changes:
            return Plan(current, current)
        self._refuse_directory_group(current, changes)
        if "name" in changes:
            self._refuse_name_clash(current, changes["name"]["after"])
        # Read the settings only for a group without an owner (a provider's group, or one whose owner left).
        if "owner_guid" in changes and current.get("owner_guid") is None and self.facts.memberships_owned_by_provider():
            raise ConnectError("Cannot give group '{0}' an owner: its members come from the server's {1} provider, and "
                               "such groups have no owner.".format(current["name"], self.facts.provider_name))
        live = dict(current)

        def run(operation):
            body = dict((field, change["after"]) for field, change in changes.items())
            live.update(self.groups.modify(current["guid"], body))

        predicted = dict(current, **dict((field, change["after"]) for field, change in changes.items()))
        operation = Operation("update", "group '{0}'".format(current["name"]), run, changes)
        return Plan(current, predicted, [operation], live)
