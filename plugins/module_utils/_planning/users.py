# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one user planner behind connect_user and connect_users.

It refuses while planning whatever Connect would refuse when applying (so that
check mode tells the truth) and whatever would lock an administrator out; the
rules the server publishes come from ServerFacts, the other accounts from an
accounts object (accounts.py).
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._planning.accounts import ServerAccounts
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.plan import Operation, Plan, field_changes
from ansible_collections.posit.connect.plugins.module_utils._api.identity import nfc, spelled
from ansible_collections.posit.connect.plugins.module_utils._api.providers import LABELS, OAUTH2, PASSWORD, SAML
from ansible_collections.posit.connect.plugins.module_utils._api.resource import require_guid
from ansible_collections.posit.connect.plugins.module_utils._api.server_facts import MIN_PASSWORD_LENGTH, TICKET, UNKNOWN

ROLES = ("administrator", "publisher", "viewer")
ROLE_RANK = {"viewer": 0, "publisher": 1, "administrator": 2}
ATTRIBUTES = ("email", "first_name", "last_name", "user_role")
DIFF_FIELDS = ("username",) + ATTRIBUTES + ("locked",)
# Fields of a desired user that are written on creation only and never compared.
CREATION_ONLY = ("password", "user_must_set_password", "unique_id")
# Email addresses are compared without regard to case (documented in docs/users.md); names are
# compared composed (NFC), so a decomposed "José" from another system is no change.
SAME = {
    "email": lambda current, desired: nfc(current or "").casefold() == nfc(desired or "").casefold(),
    "username": lambda current, desired: nfc(current) == nfc(desired),
    "first_name": lambda current, desired: nfc(current) == nfc(desired),
    "last_name": lambda current, desired: nfc(current) == nfc(desired),
}


def user_argument_spec():
    """The options that describe one desired user: connect_user's, and each entry of connect_users'."""
    return dict(
        username=dict(type="str"),
        guid=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        email=dict(type="str"),
        first_name=dict(type="str"),
        last_name=dict(type="str"),
        user_role=dict(type="str", choices=list(ROLES)),
        password=dict(type="str", no_log=True),
        user_must_set_password=dict(type="bool", default=False, no_log=False),
        unique_id=dict(type="str"),
        force=dict(type="bool", default=False),
    )


def user_entry_spec():
    """One entry of connect_users' list (and one row of its src): a desired user and the groups it joins."""
    return dict(user_argument_spec(), groups=dict(type="list", elements="str"), successor=dict(type="str"))


def describe_user(spec):
    return "user '{0}'".format(spec.get("username") or spec.get("guid"))


def validate_user_spec(spec):
    """Raise a ConnectError naming the field when a desired user cannot be right."""
    username, guid = spec.get("username"), spec.get("guid")
    if guid is not None:
        require_guid(guid)
    if not guid and (username is None or not str(username).strip()):
        raise ConnectError("username must be a non-empty string when no guid is given.")
    if username is not None and not str(username).strip():
        raise ConnectError("username must not be empty.")
    role = spec.get("user_role")
    if role is not None and role not in ROLES:
        raise ConnectError("user_role {0!r} is not one of {1}.".format(role, ", ".join(ROLES)))
    if spec.get("new_username") and guid:
        raise ConnectError("new_username renames the account found by username; with guid, set username to rename.")
    if spec.get("password") and spec.get("user_must_set_password"):
        raise ConnectError("password and user_must_set_password cannot be used together for {0}.".format(describe_user(spec)))


