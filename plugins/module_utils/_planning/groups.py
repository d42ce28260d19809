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
from ansible_collections.posit.connect.plugins.module_utils._api.identity import clash_words, closest_clash, same_name, spelled
from ansible_collections.posit.connect.plugins.module_utils._api.providers import LDAP
from ansible_collections.posit.connect.plugins.module_utils._api.resource import require_guid

DIFF_FIELDS = ("name", "owner_guid")
# Names are compared composed (NFC): a decomposed "Équipe" is the group "Équipe".
SAME = {"name": same_name}
# The providers under which the 2023.09 spec lets POST /v1/groups/{guid} rename a group or change its owner.
MODIFIABLE_UNDER = "password, PAM, OAuth2, SAML and proxied authentication"


def group_entry_spec():
    """One entry of connect_groups' list (and one row of its src), in the order a CSV header usually lists them."""
    return dict(
        name=dict(type="str"),
        guid=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        owner=dict(type="str"),
        members=dict(type="list", elements="str"),
        force=dict(type="bool", default=False),
    )


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
    listing per group (read in parallel) answers the question for every user at once.
    """
    index = {}
    groups = api.groups.all()
    members = api.groups.members_of(groups)
    for group in groups:
        if members[group["guid"]] is None:
            raise members_unreadable(option)
        for member in members[group["guid"]]:
            index.setdefault(member["guid"], []).append({"guid": group["guid"], "name": group["name"]})
    return index


def by_guid_name_is_the_new_name(spec):
    """With a guid, the guid finds the group and ``name`` is the name it should have, as in connect_groups' entries
    (and as a username with a guid is in connect_user): the spec with that name as ``new_name``."""
    if not spec.get("guid") or not spec.get("name"):
        return spec
    if spec.get("new_name") and spec["new_name"] != spec["name"]:
        raise ConnectError("With guid, name is the name group {0} should have, and new_name says another ('{1}', "
                           "'{2}'); give one of them; nothing was changed.".format(
                               spec["guid"], spec["name"], spec["new_name"]))
    return dict(spec, name=None, new_name=spec["name"])


class ServerLookups:
    """The names a group plan needs, asked of the server one request at a time (connect_group)."""

    def __init__(self, api):
        self.api = api
        self._groups = None

    def group_named(self, name):
        return self.api.groups.by_name(name)

    def group_clash(self, name, except_guid=None):
        """(how, group): another group named ``name``, but for case, or alike to the eye; (None, None).

        From one listing of the groups (read once, only for a create or a rename): servers hold hundreds of
        groups, not thousands of accounts, so one page answers where prefix searches would take several.
        """
        if self._groups is None:
            self._groups = self.api.groups.all()
        return closest_clash(name, self._groups, "name", except_guid)

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
        return self.plan(by_guid_name_is_the_new_name(spec), self._find(spec))

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
            return self._plan_create(desired, spec.get("force"))
        return self._plan_modify(current, desired, spec.get("force"))

    def _find(self, spec):
        if spec.get("guid"):
            require_guid(spec["guid"])
            return self.groups.get(spec["guid"])
        if not spec.get("name") or not spec["name"].strip():
            raise ConnectError("name must be a non-empty string when no guid is given.")
        found = self.groups.by_name(spec["name"])
        if found is None and spec.get("new_name"):
            # Renamed on an earlier run: the group is already where it should be.
            found = self.groups.by_name(spec["new_name"])
        return found

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

    def _plan_create(self, desired, force=False):
        name = desired["name"]
        self._refuse_clash(None, name, force, "create group {0}".format(spelled(name)))
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

    def _refuse_clash(self, current, new_name, force, doing):
        """Refuse a name another group has (Connect would) and, unless force, one that differs only in case or
        looks the same: people pick groups by name when they share content, and could pick the wrong one."""
        how, other = self.lookups.group_clash(new_name, current and current["guid"])
        if how == "exact":
            raise ConnectError("Cannot {0}: a group of that name already exists; nothing was changed.".format(doing))
        if how is not None and not force:
            raise ConnectError("Cannot {0}: group {1} {2}, so people could not tell them apart; nothing was changed "
                               "(set force: true if both are meant).".format(doing, spelled(other["name"]), clash_words(how)))

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

    def _plan_modify(self, current, desired, force=False):
        changes = field_changes(current, desired, SAME)
        if not changes:
            return Plan(current, current)
        self._refuse_directory_group(current, changes)
        if "name" in changes:
            new_name = changes["name"]["after"]
            self._refuse_clash(current, new_name, force, "rename group '{0}' to {1}".format(current["name"], spelled(new_name)))
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
