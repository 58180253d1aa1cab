"""What a record says about an incident beyond its terms: impact as data, the roles
people held, and the original write-up it came from.

Each is optional, and so is each of its parts: a value the author did not give is
None (or empty), never a default, so that figures can count what they leave out.
Built from front matter that passed validation (``from_front_matter``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _names(value: Any) -> tuple[str, ...]:
    """A name or a list of names as a tuple (a role may be held by one or several)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


@dataclass(frozen=True)
class Impact:
    """How much harm the incident did, as numbers and flags (``impact`` in front matter).

    ``customers_affected`` is written either as a count (1200) or a percentage
    ("12%"): one of ``customers_affected`` and ``customers_affected_percent`` is set.
    """

    customer_facing: bool | None = None
    customers_affected: int | None = None
    customers_affected_percent: float | None = None
    regions: tuple[str, ...] = ()
    failed_requests_percent: float | None = None
    slo_budget_spent_percent: float | None = None
    support_tickets: int | None = None
    data_loss: bool | None = None
    summary: str = ""

    @classmethod
    def from_front_matter(cls, value: Any) -> Impact | None:
        """The impact of a validated ``impact`` mapping; None when there is none."""
        if not isinstance(value, Mapping):
            return None
        affected = value.get("customers_affected")
        percent = None
        if isinstance(affected, str) and affected.endswith("%"):
            percent = float(affected[:-1])
        return cls(
            customer_facing=_flag(value.get("customer_facing")),
            customers_affected=_count(affected),
            customers_affected_percent=percent,
            regions=_names(value.get("regions")),
            failed_requests_percent=_number(value.get("failed_requests_percent")),
            slo_budget_spent_percent=_number(value.get("slo_budget_spent_percent")),
            support_tickets=_count(value.get("support_tickets")),
            data_loss=_flag(value.get("data_loss")),
            summary=_text(value.get("summary")),
        )


# The roles of `roles`, in the order they are shown, with their labels.
ROLES = {
    "incident_commander": "Incident commander",
    "communications": "Communications",
    "scribe": "Scribe",
}


@dataclass(frozen=True)
class Roles:
    """Who held which role while the incident ran (people or teams; one or several each)."""

    incident_commander: tuple[str, ...] = ()
    communications: tuple[str, ...] = ()
    scribe: tuple[str, ...] = ()

    @classmethod
    def from_front_matter(cls, value: Any) -> Roles | None:
        """The roles of a validated ``roles`` mapping; None when there is none."""
        if not isinstance(value, Mapping):
            return None
        return cls(**{role: _names(value.get(role)) for role in ROLES})

    def held(self) -> list[tuple[str, tuple[str, ...]]]:
        """(label, names) of each role someone held, in the order of ROLES."""
        return [
            (label, getattr(self, role)) for role, label in ROLES.items() if getattr(self, role)
        ]

    def people(self) -> tuple[str, ...]:
        """Every name in any role, once each."""
        return tuple(dict.fromkeys(name for _, names in self.held() for name in names))


@dataclass(frozen=True)
class Source:
    """The original write-up a record was imported from or is about (``source``)."""

    url: str = ""  # http or https only (the schema's pattern)
    publisher: str = ""
    published: date | None = None
    archived_url: str = ""
    imported_from: str = ""  # what `postmortem import` read it from
    id: str = ""  # the write-up's own id where it came from (a UUID, a ticket number)

    @classmethod
    def from_front_matter(cls, value: Any) -> Source | None:
        """The source of a validated ``source`` mapping; None when there is none."""
        if not isinstance(value, Mapping):
            return None
        published = value.get("published")
        return cls(
            url=_text(value.get("url")),
            publisher=_text(value.get("publisher")),
            published=date.fromisoformat(published) if isinstance(published, str) else None,
            archived_url=_text(value.get("archived_url")),
            imported_from=_text(value.get("imported_from")),
            id=_text(value.get("id")),
        )
