"""`postmortem stats`: every figure worked out here, independently, from the fixture's
front matter (statistics.median and statistics.quantiles), then read from the command's
JSON, CSV and text output."""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections import Counter
from datetime import datetime
from typing import Any

import pytest

from postmortem_testkit import MakeProject, TmpProject
from postmortem_testkit.incidents import ok, write_measured_incidents

AS_OF = "2025-06-01"
TIMES = {
    "time_to_detect": "detected",
    "time_to_mitigate": "mitigated",
    "time_to_resolve": "resolved",
}


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> tuple[TmpProject, dict[str, Any]]:
    from postmortem_testkit import REPO_ROOT, UNIT_SERVICES, UNIT_TAXONOMY

    root = tmp_path_factory.mktemp("stats") / "kb"
    (root / "schema").mkdir(parents=True)
    (root / "postmortems").mkdir()
    for name in ("postmortem.schema.json", "config.yml"):
        (root / "schema" / name).write_bytes((REPO_ROOT / "schema" / name).read_bytes())
    (root / "schema" / "taxonomy.yml").write_text(UNIT_TAXONOMY + UNIT_SERVICES, "utf-8")
    project = TmpProject(root)
    return project, write_measured_incidents(project)


def seconds(front: dict[str, Any], measure: str) -> float | None:
    end = front.get(TIMES[measure])
    if not isinstance(end, str):
        return None
    start = datetime.fromisoformat(front["started"])
    return (datetime.fromisoformat(end) - start).total_seconds()


def expected(fronts: list[dict[str, Any]], measure: str) -> dict[str, Any]:
    """n, missing, median and p90 as statistics computes them (p90: linear interpolation
    between closest ranks, statistics.quantiles' inclusive method)."""
    values = [v for f in fronts if (v := seconds(f, measure)) is not None]
    p90 = statistics.quantiles(values, n=10, method="inclusive")[8] if len(values) > 1 else None
    return {
        "n": len(values),
        "missing": len(fronts) - len(values),
        "median_seconds": statistics.median(values) if values else None,
        "p90_seconds": p90 if len(values) > 1 else (values[0] if values else None),
    }


def stats(project: TmpProject, *args: str) -> dict[str, Any]:
    result = ok(project.cli("stats", "--as-of", AS_OF, "--format", "json", *args))
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def close(actual: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return actual.keys() == wanted.keys() and all(
        actual[k] == pytest.approx(wanted[k]) for k in actual
    )


def test_overall_durations_are_medians_and_p90_with_n_and_missing(
    measured: tuple[TmpProject, dict[str, Any]],
) -> None:
    project, fronts = measured
    report = stats(project)
    overall = report["overall"]
    assert overall["incidents"] == len(fronts) == 28
    for measure in TIMES:
        assert close(overall["durations"][measure], expected(list(fronts.values()), measure))
    # The incidents without times are counted, never guessed: 6 SEV2 of the fixture.
    assert overall["durations"]["time_to_resolve"]["missing"] == 6
    assert "mean" not in json.dumps(report)


def test_by_severity_marks_small_groups_too_few_to_compare(
    measured: tuple[TmpProject, dict[str, Any]],
) -> None:
    project, fronts = measured
    groups = {g["key"]: g for g in stats(project, "--by", "severity")["groups"]}
    assert list(groups) == ["SEV1", "SEV2"]  # the schema's order; empty levels are left out
    for severity, group in groups.items():
        members = [f for f in fronts.values() if f["severity"] == severity]
        assert group["incidents"] == len(members)
        for measure in TIMES:
            assert close(group["durations"][measure], expected(members, measure))
    assert groups["SEV1"]["too_few_to_compare"] is True and groups["SEV1"]["trend"] is None
    sev2 = groups["SEV2"]
    assert sev2["too_few_to_compare"] is False
    quarters = Counter(
        f"{f['started'][:4]}-Q{(int(f['started'][5:7]) - 1) // 3 + 1}"
        for f in fronts.values()
        if f["severity"] == "SEV2"
    )
    assert {q: n for q, n in sev2["trend"].items() if n} == dict(quarters)
    # Every quarter of the range, the empty ones too.
    assert list(sev2["trend"]) == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]


