# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Names compared as Connect stores them and as people read them (issue 20): NFC, invisible characters, look-alikes."""

from __future__ import annotations

import unicodedata

import pytest

from ansible_collections.posit.connect.plugins.module_utils._api.identity import (
    clash,
    folded,
    forbidden_character,
    guid_key,
    lookalike_key,
    nfc,
    same_name,
    search_prefixes,
    spelled,
)

INVISIBLE = ["\u200b", "\ufeff", "\u200e", "\u2060"]
CYRILLIC_A = "\u0430"
JOSE_NFC = "jos\u00e9"
JOSE_NFD = "jose\u0301"
EQUIPE_NFC = "\u00c9quipe"
EQUIPE_NFD = "E\u0301quipe"


@pytest.mark.parametrize("char", INVISIBLE)
def test_every_invisible_character_of_the_issue_is_forbidden(char):
    assert unicodedata.category(char) == "Cf"
    assert forbidden_character("alice" + char) == char
    assert forbidden_character(char + "alice") == char


@pytest.mark.parametrize("text", ["alice", JOSE_NFC, JOSE_NFD, "data science", "\u00c9quipe", "\u0430lice", "ana.lima"])
def test_ordinary_names_have_nothing_forbidden(text):
    assert forbidden_character(text) is None


def test_controls_and_line_separators_are_forbidden_too():
    assert forbidden_character("a\x00b") == "\x00"
    assert forbidden_character("a\u2028b") == "\u2028"


def test_decomposed_names_compose_to_the_stored_form():
    assert JOSE_NFD != JOSE_NFC and nfc(JOSE_NFD) == JOSE_NFC
    assert nfc(EQUIPE_NFD) == EQUIPE_NFC
    assert same_name(JOSE_NFD, JOSE_NFC) and same_name(EQUIPE_NFD, EQUIPE_NFC)
    assert not same_name("jose", JOSE_NFC)
    assert nfc(None) is None


def test_case_variants_fold_alike():
    assert folded("Carol") == folded("carol")
    assert folded(EQUIPE_NFD) == folded("\u00e9quipe")


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_characters_do_not_change_the_look(char):
    assert lookalike_key("alice" + char) == lookalike_key("alice")
    assert clash("alice" + char, "alice") == "lookalike"


def test_a_cyrillic_a_looks_like_a_latin_a():
    assert lookalike_key(CYRILLIC_A + "lice") == lookalike_key("alice")
    assert clash(CYRILLIC_A + "lice", "alice") == "lookalike"
    assert clash("\u0410lice", "alice") == "lookalike"  # capital Cyrillic A, against a small Latin a


@pytest.mark.parametrize("lookalike, latin", [
    ("\u0440\u0430\u0443\u0440\u0430\u0441", "paypac"),  # Cyrillic р а у р а с
    ("\u03bf\u03c1s", "ops"),                           # Greek omicron and rho
    ("\u0397\u0391L", "hal"),                           # Greek capital Eta and Alpha
    ("te\u0430m", "team"),
    ("c1oud", "cloud"),                                 # digit one for an l
    ("cl0ud", "cloud"),                                 # digit zero for an o
    ("\uff41lice", "alice"),                            # a fullwidth a
])
def test_lookalikes_across_scripts_share_a_key(lookalike, latin):
    assert lookalike_key(lookalike) == lookalike_key(latin)


@pytest.mark.parametrize("left, right", [("alice", "alicia"), ("jose", JOSE_NFC), ("team", "teams"), ("ana", "anna")])
def test_different_names_keep_different_keys(left, right):
    assert lookalike_key(left) != lookalike_key(right)
    assert clash(left, right) is None


def test_clash_says_how_names_collide_from_strict_to_loose():
    assert clash(JOSE_NFD, JOSE_NFC) == "exact"
    assert clash("Carol", "carol") == "case"
    assert clash(CYRILLIC_A + "lice", "alice") == "lookalike"


def test_guids_compare_without_case():
    guid = "8f1c3b0e-2f0e-4f6f-9a57-6b4ad3f1a0c2"
    assert guid_key(guid.upper()) == guid_key(guid) == guid


def test_search_prefixes_cover_every_script_a_lookalike_may_start_with():
    prefixes = search_prefixes("alice")
    assert "a" in prefixes and CYRILLIC_A in prefixes and "\u03b1" in prefixes
    assert len(prefixes) == len(set(prefixes)) <= 6
    assert "a" in search_prefixes(CYRILLIC_A + "lice")
    assert search_prefixes("") == []


def test_spelled_names_the_characters_a_reader_cannot_see():
    assert spelled("alice") == "'alice'"
    assert "U+0430 CYRILLIC SMALL LETTER A" in spelled(CYRILLIC_A + "lice")
