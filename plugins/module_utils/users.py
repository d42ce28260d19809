# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connect users: finding them, and the one planner behind connect_user and connect_users."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils.plan import Operation, Plan, field_changes
from ansible_collections.posit.connect.plugins.module_utils.server import TICKET, UNKNOWN, is_guid

ROLES = ("administrator", "publisher", "viewer")
ATTRIBUTES = ("email", "first_name", "last_name", "user_role")
DIFF_FIELDS = ("username",) + ATTRIBUTES + ("locked",)
# Fields of a desired user that are written on creation only and never compared.
CREATION_ONLY = ("password", "user_must_set_password", "unique_id")

# Connect's code for "POST is the wrong way to create users here; PUT a ticket".
CODE_USE_TICKET = 120


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
    )


def user_path(guid):
    return "/v1/users/" + guid


def describe_user(spec):
    return "user '{0}'".format(spec.get("username") or spec.get("guid"))


class UserFinder:
    """Looks users up, one request per lookup in the usual case."""

    def __init__(self, client):
        self.client = client

    def by_guid(self, guid):
        """The user with this guid, or None."""
        try:
            return self.client.get(user_path(guid))
        except ConnectError as error:
            if error.status == 404:
                return None
            raise

    def by_username(self, username):
        """The user with exactly this username, or None.

        Connect only has a prefix search (over usernames and names), so scan its
        matches for the exact username, stopping at the first page that has it.
        """
        for user in self.client.iterate("/v1/users", {"prefix": username}):
            if user.get("username") == username:
                return user
        return None

    def by_ref(self, name_or_guid):
        """The user named by a username or a guid, or None."""
        if is_guid(name_or_guid):
            return self.by_guid(name_or_guid)
        return self.by_username(name_or_guid)

    def find(self, spec):
        """The account a desired user names: by guid when given, else by username."""
        if spec.get("guid"):
            return self.by_guid(spec["guid"])
        return self.by_username(spec["username"])

    def all(self):
        return self.client.paginate("/v1/users")


def validate_user_spec(spec):
    """Raise a ConnectError naming the field when a desired user cannot be right."""
    username, guid = spec.get("username"), spec.get("guid")
    if guid is not None and not is_guid(guid):
        raise ConnectError("guid {0!r} is not a valid Connect GUID.".format(guid))
    if not guid and (username is None or not str(username).strip()):
        raise ConnectError("username must be a non-empty string when no guid is given.")
    if username is not None and not str(username).strip():
        raise ConnectError("username must not be empty.")
    role = spec.get("user_role")
    if role is not None and role not in ROLES:
        raise ConnectError("user_role {0!r} is not one of {1}.".format(role, ", ".join(ROLES)))
    if spec.get("password") and spec.get("user_must_set_password"):
        raise ConnectError("password and user_must_set_password cannot be used together for {0}.".format(describe_user(spec)))


