"""The JSON Schema of what `postmortem export` and the site's ``/api/`` files hold.

It is derived from the team's own schema/postmortem.schema.json, so that a
renamed severity level or a new front-matter field shows in the export's
schema without a change here: every front-matter property keeps its schema,
taxonomy fields get the one canonical shape of model.serialize, and the fields
the export adds (id, path, UTC date, durations in seconds, each time's UTC value
and precision) are declared here, next to the serializer that writes them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from postmortem_kb.model.kinds import KINDS, Shape
from postmortem_kb.model.serialize import DURATIONS, TIMES
from postmortem_kb.model.timestamps import PRECISIONS

DRAFT = "https://json-schema.org/draft/2020-12/schema"

_TERMS: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["term", "detail"],
        "additionalProperties": False,
        "properties": {
            "term": {"type": "string", "description": "The canonical taxonomy term."},
            "detail": {
                "type": "string",
                "description": "What the author wrote about it; may be empty.",
            },
        },
    },
}
_REF: dict[str, Any] = {
    "oneOf": [{"type": "null"}, _TERMS["items"]],
    "description": "The canonical taxonomy term with the author's detail, or null.",
}
_TERM: dict[str, Any] = {
    "type": ["string", "null"],
    "description": "The canonical taxonomy term, or null.",
}
_NAMES: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
_SECONDS: dict[str, Any] = {"type": ["number", "null"], "minimum": 0}
_TIME: dict[str, Any] = {
    "type": "object",
    "required": ["utc", "precision"],
    "additionalProperties": False,
    "properties": {
        "utc": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": (
                "The time in UTC; null when the postmortem does not give it or gives "
                "only its date or month (see precision)."
            ),
        },
        "precision": {
            "enum": [*PRECISIONS, None],
            "description": "How precisely the author wrote the time; null when not given.",
        },
    },
}


def _local_refs(value: Any, base: str) -> Any:
    """``value`` with every ``$ref`` into ``base`` (the front matter schema's ``$id``, which a
    compiled validator may have written into the refs) made local (``#/$defs/...``): the
    export's schema has an id of its own, or none."""
    if isinstance(value, dict):
        found = {key: _local_refs(item, base) for key, item in value.items()}
        ref = found.get("$ref")
        if isinstance(ref, str) and base and ref.startswith(base + "#"):
            found["$ref"] = ref[len(base) :]
        return found
    if isinstance(value, list):
        return [_local_refs(item, base) for item in value]
    return value


def postmortem_export_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The schema of one exported postmortem (model.serialize.export_dict), from the
    front matter's ``schema``."""
    base = str(schema.get("$id") or "")
    properties: dict[str, Any] = _local_refs(dict(schema.get("properties") or {}), base)
    for spec in KINDS.values():
        shape: dict[str, Any] = {
            Shape.TERMS: _TERMS,
            Shape.REF: _REF,
            Shape.TERM: _TERM,
            Shape.NAMES: _NAMES,
        }[spec.shape]
        written = properties.get(spec.field)
        description = written.get("description") if isinstance(written, dict) else None
        properties[spec.field] = copy.deepcopy(shape)
        if description:
            properties[spec.field]["description"] = description
    properties |= {
        "id": {"type": "string", "description": "The file name without .md."},
        "path": {"type": "string", "description": "The file, from the repository root."},
        "date": {
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$",
            "description": "The UTC date of `started`; YYYY-MM when only its month is known.",
        },
        "durations": {
            "type": "object",
            "description": "Seconds from `started`; null when the time is not given.",
            "required": list(DURATIONS),
            "additionalProperties": False,
            "properties": {name: dict(_SECONDS) for name in DURATIONS},
        },
        "times": {
            "type": "object",
            "required": list(TIMES),
            "additionalProperties": False,
            "properties": {name: copy.deepcopy(_TIME) for name in TIMES},
        },
    }
    required = list(dict.fromkeys([*(schema.get("required") or []), "id", "path", "date"]))
    required += ["durations", "times", *(spec.field for spec in KINDS.values())]
    return {
        "type": "object",
        "required": list(dict.fromkeys(required)),
        "additionalProperties": False,
        "properties": properties,
    }


def export_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON Schema of the export (``{"as_of", "count", "postmortems"}``), with the
    one postmortem (an NDJSON line) and the per-service file under ``$defs``."""
    defs: dict[str, Any] = _local_refs(
        dict(schema.get("$defs") or {}), str(schema.get("$id") or "")
    )
    defs["postmortem"] = postmortem_export_schema(schema)
    defs["brief"] = {
        "type": "object",
        "required": ["id", "date", "severity", "status", "title"],
        "properties": {
            "id": {"type": "string"},
            "path": {"type": "string"},
            "date": {"type": "string", "format": "date"},
            "severity": {"type": "string"},
            "status": {"type": "string"},
            "title": {"type": "string"},
            "url": {"type": "string", "description": "The incident's page, relative to the site."},
            "causes": _NAMES,
        },
    }
    defs["service"] = {
        "type": "object",
        "description": "/api/services/<service>.json: one service's incidents and open action items.",
        "required": ["service", "title", "as_of", "incidents", "open_action_items"],
        "additionalProperties": False,
        "properties": {
            "service": {"type": "string"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "as_of": {"type": "string", "format": "date"},
            "url": {"type": "string"},
            "incidents": {"type": "array", "items": {"$ref": "#/$defs/brief"}},
            "open_action_items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["postmortem", "id", "title", "owner", "due", "status", "overdue"],
                    "properties": {
                        "postmortem": {"type": "string"},
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "owner": {"type": "string"},
                        "priority": {"type": "string"},
                        "due": {"type": "string", "format": "date"},
                        "status": {"type": "string"},
                        "overdue": {"type": "boolean"},
                        "link": {"type": "string"},
                    },
                },
            },
        },
    }
    return {
        "$schema": DRAFT,
        "title": "postmortem-kb export",
        "description": "What `postmortem export --format json` prints and the site serves at "
        "/api/postmortems.json. Each line of `--format ndjson` is one #/$defs/postmortem.",
        "type": "object",
        "required": ["as_of", "count", "postmortems"],
        "additionalProperties": False,
        "properties": {
            "as_of": {"type": "string", "format": "date"},
            "count": {"type": "integer", "minimum": 0},
            "postmortems": {"type": "array", "items": {"$ref": "#/$defs/postmortem"}},
        },
        "$defs": defs,
    }
