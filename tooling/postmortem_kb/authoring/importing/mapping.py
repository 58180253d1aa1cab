"""Which of a source's keys (or columns) is which field, and how its values map.

A mapping file is YAML::

    fields:                    # our field: the source's key, or a list (first non-empty)
      id: uuid                 # the source's own id (source.id): a re-import recognises it
      title: title
      started: start_time
      services: [product, company]
      causes: categories
      source.url: url
    values:                    # per field: the source's value -> ours
      causes:
        config-change: config-change
        hardware: {trigger: hardware-failure}   # to another field
        postmortem: null                        # dropped on purpose, not reported
    defaults:                  # for inputs that name none
      authors: [sre-team]
    sections:                  # the source's headings -> the template's
      Root cause: Contributing factors
    timezone: UTC              # what the source's times without an offset are in

A value the mapping does not name and the taxonomy does not know is left out and
reported with the closest terms (or, with ``--add-terms``, added as a new term).
Ready mappings ship in the package (``mappings/*.yml``), named without ``.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from postmortem_kb.authoring.importing.times import zone_named
from postmortem_kb.errors import UsageError

# The fields a mapping may fill, as our field names (dotted for parts of a mapping).
TARGETS = (
    "id",
    "title",
    "started",
    "detected",
    "mitigated",
    "resolved",
    "severity",
    "authors",
    "services",
    "summary",
    "detection",
    "trigger",
    "causes",
    "tags",
    "body",
    "responders",
    "impact.customer_facing",
    "impact.customers_affected",
    "impact.regions",
    "impact.failed_requests_percent",
    "impact.slo_budget_spent_percent",
    "impact.support_tickets",
    "impact.data_loss",
    "impact.summary",
    "roles.incident_commander",
    "roles.communications",
    "roles.scribe",
    "source.url",
    "source.publisher",
    "source.published",
    "source.archived_url",
)
# Fields whose values may be mapped, and moved to another of them.
VALUE_FIELDS = ("severity", "services", "detection", "trigger", "causes", "tags")

# Without --map: each field is read from the key of its own name (or a common other).
_DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "uuid", "key", "incident_id", "number"),
    "title": ("title", "name", "subject"),
    "started": ("started", "start", "start_time", "started_at", "date", "created_at"),
    "detected": ("detected", "detected_at", "acknowledged_at"),
    "mitigated": ("mitigated", "mitigated_at"),
    "resolved": ("resolved", "resolved_at", "end", "end_time", "closed_at"),
    "severity": ("severity", "sev", "priority"),
    "authors": ("authors", "author", "owner"),
    "services": ("services", "service", "product", "component"),
    "summary": ("summary", "description"),
    "detection": ("detection",),
    "trigger": ("trigger",),
    "causes": ("causes", "cause", "categories", "category"),
    "tags": ("tags", "keywords", "labels"),
    "body": ("body", "content", "postmortem", "details"),
    "source.url": ("url", "link", "permalink", "html_url"),
    "source.publisher": ("publisher", "company", "organization"),
    "source.published": ("published", "published_at"),
    "source.archived_url": ("archived_url", "archive_url"),
}

# The template's sections and the headings other write-ups use for them.
DEFAULT_SECTIONS = {
    "Summary": (
        "summary",
        "overview",
        "executive summary",
        "incident summary",
        "tl;dr",
        "tldr",
        "description",
        "what happened",
        "issue summary",
    ),
    "Impact": ("impact", "customer impact", "user impact", "business impact", "scope"),
    "Timeline": (
        "timeline",
        "sequence of events",
        "chronology",
        "timeline of events",
        "resolution",
        "resolution and recovery",
        "recovery",
        "detection and response",
    ),
    "Contributing factors": (
        "contributing factors",
        "root cause",
        "root causes",
        "root cause analysis",
        "causes",
        "cause",
        "what went wrong",
        "analysis",
        "why it happened",
    ),
    "What went well": ("what went well", "went well", "things that went well"),
    "Where we got lucky": ("where we got lucky", "lucky", "where we were lucky"),
    "Action items": (
        "action items",
        "follow-up",
        "follow-ups",
        "follow up",
        "next steps",
        "remediation",
        "corrective actions",
        "preventive measures",
        "what we are doing about it",
        "prevention",
    ),
    "Lessons learned": ("lessons learned", "lessons", "learnings", "takeaways"),
}


@dataclass(frozen=True)
class Routed:
    """A source value mapped to a field (usually the one it came for) and a value."""

    field: str
    value: str


@dataclass(frozen=True)
class Mapping:
    """A mapping file, read and checked (or the default, without --map)."""

    fields: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(_DEFAULT_FIELDS))
    values: dict[str, dict[str, Routed | None]] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)  # heading (lower case) -> ours
    timezone: tzinfo | None = None
    name: str = "the default mapping"

    def keys_for(self, target: str) -> tuple[str, ...]:
        """The source keys ``target`` is read from, first found wins."""
        return self.fields.get(target, ())

    def route(self, target: str, value: str) -> Routed | str | None:
        """Where the source's ``value`` for ``target`` goes: a Routed, None when the
        mapping drops it, or the value itself (a str) when the mapping does not name it."""
        table = self.values.get(target, {})
        for key in (value, value.lower()):
            if key in table:
                return table[key]
        return value

    def section_for(self, heading: str) -> str | None:
        """The template section a source heading maps to (the mapping's, then the
        usual synonyms), or None."""
        wanted = " ".join(heading.strip().strip(":").lower().split())
        if wanted in self.sections:
            return self.sections[wanted]
        for ours, synonyms in DEFAULT_SECTIONS.items():
            if wanted == ours.lower() or wanted in synonyms:
                return ours
        return None


def shipped_mappings() -> list[str]:
    """The names of the mappings that ship in the package."""
    folder = resources.files("postmortem_kb.authoring.importing") / "mappings"
    return sorted(
        item.name.removesuffix(".yml") for item in folder.iterdir() if item.name.endswith(".yml")
    )


def load_mapping(where: str | None) -> Mapping:
    """The mapping ``--map`` names: a file, or the name of one that ships; None: the
    default (fields read from keys of their own name)."""
    if where is None:
        return Mapping()
    path = Path(where)
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{where}: cannot read the mapping: {exc}") from None
        return parse_mapping(text, where)
    if where in shipped_mappings():
        folder = resources.files("postmortem_kb.authoring.importing") / "mappings"
        return parse_mapping((folder / f"{where}.yml").read_text(encoding="utf-8"), where)
    names = ", ".join(shipped_mappings())
    raise UsageError(f"{where}: no such mapping file, and no mapping of that name ships ({names})")


def parse_mapping(text: str, name: str) -> Mapping:
    """A mapping from its YAML ``text``; ``name`` says which in errors (exit 2)."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{name}: the mapping is not valid YAML: {exc}") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise UsageError(f"{name}: a mapping is a YAML mapping with fields, values, ...")
    unknown = set(raw) - {"fields", "values", "defaults", "sections", "timezone"}
    if unknown:
        raise UsageError(
            f"{name}: unknown key {', '.join(sorted(map(str, unknown)))}; a mapping has fields, "
            "values, defaults, sections and timezone"
        )
    fields = dict(_DEFAULT_FIELDS) if "fields" not in raw else {}
    for target, keys in _section(raw, "fields", name).items():
        _target(target, name, "fields")
        if isinstance(keys, str):
            fields[target] = (keys,)
        elif isinstance(keys, list) and all(isinstance(k, str) for k in keys):
            fields[target] = tuple(keys)
        else:
            raise UsageError(f"{name}: fields.{target}: give a key or a list of keys")
    values: dict[str, dict[str, Routed | None]] = {}
    for target, table in _section(raw, "values", name).items():
        if target not in VALUE_FIELDS:
            raise UsageError(
                f"{name}: values.{target}: values can be mapped for {', '.join(VALUE_FIELDS)}"
            )
        if not isinstance(table, dict):
            raise UsageError(f"{name}: values.{target}: a mapping of source values to ours")
        values[target] = {str(k): _routed(target, v, name) for k, v in table.items()}
    defaults = _section(raw, "defaults", name)
    for target in defaults:
        _target(target, name, "defaults")
    sections = {}
    for heading, ours in _section(raw, "sections", name).items():
        if not isinstance(ours, str):
            raise UsageError(f"{name}: sections.{heading}: name the template's section")
        sections[" ".join(str(heading).lower().split())] = ours
    zone = None
    if raw.get("timezone") is not None:
        try:
            zone = zone_named(str(raw["timezone"]))
        except ValueError as exc:
            raise UsageError(f"{name}: timezone: {exc}") from None
    return Mapping(fields, values, dict(defaults), sections, zone, name)


def _section(raw: dict[str, Any], key: str, name: str) -> dict[str, Any]:
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        raise UsageError(f"{name}: {key}: expected a mapping")
    return {str(k): v for k, v in value.items()}


def _target(target: str, name: str, where: str) -> None:
    if target not in TARGETS:
        raise UsageError(
            f"{name}: {where}.{target}: not a field an import fills; use one of {', '.join(TARGETS)}"
        )


def _routed(target: str, value: Any, name: str) -> Routed | None:
    if value is None:
        return None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return Routed(target, str(value))
    if isinstance(value, dict) and len(value) == 1:
        ((other, term),) = value.items()
        if other in VALUE_FIELDS and isinstance(term, str):
            return Routed(str(other), term)
    raise UsageError(
        f"{name}: values.{target}: map each value to a value, to null (drop it), or to "
        f"{{field: value}} for another of {', '.join(VALUE_FIELDS)}"
    )
