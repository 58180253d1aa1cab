"""The figures of `postmortem stats` and of the site's Insights page, per group.

For the incidents in a date range, overall and grouped by severity, service, cause
or quarter: how many, time to detect, mitigate and resolve (median, p90, n and
missing), data completeness, and action items as of a date. A group of fewer than
MIN_GROUP incidents is marked too few to compare and gets no trend. An incident
with two services counts in both service groups, so groups can add up to more than
the total.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from postmortem_kb.analysis.completeness import Completeness, completeness
from postmortem_kb.analysis.durations import MEASURES, MIN_GROUP, DurationSummary, measure_summary
from postmortem_kb.analysis.recurrence import quarter_of
from postmortem_kb.analysis.timeline import quarters_between
from postmortem_kb.collection.index import Collection, split_by_start
from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.records import Postmortem

# What `--by` groups by: name -> the group keys of one record.
GROUPINGS: dict[str, Callable[[Postmortem], Sequence[str]]] = {
    "severity": lambda record: (record.severity,),
    "service": lambda record: tuple(dict.fromkeys(record.services)),
    "cause": lambda record: tuple(dict.fromkeys(record.names(Kind.CAUSE))),
    "quarter": lambda record: (quarter_of(record.month_start),),
}


@dataclass(frozen=True)
class ActionItemCounts:
    """The action items of a group's incidents by state, as of the report's date."""

    total: int
    open: int  # open or in progress
    overdue: int  # open after the due date
    done: int
    wont_do: int


@dataclass(frozen=True)
class StatsGroup:
    """The figures of one group of incidents (or of all of them)."""

    key: str  # the severity, service, cause or quarter; "all" for the whole range
    incidents: int
    by_severity: dict[str, int]
    durations: dict[str, DurationSummary]  # measure -> summary, for every measure
    completeness: Completeness
    action_items: ActionItemCounts
    trend: dict[str, int] | None  # incidents per quarter; None when too few (or by quarter)
    not_assessed: int = 0  # incidents with severity unknown: in no severity's count

    @property
    def too_few(self) -> bool:
        """Fewer than MIN_GROUP incidents: medians here move with every incident."""
        return self.incidents < MIN_GROUP


@dataclass(frozen=True)
class StatsReport:
    """Every figure of `postmortem stats` for one date range and grouping."""

    as_of: date  # "overdue" is counted as of this date
    since: date | None
    until: date | None
    by: str | None  # a key of GROUPINGS, or None for the overall figures only
    first: str | None  # the earliest start in the range, as lists show it (2017-02-28, 2017-02)
    last: str | None
    severities: tuple[str, ...]  # the schema's levels, worst first
    overall: StatsGroup
    groups: list[StatsGroup]
    unplaced: int = 0  # left out: known only to a month that since or until cuts through


def stats_report(
    collection: Collection,
    today: date,
    *,
    since: date | None = None,
    until: date | None = None,
    by: str | None = None,
) -> StatsReport:
    """The figures for the incidents from ``since`` to ``until``, grouped ``by``."""
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(GROUPINGS)}")
    # One record per incident: a second write-up is not a second incident.
    in_period, unplaced = split_by_start(collection.records, since, until)
    records = collection.one_per_incident(in_period)
    first = records[-1] if records else None  # newest first
    last = records[0] if records else None
    quarters = quarters_between(first.month_start, last.month_start) if first and last else ()
    severities = collection.shape.severities
    with_trend = by != "quarter"

    def group(key: str, members: list[Postmortem]) -> StatsGroup:
        return stats_group(key, members, severities, today, quarters if with_trend else ())

    groups: list[StatsGroup] = []
    if by is not None:
        members: dict[str, list[Postmortem]] = {}
        for record in records:
            for key in GROUPINGS[by](record):
                members.setdefault(key, []).append(record)
        groups = [group(key, found) for key, found in members.items()]
        groups.sort(key=_group_order(by, severities))
    return StatsReport(
        as_of=today,
        since=since,
        until=until,
        by=by,
        first=first.date_label if first else None,
        last=last.date_label if last else None,
        severities=severities,
        overall=group("all", records),
        groups=groups,
        unplaced=unplaced,
    )


def stats_group(
    key: str,
    records: list[Postmortem],
    severities: tuple[str, ...],
    today: date,
    quarters: tuple[str, ...] = (),
) -> StatsGroup:
    """The figures of one group of ``records``; ``quarters`` spans its trend (none when empty)."""
    counts = Counter(r.severity for r in records)
    by_severity = {sev: counts.get(sev, 0) for sev in severities}
    trend: dict[str, int] | None = None
    if quarters and len(records) >= MIN_GROUP:
        per_quarter = Counter(quarter_of(r.month_start) for r in records)
        trend = {quarter: per_quarter.get(quarter, 0) for quarter in quarters}
    return StatsGroup(
        key=key,
        incidents=len(records),
        by_severity=by_severity,
        durations={measure: measure_summary(records, measure) for measure in MEASURES},
        completeness=completeness(records),
        action_items=action_item_counts(records, today),
        trend=trend,
        not_assessed=sum(1 for r in records if not r.severity_assessed),
    )


def action_item_counts(records: Sequence[Postmortem], today: date) -> ActionItemCounts:
    """The action items of ``records`` by state as of ``today``."""
    items = [item for record in records for item in record.action_items]
    return ActionItemCounts(
        total=len(items),
        open=sum(1 for item in items if item.is_open),
        overdue=sum(1 for item in items if item.is_overdue(today)),
        done=sum(1 for item in items if item.status == "done"),
        wont_do=sum(1 for item in items if item.status == "wont-do"),
    )


def _group_order(
    by: str, severities: tuple[str, ...]
) -> Callable[[StatsGroup], tuple[int, int, str]]:
    # Severities in the schema's order, quarters in time order, terms most incidents first.
    if by == "severity":
        rank = {sev: i for i, sev in enumerate(severities)}
        return lambda g: (rank.get(g.key, len(rank)), 0, g.key)
    if by == "quarter":
        return lambda g: (0, 0, g.key)
    return lambda g: (0, -g.incidents, g.key)
