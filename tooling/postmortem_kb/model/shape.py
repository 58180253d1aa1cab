"""The facts of the record that the JSON Schema declares and the code must follow.

Severity levels and statuses are the team's to change in
schema/postmortem.schema.json. Code that counts per severity or orders by status
reads them from here, so a team that renames its levels gets figures for its own
levels, not empty ones for SEV1..SEV4.

``unknown`` in the severity enum is not a level: it says that nobody has assessed
the incident (an imported write-up, say). Per-severity figures leave such records
out and count them; pages show them as "not assessed".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# What a schema without these enums means (the schema this project ships).
_DEFAULT_SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
_DEFAULT_STATUSES = ("draft", "review", "published")
_DEFAULT_ITEM_STATUSES = ("open", "in-progress", "done", "wont-do")
# The severity of a record nobody has assessed, and how people see it.
UNKNOWN_SEVERITY = "unknown"
NOT_ASSESSED = "not assessed"


@dataclass(frozen=True)
class RecordShape:
    """Enumerated values of the record, in the schema's order (worst severity first)."""

    severities: tuple[str, ...] = _DEFAULT_SEVERITIES  # the levels, without "unknown"
    statuses: tuple[str, ...] = _DEFAULT_STATUSES  # a postmortem's lifecycle, first to last
    action_item_statuses: tuple[str, ...] = _DEFAULT_ITEM_STATUSES
    # Whether the schema lets a record say its severity is unknown.
    allows_unknown_severity: bool = True
    version: int | None = None  # $defs.schemaVersion.const of the schema; None before 2

    @property
    def severity_values(self) -> tuple[str, ...]:
        """Every value ``severity`` may take: the levels, then "unknown" if allowed."""
        return self.severities + ((UNKNOWN_SEVERITY,) if self.allows_unknown_severity else ())

    @classmethod
    def from_schema(cls, schema: Mapping[str, Any]) -> RecordShape:
        """The enums of ``schema`` (postmortem.schema.json); defaults where it has none."""
        properties = _mapping(schema.get("properties"))
        definitions = _mapping(schema.get("$defs"))
        action_item = _mapping(definitions.get("actionItem"))
        severity_values = _enum(
            properties.get("severity"), (*_DEFAULT_SEVERITIES, UNKNOWN_SEVERITY)
        )
        version = _mapping(definitions.get("schemaVersion")).get("const")
        return cls(
            severities=tuple(s for s in severity_values if s != UNKNOWN_SEVERITY),
            statuses=_enum(properties.get("status"), _DEFAULT_STATUSES),
            action_item_statuses=_enum(
                _mapping(action_item.get("properties")).get("status"), _DEFAULT_ITEM_STATUSES
            ),
            allows_unknown_severity=UNKNOWN_SEVERITY in severity_values,
            version=version if isinstance(version, int) and not isinstance(version, bool) else None,
        )


def severity_label(severity: str) -> str:
    """How people see a severity: the level itself, or "not assessed" for unknown."""
    return NOT_ASSESSED if severity == UNKNOWN_SEVERITY else severity


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _enum(spec: Any, default: tuple[str, ...]) -> tuple[str, ...]:
    values = _mapping(spec).get("enum")
    if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
        return tuple(values)
    return default
