"""Times as Connect prints them: RFC 3339 in UTC with a ``Z`` and fractional seconds.

Connect is written in Go, whose RFC3339Nano layout prints up to nine digits of
fraction and drops trailing zeros (and the dot, for a whole second). Real answers
carry fractions: nine digits in a 2023.11 capture kept by rsconnect-python, six in
connectapi's 2025.04 fixtures. The simulator stamps with nanoseconds so clients
meet the longest form, and keeps a seeded time at the precision it was given.

Times are stored as canonical strings; ``time_key`` orders them without parsing
(a plain string comparison would put ``…:05Z`` after ``…:05.5Z``).
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

NANOS_PER_SECOND = 1_000_000_000
# Go's zero time: what a Go server prints for a timestamp it never set.
ZERO_TIME = "0001-01-01T00:00:00Z"

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_RFC3339 = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<clock>\d{2}:\d{2}:\d{2})"
    r"(?:\.(?P<fraction>\d{1,9}))?(?P<zone>[Zz]|[+-]\d{2}:\d{2})?")


def format_ns(nanoseconds: int) -> str:
    """Epoch nanoseconds as ``YYYY-MM-DDTHH:MM:SS[.fraction]Z``, trailing zeros dropped."""
    seconds, fraction = divmod(nanoseconds, NANOS_PER_SECOND)
    moment = _EPOCH + timedelta(seconds=seconds)
    # Not strftime: it does not pad years before 1000 (Go's zero time is year 1).
    text = (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
            f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}")
    if fraction:
        text += "." + f"{fraction:09d}".rstrip("0")
    return text + "Z"


def parse_ns(text: str) -> int:
    """Epoch nanoseconds of an RFC 3339 time (Z or an offset; no zone means UTC)."""
    if not isinstance(text, str):
        raise TypeError("a time must be a string")
    match = _RFC3339.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not an RFC 3339 time: {text!r}")
    zone = match["zone"] or "Z"
    offset = "+00:00" if zone in ("Z", "z") else zone
    moment = datetime.fromisoformat(f"{match['date']}T{match['clock']}{offset}")
    whole_seconds = (moment - _EPOCH) // timedelta(seconds=1)
    fraction = int((match["fraction"] or "").ljust(9, "0"))
    return whole_seconds * NANOS_PER_SECOND + fraction


def canonical_time(text: str) -> str:
    """The same instant in the simulator's form (UTC, ``Z``), at the precision given."""
    return format_ns(parse_ns(text))


def format_time(epoch: float) -> str:
    return format_ns(round(epoch * NANOS_PER_SECOND))


def now_text() -> str:
    return format_ns(time.time_ns())


def time_key(text: str) -> str:
    """A key that orders canonical times in time order: the fraction padded to nine digits."""
    whole, unused_dot, fraction = text[:-1].partition(".")
    return whole + fraction.ljust(9, "0")
