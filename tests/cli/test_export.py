"""`postmortem export`: every postmortem normalised, in the shape its --schema declares."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import jsonschema
import pytest

from postmortem_testkit import REMOVE, TmpProject
from postmortem_testkit.incidents import incident, ok


@pytest.fixture
def exported(project: TmpProject) -> TmpProject:
    project.write(
        "2025-01-10-alias",
        incident(
            "2025-01-10",
            causes=["bad-config"],  # an alias: exported as its canonical term
            minutes=None,
            started="2025-01-10T10:00+01:00",  # minutes only, and an offset
            detected="2025-01-10T09:20:30Z",
        ),
    )
    project.write("2024-05-01-full", incident("2024-05-01", causes=["dns"]))
    project.write_text("2024-01-01-broken", "---\ntitle: [unclosed\n---\n")
    return project


def schema(project: TmpProject) -> dict[str, Any]:
    return json.loads(ok(project.cli("export", "--schema")).stdout)  # type: ignore[no-any-return]


def validator(project: TmpProject, ref: str = "") -> jsonschema.Draft202012Validator:
    shape = schema(project)
    if ref:
        shape = {"$defs": shape["$defs"], "$ref": ref}
    return jsonschema.Draft202012Validator(shape, format_checker=jsonschema.FormatChecker())


def test_json_is_normalised_and_matches_the_schema(exported: TmpProject) -> None:
    result = exported.cli("export")
    assert result.exit_code == 0
    assert "1 file with errors left out of the export" in result.stderr
    document = json.loads(result.stdout)
    validator(exported).validate(document)
    assert document["count"] == 2
    first = document["postmortems"][0]
    assert first["id"] == "2025-01-10-alias"
    assert first["causes"] == [{"term": "config-change", "detail": ""}]
    assert first["times"]["started"] == {"utc": "2025-01-10T09:00:00Z", "precision": "minute"}
    assert first["times"]["detected"] == {"utc": "2025-01-10T09:20:30Z", "precision": "second"}
    assert first["times"]["resolved"] == {"utc": None, "precision": None}
    assert first["durations"] == {
        "time_to_detect": 1230,
        "time_to_mitigate": None,
        "time_to_resolve": None,
    }
    full = document["postmortems"][1]
    assert full["durations"]["time_to_resolve"] == 113 * 60


def test_ndjson_has_one_valid_postmortem_a_line(exported: TmpProject) -> None:
    lines = ok(exported.cli("export", "--format", "ndjson")).stdout.splitlines()
    check = validator(exported, "#/$defs/postmortem")
    assert [json.loads(line)["id"] for line in lines] == ["2025-01-10-alias", "2024-05-01-full"]
    for line in lines:
        check.validate(json.loads(line))


def test_csv_flattens_terms_and_leaves_unknown_cells_empty(exported: TmpProject) -> None:
    text = ok(exported.cli("export", "--format", "csv")).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == ["2025-01-10-alias", "2024-05-01-full"]
    assert rows[0]["causes"] == "config-change"
    assert rows[0]["resolved_utc"] == "" and rows[0]["time_to_resolve_seconds"] == ""
    assert rows[0]["started_precision"] == "minute"
    assert rows[1]["time_to_detect_seconds"] == str(8 * 60)


def test_output_file_is_written_whole(exported: TmpProject) -> None:
    target = exported.root / "out.json"
    target.write_text("old contents that must go\n", encoding="utf-8")
    assert ok(exported.cli("export", "--output", str(target))).stdout == ""
    assert json.loads(target.read_text("utf-8"))["count"] == 2
    assert not list(exported.root.glob(".out.json.*"))
    missing = exported.cli("export", "--output", str(exported.root / "no" / "such" / "x.json"))
    assert missing.exit_code == 2 and "no such folder" in missing.stderr


def test_schema_follows_the_teams_own_severities(project: TmpProject) -> None:
    shape = schema(project)
    severity = shape["$defs"]["postmortem"]["properties"]["severity"]
    assert severity["enum"] == ["SEV1", "SEV2", "SEV3", "SEV4", "unknown"]
    assert "$id" not in json.dumps(shape["$defs"])  # self-contained: no reference elsewhere
    jsonschema.Draft202012Validator.check_schema(shape)


def test_missing_front_matter_fields_stay_absent(project: TmpProject) -> None:
    project.write("2025-02-02-bare", incident("2025-02-02", minutes=None, detection=REMOVE))
    record = json.loads(ok(project.cli("export")).stdout)["postmortems"][0]
    assert record["detection"] is None
    assert "detected" not in record  # the front matter as written, nothing added
