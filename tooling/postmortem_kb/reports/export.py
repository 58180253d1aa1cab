"""The export as JSON (one document), NDJSON (one postmortem a line) or CSV (one row each).

JSON is what the site serves at /api/postmortems.json; its shape is
model.export_shape.export_schema (`postmortem export --schema`). CSV flattens each
postmortem: lists of terms joined with ``;``, times in UTC (or the date or month as written,
when that is all a postmortem gives), durations in seconds.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from postmortem_kb.model.kinds import KINDS, Shape
from postmortem_kb.model.records import OPEN_STATUSES
from postmortem_kb.model.serialize import DURATIONS, TIMES


def json_report(document: dict[str, Any]) -> str:
    """The whole export as one JSON document."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def ndjson_report(document: dict[str, Any]) -> str:
    """One postmortem a line, each a JSON object."""
    return "".join(
        json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        for record in document["postmortems"]
    )


CSV_COLUMNS = (
    ["id", "path", "date", "title", "status", "severity"]
    + [f"{name}_utc" for name in TIMES]
    + [f"{name}_precision" for name in TIMES]
    + [f"{name}_seconds" for name in DURATIONS]
    + [spec.field for spec in KINDS.values()]
    + ["authors", "action_items", "action_items_open", "summary"]
)


def csv_report(document: dict[str, Any]) -> str:
    """One row per postmortem; an empty cell where a value is not given."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in document["postmortems"]:
        row: list[Any] = [record[name] for name in ("id", "path", "date", "title")]
        row += [record["status"], record["severity"]]
        # A time known only to its date or month is given as written (its _precision
        # column says so): a blank would hide a date the postmortem does give.
        row += [_blank(record["times"][name]["utc"] or record.get(name)) for name in TIMES]
        row += [_blank(record["times"][name]["precision"]) for name in TIMES]
        row += [_blank(record["durations"][name]) for name in DURATIONS]
        for spec in KINDS.values():
            value = record[spec.field]
            if spec.shape is Shape.TERMS:
                row.append(";".join(item["term"] for item in value))
            elif spec.shape is Shape.REF:
                row.append("" if value is None else value["term"])
            elif spec.shape is Shape.TERM:
                row.append(_blank(value))
            else:
                row.append(";".join(value))
        items = record["action_items"]
        row += [";".join(record.get("authors") or []), len(items)]
        row += [sum(1 for item in items if item["status"] in OPEN_STATUSES)]
        row.append(record.get("summary", ""))
        writer.writerow(row)
    return out.getvalue()


def _blank(value: Any) -> Any:
    return "" if value is None else value
