"""load_knowledge_base: every postmortem checked, the valid ones collected, the rest counted."""

from __future__ import annotations

from postmortem_kb.collection.load import load_knowledge_base
from postmortem_testkit import VALID_ID, TmpProject


def test_valid_records_are_collected_and_bad_files_counted(project: TmpProject) -> None:
    project.write()
    project.write(
        "2025-03-15-broken", overrides={"started": "2025-03-15T09:00:00Z", "severity": "SEV9"}
    )
    project.write_text("2025-03-16-no-front-matter", "just text\n")
    kb = load_knowledge_base(project.project())
    assert [r.id for r in kb.collection.records] == [VALID_ID]
    assert kb.files_with_errors == 2
    assert kb.check.files_checked == 3
