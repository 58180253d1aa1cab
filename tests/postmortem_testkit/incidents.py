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


# An owner's name that must reach every page, chart and feed as text.
HOSTILE_OWNER = "<img src=x onerror=alert(1)>"


def measured_incidents() -> dict[str, dict[str, Any]]:
    """28 incidents whose figures tests work out on their own: id -> front matter overrides.

    22 SEV2 (a group big enough to compare) and 6 SEV1 (too few), spread over 2024 and
    early 2025; detect, mitigate and resolve minutes vary widely; every 4th SEV2 gives no
    times at all, every 5th incident is a draft without an Impact section, and two name
    two services.
    """
    found: dict[str, dict[str, Any]] = {}
    for n in range(28):
        severity = "SEV1" if n % 5 == 1 else "SEV2"
        month, day = 1 + n % 12, 1 + n
        year = 2024 if n < 24 else 2025
        when = f"{year}-{month:02d}-{day:02d}"
        detect = 2 + (n * 7) % 45
        mitigate = detect + 5 + (n * 13) % 120
        resolve = mitigate + 20 + (n * n * 11) % 600  # within the day: incident() needs that
        minutes: tuple[int, int, int] | None = (detect, mitigate, resolve)
        if severity == "SEV2" and n % 4 == 0:
            minutes = None
        services = ["payments-api", "checkout"] if n in (3, 7) else ["payments-api"]
        items = []
        if n % 6 in (2, 5):
            items.append(
                {
                    "id": "AI-1",
                    "title": f"Follow-up number {n}",
                    "owner": HOSTILE_OWNER
                    if n == 14
                    else "edge-team"
                    if n % 4 == 2
                    else "payments-team",
                    "type": "prevent",
                    "priority": "P2",
                    "due": "2025-01-31",
                    "status": "open" if n % 6 == 2 else "done",
                }
            )
        overrides = incident(
            when,
            title=f"Measured incident number {n} of the statistics fixture",
            severity=severity,
            status="draft" if n % 5 == 0 else "published",
            causes=["config-change"] if n % 3 else ["dns", "config-change"],
            services=services,
            minutes=minutes,
            action_items=items,
        )
        found[f"{when}-measured-{n}"] = overrides
    return found


def no_impact_body() -> str:
    """A body without an Impact section (allowed in a draft)."""
    impact = "## Impact\n\nAbout 4% of card payments failed and were retried by clients.\n\n"
    return VALID_BODY.replace(impact, "")


def write_measured_incidents(project: TmpProject) -> dict[str, dict[str, Any]]:
    """Write measured_incidents() into ``project``; drafts get no Impact section."""
    incidents = measured_incidents()
    for name, overrides in incidents.items():
        draft = overrides["status"] == "draft"
        project.write(name, overrides, body=no_impact_body() if draft else VALID_BODY)
    return incidents
