# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How names and GUIDs are compared: as Connect stores them, and as people read them.

Three comparisons, from strict to loose:

* ``same_name``: equal once both are in Unicode's composed form (NFC). A
  decomposed ``josé`` (e + U+0301) is the account ``josé``, not a new one.
* ``folded``: equal but for case (``Carol`` and ``carol``).
* ``lookalike_key``: equal to the eye. A compact form of Unicode TR39's
  confusable skeleton: the Latin, Cyrillic and Greek letters (and the digits)
  that are drawn alike map to one Latin prototype, invisible characters are
  dropped, compatibility forms (fullwidth letters, ligatures) are unfolded,
  and case is ignored. ``аlice`` with a Cyrillic ``а`` and ``alice`` share a key.

It lives in the API layer because the resources compare the names Connect
answers with the names asked for (Resource.by_name), and the planners and the
input checks build on it; it needs nothing but the standard library, so the
managed host needs no new package.
"""

from __future__ import annotations

import unicodedata

# Character categories that never belong in a name: controls (Cc), invisible
# format characters (Cf: zero-width space U+200B, byte order mark U+FEFF,
# left-to-right mark U+200E, word joiner U+2060...) and line or paragraph separators.
FORBIDDEN_CATEGORIES = frozenset(("Cc", "Cf", "Zl", "Zp"))

# Look-alikes and their Latin prototype, after TR39's confusables.txt (only the
# Latin, Cyrillic and Greek rows whose glyphs are the same in common fonts).
_LOOKALIKES = {
    # Cyrillic, lower case
    u"\u0430": "a", u"\u0435": "e", u"\u043e": "o", u"\u0440": "p", u"\u0441": "c", u"\u0443": "y",
    u"\u0445": "x", u"\u0455": "s", u"\u0456": "i", u"\u0458": "j", u"\u04bb": "h", u"\u0501": "d",
    u"\u051b": "q", u"\u051d": "w", u"\u04cf": "l", u"\u04af": "y", u"\u0491": "r",
    # Cyrillic, upper case
    u"\u0410": "A", u"\u0412": "B", u"\u0415": "E", u"\u041a": "K", u"\u041c": "M", u"\u041d": "H",
    u"\u041e": "O", u"\u0420": "P", u"\u0421": "C", u"\u0422": "T", u"\u0425": "X", u"\u0405": "S",
    u"\u0406": "l", u"\u0408": "J", u"\u051a": "Q", u"\u051c": "W", u"\u04ae": "Y", u"\u04c0": "l",
    u"\u0417": "3",
    # Greek, lower case
    u"\u03b1": "a", u"\u03bf": "o", u"\u03bd": "v", u"\u03b9": "i", u"\u03c1": "p", u"\u03c5": "u",
    u"\u03c7": "x", u"\u03f2": "c", u"\u03b3": "y", u"\u03b7": "n", u"\u03f3": "j", u"\u03ba": "k",
    # Greek, upper case
    u"\u0391": "A", u"\u0392": "B", u"\u0395": "E", u"\u0396": "Z", u"\u0397": "H", u"\u0399": "l",
    u"\u039a": "K", u"\u039c": "M", u"\u039d": "N", u"\u039f": "O", u"\u03a1": "P", u"\u03a4": "T",
    u"\u03a5": "Y", u"\u03a7": "X", u"\u03f9": "C", u"\u037f": "J",
    # Latin and digits drawn alike
    "0": "O", "1": "l", "I": "l", "|": "l", u"\u0131": "i", u"\u0237": "j", u"\u0251": "a",
    u"\u0261": "g", u"\u2113": "l", "m": "rn",
}


def nfc(text):
    """``text`` in Unicode's composed form (NFC), as Connect should store it; other values unchanged."""
    return unicodedata.normalize("NFC", text) if isinstance(text, str) else text


def same_name(left, right):
    """Whether two names are the same once composed (NFC)."""
    return isinstance(left, str) and isinstance(right, str) and nfc(left) == nfc(right)


