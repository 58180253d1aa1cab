"""The search facets: what postmortems can be filtered by, on the site and in scripts.

Every kind with a facet (model.kinds.FACET_KINDS) plus customer-facing,
severity, status and year. The incident pages carry each facet's values for the
site's search index, and the search page reads this list (as data the build
writes) to draw its filters, so adding a kind or a severity level needs no change
to any script. A value the record does not give is no value (a record that does
not say whether customers saw it is under neither "yes" nor "no"); a severity
nobody assessed is the value "not assessed".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from postmortem_kb.model.kinds import FACET_KINDS, KINDS, Kind
from postmortem_kb.model.records import Postmortem
from postmortem_kb.model.shape import NOT_ASSESSED, RecordShape, severity_label


@dataclass(frozen=True)
class Facet:
    """One filter. ``match``: a postmortem has several values ("all": each ticked value
    must be among them) or exactly one ("any": ticked values are alternatives)."""

    name: str  # the site's filter name and URL parameter
    label: str
    match: Literal["all", "any"]
    kind: Kind | None = None
    # How values are listed: "count" (most frequent first), "descending" (years),
    # or the values in their order (severities worst first).
    order: Literal["count", "descending"] | tuple[str, ...] = "count"

    def values(self, record: Postmortem) -> tuple[str, ...]:
        """This facet's values for ``record``."""
        if self.kind is not None:
            return tuple(dict.fromkeys(record.names(self.kind)))
        if self.name == "customer_facing":
            shown = record.impact.customer_facing if record.impact is not None else None
            return () if shown is None else ("yes" if shown else "no",)
        if self.name == "severity":
            return (severity_label(record.severity),)
        if self.name == "status":
            return (record.status,)
        return (str(record.year),)

    def as_data(self) -> dict[str, Any]:
        """The facet as the search page's script reads it."""
        order = list(self.order) if isinstance(self.order, tuple) else self.order
        return {"name": self.name, "label": self.label, "match": self.match, "order": order}


def search_facets(shape: RecordShape) -> list[Facet]:
    """Every facet, in the order the search page shows them."""
    facets = [
        Facet(str(KINDS[kind].facet), KINDS[kind].facet_label, "all", kind=kind)
        for kind in FACET_KINDS
    ]
    severities = shape.severities + ((NOT_ASSESSED,) if shape.allows_unknown_severity else ())
    facets += [
        Facet("customer_facing", "Customer-facing", "any", order=("yes", "no")),
        Facet("severity", "Severity", "any", order=severities),
        # Published first: what most readers look for.
        Facet("status", "Status", "any", order=tuple(reversed(shape.statuses))),
        Facet("year", "Year", "any", order="descending"),
    ]
    return facets
