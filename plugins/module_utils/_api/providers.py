# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which authentication provider a server uses, worked out from the ``authentication`` block of server_settings.

Connect does not publish its provider's key (``Authentication.Provider``). What it
publishes are boolean fields whose meaning is known (a real 2023.11 password
server's capture, the 2023.09 spec and Posit's clients) and ``name``, a display
name an administrator can change ("Posit Connect" on a password server). So each
boolean field narrows the providers it is consistent with, and the name only
chooses among what the fields leave, or stands alone when no field is published.

When the evidence disagrees (the fields with each other, or the name with them),
the answer keeps every provider any piece of it points to: planners then apply
the rules of each, refusing rather than planning a write that Connect would
refuse. When there is no evidence at all (hidden settings), nothing is assumed
and the rules that depend on the provider are left to Connect.
"""

from __future__ import annotations

PASSWORD = "password"
PAM = "pam"
LDAP = "ldap"
SAML = "saml"
OAUTH2 = "oauth2"
PROXY = "proxy"
UNKNOWN = "unknown"

# Also the order providers are named in, in messages.
ORDER = (PASSWORD, PAM, LDAP, SAML, OAUTH2, PROXY)
ALL = frozenset(ORDER)
LOCAL = frozenset([PASSWORD, PAM])
EXTERNAL_LOGIN = frozenset([SAML, OAUTH2, PROXY])

# How each provider is named in messages.
LABELS = {PASSWORD: "password", PAM: "PAM", LDAP: "LDAP", SAML: "SAML", OAUTH2: "OAuth2", PROXY: "proxied"}

# field -> {value: the providers that publish that value}. Google's OAuth2 searches its
# directory for users (external_user_search) but not for groups; only LDAP searches for groups,
# and LDAP always supplies group members, while any provider may provision them.
FIELD_EVIDENCE = {
    "handles_credentials": {True: LOCAL | {LDAP}, False: EXTERNAL_LOGIN},
    "external_user_data": {True: ALL - LOCAL, False: LOCAL},
    "external_user_id": {True: ALL - LOCAL, False: LOCAL},
    "external_user_search": {True: frozenset([LDAP, OAUTH2]), False: ALL - {LDAP}},
    "external_group_search": {True: frozenset([LDAP]), False: ALL - {LDAP}},
    "external_group_members": {True: ALL, False: ALL - {LDAP}},
}

# Words of a display name and the provider they hint at, the first match winning.
# "Posit Connect" (and RStudio Connect before it) is what a password server calls itself.
NAME_HINTS = (("ldap", LDAP), ("active directory", LDAP), ("saml", SAML), ("oauth", OAUTH2), ("openid", OAUTH2),
              ("oidc", OAUTH2), ("google", OAUTH2), ("pam", PAM), ("proxy", PROXY), ("password", PASSWORD),
              ("posit connect", PASSWORD), ("rstudio connect", PASSWORD))


class Provider:
    """The answer: ``possible`` providers (empty: no evidence), whether the evidence ``disagrees``, and why."""

    def __init__(self, possible, disagrees=False, name="", fields=()):
        self.possible = frozenset(possible)
        self.disagrees = disagrees
        self.name = name
        self.fields = tuple(fields)

    @property
    def kind(self):
        """The one provider the evidence points to, or UNKNOWN."""
        return next(iter(self.possible)) if len(self.possible) == 1 else UNKNOWN

    def may_be(self, *kinds):
        """Whether the evidence leaves any of ``kinds`` possible (never, without evidence)."""
        return bool(self.possible & set(kinds))

    def only(self, *kinds):
        """Whether there is evidence and every possible provider is one of ``kinds``."""
        return bool(self.possible) and self.possible <= set(kinds)

    def describe(self):
        """The provider in words, for messages: "LDAP", "SAML, OAuth2 or proxied", "password or PAM"."""
        if not self.possible:
            return "unknown"
        labels = [LABELS[kind] for kind in sorted(self.possible, key=_order)]
        return labels[0] if len(labels) == 1 else "{0} or {1}".format(", ".join(labels[:-1]), labels[-1])

    def why_unsure(self):
        """Why more than one provider is possible, as a clause ("" when one is): for refusals made to be safe."""
        if len(self.possible) <= 1:
            return ""
        if self.disagrees:
            return "its authentication settings disagree (the fields with each other or with its name '{0}')".format(
                self.name)
        return "its authentication settings do not tell {0} apart".format(self.describe().replace(" or ", " and "))


def _order(kind):
    return ORDER.index(kind)


def name_hint(name):
    """The provider a display name hints at, or None."""
    text = " ".join(str(name or "").lower().split())
    for word, kind in NAME_HINTS:
        if word in text:
            return kind
    return None


def infer(authentication):
    """The Provider of a server_settings ``authentication`` block ({} when hidden)."""
    auth = authentication if isinstance(authentication, dict) else {}
    narrowing = [(field, values[auth[field]]) for field, values in FIELD_EVIDENCE.items()
                 if isinstance(auth.get(field), bool)]
    fields = [field for field, _allowed in narrowing]
    name = str(auth.get("name") or "")
    hint = name_hint(name)
    if not narrowing:
        return Provider([hint] if hint else [], name=name)
    allowed = ALL
    for _field, kinds in narrowing:
        allowed = allowed & kinds
    if not allowed:
        # The fields contradict each other: keep everything any of them allows.
        every = frozenset().union(*[kinds for _field, kinds in narrowing])
        return Provider(every | ({hint} if hint else set()), disagrees=True, name=name, fields=fields)
    if hint is None:
        return Provider(allowed, name=name, fields=fields)
    if hint in allowed:
        return Provider([hint], name=name, fields=fields)
    return Provider(allowed | {hint}, disagrees=True, name=name, fields=fields)
