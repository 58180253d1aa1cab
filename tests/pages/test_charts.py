"""Charts as inline SVG: a text alternative, ids of their own, colours that follow the page."""

from __future__ import annotations

import re
from datetime import timedelta

from postmortem_kb.analysis.durations import summarize
from postmortem_kb.pages.chart_specs import distribution, horizontal_bars, stacked_months
from postmortem_kb.pages.charts import figure


def test_a_figure_is_one_labelled_image_with_its_caption() -> None:
    html = figure(
        horizontal_bars([("<b>edge-team</b>", 3), ("sre", 1)], "Overdue"),
        'Bars of "overdue" items <per owner>',
        "Overdue by owner & more",
    )
    assert html.startswith('<figure class="pmkb-chart"><svg')
    assert 'role="img" aria-label="Bars of &quot;overdue&quot; items &lt;per owner&gt;"' in html
    assert "<figcaption>Overdue by owner &amp; more</figcaption></figure>" in html
    # A label from front matter is SVG text, escaped, never markup.
    assert "<b>" not in html and "&lt;b&gt;edge-team&lt;/b&gt;" in html
    assert 'fill="currentColor"' in html and "<script" not in html


def test_two_charts_on_a_page_never_share_an_id() -> None:
    small = summarize("time_to_detect", [timedelta(minutes=m) for m in (1, 5, 60)])
    many = summarize("time_to_detect", [timedelta(minutes=m) for m in range(1, 30)])
    first = figure(distribution([("SEV1", small), ("SEV2", many)], "Time to detect"), "a", "b")
    second = figure(
        stacked_months([("2025-01", {"SEV1": 1, "SEV2": 2})], ("SEV1", "SEV2")), "c", "d"
    )
    ids = re.findall(r'\bid="([^"]+)"', first + second)
    assert len(ids) == len(set(ids))
    for ref in re.findall(r"url\(#([^)]+)\)", first + second):
        assert ref in ids


def test_identical_specs_are_rendered_once() -> None:
    from postmortem_kb.pages.charts import render_svg

    spec = horizontal_bars([("a", 1)], "Count")
    before = render_svg.cache_info().hits
    assert figure(spec, "x", "y") == figure(spec, "x", "y")
    assert render_svg.cache_info().hits == before + 1


def test_charts_rendered_from_a_compiled_shape_are_those_vega_lite_draws() -> None:
    import json

    import vl_convert

    from postmortem_kb.pages.chart_specs import quarter_bars
    from postmortem_kb.pages.charts import _CONFIG, render_svg

    for counts in ([("2024-Q1", 1), ("2024-Q2", 3)], [("2024-Q1", 4), ("2024-Q2", 0)]):
        spec = {**quarter_bars(counts), "config": _CONFIG}
        direct = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
        ours = render_svg.__wrapped__(json.dumps(spec, sort_keys=True))
        assert re.sub(r'(id="|url\(#)c[0-9a-f]{8}-', r"\1", ours) == direct