def test_completeness_counts_what_the_postmortems_leave_out(
    measured: tuple[TmpProject, dict[str, Any]],
) -> None:
    project, fronts = measured
    done = stats(project)["overall"]["completeness"]
    without = {
        "detected": sum(
            1 for f in fronts.values() if "detected" not in f or not isinstance(f["detected"], str)
        ),
        "resolved": sum(1 for f in fronts.values() if not isinstance(f.get("resolved"), str)),
        "impact": sum(1 for f in fronts.values() if f["status"] == "draft"),
        "causes": 0,
    }
    for name, count in without.items():
        assert done["missing"][name] == count, name
        assert done["share_missing"][name] == pytest.approx(round(count / len(fronts), 4))
    assert done["total"] == 28


def test_since_until_and_groups_by_service(measured: tuple[TmpProject, dict[str, Any]]) -> None:
    project, fronts = measured
    report = stats(project, "--since", "2024-04-01", "--until", "2024-09-30", "--by", "service")
    inside = [f for f in fronts.values() if "2024-04-01" <= f["started"][:10] <= "2024-09-30"]
    assert report["overall"]["incidents"] == len(inside)
    groups = {g["key"]: g["incidents"] for g in report["groups"]}
    # An incident with two services counts in both.
    assert groups == {
        "payments-api": len(inside),
        "checkout": sum(1 for f in inside if "checkout" in f["services"]),
    }
    assert (report["since"], report["until"], report["as_of"]) == (
        "2024-04-01",
        "2024-09-30",
        AS_OF,
    )


def test_csv_holds_the_same_figures(measured: tuple[TmpProject, dict[str, Any]]) -> None:
    project, fronts = measured
    text = ok(project.cli("stats", "--as-of", AS_OF, "--by", "severity", "--format", "csv")).stdout
    rows = {row["group"]: row for row in csv.DictReader(io.StringIO(text))}
    assert list(rows) == ["all", "SEV1", "SEV2"]
    wanted = expected([f for f in fronts.values() if f["severity"] == "SEV2"], "time_to_resolve")
    sev2 = rows["SEV2"]
    assert int(sev2["time_to_resolve_n"]) == wanted["n"]
    assert int(sev2["time_to_resolve_missing"]) == wanted["missing"]
    assert float(sev2["time_to_resolve_median_seconds"]) == pytest.approx(wanted["median_seconds"])
    assert float(sev2["time_to_resolve_p90_seconds"]) == pytest.approx(wanted["p90_seconds"])
    assert rows["SEV1"]["too_few_to_compare"] == "true"


def test_text_says_what_is_too_few_and_counts_missing(
    measured: tuple[TmpProject, dict[str, Any]],
) -> None:
    project, _fronts = measured
    text = ok(project.cli("stats", "--as-of", AS_OF, "--by", "severity")).stdout
    assert text.startswith(
        "28 postmortems, 2024-01-01 to 2025-04-28; action items as of 2025-06-01\n"
    )
    assert "too few to compare (fewer than 20 incidents, no trend): SEV1" in text
    assert "6 missing" in text
    assert "mean" not in text.lower()


def test_action_items_are_counted_as_of_the_date(make_project: MakeProject) -> None:
    from postmortem_testkit.incidents import incident

    project = make_project()
    item = {
        "id": "AI-1",
        "title": "Fix it for good",
        "owner": "sre",
        "type": "prevent",
        "priority": "P2",
        "due": "2025-03-01",
        "status": "open",
    }
    project.write("2025-01-10-a", incident("2025-01-10", action_items=[item]))
    before = stats(project, "--as-of", "2025-02-01")["overall"]["action_items"]
    after = stats(project, "--as-of", "2025-03-02")["overall"]["action_items"]
    assert (before["open"], before["overdue"]) == (1, 0)
    assert (after["open"], after["overdue"]) == (1, 1)


def test_usage_errors(project: TmpProject) -> None:
    assert project.cli("stats", "--since", "2025-02-01", "--until", "2025-01-01").exit_code == 2
    assert project.cli("stats", "--by", "owner").exit_code == 2
    assert ok(project.cli("stats")).stdout == "no postmortems\n"
