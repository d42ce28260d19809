# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who may view and who may change one content item: the planner behind connect_content_access.

An item's access is its ``access_type`` and its permission list, where each
user or group holds one role: ``viewer``, or ``owner`` (what the dashboard and
this collection call a collaborator). The item's owner is never in the list
and is never touched. The planner works on one item whose permissions were
read already (``plan``), so a list form can plan many items against shared
listings of users and groups (a Principals built with ``listings=True``);
``plan_one`` finds the item and reads its permissions first.

Operations and diffs name people and groups, never guids alone. Names are
resolved by a Principals with the collection's identity rules (composed names,
look-alikes never the same principal; see principals.py) and guids compared
without case.

An exclusive task is the one source of truth for the roles it gives: after its
writes, ``verify`` reads the permission list back (one request) so that a run
another change overtook fails instead of reporting a list that does not hold,
as connect_group_membership's exclusive runs do.
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._api.content import COLLABORATOR
from ansible_collections.posit.connect.plugins.module_utils._api.identity import clash_words, guid_key, spelled
from ansible_collections.posit.connect.plugins.module_utils._api.resource import is_guid
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.access_views import (
    ROLE_OPTIONS,
    access_view,
    content_view,
    describe,
    describe_all,
    given_roles,
    permission_view,
    refusal,
    role_word,
    sorted_views,
)
from ansible_collections.posit.connect.plugins.module_utils._planning.access_writes import (
    PermissionWork,
    access_type_operation,
)
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import Plan, unique_in_order
from ansible_collections.posit.connect.plugins.module_utils._planning.principals import KINDS, NAME_KEYS, Principals

PUBLISHING_ROLES = ("administrator", "publisher")


class Listed:
    """One principal a task names for a role, resolved: ``kind`` (user, group), the principal, Connect's role."""

    def __init__(self, kind, principal, role):
        self.kind = kind
        self.principal = principal
        self.role = role

    @property
    def guid(self):
        """The principal's guid as compared (without case)."""
        return guid_key(self.principal["guid"])

    @property
    def words(self):
        return describe(self.kind, self.principal)


class AccessPlan(Plan):
    """A Plan whose resource is an item's access; ``permissions`` is the list after, for the task's result."""

    def __init__(self, before, after, operations, permissions_before, permissions_after, warnings):
        super().__init__(before=before, after=after, operations=operations, warnings=warnings)
        self.permissions_before = permissions_before
        self.permissions = permissions_after
        # What verify compares after the writes: the item's label, the roles an exclusive task gives (Connect's
        # names; empty otherwise) and the principals it lists.
        self.label = None
        self.exclusive_roles = ()
        self.listed = []

    def diff(self, fields=None):
        return {"before": access_view(self.before["access_type"], self.permissions_before),
                "after": access_view(self.after["access_type"], self.permissions)}


