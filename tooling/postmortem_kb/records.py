"""The postmortem record: validated front matter as typed, canonical values.

Records are built only from files without errors, with every taxonomy name
folded to its canonical term, so analysis can count terms without caring how
each author spelled them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from postmortem_kb.loading import LoadedFile
from postmortem_kb.taxonomy import Kind, Taxonomy
from postmortem_kb.timestamps import parse_timestamp

OPEN_STATUSES = ("open", "in-progress")
SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")


@dataclass(frozen=True)
class TermRef:
    term: str  # canonical id
    detail: str = ""
    written: str = ""  # the name as the author wrote it (an alias, say)


@dataclass(frozen=True)
class ActionItem:
    id: str
    title: str
    owner: str
    type: str
    priority: str
    due: date
    status: str
    reason: str = ""
    link: str = ""
    addresses: tuple[str, ...] = ()  # taxonomy terms this item turns into a safeguard

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due < today


@dataclass(frozen=True)
class Postmortem:
    id: str
    path: Path
    title: str
    status: str
    severity: str
    started: datetime
    detected: datetime | None
    mitigated: datetime | None
    resolved: datetime | None
    authors: tuple[str, ...]
    services: tuple[str, ...]
    summary: str
    detection: str | None
    causes: tuple[TermRef, ...]
    lucky_breaks: tuple[TermRef, ...]
    went_well: tuple[TermRef, ...]
    action_items: tuple[ActionItem, ...]
    related: tuple[str, ...]
    tags: tuple[str, ...]
    body: str
    body_line: int

    @property
    def started_utc(self) -> datetime:
        return self.started.astimezone(UTC)

    @property
    def date(self) -> date:
        return self.started_utc.date()

    def _since_start(self, moment: datetime | None) -> timedelta | None:
        return None if moment is None else moment - self.started

    @property
    def time_to_detect(self) -> timedelta | None:
        return self._since_start(self.detected)

    @property
    def time_to_mitigate(self) -> timedelta | None:
        return self._since_start(self.mitigated)

    @property
    def time_to_resolve(self) -> timedelta | None:
        return self._since_start(self.resolved)

    def terms(self, kind: Kind) -> tuple[TermRef, ...]:
        if kind is Kind.CAUSE:
            return self.causes
        if kind is Kind.LUCKY_BREAK:
            return self.lucky_breaks
        if kind is Kind.WENT_WELL:
            return self.went_well
        if kind is Kind.DETECTION:
            return (TermRef(self.detection),) if self.detection else ()
        return tuple(TermRef(service) for service in self.services)


def build_record(loaded: LoadedFile, taxonomy: Taxonomy) -> Postmortem:
    """Build a record from front matter that passed validation without errors."""
    data = loaded.front_matter.data

    def moment(name: str) -> datetime | None:
        value = data.get(name)
        return parse_timestamp(value) if isinstance(value, str) else None

    def refs(kind: Kind) -> tuple[TermRef, ...]:
        return tuple(_term_ref(taxonomy, kind, item) for item in data.get(kind.value) or ())

    detection = data.get("detection")
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
        services=tuple(taxonomy.canonical_id(Kind.SERVICE, s) for s in data.get("services") or ()),
        summary=data.get("summary") or "",
        detection=taxonomy.canonical_id(Kind.DETECTION, detection) if detection else None,
        causes=refs(Kind.CAUSE),
        lucky_breaks=refs(Kind.LUCKY_BREAK),
        went_well=refs(Kind.WENT_WELL),
        action_items=tuple(_action_item(item) for item in data.get("action_items") or ()),
        related=tuple(data.get("related") or ()),
        tags=tuple(data.get("tags") or ()),
        body=loaded.body,
        body_line=loaded.body_line,
    )


def _term_ref(taxonomy: Taxonomy, kind: Kind, item: Any) -> TermRef:
    if isinstance(item, str):
        return TermRef(taxonomy.canonical_id(kind, item), "", item)
    name = item["term"]
    return TermRef(taxonomy.canonical_id(kind, name), item.get("detail") or "", name)


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
