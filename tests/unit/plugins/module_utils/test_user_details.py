# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connect's timestamps and the dormancy rule of connect_user_info's inactive_days."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.posit.connect.plugins.module_utils._planning.user_details import is_dormant, parse_time

UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 12, 5, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("text, expected", [
    ("2026-01-02T03:04:05Z", datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ("2026-01-02T03:04:05.123456789Z", datetime.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)),
    ("2026-01-02T03:04:05.5+02:00", datetime.datetime(2026, 1, 2, 1, 4, 5, 500000, tzinfo=UTC)),
    ("2026-01-02T03:04:05-0130", datetime.datetime(2026, 1, 2, 4, 34, 5, tzinfo=UTC)),
    ("2026-01-02T03:04:05", datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ("yesterday", None),
    ("2026-13-02T03:04:05Z", None),
    (None, None),
])
def test_connect_timestamps_are_read(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("user, dormant", [
    ({"active_time": "2026-08-01T00:00:00Z", "created_time": "2020-01-01T00:00:00Z"}, True),
    ({"active_time": "2026-11-01T00:00:00Z", "created_time": "2020-01-01T00:00:00Z"}, False),
    ({"active_time": None, "created_time": "2026-08-01T00:00:00Z"}, True),
    ({"active_time": None, "created_time": "2026-11-30T00:00:00Z"}, False),
    ({"active_time": None, "created_time": None}, False),
    ({"active_time": "garbled", "created_time": "2020-01-01T00:00:00Z"}, False),
    ({"active_time": "2020-01-01T00:00:00Z", "created_time": "2020-01-01T00:00:00Z", "locked": True}, False),
])
def test_dormant_means_unlocked_and_idle_or_never_active_since_long_enough(user, dormant):
    assert is_dormant(user, 90, NOW) is dormant