class UserPlanner:
    """Turns a desired user and the current account into a Plan.

    The same planner serves connect_user (one account, looked up here) and
    connect_users (thousands, looked up from one listing), so both behave the
    same way down to the operations they report.
    """

    def __init__(self, client, facts):
        self.client = client
        self.facts = facts
        self.finder = UserFinder(client)

    def plan_one(self, spec):
        """Check the desired user, look its account up, and plan."""
        validate_user_spec(spec)
        return self.plan(spec, self.finder.find(spec))

    def plan(self, spec, current):
        """Plan a desired user against its current account (None when there is none)."""
        validate_user_spec(spec)
        if spec.get("state", "present") == "absent":
            return self._plan_absent(spec, current)
        if current is None:
            if spec.get("guid"):
                raise ConnectError("No user has guid {0}; a user cannot be created with a chosen guid.".format(spec["guid"]))
            return self._plan_create(spec)
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
        if current is None or current.get("locked"):
            return Plan(current, current)
        self._refuse_self_lock(spec, current)
        live = dict(current)
        operations = [self._lock_operation(current, live, locked=True)]
        return Plan(current, _predict(current, operations), operations, live)

    def _update_operation(self, spec, current, live):
        desired = dict((field, spec.get(field)) for field in ATTRIBUTES)
        if spec.get("guid") and spec.get("username"):
            desired["username"] = spec["username"]
        changes = field_changes(current, desired)
        if not changes:
            return None

        def run():
            body = dict((field, change["after"]) for field, change in changes.items())
            live.update(self.client.put(user_path(live["guid"]), body) or {})

        return Operation("update", "user '{0}'".format(current["username"]), run, changes)

    def _lock_operation(self, current, live, locked):
        def run():
            self.client.post(user_path(live["guid"]) + "/lock", {"locked": locked})
            live["locked"] = locked

        return Operation("lock" if locked else "unlock", "user '{0}'".format(current["username"]), run,
                         {"locked": {"before": not locked, "after": locked}})

    def _refuse_self_lock(self, spec, current):
        if spec.get("force"):
            return
        if self.facts.me.get("guid") == current.get("guid"):
            raise ConnectError(
                "Refusing to lock user '{0}': it is the account this API key belongs to; "
                "set force: true to lock it anyway.".format(current.get("username")))

    # -- new accounts --------------------------------------------------------

    def _plan_create(self, spec):
        if self.facts.user_creation() == TICKET:
            return self._plan_create_from_directory(spec)
        body = _creation_body(spec)
        live = {}

        def run():
            try:
                # Completed in case the account already existed (made by a run in parallel).
                created = self._complete(self._create(body), spec)
            except ConnectError as error:
                if error.code != CODE_USE_TICKET or self.facts.user_creation() != UNKNOWN:
                    raise
                # A server that hides its settings told us it creates users from tickets.
                entry = self._directory_entry(spec)
                created = self._create({"temp_ticket": entry["temp_ticket"]}, method="PUT", username=entry["username"])
                created = self._complete(created, spec)
            live.update(created)

        predicted = _new_user(spec)
        operation = Operation("create", describe_user(spec), run, _creation_changes(predicted))
        return Plan(None, predicted, [operation], live)

    def _plan_create_from_directory(self, spec):
        entry = self._directory_entry(spec)
        live = {}

        def run():
            live.update(self._create({"temp_ticket": entry["temp_ticket"]}, method="PUT", username=entry["username"]))

        from_directory = _new_user(dict(entry, user_role=None))
        operations = [Operation("create", describe_user(spec), run, _creation_changes(from_directory))]
        completing = self._update_operation(spec, from_directory, live)
        if completing:
            operations.append(completing)
        predicted = _predict(from_directory, operations)
        return Plan(None, predicted, operations, live)

    def _create(self, body, method="POST", username=None):
        """Create an account; ``username`` finds it when an answer is lost (a ticket body has none)."""
        username = username or body.get("username")

        def find_existing():
            return self.finder.by_username(username) if username else None

        return self.client.create(method, "/v1/users", body, find_existing)

    def _complete(self, created, spec):
        desired = dict((field, spec.get(field)) for field in ATTRIBUTES)
        changes = field_changes(created, desired)
        if not changes:
            return created
        body = dict((field, change["after"]) for field, change in changes.items())
        return dict(created, **(self.client.put(user_path(created["guid"]), body) or {}))

    def _directory_entry(self, spec):
        """The remote directory's entry for exactly this username, with its ticket."""
        username = spec["username"]
        found = self.client.get("/v1/users/remote", {"prefix": username, "limit": 500}) or {}
        for entry in found.get("results") or []:
            if entry.get("username") == username:
                return entry
        raise ConnectError(
            "User '{0}' is not in the directory of the server's {1} authentication provider, "
            "so Connect cannot create it.".format(username, self.facts.provider_name))


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
        "user_role": spec.get("user_role") or "viewer",
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
