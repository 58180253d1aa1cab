"""Times as written: ISO 8601 with a required offset, or only a date or a month."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import regress
from hypothesis import example, given
from hypothesis import strategies as st

from postmortem_kb.model.timestamps import (
    TIMESTAMP_PATTERN,
    Precision,
    TimestampError,
    parse_time,
    parse_timestamp,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-14T09:12:00Z", datetime(2025, 3, 14, 9, 12, tzinfo=UTC)),
        ("2025-03-14T09:12:00z", datetime(2025, 3, 14, 9, 12, tzinfo=UTC)),
        ("2025-03-14T09:12Z", datetime(2025, 3, 14, 9, 12, tzinfo=UTC)),
        ("2025-03-14 09:12:00Z", datetime(2025, 3, 14, 9, 12, tzinfo=UTC)),
        ("2025-03-14T09:12:00.250Z", datetime(2025, 3, 14, 9, 12, 0, 250000, tzinfo=UTC)),
        (
            "2025-03-14T10:12:00+01:00",
            datetime(2025, 3, 14, 10, 12, tzinfo=timezone(timedelta(hours=1))),
        ),
        (
            "2025-03-14T10:12:00+0100",
            datetime(2025, 3, 14, 10, 12, tzinfo=timezone(timedelta(hours=1))),
        ),
        (
            "2025-03-14T04:12:00-05:00",
            datetime(2025, 3, 14, 4, 12, tzinfo=timezone(timedelta(hours=-5))),
        ),
        (
            "2025-03-14T14:42:00+05:30",
            datetime(2025, 3, 14, 14, 42, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        ),
    ],
)
def test_accepted_forms(text: str, expected: datetime) -> None:
    parsed = parse_timestamp(text)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


def test_offsets_compare_as_instants() -> None:
    assert parse_timestamp("2025-03-14T10:12:00+01:00") == parse_timestamp("2025-03-14T09:12:00Z")


def test_utc_date_can_differ_from_the_written_date() -> None:
    late = parse_timestamp("2025-03-14T23:30:00-02:00")
    assert late.astimezone(UTC).date() == date(2025, 3, 15)


def test_naive_time_says_how_to_fix_it() -> None:
    with pytest.raises(TimestampError) as info:
        parse_timestamp("2025-03-14T09:12:00")
    assert str(info.value) == (
        "'2025-03-14T09:12:00' has no UTC offset, so it could be any time zone; write it as "
        "'2025-03-14T09:12:00Z' if it is UTC, add the offset like +01:00, or keep only the "
        "date (2025-03-14) if the time zone is not known"
    )


@pytest.mark.parametrize(
    "text", ["yesterday", "20250314T091200Z", "14/03/2025 09:12", "2025-03-14t09:12Z", "2025"]
)
def test_not_a_timestamp(text: str) -> None:
    with pytest.raises(TimestampError) as info:
        parse_timestamp(text)
    assert str(info.value) == (
        f"'{text}' is not an ISO 8601 date and time; write it like 2025-03-14T09:12:00Z, "
        "or only the date (2025-03-14) or month (2025-03)"
    )


def test_new_writes_full_times_so_a_date_alone_is_refused_there() -> None:
    with pytest.raises(TimestampError, match="has no time of day"):
        parse_timestamp("2025-03-14")


# --- issue 12: precision is part of the parsed time ---


def test_a_date_and_a_month_keep_their_precision() -> None:
    day = parse_time("2017-02-28")
    assert (day.precision, day.moment, day.utc_day) == (Precision.DAY, None, date(2017, 2, 28))
    assert (day.id_date, day.label) == ("2017-02-28", "2017-02-28")
    assert (day.earliest_day, day.latest_day) == (date(2017, 2, 28), date(2017, 2, 28))
    month = parse_time("2017-02")
    assert (month.precision, month.utc_day, month.year, month.month) == (
        Precision.MONTH,
        None,
        2017,
        2,
    )
    assert (month.id_date, month.label) == ("2017-02-00", "2017-02")
    assert (month.earliest_day, month.latest_day) == (date(2017, 2, 1), date(2017, 2, 28))
    assert parse_time("1859-09").describe() == "September 1859, day unknown"
    assert day.describe() == "28 Feb 2017, time unknown"


def test_no_duration_unless_both_times_are_full() -> None:
    start = parse_time("2017-02-28T17:37:00Z")
    assert parse_time("2017-02-28T18:37:00Z").since(start) == timedelta(hours=1)
    assert parse_time("2017-02-28").since(start) is None
    assert start.since(parse_time("2017-02-28")) is None
    assert start.since(None) is None


def test_order_is_compared_at_the_coarser_precision() -> None:
    full = parse_time("2017-02-28T23:30:00-08:00")  # 1 March in UTC
    assert not parse_time("2017-02-28").is_before(full)  # the written date is the same
    assert not full.is_before(parse_time("2017-02-28"))
    assert parse_time("2017-02").is_before(parse_time("2017-03-01"))
    assert not parse_time("2017-02").is_before(parse_time("2017-02-14T00:00:00Z"))
    assert parse_time("2017-02-27").is_before(full)


def test_sorting_never_invents_a_time_but_keeps_an_order() -> None:
    times = ["2017-02-28T00:00:00Z", "2017-02", "2017-02-28", "2017-03", "2017-01-31T23:59:60Z"]
    ordered = sorted(times, key=lambda t: parse_time(t).sort_key)
    assert ordered == [
        "2017-01-31T23:59:60Z",
        "2017-02",
        "2017-02-28",
        "2017-02-28T00:00:00Z",
        "2017-03",
    ]


def test_within_a_range_is_unknown_when_a_month_straddles_it() -> None:
    month = parse_time("2017-02")
    assert month.within(date(2017, 1, 1), date(2017, 12, 31)) is True
    assert month.within(date(2017, 2, 15), None) is None
    assert month.within(date(2017, 3, 1), None) is False
    assert parse_time("2017-02-28").within(date(2017, 2, 28), date(2017, 2, 28)) is True


def test_the_leap_second_is_accepted_at_2359_60_utc_only() -> None:
    leap = parse_time("2016-12-31T23:59:60Z")
    assert leap.leap_second and leap.is_full
    assert leap.utc == datetime(2016, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
    assert leap.describe() == "2016-12-31 23:59:60 UTC"
    assert leap.id_date == "2016-12-31"
    assert parse_time("2016-12-31T15:59:60-08:00").utc_day == date(2016, 12, 31)
    assert parse_time("2017-01-01T00:00:00Z").since(leap) == timedelta(microseconds=1)
    for text in ("2025-03-14T09:12:60Z", "2016-12-30T23:59:60Z"):
        with pytest.raises(TimestampError, match="a second of 60 is a leap second"):
            parse_time(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-13", "'2025-13' is not a real month"),
        ("2025-02-30", "'2025-02-30' is not a real date"),
    ],
)
def test_an_impossible_date_or_month(text: str, message: str) -> None:
    with pytest.raises(TimestampError) as info:
        parse_time(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "text", ["2025-02-30T09:12:00Z", "2025-03-14T24:30:00Z", "2025-03-14T09:61:00Z"]
)
def test_impossible_date_or_time(text: str) -> None:
    with pytest.raises(TimestampError) as info:
        parse_timestamp(text)
    assert str(info.value) == f"'{text}' is not a real date and time"


def test_timestamp_error_is_a_value_error() -> None:
    assert issubclass(TimestampError, ValueError)


# --- issue 11, oracle 5: the published schema states exactly what check accepts ----


SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "postmortem.schema.json"


def test_the_schema_publishes_the_pattern_check_uses() -> None:
    timestamp = json.loads(SCHEMA.read_text(encoding="utf-8"))["$defs"]["timestamp"]
    assert timestamp["pattern"] == TIMESTAMP_PATTERN
    assert "format" not in timestamp  # date-time (RFC 3339) is not what check accepts


def accepted_by_check(text: str) -> bool:
    try:
        parse_time(text)
    except TimestampError:
        return False
    return True


def accepted_by_an_editor(text: str) -> bool:
    """As an editor validating with the published schema sees it (ECMA-262)."""
    return regress.Regex(TIMESTAMP_PATTERN, flags="u").find(text) is not None


_PIECES = st.sampled_from(
    ["2025", "-", "03", "14", "T", "t", " ", "09", ":", "12", "00", "60", "24", "13", "00",
     ".", "250", "Z", "z", "+", "01", "0100", "-05:00", "\n", "\u0661", "2", "23:59:60",
     "31", "02", "0000"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=14).map("".join))
@example("2025-03-14T09:12:00Z")
@example("2025-03-14T09:12Z")
@example("2025-03-14 09:12:00+0100")
@example("2025-03-14t09:12:00Z")
@example("2025-03-14T09:12:00Z\n")
@example("2025-03-14T23:59:60Z")
@example("2016-12-31T23:59:60Z")
@example("2025-03")
@example("2025-03-14")
@example("0000-01")
@example("2025-03-14T24:00:00Z")
@example("2025-13-14T09:12:00Z")
@example("\u0662025-03-14T09:12:00Z")
def test_check_and_the_published_pattern_agree(text: str) -> None:
    # Where they may differ, only check is stricter, and only about dates that do not
    # exist (2025-02-30) and leap seconds away from 23:59:60 UTC, which no regular
    # expression of reasonable size can state.
    if accepted_by_check(text):
        assert accepted_by_an_editor(text), text
    elif accepted_by_an_editor(text):
        assert "is not a real" in _message(text), text


def _message(text: str) -> str:
    with pytest.raises(TimestampError) as info:
        parse_time(text)
    return str(info.value)


@pytest.mark.parametrize("text", ["2025-02-30T09:12:00Z", "2025-04-31T09:12:00Z"])
def test_a_date_that_does_not_exist_is_the_one_thing_the_pattern_lets_through(text: str) -> None:
    assert accepted_by_an_editor(text)
    assert _message(text) == f"'{text}' is not a real date and time"


def test_time_precision_says_how_a_time_was_written() -> None:
    from postmortem_kb.model.timestamps import time_precision

    assert time_precision("2025-03-14T09:12:00Z") == "second"
    assert time_precision("2025-03-14T09:12:00.250+01:00") == "second"
    assert time_precision("2025-03-14T09:12Z") == "minute"
    assert time_precision("2025-03-14T09:12-05:00") == "minute"
    assert time_precision("2025-03-14") == "day"
    assert time_precision("yesterday") is None
