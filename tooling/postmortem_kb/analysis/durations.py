"""Time to detect, mitigate and resolve: medians and percentiles with n, never a mean.

Incident durations are heavily skewed (most incidents are short, a few last
days), so a mean says little; every figure here is a median and a 90th
percentile with the number of incidents behind it, and the incidents that did
not give the time are counted as missing, never guessed. A duration exists only
between two full times: one whose start or end is known only to the day or
month is missing too, and counted as ``imprecise``. Each incident counts once,
however many write-ups it has; one whose severity nobody assessed is in no
severity's figures. A group with fewer than MIN_GROUP incidents is marked "too
few to compare" and gets no trend.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from postmortem_kb.collection.index import Collection
from postmortem_kb.model.records import Postmortem

MEASURES = ("time_to_detect", "time_to_mitigate", "time_to_resolve")
# How each measure reads in a sentence or a table header.
MEASURE_LABELS = {
    "time_to_detect": "Time to detect",
    "time_to_mitigate": "Time to mitigate",
    "time_to_resolve": "Time to resolve",
}
# Each measure as a column of a text table.
MEASURE_SHORT = {
    "time_to_detect": "detect",
    "time_to_mitigate": "mitigate",
    "time_to_resolve": "resolve",
}
# Below this many incidents a group's median moves with every incident: it is shown
# "too few to compare" and gets no trend.
MIN_GROUP = 20


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    rank = fraction * (len(sorted_values) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


@dataclass(frozen=True)
class DurationSummary:
    """One duration over a group of incidents: how many gave it, how many did not, and
    its median and 90th percentile (None when no incident gave it)."""

    measure: str
    n: int  # incidents that gave the duration
    missing: int  # incidents of the group that did not
    median: timedelta | None
    p90: timedelta | None
    seconds: tuple[float, ...] = ()  # every value, sorted: what a chart draws
    imprecise: int = 0  # of the missing, those that gave a time only as a date or a month

    @property
    def total(self) -> int:
        """Incidents in the group, with and without the duration."""
        return self.n + self.missing

    @property
    def too_few(self) -> bool:
        """Whether fewer than MIN_GROUP incidents gave the duration."""
        return self.n < MIN_GROUP


def summarize(measure: str, values: Iterable[timedelta | None]) -> DurationSummary:
    """The summary of ``values`` (None for an incident without the duration)."""
    given: list[float] = []
    missing = 0
    for value in values:
        if value is None:
            missing += 1
        else:
            given.append(value.total_seconds())
    given.sort()
    if not given:
        return DurationSummary(measure, 0, missing, None, None)
    return DurationSummary(
        measure,
        len(given),
        missing,
        timedelta(seconds=percentile(given, 0.5)),
        timedelta(seconds=percentile(given, 0.9)),
        tuple(given),
    )


# The time each measure ends at.
_END = {
    "time_to_detect": "detected",
    "time_to_mitigate": "mitigated",
    "time_to_resolve": "resolved",
}


def measure_summary(records: Iterable[Postmortem], measure: str) -> DurationSummary:
    """``measure`` (one of MEASURES) over ``records``; ``imprecise`` counts those that gave
    both times but not both as full times (a date or a month has no duration)."""
    records = list(records)
    summary = summarize(measure, (getattr(record, measure) for record in records))
    imprecise = sum(
        1
        for record in records
        if getattr(record, measure) is None
        and (end := getattr(record, _END[measure])) is not None
        and not (end.is_full and record.started.is_full)
    )
    return replace(summary, imprecise=imprecise) if imprecise else summary


@dataclass(frozen=True)
class DurationStats:
    """One duration for one severity: the summary, and the severity it is for."""

    severity: str
    summary: DurationSummary

    @property
    def measure(self) -> str:
        """Which duration (one of MEASURES)."""
        return self.summary.measure

    @property
    def n(self) -> int:
        """Incidents of this severity that gave the duration."""
        return self.summary.n

    @property
    def missing(self) -> int:
        """Incidents of this severity that did not give it."""
        return self.summary.missing

    @property
    def median(self) -> timedelta | None:
        """The median, or None when no incident gave it."""
        return self.summary.median

    @property
    def p90(self) -> timedelta | None:
        """The 90th percentile, or None when no incident gave it."""
        return self.summary.p90

    @property
    def imprecise(self) -> int:
        """Of the missing, those that gave a time only as a date or a month."""
        return self.summary.imprecise


def duration_stats(collection: Collection) -> list[DurationStats]:
    """Time to detect, mitigate and resolve per severity (the schema's levels, worst first)."""
    stats = []
    incidents = collection.one_per_incident(collection.records)
    for severity in collection.shape.severities:
        records = [r for r in incidents if r.severity == severity]
        for measure in MEASURES:
            stats.append(DurationStats(severity, measure_summary(records, measure)))
    return stats


def format_duration(value: timedelta | None) -> str:
    """``1h 05m``, ``3d 4h``, ``12m``; ``-`` when unknown."""
    if value is None:
        return "-"
    minutes = round(value.total_seconds() / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {mins:02d}m"
    return f"{mins}m"


def seconds_or_none(value: timedelta | None) -> float | None:
    """A duration in seconds for JSON and CSV; None stays None."""
    return None if value is None else value.total_seconds()
