"""Time to detect, mitigate and resolve, per severity.

Incident durations are heavily skewed, so we report median and p90 with n,
never a bare mean "MTTR". A duration exists only between two full times: an
incident whose start or end is known only to the day or month (or not given)
is left out of that figure and counted, as is one whose severity nobody
assessed. Each incident counts once, however many write-ups it has.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from postmortem_kb.collection.index import Collection

MEASURES = ("time_to_detect", "time_to_mitigate", "time_to_resolve")


@dataclass(frozen=True)
class DurationStats:
    """Median and 90th percentile of one duration for one severity, with how many incidents gave it."""

    severity: str
    measure: str
    n: int
    median: timedelta | None
    p90: timedelta | None
    left_out: int = 0  # incidents of this severity without this duration
    imprecise: int = 0  # of those, how many gave the time only as a date or month


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    rank = fraction * (len(sorted_values) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


# The time each measure ends at.
_END = {
    "time_to_detect": "detected",
    "time_to_mitigate": "mitigated",
    "time_to_resolve": "resolved",
}


def duration_stats(collection: Collection) -> list[DurationStats]:
    """Time to detect, mitigate and resolve per severity (the schema's levels, worst first)."""
    stats = []
    incidents = collection.one_per_incident(collection.records)
    for severity in collection.shape.severities:
        records = [r for r in incidents if r.severity == severity]
        for measure in MEASURES:
            values = sorted(
                d.total_seconds() for r in records if (d := getattr(r, measure)) is not None
            )
            left_out = len(records) - len(values)
            imprecise = sum(
                1
                for r in records
                if getattr(r, measure) is None
                and (end := getattr(r, _END[measure])) is not None
                and not (end.is_full and r.started.is_full)
            )
            if not values:
                stats.append(DurationStats(severity, measure, 0, None, None, left_out, imprecise))
                continue
            stats.append(
                DurationStats(
                    severity,
                    measure,
                    len(values),
                    timedelta(seconds=percentile(values, 0.5)),
                    timedelta(seconds=percentile(values, 0.9)),
                    left_out,
                    imprecise,
                )
            )
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