class AccessPlanner:
    """Plans one item's access type and permission list.

    ``principals`` answers "who is this name or guid" (users and groups): by
    default a Principals that looks up a few one by one and lists the rest.
    """

    def __init__(self, api, principals=None):
        self.content = api.content
        self.principals = principals or Principals(api)

    # -- finding the item ------------------------------------------------------------

    def plan_one(self, spec):
        """Find the item the spec names, read its permissions, and plan."""
        refuse_exclusive_absent(spec)
        item = self.find_item(spec)
        return self.plan(spec, item, self.content.permissions(item["guid"]))

    def find_item(self, spec):
        """The one item ``guid``, or ``name`` (with ``owner``), names; refused when none or several match."""
        if spec.get("guid"):
            if not is_guid(spec["guid"]):
                raise refusal("guid {0!r} is not a valid Connect GUID".format(spec["guid"]))
            item = self.content.get(spec["guid"])
            if item is None:
                raise refusal("no content item has guid {0}".format(spec["guid"]))
            return item
        owner_guid, owned = None, ""
        if spec.get("owner"):
            owner = self.principals.user(spec["owner"])
            if owner is None:
                raise refusal("the owner '{0}' is not a Connect user".format(spec["owner"]))
            owner_guid, owned = owner["guid"], " owned by '{0}'".format(owner["username"])
        items = self.content.named(spec["name"], owner_guid)
        if not items:
            raise refusal("no content item is named '{0}'{1}".format(spec["name"], owned))
        if len(items) > 1:
            raise self._ambiguous(spec["name"], items)
        return items[0]

    def _ambiguous(self, name, items):
        self.principals.expect("user", [item["owner_guid"] for item in items])
        candidates = ", ".join("{0} owned by '{1}'".format(item["guid"], self.principals.name_of("user", item["owner_guid"]))
                               for item in items)
        return refusal("{0} content items are named '{1}' ({2}); give owner or guid to choose one".format(
            len(items), name, candidates))

    # -- planning ---------------------------------------------------------------------

    def plan(self, spec, item, permissions):
        """Plan the spec against an item and its permission list, both already read."""
        refuse_exclusive_absent(spec)
        self._expect(spec, item, permissions)
        label = "content '{0}'".format(item["name"])
        listed = self._resolve(spec, label)
        self._refuse_owner(listed, item, label)
        if spec.get("state", "present") == "present":
            _refuse_viewer_collaborators(listed, label)
        work = PermissionWork(self.content, item, permissions, self.principals, label)
        if spec.get("state", "present") == "present":
            work.grant_or_move(listed)
            if spec.get("exclusive"):
                work.revoke_unlisted(spec, listed)
            work.warn_locked(listed)
        else:
            work.revoke_listed(listed)
        access_type = spec.get("access_type") or item.get("access_type")
        if access_type != item.get("access_type"):
            work.operations.append(access_type_operation(self.content, item, access_type, label))
        owner_name = self.principals.name_of("user", item["owner_guid"])
        plan = AccessPlan(content_view(item, owner_name), content_view(item, owner_name, access_type),
                          work.operations, work.views(permissions), work.views(work.after()), work.warnings)
        plan.label, plan.listed = label, listed
        if spec.get("state", "present") == "present" and spec.get("exclusive"):
            plan.exclusive_roles = given_roles(spec)
        return plan

    def verify(self, plan):
        """Words for how the item's permission list, read back after an exclusive plan's writes, differs from what
        the task wants in the roles it gives (one request); [] when it holds or nothing was written."""
        if not plan.applied or not plan.exclusive_roles:
            return []
        have = dict((guid_key(permission["principal_guid"]), permission)
                    for permission in self.content.permissions(plan.after["guid"]))
        words = []
        for entry in plan.listed:
            held = have.get(entry.guid)
            if held is None:
                words.append("{0} has no role on {1}".format(entry.words, plan.label))
            elif held["role"] != entry.role:
                words.append("{0} is a {1} of {2}, not a {3}".format(entry.words, role_word(held["role"]), plan.label,
                                                                     role_word(entry.role)))
        listed = set(entry.guid for entry in plan.listed)
        strays = [permission for guid, permission in have.items()
                  if guid not in listed and permission["role"] in plan.exclusive_roles]
        for view in sorted_views(permission_view(permission, self.principals) for permission in strays):
            words.append("{0} '{1}' is a {2} of {3}, who is not listed".format(view["principal_type"], view["name"],
                                                                               view["role"], plan.label))
        return words

    def _expect(self, spec, item, permissions):
        """Tell the principals how many of each kind this plan will look up."""
        for kind in KINDS:
            refs = [permission["principal_guid"] for permission in permissions if permission["principal_type"] == kind]
            for option, unused_role in ROLE_OPTIONS:
                refs.extend((spec.get(option) or {}).get(kind + "s") or [])
            if kind == "user":
                refs.append(item["owner_guid"])
            self.principals.expect(kind, refs)

    def _resolve(self, spec, label):
        """Every principal the spec lists, once per role; refused for unknown names and for both roles."""
        listed, unknown = [], dict((kind, []) for kind in KINDS)
        for option, role in ROLE_OPTIONS:
            for kind in KINDS:
                for ref in unique_in_order((spec.get(option) or {}).get(kind + "s")):
                    principal = self.principals.find(kind, ref)
                    if principal is None:
                        unknown[kind].append(ref)
                    elif all(entry.guid != guid_key(principal["guid"]) or entry.role != role for entry in listed):
                        listed.append(Listed(kind, principal, role))
        if unknown["user"] or unknown["group"]:
            raise _unknown_principals(unknown, self.principals)
        roles = {}
        for entry in listed:
            roles.setdefault(entry.guid, []).append(entry)
        twice = [entries[0] for entries in roles.values() if len(entries) > 1]
        if twice:
            raise refusal("{0} {1} listed both as a viewer and as a collaborator of {2}; give each user and group "
                          "one role".format(describe_all((e.kind, e.principal) for e in twice),
                                            "is" if len(twice) == 1 else "are", label))
        return listed

    @staticmethod
    def _refuse_owner(listed, item, label):
        for entry in listed:
            if entry.kind == "user" and entry.guid == guid_key(item["owner_guid"]):
                raise refusal("{0} owns {1} and cannot also be listed among its {2}s; leave the owner out".format(
                    entry.words, label, role_word(entry.role)))


def refuse_exclusive_absent(spec):
    if spec.get("exclusive") and spec.get("state") == "absent":
        raise ConnectError("exclusive applies to state=present only; state=absent revokes just what is listed.")


def _refuse_viewer_collaborators(listed, label):
    """Connect lets only publishers and administrators collaborate (groups may, whoever is in them)."""
    viewers = [(entry.kind, entry.principal) for entry in listed
               if entry.role == COLLABORATOR and entry.kind == "user"
               and entry.principal.get("user_role") not in PUBLISHING_ROLES]
    if viewers:
        many = len(viewers) > 1
        raise refusal("{0} cannot be {1} on {2}: Connect requires a publisher or administrator account, and {3} "
                      "role is viewer".format(describe_all(viewers), "collaborators" if many else "a collaborator",
                                              label, "their" if many else "the account's"))


def _unknown_principals(unknown, principals):
    """The refusal for names no user or group has. A name that another principal has but for case, or that looks
    like another's (letters of another script drawn alike), is not that principal: the refusal names it."""
    parts, near = [], []
    for kind in KINDS:
        if not unknown[kind]:
            continue
        named = []
        for ref in unknown[kind]:
            how, other = principals.near(kind, ref)
            named.append(spelled(ref) if other is not None else "'{0}'".format(ref))
            if other is not None:
                near.append("{0} {1} {2}".format(kind, spelled(other[NAME_KEYS[kind]]), clash_words(how)))
        parts.append("no Connect {0} is named {1}".format(kind, ", ".join(named)))
    text = " and ".join(parts)
    if near:
        text += "; {0}, and only the exact name names a user or group".format(", ".join(near))
    return refusal(text)
