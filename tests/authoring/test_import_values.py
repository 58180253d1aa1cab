"""Reading other tools' times and documents: precision kept, nothing guessed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from postmortem_kb.authoring.importing.html_text import html_to_markdown
from postmortem_kb.authoring.importing.times import ReadTime, find_date, read_time, zone_named


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("2017-02-28T17:37:00Z", "2017-02-28T17:37:00Z"),
        ("2017-02-28 17:37:00 UTC", "2017-02-28T17:37:00Z"),
        ("2017-02-28 09:37:00 -0800", "2017-02-28T09:37:00-08:00"),
        ("Tue, 28 Feb 2017 17:37:00 +0000", "2017-02-28T17:37:00Z"),
        ("2016-12-31 23:59:60 UTC", "2016-12-31T23:59:60Z"),
        ("28 February 2017", "2017-02-28"),
        ("February 28, 2017", "2017-02-28"),
        ("February 2017", "2017-02"),
        ("2017-02", "2017-02"),
        ("1859-09-01", "1859-09-01"),
        (date(2017, 2, 28), "2017-02-28"),
        (datetime(2017, 2, 28, 17, 37, tzinfo=UTC), "2017-02-28T17:37:00Z"),
    ],
)
def test_times_in_the_forms_other_tools_write(value: object, written: str) -> None:
    assert read_time(value) == ReadTime(written)


def test_a_time_without_a_zone_keeps_only_its_date_unless_the_mapping_says_the_zone() -> None:
    naive = read_time("2017-02-28 17:37:00")
    assert naive.text == "2017-02-28" and "17:37 has no UTC offset" in naive.note
    assert read_time(datetime(2017, 2, 28, 17, 37)).text == "2017-02-28"
    assert read_time("2017-02-28 17:37", zone_named("Europe/Berlin")).text == (
        "2017-02-28T17:37:00+01:00"
    )
    assert read_time("2017-07-28 17:37", zone_named("Europe/Berlin")).text == (
        "2017-07-28T17:37:00+02:00"
    )
    assert read_time("2017-02-28 17:37", zone_named("-05:00")).text == "2017-02-28T17:37:00-05:00"


@pytest.mark.parametrize(
    ("value", "note"),
    [
        ("", ""),
        (None, ""),
        ("2017", "'2017' gives only a year; a time needs at least the month"),
        ("soon", "'soon' is not a time this importer can read"),
        ("2017-02-30 10:00Z", "'2017-02-30 10:00Z' is not a real date"),
    ],
)
def test_no_time_rather_than_a_guess(value: object, note: str) -> None:
    assert read_time(value) == ReadTime(None, note)


def test_a_date_found_in_a_text_is_a_date_or_a_month() -> None:
    assert find_date("On the 28th of February 2017 at 09:37 PST the index") == ReadTime(
        "2017-02-28", "the date was found in the text; check it"
    )
    assert find_date("Some time in March 2023 the queue grew.").text == "2023-03"
    assert find_date("No date here, only 5 minutes.") == ReadTime(None)


def test_html_becomes_markdown_text_without_scripts_and_with_entities_decoded() -> None:
    text, title = html_to_markdown(
        "<html><head><title>Outage &mdash; wiki</title><script>alert(1)</script></head>"
        "<body><h1>Outage at AT&amp;T</h1><p>It <b>failed</b>.<br>Twice.</p>"
        "<ul><li>one</li><li>two</li></ul><pre>a  b\nc</pre></body></html>"
    )
    assert title == "Outage — wiki"
    assert text == "# Outage at AT&T\n\nIt failed.\nTwice.\n\n- one\n- two\n\n```\na  b\nc\n```\n"
