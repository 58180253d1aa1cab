"""Times as written in front matter: a full time with a UTC offset, a date, or a month.

Old and public postmortems often say only "28 February 2017" or "February 2017".
The record keeps what the author knew and no more: the precision is part of the
parsed time (:class:`IncidentTime`), never a guessed midnight. A duration needs
two full times; a date or a month sorts and files by what it says, and anything
that needs more (a duration, a "last 12 months" boundary inside its month) leaves
it out and counts it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import IntEnum
from functools import lru_cache

# What `check` accepts, stated for editors in the published schema: its
# $defs.timestamp.pattern is TIMESTAMP_PATTERN, an ECMA-262 expression (and a
# Python one, with fullmatch). A month (2017-02), a date (2017-02-28), or ISO 8601
# extended format as people write it: `T` or a space, seconds optional (60 for a
# leap second), an offset of Z, z, +hh:mm or +hhmm. Not the whole of RFC 3339
# (which also allows a lowercase `t` and requires seconds), and more than it
# (minutes-only times, the space, dates and months). The pattern cannot say that
# the date must exist (2025-02-30), nor that a leap second comes only at 23:59:60
# UTC; parse_time does, and tests/model/test_timestamps.py holds the two together.
_MONTH = "[0-9]{4}-(0[1-9]|1[0-2])"
_DAY = "(0[1-9]|[12][0-9]|3[01])"
_TIME = "([01][0-9]|2[0-3]):[0-5][0-9](:([0-5][0-9]|60)([.][0-9]+)?)?"
_OFFSET = "(Z|z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])"
TIMESTAMP_PATTERN = f"^{_MONTH}(-{_DAY}([T ]{_TIME}{_OFFSET})?)?$"
# The forms alone, digits for digits, so that a wrong number gets "not a real date
# and time" and a missing offset its own message.
_FULL = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[T ][0-9]{2}:[0-9]{2}"
    r"(?::(?P<second>[0-9]{2})(?:\.[0-9]+)?)?"
    r"(?P<offset>Z|z|[+-][0-9]{2}:?[0-9]{2})?"
)
_DATE_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}")
_REAL = re.compile(TIMESTAMP_PATTERN)
_LEAP = re.compile(r":60(?=[.Zz+-])")
_FORMS = "write it like 2025-03-14T09:12:00Z, or only the date (2025-03-14) or month (2025-03)"


class TimestampError(ValueError):
    """A time that is none of the accepted forms; the message says how to fix it."""

    pass


class Precision(IntEnum):
    """How much of a time the author gave: coarser precisions compare lower."""

    MONTH = 1
    DAY = 2
    TIME = 3  # a date and time of day with a UTC offset

    @property
    def word(self) -> str:
        """``month``, ``day`` or ``time``: the name JSON output and messages use."""
        return self.name.lower()


_MONTH_NAMES = tuple(calendar.month_name)
_MONTH_ABBREVIATIONS = tuple(calendar.month_abbr)


@dataclass(frozen=True)
class IncidentTime:
    """One time from the front matter, with the precision the author gave it.

    ``moment`` exists only at TIME precision (an aware datetime; a leap second
    23:59:60 is held as 23:59:59.999999, one microsecond short, so that it sorts
    and subtracts correctly). A date or a month has no time of day and no zone:
    it is the date as written.
    """

    text: str
    precision: Precision
    year: int
    month: int
    day: int | None = None  # as written; None at MONTH precision
    moment: datetime | None = None
    leap_second: bool = False

    @property
    def is_full(self) -> bool:
        """A date and time with an offset: the only precision durations are computed from."""
        return self.precision is Precision.TIME

    @property
    def utc(self) -> datetime | None:
        """The instant in UTC, at TIME precision only."""
        return self.moment.astimezone(UTC) if self.moment is not None else None

    @property
    def utc_day(self) -> date | None:
        """The UTC date of a full time, the date of a date; None for a month."""
        if self.moment is not None:
            return self.moment.astimezone(UTC).date()
        if self.day is not None:
            return date(self.year, self.month, self.day)
        return None

    @property
    def written_day(self) -> date | None:
        """The date as written (a full time's own date, in its own offset); None for a month."""
        return date(self.year, self.month, self.day) if self.day is not None else None

    @property
    def utc_year(self) -> int:
        """The year: of the UTC date for a full time, as written otherwise."""
        day = self.utc_day
        return day.year if day is not None else self.year

    @property
    def utc_month(self) -> int:
        """The month (1-12): of the UTC date for a full time, as written otherwise."""
        day = self.utc_day
        return day.month if day is not None else self.month

    @property
    def earliest_day(self) -> date:
        """The first UTC date this time can be on (the 1st, for a month)."""
        return self.utc_day or date(self.year, self.month, 1)

    @property
    def latest_day(self) -> date:
        """The last UTC date this time can be on (the month's last day, for a month)."""
        return self.utc_day or date(
            self.year, self.month, calendar.monthrange(self.year, self.month)[1]
        )

    @property
    def id_date(self) -> str:
        """The date that starts a postmortem's id: ``2017-02-28``, or ``2017-02-00`` for a
        month (day 00 says "day unknown" and sorts before the month's dated files)."""
        day = self.utc_day
        return day.isoformat() if day is not None else f"{self.year:04d}-{self.month:02d}-00"

    @property
    def label(self) -> str:
        """What a list of incidents shows: the (UTC) date, or ``2017-02`` for a month."""
        day = self.utc_day
        return day.isoformat() if day is not None else f"{self.year:04d}-{self.month:02d}"

    @property
    def sort_key(self) -> tuple[int, int]:
        """Chronological order across precisions without inventing a time: a month sorts
        at the start of its month, a date at the start of its day, before the full times
        of that day."""
        if self.moment is not None:
            utc = self.moment.astimezone(UTC)
            since_midnight = (utc.hour * 3600 + utc.minute * 60 + utc.second) * 1_000_000
            return (utc.date().toordinal(), since_midnight + utc.microsecond)
        if self.day is not None:
            return (date(self.year, self.month, self.day).toordinal(), -1)
        return (date(self.year, self.month, 1).toordinal(), -2)

    @property
    def written_precision(self) -> str:
        """``"month"``, ``"day"``, ``"minute"`` or ``"second"``: how precisely the text gives
        the time (one of PRECISIONS; fractions of a second count as "second")."""
        if self.precision is Precision.MONTH:
            return "month"
        if self.precision is Precision.DAY:
            return "day"
        match = _FULL.fullmatch(self.text)
        return "second" if match is not None and match.group("second") is not None else "minute"

    def describe(self) -> str:
        """For people: ``2017-02-28 17:37 UTC``, ``28 Feb 2017, time unknown``,
        ``February 2017, day unknown``."""
        utc = self.utc
        if utc is not None:
            seconds = ":60" if self.leap_second else ""
            return utc.strftime("%Y-%m-%d %H:%M") + seconds + " UTC"
        if self.day is not None:
            return f"{self.day} {_MONTH_ABBREVIATIONS[self.month]} {self.year}, time unknown"
        return f"{_MONTH_NAMES[self.month]} {self.year}, day unknown"

    def since(self, earlier: IncidentTime | None) -> timedelta | None:
        """The time from ``earlier`` to this one; None unless both are full times."""
        if earlier is None or self.moment is None or earlier.moment is None:
            return None
        return self.moment - earlier.moment

    def is_before(self, other: IncidentTime) -> bool:
        """Whether this time is certainly before ``other``, compared at the coarser
        precision of the two (a date against a full time: against its written date)."""
        if self.moment is not None and other.moment is not None:
            return self.moment < other.moment
        if Precision.MONTH in (self.precision, other.precision):
            return (self.year, self.month) < (other.year, other.month)
        mine, theirs = self.written_day, other.written_day
        assert mine is not None and theirs is not None  # both at least DAY precision
        return mine < theirs

    def within(self, since: date | None, until: date | None) -> bool | None:
        """Whether this time is on or after ``since`` and on or before ``until`` (UTC
        dates, inclusive): True or False when certain, None when a month straddles a bound."""
        earliest, latest = self.earliest_day, self.latest_day
        if (since is not None and latest < since) or (until is not None and earliest > until):
            return False
        if (since is not None and earliest < since) or (until is not None and latest > until):
            return None
        return True


# The check reads each time of a file in its rules and again in its record, and a
# collection holds many equal times (dates above all): each text is parsed once.
@lru_cache(maxsize=65_536)
def parse_time(text: str) -> IncidentTime:
    """A month, a date, or a date and time with a UTC offset; else TimestampError with a
    message a person can act on. (IncidentTime is frozen, so a cached one is shared.)"""
    if _MONTH_ONLY.fullmatch(text):
        return _month(text)
    if _DATE_ONLY.fullmatch(text):
        return _date(text)
    match = _FULL.fullmatch(text)  # fullmatch: no newline after the end
    if not match:
        raise TimestampError(f"'{text}' is not an ISO 8601 date and time; {_FORMS}")
    if match.group("offset") is None:
        raise TimestampError(
            f"'{text}' has no UTC offset, so it could be any time zone; "
            f"write it as '{text}Z' if it is UTC, add the offset like +01:00, "
            f"or keep only the date ({match.group('date')}) if the time zone is not known"
        )
    if not _REAL.fullmatch(text):
        raise TimestampError(f"'{text}' is not a real date and time")
    leap = match.group("second") == "60"
    try:
        moment = datetime.fromisoformat(
            _LEAP.sub(":59", text).replace("z", "Z") if leap else text.replace("z", "Z")
        )
    except ValueError:
        raise TimestampError(f"'{text}' is not a real date and time") from None
    if leap:
        moment = moment.replace(microsecond=999_999)
        utc = moment.astimezone(UTC)
        last_day = calendar.monthrange(utc.year, utc.month)[1]
        if (utc.hour, utc.minute, utc.day) != (23, 59, last_day):
            raise TimestampError(
                f"'{text}' is not a real date and time: a second of 60 is a leap second, "
                "which comes only at 23:59:60 UTC on the last day of a month"
            )
    return IncidentTime(
        text, Precision.TIME, moment.year, moment.month, moment.day, moment, leap_second=leap
    )


def parse_timestamp(text: str) -> datetime:
    """A full date and time with a UTC offset as an aware datetime (``postmortem new``,
    which always writes one); a date or a month is a TimestampError here."""
    parsed = parse_time(text)
    if parsed.moment is None:
        raise TimestampError(
            f"'{text}' has no time of day; write it like 2025-03-14T09:12:00Z "
            "(a date or a month is for times not known more closely, such as old write-ups)"
        )
    return parsed.moment


def _month(text: str) -> IncidentTime:
    year, month = int(text[:4]), int(text[5:7])
    if not (1 <= month <= 12) or year < 1:
        raise TimestampError(f"'{text}' is not a real month")
    return IncidentTime(text, Precision.MONTH, year, month)


def _date(text: str) -> IncidentTime:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise TimestampError(f"'{text}' is not a real date") from None
    return IncidentTime(text, Precision.DAY, day.year, day.month, day.day)


# How precisely a time was written: what a reader may conclude from it (the export's
# words; Precision is the parsed time's).
PRECISIONS = ("month", "day", "minute", "second")


def time_precision(text: str) -> str | None:
    """``"second"``, ``"minute"``, ``"day"`` or ``"month"`` for a time as written in front
    matter (fractions of a second count as "second"); None for text that is not a time."""
    try:
        return parse_time(text).written_precision
    except TimestampError:
        return None
