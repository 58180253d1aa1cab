"""Findings: what `check` reports, located at file:line:col.

The core never prints; it returns findings and lets a reporter render them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    """How serious a finding is: errors fail the check, warnings only with --strict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file. ``field`` is a display path like ``causes[1].term``."""

    path: str
    line: int
    column: int
    level: Level
    field: str
    message: str
    code: str = ""

    @property
    def is_error(self) -> bool:
        """Whether this finding fails the check without --strict."""
        return self.level is Level.ERROR

    def render(self) -> str:
        """``path:line:col: level: field: message``, the form editors and CI read."""
        where = f"{self.field}: " if self.field else ""
        return f"{self.path}:{self.line}:{self.column}: {self.level.value}: {where}{self.message}"


FieldPath = tuple[str | int, ...]


def format_field(path: FieldPath) -> str:
    """``("causes", 1, "term")`` -> ``causes[1].term``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text