class UserPlanner:
    """Turns a desired user and the current account into a Plan.

    The same planner serves connect_user (one account, looked up on the
    server) and connect_users (thousands, looked up in one listing), so both
    behave the same way down to the operations they report and refuse.
    """

    def __init__(self, api, accounts=None):
        self.users = api.users
        self.facts = api.facts
        self.accounts = accounts or ServerAccounts(api.users)

    def plan_one(self, spec):
        """Check the desired user, look its account up, and plan."""
        validate_user_spec(spec)
        current, variant = self.accounts.find(spec)
        if current is None and spec.get("new_username") and not spec.get("guid"):
            # No account has the old name: renamed on an earlier run, or to be created under the new one.
            renamed = dict(spec, username=spec["new_username"], new_username=None)
            found, found_variant = self.accounts.find(renamed)
            if found is not None or spec.get("state", "present") == "present":
                spec, current, variant = renamed, found, found_variant
        return self.plan(spec, current, variant)

    def plan(self, spec, current, variant=None):
        """Plan a desired user against its account (None when there is none; ``variant``: one named but for case)."""
        validate_user_spec(spec)
        if spec.get("state", "present") == "absent":
            return self._plan_absent(spec, current)
        if current is None:
            if spec.get("guid"):
                raise ConnectError("No user has guid {0}; a user cannot be created with a chosen guid.".format(spec["guid"]))
            return self._plan_create(spec, variant)
        return self._plan_present(spec, current)

    # -- existing accounts ---------------------------------------------------

    def _plan_present(self, spec, current):
        live = dict(current)
        operations = []
        update = self._update_operation(spec, current, live)
        if update:
            operations.append(update)
        if current.get("locked"):
            operations.append(self._lock_operation(current, live, locked=False))
        return Plan(current, _predict(current, operations), operations, live)

    def _plan_absent(self, spec, current):
        if current is None:
            missing = spec.get("username") or spec.get("guid")
            return Plan(None, None, warnings=[
                "No user '{0}' exists, so there was nothing to lock; check the name if this is an offboarding.".format(missing)])
        if current.get("locked"):
            return Plan(current, current)
        self._refuse_self_harm(spec, current, "lock user '{0}'".format(current["username"]), "lock it")
        self._refuse_last_admin(current, "lock user '{0}'".format(current["username"]))
        live = dict(current)
        operations = [self._lock_operation(current, live, locked=True)]
        return Plan(current, _predict(current, operations), operations, live)

    def _update_operation(self, spec, current, live):
        desired = dict((field, spec.get(field)) for field in ATTRIBUTES)
        if spec.get("guid") and spec.get("username"):
            desired["username"] = spec["username"]
        if spec.get("new_username"):
            desired["username"] = spec["new_username"]
        changes = field_changes(current, desired, SAME)
        if not changes:
            return None
        self._check_update(spec, current, changes)

        def run(operation):
            # Compared again when sent: a directory's new account may already have a value the plan could not
            # know (the server's default role), and an equal value needs no write.
            body = dict((field, change["after"]) for field, change in changes.items()
                        if not SAME.get(field, _same)(live.get(field), change["after"]))
            if body:
                live.update(self.users.update(live["guid"], body))

        return Operation("update", "user '{0}'".format(current["username"]), run, changes)

    def _check_update(self, spec, current, changes):
        """Refuse a rename onto a taken name and a demotion that would lock someone out."""
        if "username" in changes:
            new_name = changes["username"]["after"]
            holder = self.accounts.holder_of(new_name, except_guid=current["guid"])
            if holder is not None:
                raise ConnectError("Cannot rename user '{0}' to '{1}': account '{2}' already has that name{3}; "
                                   "nothing was changed.".format(current["username"], new_name, holder["username"],
                                                                 "" if nfc(holder["username"]) == nfc(new_name) else " but for case"))
            self._refuse_lookalike(spec, new_name, current["guid"], "rename user '{0}' to".format(current["username"]))
        if "user_role" in changes:
            before, after = changes["user_role"]["before"], changes["user_role"]["after"]
            if ROLE_RANK.get(after, 0) < ROLE_RANK.get(before, 0):
                doing = "change the role of user '{0}' from {1} to {2}".format(current["username"], before, after)
                self._refuse_self_harm(spec, current, doing, "do it")
                if before == "administrator" and not current.get("locked"):
                    self._refuse_last_admin(current, doing)

    def _refuse_lookalike(self, spec, name, except_guid, doing):
        """A name people could not tell from another account's is refused unless the entry says force."""
        if spec.get("force"):
            return
        other = self.accounts.lookalike_of(name, except_guid)
        if other is not None:
            raise ConnectError("Cannot {0} {1}: account {2} has a name that looks the same (confusable letters), so "
                               "people could not tell them apart; nothing was changed (set force: true if both are "
                               "meant).".format(doing, spelled(name), spelled(other["username"])))

    def _refuse_self_harm(self, spec, current, doing, verb):
        """Locking or demoting the API key's own account cannot be undone with that key: ask for force."""
        if spec.get("force"):
            return
        if self.facts.me["guid"] == current["guid"]:
            raise ConnectError("Refusing to {0}: it is the account this API key belongs to, and the key could not "
                               "undo it; set force: true to {1} anyway.".format(doing, verb))

    def _refuse_last_admin(self, current, doing):
        if current.get("user_role") != "administrator":
            return
        if not self.accounts.admin_would_remain(current):
            raise ConnectError("Cannot {0}: it is the only unlocked administrator, and Connect refuses to remove the "
                               "last one; nothing was changed.".format(doing))

    def _lock_operation(self, current, live, locked):
        def run(operation):
            self.users.set_locked(live["guid"], locked)
            live["locked"] = locked

        return Operation("lock" if locked else "unlock", "user '{0}'".format(current["username"]), run,
                         {"locked": {"before": not locked, "after": locked}})

    # -- new accounts --------------------------------------------------------

    def _plan_create(self, spec, variant):
        self._check_create(spec, variant)
        if self.facts.user_creation() == TICKET:
            return self._plan_create_from_directory(spec)
        body = _creation_body(spec)
        live = {}
        ticket_fallback = self.facts.user_creation() == UNKNOWN

        def run(operation):
            created, made = self.users.create(body, ticket_fallback=ticket_fallback)
            operation.found_existing = not made
            # Completed in case the account already existed or came from a directory.
            live.update(self._complete(created, spec))

        predicted = _new_user(spec)
        operation = Operation("create", describe_user(spec), run, _creation_changes(predicted))
        return Plan(None, predicted, [operation], live, notes=_role_notes(spec))

    def _check_create(self, spec, variant):
        """Refuse while planning the creates Connect would refuse (the rules it publishes)."""
        username = spec["username"]
        creating = "Cannot create user '{0}'".format(username)
        if variant is not None:
            raise ConnectError("{0}: account '{1}' differs only in case, and a second account for the same person is "
                               "refused; use username '{1}' to manage that account.".format(creating, variant["username"]))
        # Compared without case, as the simulator does (Connect's own comparison is not published).
        if username.casefold() in set(name.casefold() for name in self.facts.prohibited_usernames()):
            raise ConnectError("{0}: the server prohibits that username (its prohibited_usernames setting).".format(creating))
        provider = self.facts.provider()
        # A rule applies wherever the settings leave its provider possible: refusing here is safer than a
        # write Connect refuses (docs/authentication.md, "How the provider is decided").
        if provider.may_be(PASSWORD):
            self._check_password_create(spec, "{0}: {1}".format(creating, _provider_words(provider, PASSWORD)))
        if provider.may_be(SAML, OAUTH2) and self.facts.user_creation() != TICKET and not spec.get("unique_id"):
            raise ConnectError("{0}: {1} needs unique_id for new accounts.".format(
                creating, _provider_words(provider, SAML, OAUTH2)))
        self._refuse_lookalike(spec, username, None, "create user")

    @staticmethod
    def _check_password_create(spec, refusing):
        """``refusing``: "Cannot create user 'x': the server's password authentication"."""
        if not spec.get("email"):
            raise ConnectError("{0} needs an email address; set email.".format(refusing))
        password = spec.get("password")
        if not password and not spec.get("user_must_set_password"):
            raise ConnectError("{0} needs a password or user_must_set_password: true.".format(refusing))
        if password and len(password) < MIN_PASSWORD_LENGTH:
            raise ConnectError("{0} refuses passwords shorter than {1} characters.".format(refusing, MIN_PASSWORD_LENGTH))

    def _plan_create_from_directory(self, spec):
        entry = self.users.require_directory_entry(spec["username"], self.facts.provider_name)
        live = {}

        def run(operation):
            created, made = self.users.create_from_entry(entry)
            operation.found_existing = not made
            live.update(created)

        from_directory = _new_user(dict(entry, user_role=None))
        operations = [Operation("create", describe_user(spec), run, _creation_changes(from_directory))]
        completing = self._update_operation(spec, from_directory, live)
        if completing:
            operations.append(completing)
        return Plan(None, _predict(from_directory, operations), operations, live, notes=_role_notes(spec))

    def _complete(self, created, spec):
        desired = dict((field, spec.get(field)) for field in ATTRIBUTES)
        changes = field_changes(created, desired, SAME)
        if not changes:
            return created
        body = dict((field, change["after"]) for field, change in changes.items())
        return dict(created, **self.users.update(created["guid"], body))


