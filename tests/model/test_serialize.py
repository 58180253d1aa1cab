"""One serializer: a record as plain data, canonical terms and durations in seconds."""

from __future__ import annotations

import json

from postmortem_kb.collection.load import load_knowledge_base
from postmortem_kb.model.serialize import BRIEF_FIELDS, brief_dict, record_dict
from postmortem_testkit import VALID_ID, TmpProject


def test_record_dict(project: TmpProject) -> None:
    project.write(overrides={"causes": [{"term": "bad-config", "detail": "d"}, "dns"]})
    record = load_knowledge_base(project.project()).collection.by_id[VALID_ID]
    data = record_dict(record, project.root)
    assert data["id"] == VALID_ID
    assert data["path"] == f"postmortems/{VALID_ID}.md"
    assert data["date"] == "2025-03-14"
    # The alias is resolved; a bare term gets the same shape with an empty detail.
    assert data["causes"] == [
        {"term": "config-change", "detail": "d"},
        {"term": "dns", "detail": ""},
    ]
    assert data["detection"] == "automated-alert"
    assert data["services"] == ["payments-api", "edge-lb"]
    assert data["started"] == "2025-03-14T09:12:00Z"  # as written
    assert data["durations"] == {
        "time_to_detect": 8 * 60,
        "time_to_mitigate": 29 * 60,
        "time_to_resolve": 113 * 60,
    }
    assert data["action_items"][0]["due"] == "2025-04-30"
    json.dumps(data)  # plain data all the way down


def test_missing_times_have_no_duration(project: TmpProject) -> None:
    from postmortem_testkit import REMOVE

    project.write(overrides={"detected": REMOVE, "mitigated": REMOVE, "resolved": REMOVE})
    record = load_knowledge_base(project.project()).collection.by_id[VALID_ID]
    assert record_dict(record, project.root)["durations"] == dict.fromkeys(
        ("time_to_detect", "time_to_mitigate", "time_to_resolve")
    )


def test_brief_dict(project: TmpProject) -> None:
    project.write()
    record = load_knowledge_base(project.project()).collection.by_id[VALID_ID]
    brief = brief_dict(record, project.root)
    assert tuple(brief) == BRIEF_FIELDS
    # Built alone for speed, it says what the whole record says about those fields.
    whole = record_dict(record, project.root)
    assert brief == {name: whole[name] for name in BRIEF_FIELDS}
