"""Data completeness: what share of postmortems lack a time, their causes or their impact.

Every other figure leaves out the incidents that did not give what it counts;
this one says how many those are, so that a reader can tell a median of 400
incidents from a median of the 40 that recorded the time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from postmortem_kb.loading.markdown import body_sections
from postmortem_kb.model.records import Postmortem

# An HTML comment (a template's hint) is not content.
_COMMENT = re.compile(r"<!--.*?-->", re.S)
IMPACT_SECTION = "impact"


def has_impact(record: Postmortem) -> bool:
    """Whether the postmortem says what the impact was: an ``impact`` field in the front
    matter (the record's planned field) or a ``## Impact`` section with some text."""
    if record.front_matter.get("impact") not in (None, "", [], {}):
        return True
    lines = record.body.split("\n")
    sections = body_sections(record.body)
    for index, (title, offset) in enumerate(sections):
        if title.strip().lower() != IMPACT_SECTION:
            continue
        end = sections[index + 1][1] if index + 1 < len(sections) else len(lines)
        text = _COMMENT.sub("", "\n".join(lines[offset + 1 : end]))
        if text.strip():
            return True
    return False


# What completeness checks, in the order it is shown: name -> whether a record has it.
CHECKS: dict[str, Callable[[Postmortem], bool]] = {
    "detected": lambda record: record.detected is not None,
    "mitigated": lambda record: record.mitigated is not None,
    "resolved": lambda record: record.resolved is not None,
    "causes": lambda record: bool(record.causes),
    "impact": has_impact,
}
CHECK_LABELS = {
    "detected": "Detection time (detected)",
    "mitigated": "Mitigation time (mitigated)",
    "resolved": "Resolution time (resolved)",
    "causes": "Causes",
    "impact": "Impact",
}


@dataclass(frozen=True)
class Completeness:
    """How many of ``total`` postmortems lack each field of CHECKS."""

    total: int
    missing: dict[str, int]

    def share_missing(self, name: str) -> float | None:
        """The share (0 to 1) of postmortems without ``name``; None with no postmortems."""
        return self.missing[name] / self.total if self.total else None


def completeness(records: Iterable[Postmortem]) -> Completeness:
    """How many of ``records`` lack each field of CHECKS."""
    total = 0
    missing = dict.fromkeys(CHECKS, 0)
    for record in records:
        total += 1
        for name, has in CHECKS.items():
            if not has(record):
                missing[name] += 1
    return Completeness(total, missing)
