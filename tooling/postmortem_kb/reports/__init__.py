"""Renderers for every result, chosen by name, as check-jsonschema chooses its reporters.

Each result a command produces (a check, a patterns report, search hits, similar
incidents, a pull-request review) has renderers by format name: ``text`` for
people, ``json`` for scripts, and ``github`` or ``markdown`` where they fit. A
renderer is a function from the result to the whole output as a string; it never
prints. Renderer modules are imported only when used, so a quick command (a warm
`postmortem search`) does not import the checker to render its hits.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

# result -> format -> "module:function". The first format of each result is its default.
RENDERERS: dict[str, dict[str, str]] = {
    "check": {
        "text": "postmortem_kb.reports.check:text_report",
        "github": "postmortem_kb.reports.check:github_report",
        "json": "postmortem_kb.reports.check:json_report",
    },
    "patterns": {
        "text": "postmortem_kb.reports.patterns:text_report",
        "json": "postmortem_kb.reports.patterns:json_report",
    },
    "search": {
        "text": "postmortem_kb.reports.search:text_report",
        "json": "postmortem_kb.reports.search:json_report",
    },
    "similar": {
        "text": "postmortem_kb.reports.similar:text_report",
        "json": "postmortem_kb.reports.similar:json_report",
    },
    "stats": {
        "text": "postmortem_kb.reports.stats:text_report",
        "json": "postmortem_kb.reports.stats:json_report",
        "csv": "postmortem_kb.reports.stats:csv_report",
    },
    "export": {
        "json": "postmortem_kb.reports.export:json_report",
        "ndjson": "postmortem_kb.reports.export:ndjson_report",
        "csv": "postmortem_kb.reports.export:csv_report",
    },
    "review": {
        "markdown": "postmortem_kb.reports.review:markdown_report",
    },
}


def formats(result: str) -> tuple[str, ...]:
    """The format names ``result`` can be rendered in, the default first."""
    return tuple(RENDERERS[result])


def renderer(result: str, format_name: str) -> Callable[..., str]:
    """The function that renders a ``result`` in ``format_name``."""
    module, _, name = RENDERERS[result][format_name].partition(":")
    function = getattr(importlib.import_module(module), name)
    assert callable(function)
    return function  # type: ignore[no-any-return]
