"""Helpers for the search tests: incidents with known terms, and running searches."""

from __future__ import annotations

import json
from typing import Any

from click.testing import Result

from postmortem_testkit import REMOVE, VALID_BODY, TmpProject


def incident(
    day: str,
    *,
    title: str = "Payments API returns 502 after load balancer config push",
    summary: str = "One or two sentences.",
    severity: str = "SEV2",
    status: str = "published",
    causes: list[Any] | None = None,
    services: list[str] | None = None,
    lucky_breaks: list[Any] | None = None,
    went_well: list[Any] | None = None,
    minutes: tuple[int, int, int] | None = (8, 29, 113),
    **extra: Any,
) -> dict[str, Any]:
    """Front matter overrides for an incident that started at 09:00 UTC on ``day``.

    ``minutes`` are detect, mitigate and resolve times after the start.
    """
    overrides: dict[str, Any] = {
        "title": title,
        "summary": summary,
        "severity": severity,
        "status": status,
        "started": f"{day}T09:00:00Z",
        "causes": causes if causes is not None else ["config-change"],
        "services": services if services is not None else ["payments-api"],
        "lucky_breaks": lucky_breaks if lucky_breaks is not None else [],
        "went_well": went_well if went_well is not None else [],
        "action_items": extra.pop("action_items", []),
    }
    for name, offset in zip(("detected", "mitigated", "resolved"), minutes or (), strict=False):
        hours, mins = divmod(9 * 60 + offset, 60)
        overrides[name] = f"{day}T{hours:02d}:{mins:02d}:00Z"
    if minutes is None:
        overrides |= dict.fromkeys(("detected", "mitigated", "resolved"), REMOVE)
    return overrides | extra


def search_ids(project: TmpProject, *args: str) -> list[str]:
    """Ids found by `postmortem search --format json ARGS` (which must succeed)."""
    result = project.cli("search", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [hit["id"] for hit in json.loads(result.stdout)]


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def body(text: str) -> str:
    """A body with every required section, and ``text`` in a Lessons learned section."""
    return f"{VALID_BODY}\n## Lessons learned\n\n{text}\n"
