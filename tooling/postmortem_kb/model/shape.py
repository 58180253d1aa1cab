"""The facts of the record that the JSON Schema declares and the code must follow.

Severity levels and statuses are the team's to change in
schema/postmortem.schema.json. Code that counts per severity or orders by status
reads them from here, so a team that renames its levels gets figures for its own
levels, not empty ones for SEV1..SEV4.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# What a schema without these enums means (the schema this project ships).
_DEFAULT_SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
_DEFAULT_STATUSES = ("draft", "review", "published")
_DEFAULT_ITEM_STATUSES = ("open", "in-progress", "done", "wont-do")


@dataclass(frozen=True)
class RecordShape:
    """Enumerated values of the record, in the schema's order (worst severity first)."""

    severities: tuple[str, ...] = _DEFAULT_SEVERITIES
    statuses: tuple[str, ...] = _DEFAULT_STATUSES  # a postmortem's lifecycle, first to last
    action_item_statuses: tuple[str, ...] = _DEFAULT_ITEM_STATUSES

    @classmethod
    def from_schema(cls, schema: Mapping[str, Any]) -> RecordShape:
        """The enums of ``schema`` (postmortem.schema.json); defaults where it has none."""
        properties = _mapping(schema.get("properties"))
        action_item = _mapping(_mapping(schema.get("$defs")).get("actionItem"))
        return cls(
            severities=_enum(properties.get("severity"), _DEFAULT_SEVERITIES),
            statuses=_enum(properties.get("status"), _DEFAULT_STATUSES),
            action_item_statuses=_enum(
                _mapping(action_item.get("properties")).get("status"), _DEFAULT_ITEM_STATUSES
            ),
        )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _enum(spec: Any, default: tuple[str, ...]) -> tuple[str, ...]:
    values = _mapping(spec).get("enum")
    if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
        return tuple(values)
    return default