def folded(text):
    """The composed, case-folded form: names that differ only in case share it."""
    return nfc(text).casefold()


def forbidden_character(text):
    """The first control, format (invisible) or line-separator character of ``text``, or None."""
    for char in text:
        if unicodedata.category(char) in FORBIDDEN_CATEGORIES:
            return char
    return None


def _prototypes(text):
    return "".join(_LOOKALIKES.get(char, char) for char in text
                   if unicodedata.category(char) not in FORBIDDEN_CATEGORIES)


def lookalike_key(text):
    """The name as the eye reads it: compatibility forms unfolded, invisible characters dropped,
    look-alike letters mapped to their Latin prototype, case ignored.

    Mapped before and after case folding, so that a capital (Greek Η) and a small
    letter (Latin h) that are both drawn like a Latin letter meet.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    once = _prototypes(decomposed).casefold()
    return unicodedata.normalize("NFKD", _prototypes(once))


def clash(new_name, existing_name):
    """How ``new_name`` collides with ``existing_name``: "exact", "case", "lookalike", or None."""
    if same_name(new_name, existing_name):
        return "exact"
    if folded(new_name) == folded(existing_name):
        return "case"
    if lookalike_key(new_name) == lookalike_key(existing_name):
        return "lookalike"
    return None


_STRICTNESS = {"exact": 0, "case": 1, "lookalike": 2}


def closest_clash(name, items, name_key, except_guid=None):
    """(how, item) for the item whose ``name_key`` clashes most strictly with ``name`` (exact, then case, then
    look-alike), leaving out the item ``except_guid`` names; (None, None) when none clashes."""
    best = (None, None)
    for item in items:
        if guid_key(item["guid"]) == guid_key(except_guid):
            continue
        how = clash(name, item[name_key])
        if how is not None and (best[0] is None or _STRICTNESS[how] < _STRICTNESS[best[0]]):
            best = (how, item)
    return best


def clash_words(kind):
    """Words for a clash in a sentence: "has that name", "has that name but for case", "looks the same"."""
    return {"exact": "has that name", "case": "has that name but for case",
            "lookalike": "has a name that looks the same (confusable letters)"}[kind]


def guid_key(guid):
    """A GUID as compared: without case (Connect writes them in lower case, people paste them in upper)."""
    return guid.lower() if isinstance(guid, str) else guid


def search_prefixes(name):
    """One-character prefixes whose searches find every name that could look like ``name``.

    Connect searches by prefix, without case. A look-alike of ``name`` begins
    with a character whose prototype is the prototype of ``name``'s first
    character; searching each such character (once per case-folded form)
    finds all of them without reading the whole listing.
    """
    visible = [char for char in unicodedata.normalize("NFKD", name)
               if unicodedata.category(char) not in FORBIDDEN_CATEGORIES]
    if not visible:
        return []
    target = lookalike_key(visible[0])[:1]
    found = [visible[0].casefold()]
    for char in list(_LOOKALIKES) + [target]:
        if lookalike_key(char)[:1] == target and char.casefold() not in found and _is_alphabet(char):
            found.append(char.casefold())
    return found


def _is_alphabet(char):
    """ASCII letters and digits, and Cyrillic and Greek letters; the phonetic Latin letters (a Latin alpha, a
    dotless i) and symbols (a vertical bar, a script l) a name hardly begins with are not worth a search."""
    return (char.isascii() and char.isalnum()) or unicodedata.name(char, "").split(" ")[0] in ("CYRILLIC", "GREEK")


def spelled(name):
    """``'аlice'`` followed by its characters outside ASCII, so that a reader can tell look-alikes apart:
    ``'аlice' (U+0430 CYRILLIC SMALL LETTER A)``."""
    unusual = []
    for char in nfc(name):
        if ord(char) > 127 and char not in unusual:
            unusual.append(char)
    words = ", ".join("U+{0:04X} {1}".format(ord(char), unicodedata.name(char, "unnamed")) for char in unusual[:3])
    return "'{0}'{1}".format(name, " ({0})".format(words) if words else "")
