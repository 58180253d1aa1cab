"""Time to detect, mitigate and resolve, per severity.

Incident durations are heavily skewed, so we report median and p90 with n,
never a bare mean "MTTR".
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


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    rank = fraction * (len(sorted_values) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def duration_stats(collection: Collection) -> list[DurationStats]:
    """Time to detect, mitigate and resolve per severity (the schema's levels, worst first)."""
    stats = []
    for severity in collection.shape.severities:
        records = [r for r in collection.records if r.severity == severity]
        for measure in MEASURES:
            values = sorted(
                d.total_seconds() for r in records if (d := getattr(r, measure)) is not None
            )
            if not values:
                stats.append(DurationStats(severity, measure, 0, None, None))
                continue
            stats.append(
                DurationStats(
                    severity,
                    measure,
                    len(values),
                    timedelta(seconds=percentile(values, 0.5)),
                    timedelta(seconds=percentile(values, 0.9)),
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
