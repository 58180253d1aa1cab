"""The search facets: kinds with a facet, then severity, status and year."""

from __future__ import annotations

from postmortem_kb.collection.load import load_knowledge_base
from postmortem_kb.model.facets import search_facets
from postmortem_kb.model.shape import RecordShape
from postmortem_testkit import REMOVE, VALID_ID, TmpProject


def test_facets_in_order_with_their_matching() -> None:
    facets = search_facets(RecordShape(severities=("critical", "major")))
    assert [(f.name, f.match) for f in facets] == [
        ("cause", "all"),
        ("trigger", "all"),
        ("lucky_break", "all"),
        ("went_well", "all"),
        ("service", "all"),
        ("customer_facing", "any"),
        ("severity", "any"),
        ("status", "any"),
        ("year", "any"),
    ]
    data = {f.name: f.as_data() for f in facets}
    assert data["severity"]["order"] == ["critical", "major", "not assessed"]
    assert data["customer_facing"]["order"] == ["yes", "no"]
    assert data["status"]["order"] == ["published", "review", "draft"]
    assert data["year"]["order"] == "descending"
    assert data["cause"] == {"name": "cause", "label": "Cause", "match": "all", "order": "count"}


def test_values_of_a_record(project: TmpProject) -> None:
    project.write()
    record = load_knowledge_base(project.project()).collection.by_id[VALID_ID]
    values = {f.name: f.values(record) for f in search_facets(RecordShape())}
    assert values["cause"] == ("config-change", "insufficient-testing")
    assert values["service"] == ("payments-api", "edge-lb")
    assert values["severity"] == ("SEV2",)
    assert values["year"] == ("2025",)
    assert values["trigger"] == ()
    assert values["customer_facing"] == ()  # the record does not say: no value, not "no"


def test_values_of_a_record_that_says_what_it_does_not_know(project: TmpProject) -> None:
    project.write(
        overrides={
            "severity": "unknown",
            "started": "2025-03",
            "detected": REMOVE,
            "mitigated": REMOVE,
            "resolved": REMOVE,
            "trigger": {"term": "release", "detail": "v2.3 reached every region."},
            "impact": {"customer_facing": False},
        },
    )
    project.path(VALID_ID).rename(project.path("2025-03-00-payments-502"))
    record = load_knowledge_base(project.project()).collection.by_id["2025-03-00-payments-502"]
    values = {f.name: f.values(record) for f in search_facets(RecordShape())}
    assert values["severity"] == ("not assessed",)
    assert values["year"] == ("2025",)
    assert values["trigger"] == ("deploy",)  # the alias folds into its term
    assert values["customer_facing"] == ("no",)
