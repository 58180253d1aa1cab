"""What a pull request's review says about the postmortems it changes.

For each changed postmortem: how often each of its causes recurred before and
when last, action items still open from earlier incidents with the same causes
("did we fix it last time?"), the lucky breaks seen before with their
safeguard status, and similar incidents not yet linked in ``related``. The
check results come along. ``reports.review`` renders it as Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from postmortem_kb.analysis.ledger import lucky_break_ledger
from postmortem_kb.analysis.similarity import SimilarIncident, SimilarityTarget, similar_incidents
from postmortem_kb.collection.index import ActionItemRef, Collection
from postmortem_kb.collection.load import load_knowledge_base
from postmortem_kb.loading.files import LoadedFile
from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.records import Postmortem
from postmortem_kb.model.taxonomy import Taxonomy
from postmortem_kb.model.timestamps import IncidentTime, TimestampError, parse_time
from postmortem_kb.project.repository import Project
from postmortem_kb.validation.checker import CheckResult
from postmortem_kb.vcs.changes import ChangeSet

SIMILAR_LIMIT = 5


@dataclass(frozen=True)
class Subject:
    """A changed postmortem as far as it can be read (it may not pass check yet)."""

    id: str
    title: str
    started: IncidentTime | None
    causes: tuple[str, ...]
    lucky_breaks: tuple[str, ...]
    related: tuple[str, ...]
    target: SimilarityTarget
    valid: bool

    @classmethod
    def from_record(cls, record: Postmortem) -> Subject:
        """A changed postmortem that passes the check."""
        return cls(
            id=record.id,
            title=record.title,
            started=record.started,
            causes=tuple(dict.fromkeys(ref.term for ref in record.causes)),
            lucky_breaks=tuple(dict.fromkeys(ref.term for ref in record.lucky_breaks)),
            related=record.related,
            target=SimilarityTarget.from_record(record),
            valid=True,
        )

    @classmethod
    def from_loaded(cls, loaded: LoadedFile, taxonomy: Taxonomy) -> Subject:
        """Best effort: only known taxonomy terms count (a template placeholder is not a cause)."""
        target = SimilarityTarget.from_loaded(loaded, taxonomy)
        data = loaded.front_matter.data
        started: IncidentTime | None = None
        if isinstance(data.get("started"), str):
            try:
                started = parse_time(data["started"])
            except TimestampError:
                started = None
        related = data.get("related")
        return cls(
            id=loaded.id,
            title=target.title or loaded.id,
            started=started,
            causes=tuple(t for t in target.causes if taxonomy.get(Kind.CAUSE, t)),
            lucky_breaks=tuple(t for t in target.lucky_breaks if taxonomy.get(Kind.LUCKY_BREAK, t)),
            related=tuple(r for r in related if isinstance(r, str))
            if isinstance(related, list)
            else (),
            target=target,
            valid=False,
        )

    def earlier(self, collection: Collection) -> list[Postmortem]:
        """Incidents that certainly started before this one (all others when its start
        is unknown), without other write-ups of its own incident."""
        return [
            r
            for r in collection.other_incidents(self.id)
            if self.started is None or r.started.is_before(self.started)
        ]


@dataclass(frozen=True)
class CauseHistory:
    """One cause of the subject and the earlier incidents that had it."""

    cause: str
    title: str | None  # the taxonomy's title, None for an unknown term
    before: tuple[Postmortem, ...]  # earlier postmortems with this cause
    incidents_before: int = 0  # how many incidents they are (second write-ups count once)

    @property
    def first(self) -> Postmortem | None:
        """The earliest earlier postmortem with this cause."""
        return min(self.before, key=lambda r: r.sort_key, default=None)

    @property
    def last(self) -> Postmortem | None:
        """The most recent earlier postmortem with this cause."""
        return max(self.before, key=lambda r: r.sort_key, default=None)


@dataclass(frozen=True)
class OpenItem:
    """An action item still open from an earlier incident that shares causes."""

    ref: ActionItemRef
    shared_causes: tuple[str, ...]
    overdue: bool


@dataclass(frozen=True)
class LuckySeen:
    """A lucky break of the subject seen in earlier incidents, with its safeguard status."""

    term: str
    before: tuple[Postmortem, ...]
    status: str | None  # the ledger's status, None when the ledger does not know it

    @property
    def last(self) -> Postmortem:
        """The most recent earlier incident with this lucky break."""
        return max(self.before, key=lambda r: r.sort_key)


@dataclass(frozen=True)
class SubjectReview:
    """Everything the knowledge base already knows that bears on one changed postmortem."""

    subject: Subject
    causes: tuple[CauseHistory, ...]
    open_items: tuple[OpenItem, ...]
    lucky_breaks: tuple[LuckySeen, ...]
    similar: tuple[SimilarIncident, ...]


@dataclass
class Review:
    """The review of a change set: the check of its files and one SubjectReview each."""

    check: CheckResult
    changes: ChangeSet
    subjects: list[SubjectReview] = field(default_factory=list)


def review_changes(project: Project, changes: ChangeSet, today: date | None = None) -> Review:
    """Check the whole collection, keep the findings of the changed files, and review each."""
    today = today or datetime.now(UTC).date()
    kb = load_knowledge_base(project)
    targets = changes.targets
    shown = {project.display_path(p) for p in targets}
    check = CheckResult(
        findings=[f for f in kb.check.findings if f.path in shown],
        records=[r for r in kb.check.records if project.display_path(r.path) in shown],
        files_checked=len(targets),
    )
    collection = kb.collection
    subjects: list[Subject] = []
    for path in changes.changed_files:
        record = collection.by_id.get(path.stem)
        if record is not None:
            subjects.append(Subject.from_record(record))
            continue
        loaded = project.load(path)
        if isinstance(loaded, LoadedFile):
            subjects.append(Subject.from_loaded(loaded, project.taxonomy))
    return Review(check, changes, [review_subject(s, collection, today) for s in subjects])


def review_subject(subject: Subject, collection: Collection, today: date) -> SubjectReview:
    """What the collection knows about ``subject``, from the incidents before it."""
    earlier = subject.earlier(collection)
    return SubjectReview(
        subject,
        _causes(subject, earlier, collection),
        _open_items(subject, earlier, today),
        _lucky_breaks(subject, earlier, collection),
        _similar(subject, collection),
    )


def _causes(
    subject: Subject, earlier: list[Postmortem], collection: Collection
) -> tuple[CauseHistory, ...]:
    found = []
    for cause in subject.causes:
        before = tuple(r for r in earlier if any(ref.term == cause for ref in r.causes))
        term = collection.taxonomy.get(Kind.CAUSE, cause)
        found.append(
            CauseHistory(
                cause, term.title if term else None, before, collection.count_incidents(before)
            )
        )
    return tuple(found)


def _open_items(subject: Subject, earlier: list[Postmortem], today: date) -> tuple[OpenItem, ...]:
    causes = set(subject.causes)
    refs = [
        ActionItemRef(record, item)
        for record in earlier
        if causes & {ref.term for ref in record.causes}
        for item in record.action_items
        if item.is_open
    ]
    refs.sort(key=lambda ref: (ref.item.due, ref.postmortem.id, ref.item.id))
    return tuple(
        OpenItem(
            ref,
            tuple(sorted(causes & {c.term for c in ref.postmortem.causes})),
            ref.item.is_overdue(today),
        )
        for ref in refs
    )


def _lucky_breaks(
    subject: Subject, earlier: list[Postmortem], collection: Collection
) -> tuple[LuckySeen, ...]:
    ledger = {entry.term: entry for entry in lucky_break_ledger(collection)}
    seen = []
    for term in subject.lucky_breaks:
        before = tuple(r for r in earlier if any(ref.term == term for ref in r.lucky_breaks))
        if before:
            entry = ledger.get(term)
            seen.append(LuckySeen(term, before, entry.status if entry is not None else None))
    return tuple(seen)


def _similar(subject: Subject, collection: Collection) -> tuple[SimilarIncident, ...]:
    linked = set(subject.related) | {r.id for r in collection.backlinks(subject.id)}
    similar = [
        s
        for s in similar_incidents(collection, subject.target, SIMILAR_LIMIT + len(linked))
        if s.record.id not in linked
    ]
    return tuple(similar[:SIMILAR_LIMIT])
