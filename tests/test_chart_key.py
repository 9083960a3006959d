"""A chart's key as page text (charts/key.py, ui.chart_key_html): the same entries as the
figure's own legend, which the page version drops and the exported files keep."""

from __future__ import annotations

import pytest

from dashboard import ui
from dashboard.charts import catalog
from dashboard.charts.key import KeyEntry, KeyGroup, is_listed, is_swatch, plain_label
from dashboard.charts.spec import ChartSpec
from dashboard.ingest.loader import load_dataset
from dashboard.view.filters import FilterState


@pytest.fixture(scope="module")
def specs() -> list[ChartSpec]:
    ds = load_dataset()
    return catalog.chart_specs(ds, FilterState())


def test_the_key_lists_what_the_exported_legend_lists(specs: list[ChartSpec]) -> None:
    for spec in specs:
        figure = spec.figure.to_dict()
        layout = figure["layout"]
        listed = [plain_label(t.get("name")) for t in figure["data"] if is_listed(t, layout)]
        keyed = [entry.label for group in spec.key for entry in group.entries]
        assert sorted(keyed) == sorted(name for name in listed if name), spec.chart_id
        if layout.get("showlegend") is not False and listed:
            assert keyed, spec.chart_id


def test_the_key_keeps_groups_colours_and_symbols(specs: list[ChartSpec]) -> None:
    timeline = next(s for s in specs if s.chart_id == "designations-timeline")
    titles = [group.title for group in timeline.key]
    assert titles == ["Step", "Date", "Evidence"]
    step = timeline.key[0].entries
    assert [e.symbol for e in step] == ["square", "diamond", "circle", "triangle-down"]
    lines = [e for g in timeline.key for e in g.entries if e.symbol is None]
    assert {e.dash for e in lines} == {"solid", "dot"}
    places = next(s for s in specs if s.chart_id == "province-map")
    shading = places.key[0]
    assert shading.title.startswith("Records naming a province")
    assert shading.entries[0].label == "No record"
    assert shading.entries[0].symbol == "square-open"  # white: drawn by its outline
    strength = next(s for s in specs if s.chart_id.startswith("strength-islamic-state"))
    colours = {e.label: e.color for g in strength.key for e in g.entries}
    assert colours["UN bodies"] == "#56B4E9" and colours["Russian state"] == "#D55E00"


def test_the_page_figure_draws_no_legend_and_keeps_every_trace_number(
    specs: list[ChartSpec],
) -> None:
    dropped = 0
    for spec in specs:
        exported = spec.figure.to_dict()["data"]
        shown = spec.screen_figure.to_dict()
        assert shown["layout"]["showlegend"] is False, spec.chart_id
        swatches = [is_swatch(before) for before in exported]
        # the swatches at the end are left out; every other trace keeps its number (clicks)
        assert all(swatches[len(shown["data"]) :]), spec.chart_id
        assert not swatches[len(shown["data"]) - 1], spec.chart_id
        dropped += len(exported) - len(shown["data"])
        for before, after, swatch in zip(exported, shown["data"], swatches, strict=False):
            assert (after.get("name"), after.get("type")) == (before.get("name"), before["type"])
            assert (after.get("visible") is False) == swatch, spec.chart_id
        assert spec.figure.to_dict()["layout"].get("showlegend") is not False or not spec.key
    assert dropped > 0  # the strength charts' swatches come last, and the map's


def test_the_key_html_escapes_labels_and_draws_a_swatch_per_entry() -> None:
    key = (
        KeyGroup(
            "<b>Step</b> & co",
            (
                KeyEntry("<script>alert(1)</script>", "#D55E00", symbol="circle"),
                KeyEntry("year or month only", "#6e7781", dash="dot"),
            ),
        ),
    )
    html = ui.chart_key_html(key)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Step&lt;/b&gt; &amp; co" in html
    assert html.count('class="chart-key-swatch"') == 2
    assert "color: #D55E00" in html and "●" in html and "┈┈" in html


def test_page_panel_titles_wrap_keeping_each_lines_markup() -> None:
    from dashboard.charts.theme import wrapped_title

    title = (
        "<b>Fighters, militants or members</b><br>"
        "<span style='font-size:11px'>Northern Afghanistan · part of the main area, not "
        "comparable &amp; more</span>"
    )
    lines = wrapped_title(title, chars=20).split("<br>")
    assert lines[:2] == ["<b>Fighters, militants</b>", "<b>or members</b>"]
    assert all(line.startswith("<span style='font-size:11px'>") for line in lines[2:])
    assert all(line.endswith("</span>") for line in lines[2:])
    assert "&amp; more" in "".join(lines)  # entities read, then escaped again
    mixed = "<b>Fighters, militants or members</b> · Afghanistan"
    assert wrapped_title(mixed, chars=20) == mixed  # markup mid-line: left as it is


def test_the_page_wraps_panel_titles_and_exports_do_not(specs: list[ChartSpec]) -> None:
    strength = next(s for s in specs if s.chart_id.startswith("strength-islamic-state"))

    def titles(figure) -> list[str]:
        notes = figure.to_dict()["layout"]["annotations"]
        return [n["text"] for n in notes if n.get("yanchor") == "bottom" and "<b>" in n["text"]]

    exported, shown = titles(strength.figure), titles(strength.screen_figure)
    assert len(exported) == len(shown) > 2
    assert sum(t.count("<br>") for t in shown) > sum(t.count("<br>") for t in exported)
