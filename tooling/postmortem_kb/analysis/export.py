"""Every postmortem normalised, for other tools: `postmortem export` and the site's API.

One serializer (model.serialize.export_dict) writes each postmortem; this module
puts them into the documents the export and ``/api/`` publish, whose shape is
model.export_shape.export_schema.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from postmortem_kb.collection.index import Collection
from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.serialize import brief_dict, export_dict


def export_document(collection: Collection, root: Path, today: date) -> dict[str, Any]:
    """``{"as_of", "count", "postmortems"}``: every postmortem, newest first."""
    records = [export_dict(record, root) for record in collection.records]
    return {"as_of": today.isoformat(), "count": len(records), "postmortems": records}


def service_document(
    collection: Collection, service: str, root: Path, today: date
) -> dict[str, Any]:
    """One service's incidents (newest first) and the open action items from them
    (earliest due first): what a service catalog shows on a service's page."""
    term = collection.taxonomy.get(Kind.SERVICE, service)
    incidents = collection.with_term(Kind.SERVICE, service)
    briefs = []
    for record in incidents:
        brief = brief_dict(record, root)
        brief["causes"] = list(dict.fromkeys(record.names(Kind.CAUSE)))
        briefs.append(brief)
    items = sorted(
        ((record, item) for record in incidents for item in record.action_items if item.is_open),
        key=lambda pair: (pair[1].due, pair[0].id, pair[1].id),
    )
    document: dict[str, Any] = {
        "service": service,
        "title": term.title if term is not None else service,
        "as_of": today.isoformat(),
        "incidents": briefs,
        "open_action_items": [
            {
                "postmortem": record.id,
                "id": item.id,
                "title": item.title,
                "owner": item.owner,
                "priority": item.priority,
                "due": item.due.isoformat(),
                "status": item.status,
                "overdue": item.is_overdue(today),
                **({"link": item.link} if item.link else {}),
            }
            for record, item in items
        ],
    }
    if term is not None and term.description:
        document["description"] = term.description
    return document
