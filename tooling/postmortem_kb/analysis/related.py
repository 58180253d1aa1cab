"""Related incidents for one postmortem: named, backlinked, and sharing terms."""

from __future__ import annotations

from dataclasses import dataclass, field

from postmortem_kb.collection.index import Collection
from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.records import Postmortem

# Shared causes say more about "the same failure again" than shared services,
# which large services share with almost everything.
CAUSE_WEIGHT = 2.0
SERVICE_WEIGHT = 1.0
NAMED_WEIGHT = 10.0


@dataclass
class RelatedIncident:
    """Another incident related to one postmortem, and why."""

    record: Postmortem
    named: bool = False  # this postmortem lists it in `related`
    backlink: bool = False  # it lists this postmortem in its `related`
    shared_causes: list[str] = field(default_factory=list)
    shared_services: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        """Named or backlinked incidents first, then shared causes (weight 2) and services (1)."""
        return (
            NAMED_WEIGHT * (self.named or self.backlink)
            + CAUSE_WEIGHT * len(self.shared_causes)
            + SERVICE_WEIGHT * len(self.shared_services)
        )

    @property
    def shares(self) -> list[str]:
        """The causes and services both incidents name."""
        return self.shared_causes + self.shared_services

    @property
    def reason(self) -> str:
        """Why it is related, for people: "linked from this postmortem; shares: dns"."""
        parts = []
        if self.named:
            parts.append("linked from this postmortem")
        if self.backlink:
            parts.append("links to this postmortem")
        if self.shares:
            parts.append("shares: " + ", ".join(self.shares))
        return "; ".join(parts)


def related_incidents(
    collection: Collection, record: Postmortem, limit: int = 10
) -> list[RelatedIncident]:
    """Ranked by how much they share; named and backlinked incidents always come first."""
    found: dict[str, RelatedIncident] = {}

    def entry(other: Postmortem) -> RelatedIncident:
        return found.setdefault(other.id, RelatedIncident(other))

    for other_id in record.related:
        if other_id in collection.by_id:
            entry(collection.by_id[other_id]).named = True
    for other in collection.backlinks(record.id):
        entry(other).backlink = True
    own_causes = [ref.term for ref in record.causes]
    for cause in own_causes:
        for other in collection.with_term(Kind.CAUSE, cause):
            if other.id != record.id:
                entry(other).shared_causes.append(cause)
    for service in record.services:
        for other in collection.with_term(Kind.SERVICE, service):
            if other.id != record.id:
                entry(other).shared_services.append(service)
    ranked = sorted(found.values(), key=lambda r: (-r.score, r.record.recency, r.record.id))
    explicit = [r for r in ranked if r.named or r.backlink]
    shared = [r for r in ranked if not (r.named or r.backlink)]
    return explicit + shared[: max(limit - len(explicit), 0)]
