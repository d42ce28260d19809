# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How content access reads to a person: roles in words, permissions with names, the diff's picture, refusals.

Shared by the access planner (access.py), its writes (access_writes.py) and the
read-only content info (content_info.py).
"""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._api.content import COLLABORATOR, VIEWER
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.plugins.module_utils._planning.principals import KINDS

# The task's options for each role, and the words a reader sees for Connect's roles.
ROLE_OPTIONS = (("viewers", VIEWER), ("collaborators", COLLABORATOR))
ROLE_WORDS = {VIEWER: "viewer", COLLABORATOR: "collaborator"}
NOTHING_CHANGED = "no access was changed"


def role_word(role):
    return ROLE_WORDS.get(role, role)


def permission_view(permission, principals):
    """A permission as the modules return it: ``{principal_type, principal_guid, name, role}``."""
    kind, guid = permission["principal_type"], permission["principal_guid"]
    return {"principal_type": kind, "principal_guid": guid, "name": principals.name_of(kind, guid),
            "role": role_word(permission["role"])}


def sorted_views(views):
    """Permissions by principal type, then name (groups before users)."""
    return sorted(views, key=lambda view: (view["principal_type"], view["name"], view["principal_guid"]))


def content_view(item, owner_name, access_type=None):
    """The item as connect_content_access returns it."""
    return {"guid": item["guid"], "name": item["name"], "title": item.get("title"), "owner": owner_name,
            "access_type": access_type or item.get("access_type")}


def access_view(access_type, views):
    """The diff's picture of an item's access: its access type and the names holding each role."""
    picture = {"access_type": access_type}
    for option, role in ROLE_OPTIONS:
        holders = [view for view in views if view["role"] == role_word(role)]
        picture[option] = dict((kind + "s", sorted(view["name"] for view in holders if view["principal_type"] == kind))
                               for kind in KINDS)
    return picture


def describe(kind, principal):
    name = principal.get("username") if kind == "user" else principal.get("name")
    return "{0} '{1}'".format(kind, name)


def describe_all(entries):
    """"user 'ana'", "user 'ana' and group 'eng'", "user 'a', user 'b' and group 'c'"."""
    words = [describe(kind, principal) for kind, principal in entries]
    return words[0] if len(words) == 1 else "{0} and {1}".format(", ".join(words[:-1]), words[-1])


def capital(text):
    return text[:1].upper() + text[1:]


def refusal(text):
    """A planning refusal: one sentence, capitalised, saying nothing was written."""
    return ConnectError("{0} ({1}).".format(capital(text), NOTHING_CHANGED))


def given_roles(spec):
    """Connect's roles whose option the spec gives (what an exclusive task makes exact)."""
    return tuple(role for option, role in ROLE_OPTIONS if spec.get(option) is not None)
