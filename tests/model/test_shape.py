"""Severity levels and statuses come from the schema, so a team can rename them."""

from __future__ import annotations

import json
from pathlib import Path

from postmortem_kb.analysis.durations import duration_stats
from postmortem_kb.collection.load import load_knowledge_base
from postmortem_kb.model.shape import RecordShape
from postmortem_testkit import REPO_ROOT, MakeProject


def test_the_shipped_schema() -> None:
    schema = json.loads((REPO_ROOT / "schema/postmortem.schema.json").read_text())
    shape = RecordShape.from_schema(schema)
    assert shape.severities == ("SEV1", "SEV2", "SEV3", "SEV4")
    assert shape.statuses == ("draft", "review", "published")
    assert shape.action_item_statuses == ("open", "in-progress", "done", "wont-do")


def test_a_schema_without_enums_falls_back_to_the_defaults() -> None:
    assert RecordShape.from_schema({}) == RecordShape()


def _rename_severities(schema_path: Path, levels: list[str]) -> None:
    schema = json.loads(schema_path.read_text())
    schema["properties"]["severity"]["enum"] = levels
    schema_path.write_text(json.dumps(schema))


def test_renamed_severity_levels_get_their_own_duration_figures(
    make_project: MakeProject,
) -> None:
    project = make_project()
    _rename_severities(project.root / "schema/postmortem.schema.json", ["critical", "major"])
    project.write(overrides={"severity": "major"})
    kb = load_knowledge_base(project.project())
    assert kb.collection.shape.severities == ("critical", "major")
    stats = {(d.severity, d.measure): d.n for d in duration_stats(kb.collection)}
    assert stats[("major", "time_to_resolve")] == 1
    assert stats[("critical", "time_to_resolve")] == 0
    assert not any(severity.startswith("SEV") for severity, _ in stats)


def test_the_shipped_schema_is_version_2_with_unknown_severity_apart_from_the_levels() -> None:
    schema = json.loads((REPO_ROOT / "schema/postmortem.schema.json").read_text())
    shape = RecordShape.from_schema(schema)
    assert shape.version == 2
    assert shape.allows_unknown_severity
    assert shape.severity_values == ("SEV1", "SEV2", "SEV3", "SEV4", "unknown")
    old = json.loads((REPO_ROOT / "tests/authoring/fixtures/postmortem.schema.v1.json").read_text())
    assert RecordShape.from_schema(old).version is None
    assert not RecordShape.from_schema(old).allows_unknown_severity
