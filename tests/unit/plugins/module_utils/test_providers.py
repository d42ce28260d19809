# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which provider a server uses, from its server_settings: confirmed fields first, the display name last.

The password settings are a real server's (the 2023.11 capture in tests/simulator/fixtures/). No capture of
another provider is public, so the others below are CONSTRUCTED: the password capture with the fields each
provider is documented to publish (docs/simulator.md's table of flags, after the 2023.09 spec and
connect-api.md section 7.2) and the display names seen or guessed for them ("LDAP" is seen in connectapi's tests).
"""

from __future__ import annotations

import copy
import json
import os

import pytest

from ansible_collections.posit.connect.plugins.module_utils._api import providers
from ansible_collections.posit.connect.plugins.module_utils._api.providers import LDAP, OAUTH2, PAM, PASSWORD, PROXY, SAML, infer

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "simulator", "fixtures",
                       "server-settings-password-2023.11.json")


def captured_password():
    """The authentication block of the real 2023.11 password server (evidence)."""
    with open(FIXTURE, encoding="utf-8") as handle:
        return json.load(handle)["answer"]["authentication"]


def constructed(name, **fields):
    """CONSTRUCTED: the captured block with ``fields`` and display ``name`` of another provider."""
    block = copy.deepcopy(captured_password())
    block.update(fields, name=name)
    return block


EXTERNAL_DATA = dict(external_user_data=True, external_user_id=True)
PAM_BLOCK = constructed("PAM")
LDAP_BLOCK = constructed("LDAP", handles_credentials=True, external_user_search=True, external_group_search=True,
                         external_group_members=True, external_group_id=True, external_group_owner=True, **EXTERNAL_DATA)
SAML_BLOCK = constructed("SAML", handles_credentials=False, handles_login=False, **EXTERNAL_DATA)
OAUTH2_BLOCK = constructed("OAuth2", handles_credentials=False, handles_login=False, **EXTERNAL_DATA)
GOOGLE_BLOCK = constructed("OAuth2", handles_credentials=False, handles_login=False, external_user_search=True,
                           **EXTERNAL_DATA)
PROXY_BLOCK = constructed("Proxy", handles_credentials=False, handles_login=False, **EXTERNAL_DATA)
PROVISIONED_SAML_BLOCK = constructed("SAML", handles_credentials=False, external_group_members=True, **EXTERNAL_DATA)


def test_the_captured_password_server_is_password():
    provider = infer(captured_password())
    assert provider.kind == PASSWORD and provider.possible == {PASSWORD} and not provider.disagrees
    assert provider.describe() == "password"


@pytest.mark.parametrize("block, kind", [
    (PAM_BLOCK, PAM), (LDAP_BLOCK, LDAP), (SAML_BLOCK, SAML), (OAUTH2_BLOCK, OAUTH2), (GOOGLE_BLOCK, OAUTH2),
    (PROXY_BLOCK, PROXY), (PROVISIONED_SAML_BLOCK, SAML),
], ids=["pam", "ldap", "saml", "oauth2", "oauth2-google", "proxy", "saml-provisioning"])
def test_each_constructed_provider(block, kind):
    provider = infer(block)
    assert provider.kind == kind and not provider.disagrees


@pytest.mark.parametrize("block, possible", [
    (LDAP_BLOCK, {LDAP}),
    (GOOGLE_BLOCK, {OAUTH2}),
    # The fields alone cannot tell these apart: every one of them stays possible.
    (captured_password(), {PASSWORD, PAM}),
    (SAML_BLOCK, {SAML, OAUTH2, PROXY}),
], ids=["ldap", "oauth2-google", "password-or-pam", "saml-oauth2-or-proxy"])
def test_a_renamed_display_name_leaves_what_the_fields_say(block, possible):
    provider = infer(dict(block, name="Acme Sign-In"))
    assert provider.possible == possible and not provider.disagrees


def test_the_name_only_chooses_among_what_the_fields_allow():
    # "LDAP" on a server whose fields are a password server's: both are kept, and the answer says they disagree.
    provider = infer(dict(captured_password(), name="LDAP"))
    assert provider.disagrees and provider.kind == providers.UNKNOWN
    assert provider.may_be(LDAP) and provider.may_be(PASSWORD)
    assert "disagree" in provider.why_unsure() and "LDAP" in provider.why_unsure()


def test_fields_that_contradict_each_other_keep_every_provider_they_point_to():
    # Group search (only LDAP) on a server that does not handle credentials (never LDAP).
    provider = infer(dict(SAML_BLOCK, external_group_search=True))
    assert provider.disagrees and provider.may_be(LDAP) and provider.may_be(SAML)


def test_hidden_settings_assume_nothing():
    provider = infer({})
    assert provider.possible == set() and provider.kind == providers.UNKNOWN
    assert not provider.may_be(PASSWORD, LDAP, SAML, OAUTH2, PAM, PROXY)
    assert provider.describe() == "unknown"


def test_without_fields_the_name_is_the_last_hint():
    assert infer({"name": "LDAP"}).kind == LDAP
    assert infer({"name": "Posit Connect"}).kind == PASSWORD
    assert infer({"name": "Something else"}).possible == set()


def test_values_that_are_not_booleans_are_no_evidence():
    provider = infer({"external_group_search": "true", "external_user_search": None, "name": "SAML"})
    assert provider.kind == SAML and provider.fields == ()


def test_describe_names_every_possibility_in_order():
    assert infer(dict(SAML_BLOCK, name="Okta")).describe() == "SAML, OAuth2 or proxied"
    assert infer(dict(captured_password(), name="x")).why_unsure() == (
        "its authentication settings do not tell password and PAM apart")
