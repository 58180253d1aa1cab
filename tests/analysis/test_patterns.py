"""`postmortem patterns` on incidents whose numbers are worked out by hand."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from postmortem_kb.analysis.patterns import quarters_between, sparkline
from postmortem_kb.analysis.recurrence import cause_pairs
from postmortem_kb.collection.load import load_knowledge_base
from postmortem_kb.reports.patterns import year_ruler
from postmortem_testkit import UNIT_TAXONOMY, MakeProject, TmpProject
from postmortem_testkit.incidents import incident, ok


def action_item(item_id: str, status: str, addresses: list[str]) -> dict[str, Any]:
    return {
        "id": item_id,
        "title": "Make the lucky break a safeguard",
        "owner": "sre",
        "type": "prevent",
        "priority": "P2",
        "due": "2024-12-31",
        "status": status,
        "addresses": addresses,
    }


@pytest.fixture
def known(make_project: MakeProject) -> TmpProject:
    project = make_project()
    project.write(
        "2024-01-10-a",
        incident(
            "2024-01-10",
            severity="SEV1",
            causes=["config-change", "insufficient-testing"],
            services=["payments-api", "edge-lb"],
            lucky_breaks=["off-peak-timing"],
            minutes=(10, 30, 120),
            action_items=[action_item("AI-1", "done", ["off-peak-timing"])],
        ),
    )
    project.write(
        "2024-02-10-b",
        incident(
            "2024-02-10",
            severity="SEV1",
            causes=["bad-config", "insufficient-testing"],  # an alias of config-change
            services=["payments-api"],
            lucky_breaks=["off-peak-timing"],
            minutes=(20, 60, 240),
        ),
    )
    project.write(
        "2024-04-10-c",
        incident(
            "2024-04-10",
            severity="SEV1",
            causes=["dns"],
            services=["checkout"],
            lucky_breaks=["expert-on-hand"],
            minutes=(30, 90, 360),
            action_items=[action_item("AI-1", "open", ["expert-on-hand"])],
        ),
    )
    project.write(
        "2024-07-10-d",
        incident(
            "2024-07-10",
            severity="SEV2",
            causes=["capacity-exhaustion"],
            services=["payments-api"],
            minutes=(5, 15, 45),
        ),
    )
    project.write(
        "2025-01-10-e",
        incident(
            "2025-01-10",
            severity="SEV2",
            causes=["config-change"],
            services=["edge-lb"],
            minutes=None,
        ),
    )
    return project


def patterns(project: TmpProject, *args: str) -> dict[str, Any]:
    result = ok(project.cli("patterns", "--format", "json", *args))
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_recurring_causes_with_counts_dates_and_quarters(known: TmpProject) -> None:
    causes = patterns(known)["causes"]
    assert [(c["term"], c["count"]) for c in causes] == [
        ("config-change", 3),
        ("insufficient-testing", 2),
        ("capacity-exhaustion", 1),
        ("dns", 1),
    ]
    top = causes[0]
    assert (top["first_seen"], top["last_seen"]) == ("2024-01-10", "2025-01-10")
    assert top["per_quarter"] == {"2024-Q1": 2, "2025-Q1": 1}
    assert top["incidents"] == ["2025-01-10-e", "2024-02-10-b", "2024-01-10-a"]


def test_cause_pairs_below_five_incidents_together_show_no_lift(known: TmpProject) -> None:
    # config-change and insufficient-testing are together in 2 of 5: too few for a lift.
    report = patterns(known)
    assert report["cause_pairs"] == []
    assert report["min_support"] == 5


def test_cause_pairs_with_lift_and_support(make_project: MakeProject) -> None:
    project = make_project()
    for day in range(1, 6):  # together in 5 incidents
        project.write(
            f"2024-03-0{day}-both",
            incident(f"2024-03-0{day}", causes=["config-change", "insufficient-testing"]),
        )
    for day in range(1, 3):  # config-change alone twice
        project.write(f"2024-04-0{day}-alone", incident(f"2024-04-0{day}"))
    for day in range(1, 4):  # dns three times, with insufficient-testing four times in all
        causes = ["dns", "insufficient-testing"] if day == 1 else ["dns"]
        project.write(f"2024-05-0{day}-dns", incident(f"2024-05-0{day}", causes=causes))
    # 10 incidents; config-change in 7, insufficient-testing in 6: expected 7 * 6 / 10 = 4.2.
    assert patterns(project)["cause_pairs"] == [
        {
            "causes": ["config-change", "insufficient-testing"],
            "together": 5,
            "expected": 4.2,
            "lift": 1.19,
        }
    ]
    text = ok(project.cli("patterns")).stdout
    assert "together (support)" in text
    assert any(
        line.split() == ["config-change", "+", "insufficient-testing", "5", "4.20", "1.19"]
        for line in text.splitlines()
    )


def test_top_ten_rows_unless_all(make_project: MakeProject) -> None:
    terms = [f"cause-{n:02d}" for n in range(12)]
    extra = "".join(f"  {t}:\n    title: Cause {t}\n    description: A cause.\n" for t in terms)
    project = make_project(taxonomy=UNIT_TAXONOMY.replace("causes:\n", "causes:\n" + extra))
    for n, term in enumerate(terms):
        project.write(f"2024-01-{n + 1:02d}-x", incident(f"2024-01-{n + 1:02d}", causes=[term]))
    report = patterns(project)
    assert len(report["causes"]) == 10
    assert report["totals"]["causes"] == 12 and report["limit"] == 10
    assert "... and 2 more (--all shows every row)" in ok(project.cli("patterns")).stdout
    every = json.loads(ok(project.cli("patterns", "--all", "--format", "json")).stdout)
    assert len(every["causes"]) == 12 and every["limit"] is None
    assert "more (--all" not in ok(project.cli("patterns", "--all")).stdout


def test_year_ruler_labels_the_trend() -> None:
    quarters = list(quarters_between(date(2023, 11, 1), date(2025, 2, 1)))
    # 2023-Q4 2024-Q1..Q4 2025-Q1: each Q1 that has room for its label.
    assert len(year_ruler(quarters, "quarter")) <= len(quarters)
    assert year_ruler(quarters, "quarter") == " '24"
    assert (
        year_ruler(
            [
                "2024-Q1",
                "2024-Q2",
                "2024-Q3",
                "2024-Q4",
                "2025-Q1",
                "2025-Q2",
                "2025-Q3",
                "2025-Q4",
            ],
            "quarter",
        )
        == "'24 '25"
    )
    years = [str(y) for y in range(2012, 2025)]
    assert year_ruler(years, "year") == "2012     2024"


def test_lucky_breaks_ledger_with_status(known: TmpProject) -> None:
    ledger = {e["term"]: e for e in patterns(known)["lucky_breaks"]}
    assert ledger["off-peak-timing"]["count"] == 2
    assert ledger["off-peak-timing"]["status"] == "safeguarded"
    assert ledger["off-peak-timing"]["safeguards"] == [
        {
            "postmortem": "2024-01-10-a",
            "action_item": "AI-1",
            "title": "Make the lucky break a safeguard",
            "status": "done",
        }
    ]
    assert ledger["expert-on-hand"]["count"] == 1
    assert ledger["expert-on-hand"]["status"] == "safeguard planned"


def test_services_by_count_and_severity(known: TmpProject) -> None:
    assert patterns(known)["services"] == [
        {
            "service": "payments-api",
            "count": 3,
            "by_severity": {"SEV1": 2, "SEV2": 1, "SEV3": 0, "SEV4": 0},
            "not_assessed": 0,
        },
        {
            "service": "edge-lb",
            "count": 2,
            "by_severity": {"SEV1": 1, "SEV2": 1, "SEV3": 0, "SEV4": 0},
            "not_assessed": 0,
        },
        {
            "service": "checkout",
            "count": 1,
            "by_severity": {"SEV1": 1, "SEV2": 0, "SEV3": 0, "SEV4": 0},
            "not_assessed": 0,
        },
    ]


def test_durations_median_p90_and_n(known: TmpProject) -> None:
    durations = {(d["severity"], d["measure"]): d for d in patterns(known)["durations"]}
    detect = durations[("SEV1", "time_to_detect")]
    # 10, 20, 30 minutes: median 20; p90 interpolates 20 + 0.8 * 10 = 28.
    assert (detect["n"], detect["median_seconds"], detect["p90_seconds"]) == (3, 1200, 1680)
    resolve = durations[("SEV1", "time_to_resolve")]
    assert (resolve["n"], resolve["median_seconds"], resolve["p90_seconds"]) == (3, 14400, 20160)
    # The SEV2 without times counts in no n.
    assert durations[("SEV2", "time_to_mitigate")]["n"] == 1
    assert durations[("SEV3", "time_to_detect")] == {
        "severity": "SEV3",
        "measure": "time_to_detect",
        "n": 0,
        "missing": 0,
        "median_seconds": None,
        "p90_seconds": None,
        "imprecise": 0,
    }
    # The SEV2 incident without times is counted as missing, not left out silently.
    assert durations[("SEV2", "time_to_resolve")]["missing"] == 1

    # The SEV2 without times is left out of each SEV2 duration, and counted.
    assert durations[("SEV2", "time_to_detect")]["missing"] == 1


def test_since_limits_the_incidents(known: TmpProject) -> None:
    report = patterns(known, "--since", "2024-04-01")
    assert report["incidents"] == 3
    assert report["since"] == "2024-04-01"
    assert {c["term"]: c["count"] for c in report["causes"]}["config-change"] == 1
    assert report["cause_pairs"] == []


def test_text_report(known: TmpProject) -> None:
    text = ok(known.cli("patterns")).stdout
    assert text.startswith("5 incidents, 2024-01-10 to 2025-01-10\n")
    lines = text.splitlines()
    cause = next(line for line in lines if line.strip().startswith("config-change "))
    # 2024-Q1 .. 2025-Q1 is five quarters: two incidents, three empty, one.
    assert cause.split() == ["config-change", "3", "2024-01-10", "2025-01-10", "█···▄"]
    # The years of the trend stand above it.
    header = lines.index(next(line for line in lines if line.strip().startswith("cause ")))
    assert lines[header + 1].strip() == "'24"
    assert lines[header + 1].index("'24") == lines[header].index("trend")
    assert "  none seen together in 5 incidents or more" in lines
    assert any(
        line.split()[:4] == ["off-peak-timing", "2", "2024-02-10", "safeguarded"] for line in lines
    )
    assert any(line.split() == ["payments-api", "3", "2", "1", "0", "0"] for line in lines)
    sev1 = next(line for line in lines if line.strip().startswith("SEV1"))
    assert "20m / 28m (n=3)" in sev1
    assert "4h 00m / 5h 36m (n=3)" in sev1


def test_no_postmortems(make_project: MakeProject) -> None:
    project = make_project()
    assert ok(project.cli("patterns")).stdout == "no postmortems\n"
    assert patterns(project)["causes"] == []


def test_files_with_errors_are_counted_on_stderr(known: TmpProject) -> None:
    known.write_text("2025-02-02-broken", "not a postmortem")
    result = ok(known.cli("patterns"))
    assert "1 file with errors left out" in result.stderr


def test_bad_since_is_a_usage_error(known: TmpProject) -> None:
    result = known.cli("patterns", "--since", "2024-02-30")
    assert result.exit_code == 2
    assert "'2024-02-30' is not a date" in result.stderr


def test_sparkline_and_quarters() -> None:
    from datetime import date

    assert sparkline([0, 1, 2, 4, 8]) == "·▁▂▄█"
    assert sparkline([0, 0]) == "··"
    assert quarters_between(date(2024, 11, 1), date(2025, 4, 1)) == (
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
    )


def test_a_long_history_is_drawn_per_year(make_project: MakeProject) -> None:
    project = make_project()
    for day in ("2019-03-01", "2019-06-01", "2021-01-01", "2024-12-01"):
        project.write(f"{day}-incident", incident(day, causes=["dns"]))
    lines = ok(project.cli("patterns")).stdout.splitlines()
    assert "Recurring causes (trend per year, 2019 .. 2024)" in lines
    dns = next(line for line in lines if line.strip().startswith("dns "))
    assert dns.split()[-1] == "█·▄··▄"


# --- issue 12: what the figures cannot place is left out and counted ---


@pytest.fixture
def with_unknowns(known: TmpProject) -> TmpProject:
    """``known`` plus a write-up of 2024-01-10-a, one not assessed and not analysed, and one
    known only to the month."""
    known.write(
        "2024-01-10-a-public",
        incident(
            "2024-01-10",
            severity="SEV1",
            causes=["config-change", "insufficient-testing"],
            services=["payments-api"],
            same_incident_as="2024-01-10-a",
        ),
    )
    known.write(
        "2024-05-02-imported",
        incident(
            "2024-05-02",
            severity="unknown",
            status="draft",
            causes=[],
            services=["payments-api"],
            minutes=None,
        ),
    )
    known.write(
        "2024-04-00-month",
        incident("2024-04-01", causes=["dns"], services=["checkout"], minutes=None)
        | {"started": "2024-04"},
    )
    return known


def test_a_second_write_up_counts_once(with_unknowns: TmpProject) -> None:
    report = patterns(with_unknowns)
    assert report["incidents"] == 7  # 8 postmortems, one a second write-up
    causes = {c["term"]: c for c in report["causes"]}
    assert causes["config-change"]["count"] == 3
    assert "2024-01-10-a-public" in causes["config-change"]["incidents"]
    # Pairs (below the report's minimum support here, so asked for from 2): the second
    # write-up adds no co-occurrence, and chance is reckoned over the 6 analysed incidents.
    collection = load_knowledge_base(with_unknowns.project()).collection
    pair = cause_pairs(collection, min_together=2)[0]
    assert (pair.first, pair.second) == ("config-change", "insufficient-testing")
    assert (pair.together, pair.expected) == (2, round(3 * 2 / 6, 2))
    services = {s["service"]: s for s in report["services"]}
    assert services["payments-api"]["count"] == 4
    assert services["payments-api"]["by_severity"]["SEV1"] == 2
    assert services["payments-api"]["not_assessed"] == 1


def test_not_analysed_and_not_assessed_are_left_out_and_counted(
    with_unknowns: TmpProject,
) -> None:
    report = patterns(with_unknowns)
    assert report["left_out"] == {"not_analysed": 1, "not_assessed": 1, "unplaced": 0}
    durations = {(d["severity"], d["measure"]): d for d in report["durations"]}
    assert durations[("SEV1", "time_to_detect")]["n"] == 3  # the second write-up is not a 4th
    text = ok(with_unknowns.cli("patterns")).stdout
    assert "  1 not yet analysed (no causes): left out of causes and pairs" in text
    assert "  1 not assessed (severity unknown): left out of the figures per severity" in text
    assert "not assessed" in next(line for line in text.splitlines() if "service" in line)


def test_since_leaves_out_a_month_it_cuts_through(with_unknowns: TmpProject) -> None:
    report = patterns(with_unknowns, "--since", "2024-04-15")
    assert report["left_out"]["unplaced"] == 1
    assert "2024-04-00-month" not in {i for c in report["causes"] for i in c["incidents"]}
    whole = patterns(with_unknowns, "--since", "2024-04-01")
    assert whole["left_out"]["unplaced"] == 0
    assert "2024-04-00-month" in {i for c in whole["causes"] for i in c["incidents"]}
    text = ok(with_unknowns.cli("patterns", "--since", "2024-04-15")).stdout
    assert "left out: 1 started in a month that 2024-04-15 cuts through" in text
