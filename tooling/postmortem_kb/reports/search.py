"""Search hits as text (id, severity, date, status, title, snippet) or JSON.

Kept light: on a warm index a search imports this, sqlite3 and the search
package, nothing that parses YAML or validates.
"""

from __future__ import annotations

import json
from typing import Any

from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.shape import severity_label
from postmortem_kb.reports.workflow_commands import neutral_json
from postmortem_kb.search.lookup import MARK_END, MARK_START, SearchHit
from postmortem_kb.search.session import SearchOutcome

# Bold on a terminal; brackets in files, pipes and JSON.
_COLOR_MARKS = ("\x1b[1m", "\x1b[0m")
_PLAIN_MARKS = ("[", "]")


def json_payload(hits: list[SearchHit]) -> list[dict[str, Any]]:
    """What `--format json` prints for each hit: its brief record, score, snippet
    (matches in [brackets]), its distinct causes and its services."""
    return [
        {
            **hit.brief,
            "score": hit.score,
            "snippet": mark(hit.snippet, color=False),
            Kind.CAUSE.field: list(dict.fromkeys(hit.terms[Kind.CAUSE])),
            Kind.SERVICE.field: list(hit.terms[Kind.SERVICE]),
        }
        for hit in hits
    ]


def json_report(outcome: SearchOutcome, *, color: bool = False) -> str:
    """The hits as a JSON list (``color`` is ignored: JSON is for scripts)."""
    return neutral_json(json.dumps(json_payload(outcome.hits), indent=2, ensure_ascii=False)) + "\n"


def text_report(outcome: SearchOutcome, *, color: bool = False) -> str:
    """Each hit on two or three lines, then how many matched; ``color`` bolds the matches."""
    lines = []
    for hit in outcome.hits:
        lines.append(f"{hit.id}  {severity_label(hit.severity)}  {hit.date}  {hit.status}")
        lines.append(f"  {hit.title}")
        if hit.snippet:
            lines.append(f"  {mark(hit.snippet, color)}")
    shown = len(outcome.hits)
    if shown == 0:
        lines.append("no matches")
    elif shown < outcome.total:
        lines.append(f"showing {shown} of {outcome.total} matches; use --limit to see more")
    else:
        lines.append(f"{shown} match{'es' if shown != 1 else ''}")
    return "\n".join(lines) + "\n"


def mark(snippet: str, color: bool) -> str:
    """The snippet with its matches marked for a terminal (bold) or as [brackets]."""
    start, end = _COLOR_MARKS if color else _PLAIN_MARKS
    return snippet.replace(MARK_START, start).replace(MARK_END, end)
