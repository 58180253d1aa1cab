"""All valid records of a repository, with the indexes analysis and pages need.

It is also the one place that decides what "an incident" is: a postmortem, or
several when some say ``same_incident_as`` another (a second write-up, a public
and an internal one). Whatever counts incidents counts them here, once each.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.records import ActionItem, Postmortem, TermRef
from postmortem_kb.model.shape import RecordShape
from postmortem_kb.model.taxonomy import Taxonomy


def split_by_start(
    records: Iterable[Postmortem], since: date | None, until: date | None
) -> tuple[list[Postmortem], int]:
    """The records that certainly started within ``since`` .. ``until`` (UTC dates,
    inclusive; None: unbounded), in their order, and how many could not be placed: known
    only to a month that a bound cuts through. Every figure over a period counts those."""
    inside, unplaced = [], 0
    for record in records:
        within = record.started.within(since, until)
        if within:
            inside.append(record)
        elif within is None:
            unplaced += 1
    return inside, unplaced


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
    _incident: dict[str, str] = field(init=False)  # record id -> its incident's main record
    _members: dict[str, list[Postmortem]] = field(init=False)  # main record id -> write-ups
    _term_counts: dict[tuple[Kind, str], int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        # Newest first: the order every listing uses unless it says otherwise. A time
        # known only to the day or month sorts at the start of its day or month.
        self.records = sorted(self.records, key=lambda r: r.sort_key, reverse=True)
        self.by_id = {r.id: r for r in self.records}
        self._incident = _incidents(self.records, self.by_id)
        groups: dict[str, list[Postmortem]] = defaultdict(list)
        for record in self.records:
            groups[self._incident[record.id]].append(record)
        self._members = {main: group for main, group in groups.items() if len(group) > 1}
        self._by_term = {kind: defaultdict(list) for kind in Kind}
        self._backlinks = defaultdict(list)
        for record in self.records:
            for kind in Kind:
                for ref in record.terms(kind):
                    self._by_term[kind][ref.term].append(record)
            for other in record.related:
                self._backlinks[other].append(record)

    def __len__(self) -> int:
        """How many postmortems (write-ups); ``incident_count`` counts incidents."""
        return len(self.records)

    # --- incidents: one per group of write-ups linked by same_incident_as ---

    def incident_of(self, record: Postmortem) -> Postmortem:
        """The main record of ``record``'s incident: itself, unless it is a second write-up."""
        return self.by_id[self._incident.get(record.id, record.id)]

    def write_ups(self, record: Postmortem) -> list[Postmortem]:
        """The other postmortems of ``record``'s incident, newest first."""
        main = self._incident.get(record.id, record.id)
        return [r for r in self._members.get(main, ()) if r.id != record.id]

    def other_write_up_ids(self, record_id: str) -> set[str]:
        """The ids of the other write-ups of ``record_id``'s incident (none for an id the
        collection does not hold, such as a file that fails the check)."""
        own = self.by_id.get(record_id)
        return {r.id for r in self.write_ups(own)} if own is not None else set()

    def other_incidents(self, record_id: str) -> list[Postmortem]:
        """Every record but ``record_id`` and the other write-ups of its incident, newest
        first: what ``record_id`` can be compared with."""
        same = self.other_write_up_ids(record_id)
        return [r for r in self.records if r.id != record_id and r.id not in same]

    def count_incidents(self, records: Iterable[Postmortem]) -> int:
        """How many incidents ``records`` are: write-ups of one incident count once."""
        return len({self._incident.get(r.id, r.id) for r in records})

    @cached_property
    def incident_count(self) -> int:
        """How many incidents the collection holds (counted once: the records are fixed
        when the collection is made, and every lift and share divides by this)."""
        return self.count_incidents(self.records)

    @property
    def not_analysed_count(self) -> int:
        """How many incidents name no cause yet (in none of their write-ups): what every
        count of causes leaves out."""
        return self.incident_count - self.count_incidents(r for r in self.records if r.analysed)

    def one_per_incident(self, records: Iterable[Postmortem]) -> list[Postmortem]:
        """``records`` with one record per incident (its main record when it is among
        them, else the first), in their order: for figures per incident, such as
        counts by severity and durations."""
        chosen: dict[str, Postmortem] = {}
        for record in records:
            main = self._incident.get(record.id, record.id)
            if main not in chosen or record.id == main:
                chosen[main] = record
        return list(chosen.values())

    def subset(self, records: list[Postmortem]) -> Collection:
        """Another collection of some of these records, with the same taxonomy and shape."""
        return Collection(records, self.taxonomy, self.shape)

    def with_term(self, kind: Kind, term: str) -> list[Postmortem]:
        """Records naming ``term`` (canonical) of ``kind``, newest first."""
        return list(self._by_term[kind].get(term, ()))

    def count(self, kind: Kind, term: str) -> int:
        """How many incidents name ``term`` (canonical) of ``kind`` (in any write-up)."""
        key = (kind, term)
        if key not in self._term_counts:  # asked for again and again by pages and lift
            self._term_counts[key] = self.count_incidents(self._by_term[kind].get(term, ()))
        return self._term_counts[key]

    def terms_used(self, kind: Kind) -> list[str]:
        """Every term of ``kind`` some record names, sorted."""
        return sorted(self._by_term[kind])

    def term_counts(self, kind: Kind) -> Counter[str]:
        """How many incidents name each term of ``kind`` (in any of their write-ups)."""
        return Counter({term: self.count(kind, term) for term in self._by_term[kind]})

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


def _incidents(records: list[Postmortem], by_id: dict[str, Postmortem]) -> dict[str, str]:
    """Each record's incident, as the id of its main record.

    Records linked by ``same_incident_as`` (either way, in chains) are one incident.
    Its main record is the one the others point to (it names no other itself); if
    there are several or none (a cycle), the earliest, then the first id. A link to a
    postmortem that is not in the collection (it has errors) joins nothing.
    """
    parent = {r.id: r.id for r in records}

    def root(record_id: str) -> str:
        while parent[record_id] != record_id:
            parent[record_id] = parent[parent[record_id]]
            record_id = parent[record_id]
        return record_id

    for record in records:
        other = record.same_incident_as
        if other is not None and other in parent:
            parent[root(record.id)] = root(other)
    groups: dict[str, list[Postmortem]] = defaultdict(list)
    for record in records:
        groups[root(record.id)].append(record)
    incident: dict[str, str] = {}
    for members in groups.values():
        main = min(
            members,
            key=lambda r: (r.same_incident_as in by_id, r.sort_key, r.id),
        )
        for member in members:
            incident[member.id] = main.id
    return incident
