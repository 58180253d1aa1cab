"""Times as other tools write them, read leniently into the record's forms.

What we write is one of the record's three precisions (model.timestamps): a full
time with an offset, a date, or a month. Nothing is guessed: a time of day
without a zone keeps only its date (unless the mapping states the zone the
source wrote its times in), "February 2017" is a month, a year alone is no date.
Every loss is said in a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any

from postmortem_kb.model.timestamps import TimestampError, parse_time

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_WORD = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORDINAL = r"(?P<day>[0-3]?[0-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>[0-9]{4})"
# "28 February 2017", "February 28, 2017", "Feb 28 2017", "February 2017".
_DAY_MONTH_YEAR = re.compile(rf"\b{_ORDINAL}\s+(?:of\s+)?{_MONTH_WORD},?\s+{_YEAR}\b", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH_WORD}\s+{_ORDINAL},?\s+{_YEAR}\b", re.I)
_MONTH_YEAR = re.compile(rf"\b{_MONTH_WORD},?\s+{_YEAR}\b", re.I)
_ISO_DATE = re.compile(r"\b(?P<year>[0-9]{4})-(?P<month>[01][0-9])-(?P<day>[0-3][0-9])\b")
# An ISO-like date and time: T or a space, optional seconds and fraction, then a zone
# written as Z, UTC, GMT or an offset, or nothing.
_DATE_TIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[T ](?P<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)"
    r"\s*(?P<zone>Z|z|UTC|GMT|[+-][0-9]{2}:?[0-9]{2})?",
)
_UTC = {"Z", "z", "UTC", "GMT"}


@dataclass(frozen=True)
class ReadTime:
    """A time in one of the record's forms (or none), and what was lost on the way."""

    text: str | None  # as we write it: 2017-02-28T17:37:00Z, 2017-02-28 or 2017-02
    note: str = ""  # why it is less precise than the source, or why there is none


def read_time(value: Any, zone: tzinfo | None = None) -> ReadTime:
    """``value`` as another tool wrote it (text, or a date or datetime a TOML or YAML
    reader made) in the record's forms. ``zone``: the zone the source writes times
    without an offset in, when the mapping states it; otherwise such a time keeps
    only its date."""
    if value is None or value == "":
        return ReadTime(None)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            if zone is None:
                return _dropped_time(value.date(), value.strftime("%H:%M"))
            value = value.replace(tzinfo=zone)
        return ReadTime(_full(value))
    if isinstance(value, date):
        return ReadTime(value.isoformat())
    if not isinstance(value, str):
        return ReadTime(None, f"{value!r} is not a time")
    text = " ".join(value.split())
    try:
        parse_time(text)
        return ReadTime(text)  # already one of our forms
    except TimestampError:
        pass
    return _lenient(text, zone)


def find_date(text: str) -> ReadTime:
    """The first date (or month) written in ``text``, as a date or month: for a document
    that has no field for it. A time of day next to it is not taken."""
    found: list[tuple[int, str]] = []
    for pattern in (_ISO_DATE, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            day = _date(match)
            if day is not None:
                found.append((match.start(), day.isoformat()))
                break
    if found:
        return ReadTime(min(found)[1], "the date was found in the text; check it")
    month_match = _MONTH_YEAR.search(text)
    if month_match:
        month = _MONTHS[month_match.group("month").lower()]
        return ReadTime(
            f"{month_match.group('year')}-{month:02d}", "the month was found in the text; check it"
        )
    return ReadTime(None)


def _lenient(text: str, zone: tzinfo | None) -> ReadTime:
    match = _DATE_TIME.fullmatch(text) or _DATE_TIME.match(text)
    if match is not None:
        return _date_time(match, zone)
    try:
        moment = parsedate_to_datetime(text)  # RFC 2822: "Tue, 28 Feb 2017 17:37:00 +0000"
    except (TypeError, ValueError, IndexError):
        moment = None
    if moment is not None:
        return read_time(moment, zone)
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        day_match = pattern.fullmatch(text)
        if day_match:
            day = _date(day_match)
            if day is not None:
                return ReadTime(day.isoformat())
    month_match = _MONTH_YEAR.fullmatch(text)
    if month_match:
        month = _MONTHS[month_match.group("month").lower()]
        return ReadTime(f"{month_match.group('year')}-{month:02d}")
    if re.fullmatch(r"[0-9]{4}", text):
        return ReadTime(None, f"'{text}' gives only a year; a time needs at least the month")
    return ReadTime(None, f"'{text}' is not a time this importer can read")


def _date_time(match: re.Match[str], zone: tzinfo | None) -> ReadTime:
    try:
        day = date.fromisoformat(match.group("date"))
    except ValueError:
        return ReadTime(None, f"'{match.group(0)}' is not a real date")
    clock = match.group("time")
    hours, minutes, *rest = clock.split(":")
    seconds = float(rest[0]) if rest else 0.0
    written = match.group("zone")
    if written is None and zone is None:
        return _dropped_time(day, f"{int(hours):02d}:{minutes}")
    if written in _UTC:
        offset: tzinfo = UTC
    elif written is not None:
        sign = -1 if written[0] == "-" else 1
        digits = written[1:].replace(":", "")
        offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    else:
        assert zone is not None
        offset = zone
    leap = seconds >= 60
    try:
        moment = datetime(
            day.year,
            day.month,
            day.day,
            int(hours),
            int(minutes),
            59 if leap else int(seconds),
            tzinfo=offset,
        )
    except ValueError:
        return ReadTime(None, f"'{match.group(0)}' is not a real date and time")
    text = _full(moment)
    if leap:  # datetime has no second 60: put it back in the text, which parse_time checks
        text = text[:17] + "60" + text[19:]
    try:
        parse_time(text)
    except TimestampError as exc:
        return ReadTime(None, str(exc))
    return ReadTime(text)


def _full(moment: datetime) -> str:
    """An aware datetime in the record's form: to the second, Z for UTC."""
    text = moment.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _dropped_time(day: date, clock: str) -> ReadTime:
    return ReadTime(
        day.isoformat(),
        f"{clock} has no UTC offset: only the date is kept (timezone: in the mapping "
        "keeps the time)",
    )


def _date(match: re.Match[str]) -> date | None:
    month_text = match.group("month")
    month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()]
    try:
        return date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:
        return None


def zone_named(name: str) -> tzinfo:
    """``UTC``, ``+01:00`` or an IANA name (Europe/Berlin): the zone a mapping says the
    source wrote its times in. A ValueError names what is wrong."""
    if name.upper() in ("UTC", "Z", "GMT"):
        return UTC
    offset = re.fullmatch(r"([+-])([0-9]{2}):?([0-9]{2})", name)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3))))
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"'{name}' is not a time zone; write UTC, an offset like +01:00, or a name like "
            "Europe/Berlin"
        ) from None
