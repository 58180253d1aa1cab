"""Records: validated front matter as typed values with canonical taxonomy ids."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from postmortem_kb.model.facts import Impact, Roles, Source
from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.records import ActionItem, Postmortem, TermRef
from postmortem_kb.model.timestamps import Precision
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
    assert record.started.moment == datetime(2025, 3, 14, 9, 12, tzinfo=UTC)
    assert record.started.precision is Precision.TIME
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
    assert record.started.utc == datetime(2025, 3, 15, 1, 30, tzinfo=UTC)
    assert record.day == date(2025, 3, 15)
    assert record.date_label == "2025-03-15"
    assert record.time_to_detect == timedelta(minutes=15)


def test_terms_by_kind(project: TmpProject) -> None:
    project.write()
    record = only_record(project)
    assert record.terms(Kind.DETECTION) == (TermRef("automated-alert", "", "automated-alert"),)
    assert record.terms(Kind.SERVICE) == (
        TermRef("payments-api", "", "payments-api"),
        TermRef("edge-lb", "", "edge-lb"),
    )
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


# --- issue 12: records that say what they do not know, impact as data ---


def test_a_date_or_a_month_is_kept_as_given_and_gives_no_duration(project: TmpProject) -> None:
    project.write(
        "2017-02-28-s3",
        {"started": "2017-02-28", "detected": "2017-02-28T18:00:00Z", "mitigated": REMOVE},
    )
    project.write(
        "2017-02-00-month",
        {"started": "2017-02", "detected": REMOVE, "mitigated": REMOVE, "resolved": "2017-03"},
    )
    by_id = {r.id: r for r in project.result().records}
    dated, month = by_id["2017-02-28-s3"], by_id["2017-02-00-month"]
    assert dated.started.precision is Precision.DAY and dated.started.moment is None
    assert dated.day == date(2017, 2, 28) and dated.date_label == "2017-02-28"
    assert dated.time_to_detect is None and dated.time_to_resolve is None  # never from midnight
    assert month.started.precision is Precision.MONTH
    assert month.day is None and (month.year, month.month) == (2017, 2)
    assert month.date_label == "2017-02"
    assert month.started.describe() == "February 2017, day unknown"
    assert dated.started.describe() == "28 Feb 2017, time unknown"
    # A month sorts at the start of its month, a date at the start of its day.
    assert month.sort_key < dated.sort_key


def test_unknown_severity_and_no_causes_yet(project: TmpProject) -> None:
    project.write(
        overrides={
            "status": "draft",
            "severity": "unknown",
            "causes": [],
            "lucky_breaks": REMOVE,
            "went_well": REMOVE,
        }
    )
    record = only_record(project)
    assert not record.severity_assessed and record.severity == "unknown"
    assert not record.analysed and record.causes == ()


def test_trigger_impact_roles_responders_source_and_same_incident(project: TmpProject) -> None:
    project.write("2025-03-14-internal")
    project.write(
        overrides={
            "trigger": {"term": "release", "detail": "v2.3 reached every region at once."},
            "impact": {
                "customer_facing": True,
                "customers_affected": "12.5%",
                "regions": ["eu-west-1", "Europe"],
                "failed_requests_percent": 4,
                "slo_budget_spent_percent": 140.5,
                "support_tickets": 31,
                "data_loss": False,
                "summary": "Card payments failed for a twentieth of checkouts.",
            },
            "roles": {"incident_commander": "ana", "scribe": ["bo", "payments-team"]},
            "responders": 9,
            "source": {
                "url": "https://status.example.com/incidents/42",
                "publisher": "Example Payments",
                "published": "2025-03-20",
                "id": "42",
            },
            "same_incident_as": "2025-03-14-internal",
        }
    )
    record = project.result().records
    (public,) = [r for r in record if r.id == VALID_ID]
    assert public.trigger == TermRef("deploy", "v2.3 reached every region at once.", "release")
    assert public.impact == Impact(
        customer_facing=True,
        customers_affected=None,
        customers_affected_percent=12.5,
        regions=("eu-west-1", "Europe"),
        failed_requests_percent=4.0,
        slo_budget_spent_percent=140.5,
        support_tickets=31,
        data_loss=False,
        summary="Card payments failed for a twentieth of checkouts.",
    )
    assert public.roles == Roles(incident_commander=("ana",), scribe=("bo", "payments-team"))
    assert public.roles.held() == [
        ("Incident commander", ("ana",)),
        ("Scribe", ("bo", "payments-team")),
    ]
    assert public.responders == 9
    assert public.source == Source(
        url="https://status.example.com/incidents/42",
        publisher="Example Payments",
        published=date(2025, 3, 20),
        id="42",
    )
    assert public.same_incident_as == "2025-03-14-internal"


def test_a_count_of_customers_is_a_count(project: TmpProject) -> None:
    project.write(overrides={"impact": {"customers_affected": 1200}})
    impact = only_record(project).impact
    assert impact is not None
    assert (impact.customers_affected, impact.customers_affected_percent) == (1200, None)
    assert impact.customer_facing is None  # not given: unknown, never False
