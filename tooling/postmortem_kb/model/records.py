"""The postmortem record: validated front matter as typed, canonical values.

Records are built only from files without errors (``validation.build``), with
every taxonomy name folded to its canonical term, so analysis can count terms
without caring how each author spelled them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from postmortem_kb.model.kinds import Kind

# Action item statuses that still need work (the others are done or wont-do).
OPEN_STATUSES = ("open", "in-progress")


@dataclass(frozen=True)
class TermRef:
    """One term as a postmortem names it: the canonical id, its detail, the name written."""

    term: str  # canonical id
    detail: str = ""
    written: str = ""  # the name as the author wrote it (an alias, say)


@dataclass(frozen=True)
class ActionItem:
    """Follow-up work from one postmortem, with its owner, due date and status."""

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
        """Open or in progress: work still to do."""
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date) -> bool:
        """Still open after its due date, as of ``today``."""
        return self.is_open and self.due < today


@dataclass(frozen=True)
class Postmortem:
    """One valid postmortem. ``term_refs`` holds its terms of every kind (model.kinds);
    ``front_matter`` the validated front matter as written, for fields without a typed
    accessor."""

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
    summary: str
    term_refs: Mapping[Kind, tuple[TermRef, ...]] = field(hash=False, compare=False)
    action_items: tuple[ActionItem, ...]
    related: tuple[str, ...]
    body: str
    body_line: int
    front_matter: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def terms(self, kind: Kind) -> tuple[TermRef, ...]:
        """The terms of ``kind`` this postmortem names, canonical, in the order written."""
        return self.term_refs.get(kind, ())

    def names(self, kind: Kind) -> tuple[str, ...]:
        """The canonical ids of ``kind``, in the order written."""
        return tuple(ref.term for ref in self.term_refs.get(kind, ()))

    @property
    def causes(self) -> tuple[TermRef, ...]:
        """The contributing factors, canonical, in the order written."""
        return self.terms(Kind.CAUSE)

    @property
    def lucky_breaks(self) -> tuple[TermRef, ...]:
        """Where we got lucky, canonical, in the order written."""
        return self.terms(Kind.LUCKY_BREAK)

    @property
    def went_well(self) -> tuple[TermRef, ...]:
        """What went well, canonical, in the order written."""
        return self.terms(Kind.WENT_WELL)

    @property
    def services(self) -> tuple[str, ...]:
        """The services involved, canonical ids."""
        return self.names(Kind.SERVICE)

    @property
    def tags(self) -> tuple[str, ...]:
        """The free-form tags."""
        return self.names(Kind.TAG)

    @property
    def detection(self) -> str | None:
        """How the incident was found out (a detection term), if given."""
        refs = self.terms(Kind.DETECTION)
        return refs[0].term if refs else None

    @property
    def started_utc(self) -> datetime:
        """The start time in UTC."""
        return self.started.astimezone(UTC)

    @property
    def date(self) -> date:
        """The UTC date the incident started: the date in its id."""
        return self.started_utc.date()

    def _since_start(self, moment: datetime | None) -> timedelta | None:
        return None if moment is None else moment - self.started

    @property
    def time_to_detect(self) -> timedelta | None:
        """From start to detection, when both are known."""
        return self._since_start(self.detected)

    @property
    def time_to_mitigate(self) -> timedelta | None:
        """From start to mitigation, when both are known."""
        return self._since_start(self.mitigated)

    @property
    def time_to_resolve(self) -> timedelta | None:
        """From start to resolution, when both are known."""
        return self._since_start(self.resolved)
