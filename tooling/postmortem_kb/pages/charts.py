"""Charts as inline SVG, rendered at build time from Vega-Lite specs by vl-convert.

vl-convert (PyPI ``vl-convert-python``) runs Vega-Lite and Vega in an embedded
JavaScript engine and writes SVG, without a browser; the specs carry their data
inline, and it is forbidden to load anything, so no chart fetches a script, a font
or data from any host. Text, axes and grid lines are drawn in ``currentColor``, so
a chart takes the page's text colour in Material's light and dark palettes; the
series colours are mid-tones with at least 3:1 contrast against both backgrounds.

Every chart sits in a ``<figure>`` with a text alternative, and the page follows it
with its numbers in a table. Rendering costs tens of milliseconds a chart, so
identical specs (term pages with the same trend, say) are rendered once per build.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from functools import lru_cache
from typing import Any

from postmortem_kb.pages.html import esc

# Severity levels, worst first; a schema with more levels cycles through the rest.
SEVERITY_COLOURS = ("#D55E00", "#B8860B", "#1E88E5", "#009E73", "#8C6BB1", "#3F8F8F")
# Incidents nobody assessed: neutral grey, a colour no severity level gets.
NOT_ASSESSED_COLOUR = "#7F7F7F"
STATUS_COLOURS = {
    "safeguarded": "#009E73",
    "safeguard planned": "#B8860B",
    "unaddressed": "#D55E00",
}
SERIES_COLOURS = ("#1E88E5", "#009E73", "#D55E00", "#B8860B")
WIDTH = 640

_INK = "currentColor"
_CONFIG: dict[str, Any] = {
    "background": None,
    "font": "inherit",
    "view": {"stroke": None},
    "axis": {
        "labelColor": _INK,
        "titleColor": _INK,
        "domainColor": _INK,
        "tickColor": _INK,
        "gridColor": _INK,
        "gridOpacity": 0.15,
        "labelFontSize": 11,
        "titleFontSize": 11,
        "titleFontWeight": "normal",
    },
    "legend": {
        "labelColor": _INK,
        "titleColor": _INK,
        "labelFontSize": 11,
        "titleFontSize": 11,
        "orient": "bottom",
    },
    "header": {"labelColor": _INK, "titleColor": _INK, "labelFontSize": 11},
    "title": {"color": _INK},
    "text": {"color": _INK},
}


def severity_colours(severities: tuple[str, ...], not_assessed: bool = False) -> list[str]:
    """One colour per severity level, worst first; then grey for "not assessed" when
    ``not_assessed``."""
    colours = [SEVERITY_COLOURS[i % len(SEVERITY_COLOURS)] for i in range(len(severities))]
    return [*colours, NOT_ASSESSED_COLOUR] if not_assessed else colours


def figure(spec: dict[str, Any], alt: str, caption: str) -> str:
    """The chart of ``spec`` as a ``<figure>``: the SVG (with ``alt`` as its text
    alternative) and ``caption``, both escaped."""
    svg = render_svg(json.dumps({**spec, "config": _CONFIG}, sort_keys=True))
    return (
        '<figure class="pmkb-chart">'
        f"{_labelled(svg, alt)}"
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


@lru_cache(maxsize=4096)
def render_svg(spec_json: str) -> str:
    """The SVG of one Vega-Lite spec (as JSON), with ids made unique to it, so that
    several charts on one page never share a clip path."""
    import vl_convert  # imported on the first chart: a site without charts never loads it

    spec = json.loads(spec_json)
    data = spec.get("data")
    if isinstance(data, dict) and isinstance(data.get("values"), list) and "layer" not in spec:
        # Charts of one kind (every term page's trend) differ only in their data: the spec
        # is compiled to Vega once and each chart renders from that with its own values,
        # which halves the cost of a chart.
        shape = json.dumps({**spec, "data": {"values": []}}, sort_keys=True)
        vega = copy.deepcopy(_compiled(shape))
        source = next(d for d in vega["data"] if d.get("name") == _SOURCE)
        source["values"] = data["values"]
        svg = str(vl_convert.vega_to_svg(vega, allowed_base_urls=[]))
    else:
        svg = str(vl_convert.vegalite_to_svg(spec, allowed_base_urls=[]))
    prefix = "c" + hashlib.sha1(spec_json.encode("utf-8")).hexdigest()[:8] + "-"
    svg = _ID.sub(lambda m: f'{m.group(1)}="{prefix}{m.group(2)}"', svg)
    return _URL_REF.sub(lambda m: f"url(#{prefix}{m.group(1)})", svg)


# The dataset Vega-Lite compiles a spec's inline ``data.values`` into.
_SOURCE = "source_0"


@lru_cache(maxsize=64)
def _compiled(shape_json: str) -> dict[str, Any]:
    import vl_convert

    vega: dict[str, Any] = vl_convert.vegalite_to_vega(json.loads(shape_json))
    if not any(d.get("name") == _SOURCE and "values" in d for d in vega.get("data", [])):
        raise ValueError("Vega-Lite compiled the chart's data under another name")
    return vega


_ID = re.compile(r'\b(id)="([^"]+)"')
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")


_ARIA = re.compile(r'\s(role|aria-[a-z]+)="[^"]*"')


def _labelled(svg: str, alt: str) -> str:
    # The whole chart is one image to assistive technology: its text alternative is
    # ``alt``, and the table after it holds the numbers. Vega gives its marks and axes
    # roles of their own (graphics-object...), which would make each a separate image
    # without a text alternative inside this one: they are dropped.
    def opening(match: re.Match[str]) -> str:
        attributes = re.sub(r'\sclass="[^"]*"', "", match.group(1))
        return (
            f'<svg{attributes} role="img" aria-label="{esc(alt)}" focusable="false" '
            'style="max-width:100%;height:auto">'
        )

    return _SVG_OPEN.sub(opening, _ARIA.sub("", svg), count=1)


def minutes_axis(title: str) -> dict[str, Any]:
    """A log-scale axis of durations given in minutes, labelled 1m, 1h, 1d."""
    return {
        "title": title,
        "labelExpr": (
            "datum.value < 60 ? format(datum.value, '~r') + 'm' : "
            "datum.value < 1440 ? format(datum.value / 60, '~r') + 'h' : "
            "format(datum.value / 1440, '~r') + 'd'"
        ),
        "values": [1, 5, 15, 60, 240, 1440, 10080, 43200],
    }
