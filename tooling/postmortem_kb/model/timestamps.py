"""Timestamps as written in front matter: ISO 8601 with a required UTC offset."""

from __future__ import annotations

import re
from datetime import datetime

_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?P<offset>Z|z|[+-]\d{2}:?\d{2})?$"
)


class TimestampError(ValueError):
    """A time that is not ISO 8601 with a UTC offset; the message says how to fix it."""

    pass


def parse_timestamp(text: str) -> datetime:
    """Parse an offset-aware timestamp; raise TimestampError with a message a person can act on."""
    match = _TIMESTAMP.match(text)
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
