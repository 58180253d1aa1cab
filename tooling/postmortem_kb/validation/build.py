"""Records from front matter that passed validation without errors."""

from __future__ import annotations

from datetime import date
from typing import Any

from postmortem_kb.loading.files import LoadedFile
from postmortem_kb.model.facts import Impact, Roles, Source
from postmortem_kb.model.kinds import KINDS, Kind, written_terms
from postmortem_kb.model.records import ActionItem, Postmortem, TermRef
from postmortem_kb.model.taxonomy import Taxonomy
from postmortem_kb.model.timestamps import IncidentTime, parse_time


def build_record(loaded: LoadedFile, taxonomy: Taxonomy) -> Postmortem:
    """The record of a file whose front matter passed validation without errors."""
    data = loaded.front_matter.data

    def moment(name: str) -> IncidentTime | None:
        value = data.get(name)
        return parse_time(value) if isinstance(value, str) else None

    started = moment("started")
    assert started is not None  # required by the schema
    return Postmortem(
        id=loaded.id,
        path=loaded.path,
        title=data["title"],
        status=data["status"],
        severity=data["severity"],
        started=started,
        detected=moment("detected"),
        mitigated=moment("mitigated"),
        resolved=moment("resolved"),
        authors=tuple(data.get("authors") or ()),
        summary=data.get("summary") or "",
        term_refs={kind: term_refs(taxonomy, kind, data.get(kind.field)) for kind in KINDS},
        action_items=tuple(_action_item(item) for item in data.get("action_items") or ()),
        related=tuple(data.get("related") or ()),
        body=loaded.body,
        body_line=loaded.body_line,
        front_matter=data,
        impact=Impact.from_front_matter(data.get("impact")),
        roles=Roles.from_front_matter(data.get("roles")),
        responders=data.get("responders"),
        source=Source.from_front_matter(data.get("source")),
        same_incident_as=data.get("same_incident_as"),
    )


def term_refs(taxonomy: Taxonomy, kind: Kind, value: Any) -> tuple[TermRef, ...]:
    """Canonical terms from a validated field value of ``kind`` (absent: none)."""
    return tuple(
        TermRef(taxonomy.canonical_id(kind, written.name), written.detail, written.name)
        for written in written_terms(KINDS[kind], value)
    )


def _action_item(item: dict[str, Any]) -> ActionItem:
    return ActionItem(
        id=item["id"],
        title=item["title"],
        owner=item["owner"],
        type=item["type"],
        priority=item["priority"],
        due=date.fromisoformat(item["due"]),
        status=item["status"],
        reason=item.get("reason") or "",
        link=item.get("link") or "",
        addresses=tuple(item.get("addresses") or ()),
    )
