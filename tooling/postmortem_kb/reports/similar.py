"""Similar incidents as text (ranked, with the reason) or JSON."""

from __future__ import annotations

import json
from typing import Any

from postmortem_kb.analysis.similarity import MIN_SCORE, SimilarResult
from postmortem_kb.model.serialize import brief_dict
from postmortem_kb.reports.workflow_commands import neutral_json


def json_report(result: SimilarResult) -> str:
    """Each similar incident: the brief record, its score and what it shares."""
    payload: list[dict[str, Any]] = []
    for s in result.found:
        brief = brief_dict(s.record, result.root)
        payload.append(
            {
                "id": brief["id"],
                "path": brief["path"],
                "date": brief["date"],
                "severity": brief["severity"],
                "title": brief["title"],
                "score": s.score,
                "text_similarity": s.text_similarity,
                "shared_causes": s.shared_causes,
                "shared_services": s.shared_services,
                "shared_lucky_breaks": s.shared_lucky_breaks,
                "reason": s.reason,
            }
        )
    return neutral_json(json.dumps(payload, indent=2, ensure_ascii=False)) + "\n"


def text_report(result: SimilarResult) -> str:
    """Ranked incidents with score and reason, and what to do with them."""
    if not result.found:
        return (
            f"no close match for {result.target.id} among {result.among} postmortems "
            f"(none scores {MIN_SCORE:g} or more)\n"
        )
    lines = []
    for rank, s in enumerate(result.found, start=1):
        lines.append(f"{rank}. {s.record.id}  {s.record.severity}  score {s.score:.2f}")
        lines.append(f"   {s.record.title}")
        lines.append(f"   {s.reason}")
    lines.append(f"link the ones that are related in the `related:` list of {result.target.id}")
    return "\n".join(lines) + "\n"
