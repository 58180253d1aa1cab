"""All valid records of a repository, with the indexes analysis and pages need."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.records import ActionItem, Postmortem, TermRef
from postmortem_kb.model.shape import RecordShape
from postmortem_kb.model.taxonomy import Taxonomy


@dataclass(frozen=True)
class ActionItemRef:
    """An action item together with the postmortem it belongs to."""

    postmortem: Postmortem
    item: ActionItem


@dataclass
class Collection:
    """The valid records, newest first, indexed by term of every kind and by backlink."""

    records: list[Postmortem]
    taxonomy: Taxonomy
    shape: RecordShape = field(default_factory=RecordShape)
    by_id: dict[str, Postmortem] = field(init=False)
    _by_term: dict[Kind, dict[str, list[Postmortem]]] = field(init=False)
    _backlinks: dict[str, list[Postmortem]] = field(init=False)

    def __post_init__(self) -> None:
        # Newest first: the order every listing uses unless it says otherwise.
        self.records = sorted(self.records, key=lambda r: (r.started_utc, r.id), reverse=True)
        self.by_id = {r.id: r for r in self.records}
        self._by_term = {kind: defaultdict(list) for kind in Kind}
        self._backlinks = defaultdict(list)
        for record in self.records:
            for kind in Kind:
                for ref in record.terms(kind):
                    self._by_term[kind][ref.term].append(record)
            for other in record.related:
                self._backlinks[other].append(record)

    def __len__(self) -> int:
        return len(self.records)

    def subset(self, records: list[Postmortem]) -> Collection:
        """Another collection of some of these records, with the same taxonomy and shape."""
        return Collection(records, self.taxonomy, self.shape)

    def with_term(self, kind: Kind, term: str) -> list[Postmortem]:
        """Records naming ``term`` (canonical) of ``kind``, newest first."""
        return list(self._by_term[kind].get(term, ()))

    def count(self, kind: Kind, term: str) -> int:
        """How many records name ``term`` (canonical) of ``kind``."""
        return len(self._by_term[kind].get(term, ()))

    def terms_used(self, kind: Kind) -> list[str]:
        """Every term of ``kind`` some record names, sorted."""
        return sorted(self._by_term[kind])

    def term_counts(self, kind: Kind) -> Counter[str]:
        """How many records name each term of ``kind``."""
        return Counter({term: len(records) for term, records in self._by_term[kind].items()})

    def with_tag(self, tag: str) -> list[Postmortem]:
        """Records with the free-form ``tag``, newest first."""
        return self.with_term(Kind.TAG, tag)

    def tags_used(self) -> list[str]:
        """Every tag some record has, sorted."""
        return self.terms_used(Kind.TAG)

    def backlinks(self, postmortem_id: str) -> list[Postmortem]:
        """Postmortems that name ``postmortem_id`` in their ``related``."""
        return list(self._backlinks.get(postmortem_id, ()))

    def action_items(self) -> list[ActionItemRef]:
        """Every action item, sorted by due date (earliest first)."""
        refs = [ActionItemRef(r, item) for r in self.records for item in r.action_items]
        return sorted(refs, key=lambda ref: (ref.item.due, ref.postmortem.id, ref.item.id))

    def overdue_action_items(self, today: date) -> list[ActionItemRef]:
        """Action items still open after their due date, earliest due first."""
        return [ref for ref in self.action_items() if ref.item.is_overdue(today)]

    def open_action_items(self) -> list[ActionItemRef]:
        """Action items that are open or in progress, earliest due first."""
        return [ref for ref in self.action_items() if ref.item.is_open]

    def detail_for(self, record: Postmortem, kind: Kind, term: str) -> TermRef | None:
        """How ``record`` named ``term``, with its detail; None when it does not."""
        return next((ref for ref in record.terms(kind) if ref.term == term), None)
