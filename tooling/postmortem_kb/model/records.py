"""The postmortem record: validated front matter as typed, canonical values.

Records are built only from files without errors (``validation.build``), with
every taxonomy name folded to its canonical term, so analysis can count terms
without caring how each author spelled them. A record says what it does not know:
a time known only to the day or month (``IncidentTime.precision``), a severity
nobody assessed, causes not yet analysed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from postmortem_kb.model.facts import Impact, Roles, Source
from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.shape import UNKNOWN_SEVERITY
from postmortem_kb.model.timestamps import IncidentTime

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
    started: IncidentTime
    detected: IncidentTime | None
    mitigated: IncidentTime | None
    resolved: IncidentTime | None
    authors: tuple[str, ...]
    summary: str
    term_refs: Mapping[Kind, tuple[TermRef, ...]] = field(hash=False, compare=False)
    action_items: tuple[ActionItem, ...]
    related: tuple[str, ...]
    body: str
    body_line: int
    front_matter: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    impact: Impact | None = field(default=None, hash=False, compare=False)
    roles: Roles | None = field(default=None, hash=False, compare=False)
    responders: int | None = None
    source: Source | None = field(default=None, hash=False, compare=False)
    same_incident_as: str | None = None  # another postmortem's id: a second write-up

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
    def trigger(self) -> TermRef | None:
        """The event that set the incident off (a trigger term and its detail), if given."""
        refs = self.terms(Kind.TRIGGER)
        return refs[0] if refs else None

    @property
    def severity_assessed(self) -> bool:
        """False for ``severity: unknown``: per-severity figures leave the record out."""
        return self.severity != UNKNOWN_SEVERITY

    @property
    def analysed(self) -> bool:
        """Whether any cause is named; a record without causes is "not yet analysed"
        (a draft, an imported write-up) and recurrence leaves it out."""
        return bool(self.causes)

    @property
    def day(self) -> date | None:
        """The UTC date the incident started; None when only the month is known."""
        return self.started.utc_day

    @property
    def year(self) -> int:
        """The (UTC) year it started: known at every precision."""
        return self.started.utc_year

    @property
    def month(self) -> int:
        """The (UTC) month it started, 1-12: known at every precision."""
        return self.started.utc_month

    @property
    def month_start(self) -> date:
        """The first day of the (UTC) month it started: for figures per month or quarter,
        which can place a record at every precision."""
        return date(self.year, self.month, 1)

    @property
    def date_label(self) -> str:
        """The start as a list shows it: ``2017-02-28``, or ``2017-02`` for a month."""
        return self.started.label

    @property
    def sort_key(self) -> tuple[tuple[int, int], str]:
        """Chronological order at every precision, then the id (``IncidentTime.sort_key``)."""
        return (self.started.sort_key, self.id)

    @property
    def recency(self) -> tuple[int, int]:
        """A key that sorts newest first (the start's sort key, negated)."""
        day, moment = self.started.sort_key
        return (-day, -moment)

    def _since_start(self, moment: IncidentTime | None) -> timedelta | None:
        return None if moment is None else moment.since(self.started)

    @property
    def time_to_detect(self) -> timedelta | None:
        """From start to detection, when both are full times (never from a date or month)."""
        return self._since_start(self.detected)

    @property
    def time_to_mitigate(self) -> timedelta | None:
        """From start to mitigation, when both are full times."""
        return self._since_start(self.mitigated)

    @property
    def time_to_resolve(self) -> timedelta | None:
        """From start to resolution, when both are full times."""
        return self._since_start(self.resolved)
