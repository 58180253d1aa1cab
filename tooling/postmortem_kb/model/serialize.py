"""One record as plain data: what every JSON output says about a postmortem.

Every field of the front matter is kept as written, except that taxonomy names
are canonical (an alias becomes its term) and each kind of term has one shape
(model.kinds): ``[{"term", "detail"}]``, one ``{"term", "detail"}``, one id, or a
list of ids. The id, the path, the UTC date (``YYYY-MM`` when only the month is
known) and the durations in seconds (None unless both times are full) are added;
the export adds each time's UTC value and precision. A field the schema gains later appears here
without a change.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postmortem_kb.model.kinds import KINDS, Shape

if TYPE_CHECKING:
    # Types only: a warm `postmortem search` reads BRIEF_FIELDS without building records.
    from postmortem_kb.model.records import ActionItem, Postmortem

# The durations every record reports, from its start time (None when a time is missing).
DURATIONS = ("time_to_detect", "time_to_mitigate", "time_to_resolve")
# What a list of results says about each postmortem it names.
BRIEF_FIELDS = ("id", "path", "date", "severity", "status", "title")


def record_dict(record: Postmortem, root: Path) -> dict[str, Any]:
    """``record`` as JSON-ready data; ``path`` is relative to the repository ``root``."""
    data: dict[str, Any] = {
        "id": record.id,
        "path": source_path(record, root),
        "date": record.date_label,
    }
    for key, value in record.front_matter.items():
        data[key] = value
    for spec in KINDS.values():
        refs = record.terms(spec.kind)
        if spec.shape is Shape.TERMS:
            data[spec.field] = [{"term": ref.term, "detail": ref.detail} for ref in refs]
        elif spec.shape is Shape.REF:
            data[spec.field] = {"term": refs[0].term, "detail": refs[0].detail} if refs else None
        elif spec.shape is Shape.TERM:
            data[spec.field] = refs[0].term if refs else None
        else:
            data[spec.field] = [ref.term for ref in refs]
    data["action_items"] = [_action_item(item) for item in record.action_items]
    data["durations"] = {name: seconds(getattr(record, name)) for name in DURATIONS}
    return data


# The times of a record, in the order they happen.
TIMES = ("started", "detected", "mitigated", "resolved")


def export_dict(record: Postmortem, root: Path) -> dict[str, Any]:
    """``record_dict`` plus, for each time, its UTC value and how precisely it was
    written: what `postmortem export` and the site's API give for every postmortem
    (the shape: model.export_shape)."""
    data = record_dict(record, root)
    times: dict[str, Any] = {}
    for name in TIMES:
        time = getattr(record, name)
        # A date or a month has no instant: its UTC value stays null (never a guessed
        # midnight), and the precision says why.
        utc = None if time is None else time.utc
        times[name] = {
            "utc": None if utc is None else utc.isoformat().replace("+00:00", "Z"),
            "precision": None if time is None else time.written_precision,
        }
    data["times"] = times
    return data


def brief_dict(record: Postmortem, root: Path) -> dict[str, Any]:
    """The fields of BRIEF_FIELDS, as ``record_dict`` gives them: enough to name a
    postmortem in a list of results (built alone: lists name thousands)."""
    data: dict[str, Any] = {
        "id": record.id,
        "path": source_path(record, root),
        "date": record.date_label,
    }
    for name in BRIEF_FIELDS[len(data) :]:
        data[name] = record.front_matter.get(name, getattr(record, name))
    return data


def source_path(record: Postmortem, root: Path) -> str:
    """The record's file relative to ``root``, with forward slashes."""
    # The usual case without pathlib's absolute() and relative_to(): an export names
    # thousands of records.
    path, base = str(record.path), str(root).rstrip(os.sep)
    if os.path.isabs(path) and os.path.isabs(base) and path.startswith(base + os.sep):
        return path[len(base) + 1 :].replace(os.sep, "/")
    try:
        return record.path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return f"postmortems/{record.path.name}"


def seconds(value: timedelta | None) -> int | float | None:
    """A duration in seconds: a whole number when it is one."""
    if value is None:
        return None
    total = value.total_seconds()
    return int(total) if total.is_integer() else total


def _action_item(item: ActionItem) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "title": item.title,
        "owner": item.owner,
        "type": item.type,
        "priority": item.priority,
        "due": item.due.isoformat(),
        "status": item.status,
        "addresses": list(item.addresses),
    }
    if item.reason:
        data["reason"] = item.reason
    if item.link:
        data["link"] = item.link
    return data
