"""Timestamps as written in front matter: ISO 8601 with a required UTC offset."""

from __future__ import annotations

import re
from datetime import datetime

# What `check` accepts, stated for editors in the published schema: its
# $defs.timestamp.pattern is TIMESTAMP_PATTERN, an ECMA-262 expression (and a
# Python one, with fullmatch). ISO 8601 extended format as people write it: `T` or
# a space, seconds optional, an offset of Z, z, +hh:mm or +hhmm. Not the whole of
# RFC 3339 (which also allows a lowercase `t` and requires seconds), and more than
# it (minutes-only times, the space). The pattern cannot say that the date must
# exist (2025-02-30); parse_timestamp does, and tests/unit/test_timestamps.py holds
# the two together.
_DATE = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = "([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?"
_OFFSET = "(Z|z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])"
TIMESTAMP_PATTERN = f"^{_DATE}[T ]{_TIME}{_OFFSET}$"
# The form alone, digits for digits, so that a wrong number gets "not a real date
# and time" and a missing offset its own message.
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
    r"(?P<offset>Z|z|[+-][0-9]{2}:?[0-9]{2})?"
)
_REAL = re.compile(TIMESTAMP_PATTERN)


class TimestampError(ValueError):
    """A time that is not ISO 8601 with a UTC offset; the message says how to fix it."""

    pass


def parse_timestamp(text: str) -> datetime:
    """Parse an offset-aware timestamp; raise TimestampError with a message a person can act on."""
    match = _TIMESTAMP.fullmatch(text)  # fullmatch: no newline after the end
    if not match:
        raise TimestampError(
            f"'{text}' is not an ISO 8601 date and time; write it like 2025-03-14T09:12:00Z"
        )
    if match.group("offset") is None:
        raise TimestampError(
            f"'{text}' has no UTC offset, so it could be any time zone; "
            f"write it as '{text}Z' if it is UTC, or add the offset like +01:00"
        )
    try:
        if not _REAL.fullmatch(text):
            raise ValueError(text)
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise TimestampError(f"'{text}' is not a real date and time") from None


# How precisely a time was written: what a reader may conclude from it.
PRECISIONS = ("day", "minute", "second")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def time_precision(text: str) -> str | None:
    """``"second"``, ``"minute"`` or ``"day"`` for a time as written in front matter
    (fractions of a second count as "second"); None for text that is not a time."""
    if _DATE_ONLY.match(text):
        return "day"
    match = _TIMESTAMP.match(text)
    if not match:
        return None
    clock = text[11:].split("+")[0].split("-")[0].rstrip("Zz")
    return "second" if clock.count(":") >= 2 else "minute"
