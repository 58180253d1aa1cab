"""Similar incidents as text (ranked, with the reason) or JSON."""

from __future__ import annotations

import json
from typing import Any

from postmortem_kb.analysis.similarity import MIN_SCORE, SimilarResult
from postmortem_kb.model.serialize import brief_dict
from postmortem_kb.model.shape import severity_label
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


def left_out(result: SimilarResult) -> list[str]:
    """What the comparison could not use, one line each (none when it used everything)."""
    lines = []
    if not result.target.causes:
        lines.append(
            f"{result.target.id} names no cause yet: compared by text, services and lucky breaks"
        )
    if result.not_analysed:
        lines.append(
            f"{result.not_analysed} of the {result.among} postmortems compared are not yet "
            "analysed (no causes): they can match by text, services and lucky breaks only"
        )
    if result.write_ups:
        many = result.write_ups != 1
        lines.append(
            f"{result.write_ups} other write-up{'s' if many else ''} of the same incident left out"
        )
    return lines


def text_report(result: SimilarResult) -> str:
    """Ranked incidents with score and reason, and what to do with them."""
    notes = [f"note: {line}" for line in left_out(result)]
    if not result.found:
        return (
            "\n".join(
                [
                    f"no close match for {result.target.id} among {result.among} postmortems "
                    f"(none scores {MIN_SCORE:g} or more)",
                    *notes,
                ]
            )
            + "\n"
        )
    lines = []
    for rank, s in enumerate(result.found, start=1):
        severity = severity_label(s.record.severity)
        lines.append(f"{rank}. {s.record.id}  {severity}  score {s.score:.2f}")
        lines.append(f"   {s.record.title}")
        lines.append(f"   {s.reason}")
    lines.append(f"link the ones that are related in the `related:` list of {result.target.id}")
    return "\n".join([*lines, *notes]) + "\n"
