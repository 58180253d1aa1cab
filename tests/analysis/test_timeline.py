"""Incidents per month: every incident in its month's total, assessed or not."""

from __future__ import annotations

from datetime import date

from postmortem_kb.analysis.timeline import incidents_per_month
from postmortem_kb.collection.load import load_knowledge_base
from postmortem_testkit import MakeProject
from postmortem_testkit.incidents import incident


def test_an_unassessed_incident_is_in_the_total_but_no_severity(make_project: MakeProject) -> None:
    project = make_project()
    project.write("2025-01-05-one", incident("2025-01-05", severity="SEV1"))
    project.write(
        "2025-01-00-month",
        incident("2025-01-01", severity="unknown", status="draft", causes=[], minutes=None)
        | {"started": "2025-01"},
    )
    project.write("2025-03-02-three", incident("2025-03-02", severity="SEV3"))
    kb = load_knowledge_base(project.project())
    months = incidents_per_month(
        kb.collection.records, kb.collection.shape.severities, date(2025, 1, 1), date(2025, 3, 31)
    )
    assert [(m.month, m.by_severity, m.not_assessed, m.total) for m in months] == [
        ("2025-01", {"SEV1": 1, "SEV2": 0, "SEV3": 0, "SEV4": 0}, 1, 2),
        ("2025-02", {"SEV1": 0, "SEV2": 0, "SEV3": 0, "SEV4": 0}, 0, 0),
        ("2025-03", {"SEV1": 0, "SEV2": 0, "SEV3": 1, "SEV4": 0}, 0, 1),
    ]