def default_role_note(names):
    """The sentence for check mode about accounts created without user_role (one name, or many)."""
    if len(names) == 1:
        subject, pronoun = "User '{0}' is created without user_role, so Connect gives it".format(names[0]), "its"
    else:
        subject = "{0} accounts are created without user_role ({1}), so Connect gives them".format(
            len(names), ", ".join("'{0}'".format(name) for name in names[:10]) + (" and more" if len(names) > 10 else ""))
        pronoun = "their"
    return ("{0} the server's default role (Authorization.DefaultUserRole: viewer, or publisher where so set), which "
            "the API does not publish, so the plan shows {1} user_role as null.".format(subject, pronoun))


def role_left_to_server(plan):
    """Whether a plan creates an account whose role only the server will decide."""
    return any(op.action == "create" and "user_role" in op.changes and op.changes["user_role"]["after"] is None
               for op in plan.operations)


def _role_notes(spec):
    return [] if spec.get("user_role") else [default_role_note([spec["username"]])]


def _same(current, desired):
    return current == desired


def _provider_words(provider, *kinds):
    """Whose rule a refusal cites: "the server's password authentication", or, when the settings leave more than
    one provider possible, that they leave this one possible (the rule is then applied to be safe)."""
    if provider.kind in kinds:
        return "the server's {0} authentication".format(provider.kind)
    possible = " or ".join(LABELS[kind] for kind in kinds if provider.may_be(kind))
    return "the server's authentication, which may be {0} ({1}),".format(possible, provider.why_unsure())


def _creation_body(spec):
    body = {"username": spec["username"]}
    for field in ATTRIBUTES + CREATION_ONLY:
        if spec.get(field) not in (None, False):
            body[field] = spec[field]
    return body


def _new_user(spec):
    """The account Connect is predicted to make for a desired user."""
    return {
        "guid": None,
        "username": spec.get("username"),
        "email": spec.get("email") or "",
        "first_name": spec.get("first_name") or "",
        "last_name": spec.get("last_name") or "",
        # Without user_role Connect applies Authorization.DefaultUserRole (viewer or publisher), which
        # server_settings does not publish: unknown until the server answers.
        "user_role": spec.get("user_role"),
        "locked": False,
        "confirmed": not spec.get("user_must_set_password"),
        "created_time": None,
        "updated_time": None,
        "active_time": None,
    }


def _creation_changes(predicted):
    return dict((field, {"before": None, "after": predicted[field]}) for field in DIFF_FIELDS)


def _predict(current, operations):
    """The account after the operations, from their recorded changes."""
    predicted = dict(current)
    for operation in operations:
        for field, change in operation.changes.items():
            predicted[field] = change["after"]
    return predicted
