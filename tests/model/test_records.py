"""Records: validated front matter as typed values with canonical taxonomy ids."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.records import ActionItem, Postmortem, TermRef
from postmortem_testkit import REMOVE, VALID_ID, VALID_RECORD, TmpProject


def only_record(project: TmpProject) -> Postmortem:
    result = project.result()
    assert result.errors == []
    (record,) = result.records
    return record


def test_record_from_the_design_example(project: TmpProject) -> None:
    project.write()
    record = only_record(project)
    assert record.id == VALID_ID
    assert record.path == project.path(VALID_ID)
    assert (record.title, record.status, record.severity) == (
        VALID_RECORD["title"],
        "published",
        "SEV2",
    )
    assert record.started == datetime(2025, 3, 14, 9, 12, tzinfo=UTC)
    assert record.authors == ("ana", "payments-team")
    assert record.services == ("payments-api", "edge-lb")
    assert record.summary == "One or two sentences."
    assert record.detection == "automated-alert"
    assert record.causes == (
        TermRef("config-change", "The push skipped canary because ...", "config-change"),
        TermRef("insufficient-testing", "", "insufficient-testing"),
    )
    assert record.lucky_breaks == (
        TermRef("off-peak-timing", "Happened at 09:00 UTC on a Sunday.", "off-peak-timing"),
    )
    assert record.went_well == (TermRef("fast-rollback", "", "fast-rollback"),)
    assert record.related == ()
    assert record.tags == ("load-balancer",)
    assert record.body.startswith("## Summary\n")
    assert record.body_line == 33


def test_action_items_are_typed(project: TmpProject) -> None:
    item = {
        **VALID_RECORD["action_items"][0],
        "status": "wont-do",
        "reason": "Replaced by AI-2.",
        "addresses": ["off-peak-timing"],
    }
    project.write(overrides={"action_items": [item]})
    (action,) = only_record(project).action_items
    assert action == ActionItem(
        id="AI-1",
        title="Canary every load balancer config push",
        owner="edge-team",
        type="prevent",
        priority="P1",
        due=date(2025, 4, 30),
        status="wont-do",
        reason="Replaced by AI-2.",
        link="https://tracker.example.com/EDGE-123",
        addresses=("off-peak-timing",),
    )
    assert not action.is_open


def test_open_and_overdue() -> None:
    base = dict(id="AI-1", title="t", owner="o", type="prevent", priority="P1")
    item = ActionItem(**base, due=date(2025, 4, 30), status="in-progress")
    assert item.is_open
    assert item.is_overdue(date(2025, 5, 1))
    assert not item.is_overdue(date(2025, 4, 30))
    done = ActionItem(**base, due=date(2025, 4, 30), status="done")
    assert not done.is_open
    assert not done.is_overdue(date(2030, 1, 1))


def test_aliases_fold_into_canonical_terms_but_remember_the_spelling(
    project: TmpProject,
) -> None:
    project.write(
        overrides={
            "causes": [{"term": "bad-config", "detail": "d"}],
            "lucky_breaks": ["low-traffic"],
            "went_well": ["quick-rollback"],
        }
    )
    record = only_record(project)  # aliases are warnings: the record is still built
    assert record.causes == (TermRef("config-change", "d", "bad-config"),)
    assert record.lucky_breaks == (TermRef("off-peak-timing", "", "low-traffic"),)
    assert record.went_well == (TermRef("fast-rollback", "", "quick-rollback"),)
    assert record.terms(Kind.CAUSE) == record.causes


def test_durations_from_started(project: TmpProject) -> None:
    project.write()
    record = only_record(project)
    assert record.time_to_detect == timedelta(minutes=8)
    assert record.time_to_mitigate == timedelta(minutes=29)
    assert record.time_to_resolve == timedelta(hours=1, minutes=53)


def test_optional_fields_missing(project: TmpProject) -> None:
    project.write(
        overrides={
            "detected": REMOVE,
            "mitigated": REMOVE,
            "resolved": REMOVE,
            "detection": REMOVE,
            "lucky_breaks": REMOVE,
            "went_well": REMOVE,
            "action_items": REMOVE,
            "tags": REMOVE,
        }
    )
    record = only_record(project)
    assert (record.detected, record.mitigated, record.resolved) == (None, None, None)
    assert record.time_to_detect is None
    assert record.detection is None
    assert record.terms(Kind.DETECTION) == ()
    assert (record.lucky_breaks, record.went_well, record.action_items, record.tags) == (
        (),
        (),
        (),
        (),
    )


def test_offset_times_and_the_utc_date(project: TmpProject) -> None:
    project.write(
        "2025-03-15-late",
        {
            "started": "2025-03-14T23:30:00-02:00",
            "detected": "2025-03-15T01:45:00Z",
            "mitigated": REMOVE,
            "resolved": REMOVE,
        },
    )
    record = only_record(project)
    assert record.started_utc == datetime(2025, 3, 15, 1, 30, tzinfo=UTC)
    assert record.date == date(2025, 3, 15)
    assert record.time_to_detect == timedelta(minutes=15)


def test_terms_by_kind(project: TmpProject) -> None:
    project.write()
    record = only_record(project)
    assert record.terms(Kind.DETECTION) == (TermRef("automated-alert"),)
    assert record.terms(Kind.SERVICE) == (TermRef("payments-api"), TermRef("edge-lb"))
    assert record.terms(Kind.LUCKY_BREAK) == record.lucky_breaks
    assert record.terms(Kind.WENT_WELL) == record.went_well


def test_no_record_for_a_file_with_errors(project: TmpProject) -> None:
    project.write(overrides={"severity": "SEV9"})
    result = project.result()
    assert result.records == []
    assert result.files_checked == 1


def test_a_record_for_a_file_with_only_warnings(project: TmpProject) -> None:
    project.write(overrides={"causes": ["human-error"]})
    result = project.result()
    assert [f.code for f in result.findings] == ["deprecated"]
    assert [r.id for r in result.records] == [VALID_ID]
    assert result.records[0].causes == (TermRef("human-error", "", "human-error"),)
