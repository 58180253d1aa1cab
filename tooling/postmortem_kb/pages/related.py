"""Related incidents for every page of a site, in near-linear time.

``analysis.related.related_incidents`` is the definition: named and backlinked
incidents first, then those sharing the most causes (weight 2) and services
(weight 1), newest first among equals. Called once per postmortem it walks every
incident sharing each term, which is quadratic over a site (4.5 s at 2,000
postmortems, minutes at 10,000). This index gives the same answer (a test
compares the two) by scoring all candidates at once with bitsets: one Python int
per term, bit i for the i-th incident newest first, added into a bit-sliced
counter, so the work per postmortem is a few dozen whole-collection integer
operations in C.
"""

from __future__ import annotations

from postmortem_kb.analysis.related import (
    CAUSE_WEIGHT,
    NAMED_WEIGHT,
    SERVICE_WEIGHT,
    RelatedIncident,
)
from postmortem_kb.collection.index import Collection
from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.records import Postmortem


class RelatedIndex:
    """Bitsets of the incidents naming each cause and service, built once per collection,
    so that ``related`` answers for every postmortem of a site in near-linear time."""

    def __init__(self, collection: Collection) -> None:
        self.collection = collection
        # Bit order is the tie-break order: newest first, then by id.
        self.order = sorted(collection.records, key=lambda r: (r.recency, r.id))
        self.bit = {record.id: index for index, record in enumerate(self.order)}
        self.full = (1 << len(self.order)) - 1
        self.masks: dict[Kind, dict[str, int]] = {Kind.CAUSE: {}, Kind.SERVICE: {}}
        for kind, masks in self.masks.items():
            for term in collection.terms_used(kind):
                mask = 0
                for record in collection.with_term(kind, term):
                    mask |= 1 << self.bit[record.id]
                masks[term] = mask
        # The weights must be small whole numbers for the counter; fall back otherwise.
        self.exact = CAUSE_WEIGHT == 2.0 and SERVICE_WEIGHT == 1.0

    def related(self, record: Postmortem, limit: int = 10) -> list[RelatedIncident]:
        """The incidents related to ``record``, as ``analysis.related.related_incidents``
        ranks them (it is used instead when the weights are not 2 and 1): every named or
        backlinked one, then, up to ``limit`` in all, those sharing causes and services."""
        if not self.exact:
            from postmortem_kb.analysis.related import related_incidents

            return related_incidents(self.collection, record, limit)
        explicit = self._explicit(record)
        need = max(limit - len(explicit), 0)
        shared = self._top_shared(record, {e.record.id for e in explicit}, need)
        return explicit + shared

    def _entry(self, record: Postmortem, other: Postmortem) -> RelatedIncident:
        entry = RelatedIncident(other)
        other_causes = {ref.term for ref in other.causes}
        entry.shared_causes = [ref.term for ref in record.causes if ref.term in other_causes]
        entry.shared_services = [s for s in record.services if s in other.services]
        return entry

    def _explicit(self, record: Postmortem) -> list[RelatedIncident]:
        found: dict[str, RelatedIncident] = {}
        for other_id in record.related:
            other = self.collection.by_id.get(other_id)
            if other is not None and other.id != record.id:
                found.setdefault(other.id, self._entry(record, other)).named = True
        for other in self.collection.backlinks(record.id):
            if other.id != record.id:
                found.setdefault(other.id, self._entry(record, other)).backlink = True
        assert NAMED_WEIGHT > 0
        return sorted(
            found.values(),
            key=lambda r: (-r.score, r.record.recency, r.record.id),
        )

    def _top_shared(self, record: Postmortem, skip: set[str], need: int) -> list[RelatedIncident]:
        if need == 0:
            return []
        slices: list[int] = []  # slices[i]: bit i of every candidate's score

        def add(mask: int, level: int) -> None:
            carry = mask
            while carry:
                while level >= len(slices):
                    slices.append(0)
                current = slices[level]
                slices[level] = current ^ carry
                carry &= current
                level += 1

        best = 0
        for term in dict.fromkeys(ref.term for ref in record.causes):
            add(self.masks[Kind.CAUSE].get(term, 0), 1)  # weight 2
            best += 2
        for service in dict.fromkeys(record.services):
            add(self.masks[Kind.SERVICE].get(service, 0), 0)  # weight 1
            best += 1
        allowed = self.full & ~(1 << self.bit[record.id])
        for other_id in skip:
            if other_id in self.bit:
                allowed &= ~(1 << self.bit[other_id])
        chosen: list[RelatedIncident] = []
        for score in range(best, 0, -1):
            mask = allowed
            for level, bits in enumerate(slices):
                mask &= bits if score >> level & 1 else ~bits
                if not mask:
                    break
            if score >> len(slices):
                mask = 0
            while mask and len(chosen) < need:
                lowest = mask & -mask
                mask ^= lowest
                chosen.append(self._entry(record, self.order[lowest.bit_length() - 1]))
            if len(chosen) >= need:
                break
        return chosen
