"""The lucky-breaks ledger: each near miss, how often, and whether an action
item has turned the luck into a deliberate safeguard."""

from __future__ import annotations

from dataclasses import dataclass

from postmortem_kb.collection.index import ActionItemRef, Collection
from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.records import Postmortem


@dataclass(frozen=True)
class LedgerEntry:
    """One lucky break: how often it happened, when last, and the action items that safeguard it."""

    term: str
    count: int
    last_seen: Postmortem
    incidents: tuple[Postmortem, ...]
    safeguards: tuple[ActionItemRef, ...]  # action items whose `addresses` names the term

    @property
    def status(self) -> str:
        """safeguarded (a safeguard is done), in progress (planned), or unaddressed."""
        if any(ref.item.status == "done" for ref in self.safeguards):
            return "safeguarded"
        if any(ref.item.is_open for ref in self.safeguards):
            return "safeguard planned"
        return "unaddressed"


def lucky_break_ledger(collection: Collection) -> list[LedgerEntry]:
    """Every lucky break used, most frequent first, with its safeguards."""
    by_term: dict[str, list[ActionItemRef]] = {}
    for ref in collection.action_items():
        for term in ref.item.addresses:
            by_term.setdefault(term, []).append(ref)
    entries = []
    for term, count in collection.term_counts(Kind.LUCKY_BREAK).items():
        incidents = collection.with_term(Kind.LUCKY_BREAK, term)
        entries.append(
            LedgerEntry(term, count, incidents[0], tuple(incidents), tuple(by_term.get(term, ())))
        )
    return sorted(entries, key=lambda e: (-e.count, e.term))
