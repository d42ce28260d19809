# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What connect_user_info can add to the users it finds: their groups, their content, and whether they are dormant.

Connect has no endpoint for a user's groups or a user's content; both are
answered for every returned user at once (one groups pass, one content
listing), and the two are read side by side when both are asked for.

Dormancy is decided here rather than with Connect's ``account_status:
inactive``, which always means a year: an organisation that frees licence seats
after 90 days needs its own number.
"""

from __future__ import annotations

import datetime
import re
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.posit.connect.plugins.module_utils._planning.groups import membership_index

# The fields of each owned item that include_content returns.
CONTENT_FIELDS = ("guid", "name", "title", "app_mode", "access_type", "content_url", "dashboard_url")

# RFC 3339 as Connect writes it: fractions of a second up to nanoseconds (Python keeps microseconds), Z or an offset.
_TIMESTAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$")


def parse_time(text):
    """An aware UTC datetime from Connect's timestamp, or None when there is none or it cannot be read."""
    if not isinstance(text, str):
        return None
    match = _TIMESTAMP.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, unused_z, sign, off_h, off_m = match.groups()
    try:
        moment = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                                   int((fraction or "0")[:6].ljust(6, "0")), tzinfo=datetime.timezone.utc)
    except ValueError:
        return None
    if sign:
        offset = datetime.timedelta(hours=int(off_h), minutes=int(off_m))
        moment = moment - offset if sign == "+" else moment + offset
    return moment


def is_dormant(user, days, now):
    """Unlocked and not active in the last ``days`` days; never active counts only once created before that.

    An account whose times cannot be read is not called dormant: a report that
    leads to locks should name only accounts known to be idle.
    """
    if user.get("locked"):
        return False
    cutoff = now - datetime.timedelta(days=days)
    active = parse_time(user.get("active_time"))
    if active is not None:
        return active < cutoff
    if user.get("active_time") not in (None, ""):
        return False
    created = parse_time(user.get("created_time"))
    return created is not None and created < cutoff


def dormant_users(users, days, now=None):
    """The users of ``users`` that are dormant for ``days`` days, in the same order."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return [user for user in users if is_dormant(user, days, now)]


def content_view(item):
    return dict((field, item.get(field)) for field in CONTENT_FIELDS)


def content_index(api, users):
    """``{user guid: [item, ...]}``: one listing, filtered by owner when there is only one user."""
    owned = api.content.owned_by_each([user["guid"] for user in users])
    return dict((guid, [content_view(item) for item in items]) for guid, items in owned.items())


def add_details(api, users, groups=False, content=False):
    """``users`` with ``groups`` and/or ``content`` added; the two readings run side by side."""
    readers = {}
    if groups:
        readers["groups"] = lambda: membership_index(api, "include_groups")
    if content:
        readers["content"] = lambda: content_index(api, users)
    if not users or not readers:
        return users
    if len(readers) == 1:
        found = dict((key, read()) for key, read in readers.items())
    else:
        with ThreadPoolExecutor(max_workers=len(readers)) as pool:
            futures = dict((key, pool.submit(read)) for key, read in readers.items())
            found = dict((key, future.result()) for key, future in futures.items())
    return [dict(user, **dict((key, index.get(user["guid"], [])) for key, index in found.items())) for user in users]
