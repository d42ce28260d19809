# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sentence of a bulk run that failed for many entries: a few lines, whatever the count.

A run whose key is refused fails every entry the same way; its message once
listed every one (hundreds of kilobytes for a few thousand users), which
drowned the cause and filled AWX's job output. The sentence now counts the
failures by cause (the entry's own words with the names taken out), shows each
cause once with the entries it hit, the most frequent first, and names at most
NAMES_SHOWN entries in all (so a list whose entries fail for different reasons
still shows each of its first ten); the result's ``failures`` keeps every entry
and its own message.
"""

from __future__ import annotations

import re

# How many entries one sentence names (each cause shown names at least one, so at most this many causes).
NAMES_SHOWN = 10
# A cause longer than this is cut (Connect's own text can be long).
CAUSE_LENGTH = 400

_DOING = re.compile(r"^(?:Could not|Cannot) [^:]*?'[^']*'(?: (?:to|from) [^:]*?'[^']*')?: ")
_QUOTED = re.compile(r"'[^']*'")
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def cause_of(message):
    """The part of an entry's message that other entries can share (what happened, not to whom)."""
    return message[_DOING.match(message).end():] if _DOING.match(message) else message


def _cause_key(message):
    return _GUID.sub("*", _QUOTED.sub("*", cause_of(message)))


def _short(text):
    text = text.rstrip(".")
    return text if len(text) <= CAUSE_LENGTH else text[:CAUSE_LENGTH].rstrip() + "..."


def by_cause(failures, key):
    """[(a representative message, [entry names])]: the failures' own causes first, then the entries not applied
    because of them; the most frequent first within each (ties in order of appearance)."""
    groups, order = {}, []
    for failure in failures:
        cause = _cause_key(failure["msg"])
        if cause not in groups:
            groups[cause] = (failure["msg"], [])
            order.append(cause)
        groups[cause][1].append(failure[key])

    def rank(cause):
        return (groups[cause][0].startswith("Not applied"), -len(groups[cause][1]), order.index(cause))

    return [groups[cause] for cause in sorted(order, key=rank)]


def summary(failures, key):
    """'bob: why' for one failure; else each cause with its count and the entries it hit: at most NAMES_SHOWN
    causes, and NAMES_SHOWN names in all (each cause shown names one at least)."""
    if len(failures) == 1:
        return "{0}: {1}".format(failures[0][key], _short(failures[0]["msg"]))
    groups = by_cause(failures, key)
    shown_groups = groups[:NAMES_SHOWN]
    spare = NAMES_SHOWN - len(shown_groups)
    parts = []
    for message, names in shown_groups:
        if len(names) == 1:
            parts.append("{0}: {1}".format(names[0], _short(message)))
            continue
        shown = names[:1 + spare]
        spare -= len(shown) - 1
        more = len(names) - len(shown)
        listed = ", ".join("'{0}'".format(name) for name in shown) + (" and {0} more".format(more) if more else "")
        parts.append("{0} ({1}: {2})".format(_short(cause_of(message)), len(names), listed))
    rest = len(groups) - len(shown_groups)
    if rest > 0:
        parts.append("and {0} other causes".format(rest))
    return "; ".join(parts)


def overtaken(differences):
    """The sentence for what, read back after a run's writes, is not as the run left it (``differences``: words
    such as "user 'ana' is locked"): another change came in between, and running again converges."""
    return ("Another change overtook this run: after its writes, {0}; run the task again (it converges), and do not "
            "run two such tasks at once.".format("; ".join(differences)))
