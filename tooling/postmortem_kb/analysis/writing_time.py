"""Time to write the postmortem: from the incident's resolution to the first commit of
its file, from git history.

Unknown stays unknown: an incident without ``resolved`` (or with only its date or
month: no time to measure from), or a file whose first commit git cannot tell (no
repository, a shallow clone), is counted as missing, with the reason. A file first committed before the incident was resolved (written
while it was going on) counts as written at once, and is counted as such too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from postmortem_kb.analysis.durations import DurationSummary, summarize
from postmortem_kb.model.records import Postmortem
from postmortem_kb.vcs.history import GitHistory

MEASURE = "time_to_write"


@dataclass(frozen=True)
class WritingTime:
    """The time to write over a set of postmortems, and why some are left out."""

    summary: DurationSummary  # its ``missing`` is no_resolved + no_git_date
    no_resolved: int  # incidents without a resolution time (or with only its date or month)
    no_git_date: int  # files whose first commit is unknown
    before_resolved: int  # first committed before the incident was resolved (counted as 0)


def writing_time(records: Iterable[Postmortem], history: GitHistory) -> WritingTime:
    """From ``resolved`` to the first commit of each record's file."""
    values: list[timedelta | None] = []
    no_resolved = no_git = early = 0
    for record in records:
        resolved = record.resolved.utc if record.resolved is not None else None
        if resolved is None:
            no_resolved += 1
            values.append(None)
            continue
        first = history.for_path(record.path).first_written
        if first is None:
            no_git += 1
            values.append(None)
            continue
        elapsed = first - resolved
        if elapsed < timedelta(0):
            early += 1
            elapsed = timedelta(0)
        values.append(elapsed)
    return WritingTime(summarize(MEASURE, values), no_resolved, no_git, early)
