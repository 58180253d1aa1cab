"""A problem found in front matter, before it is placed at file:line:col."""

from __future__ import annotations

from dataclasses import dataclass

from postmortem_kb.model.findings import FieldPath, Level


@dataclass(frozen=True)
class Problem:
    """A problem in one file, by field path (or body line), before it is located."""

    field: FieldPath
    message: str
    level: Level = Level.ERROR
    at_key: bool = False  # point at the key (unknown fields) rather than the value
    code: str = ""
    line: int | None = None  # an explicit file line, for problems in the body
    column: int | None = None  # with ``line``: where on that line
