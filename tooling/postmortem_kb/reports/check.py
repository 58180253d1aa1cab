"""Render a CheckResult as text, JSON or GitHub Actions annotations, chosen by name."""

from __future__ import annotations

import json
from collections.abc import Callable

from postmortem_kb.model.findings import Finding
from postmortem_kb.reports.workflow_commands import annotation, neutral_json
from postmortem_kb.validation.checker import CheckResult


def _summary(result: CheckResult) -> str:
    errors, warnings = len(result.errors), len(result.warnings)
    files = f"{result.files_checked} postmortem{'s' if result.files_checked != 1 else ''}"
    if not errors and not warnings:
        return f"checked {files}: no problems"
    return f"checked {files}: {errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


def text_report(result: CheckResult) -> str:
    """One ``file:line:col: level: field: message`` line per finding, then a summary."""
    lines = [finding.render() for finding in result.findings]
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def json_report(result: CheckResult) -> str:
    """The findings and counts as JSON for scripts."""
    payload = {
        "files_checked": result.files_checked,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "level": f.level.value,
                "field": f.field,
                "message": f.message,
                "code": f.code,
            }
            for f in result.findings
        ],
    }
    return neutral_json(json.dumps(payload, indent=2)) + "\n"


def _annotation(finding: Finding) -> str:
    title = f"postmortem check: {finding.field}" if finding.field else "postmortem check"
    properties = [
        ("file", finding.path),
        ("line", str(finding.line)),
        ("col", str(finding.column)),
        ("title", title),
    ]
    return annotation(finding.level.value, properties, finding.render())


def github_report(result: CheckResult) -> str:
    """GitHub Actions annotations (``::error file=...::``), escaped, then the summary."""
    lines = [_annotation(finding) for finding in result.findings]
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


REPORTERS: dict[str, Callable[[CheckResult], str]] = {
    "text": text_report,
    "json": json_report,
    "github": github_report,
}
