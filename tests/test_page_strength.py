"""The strength page in AppTest: charts, the disagreement headline, the log toggle, a URL filter."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.page_tables import short_tables

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_strength(query: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.switch_page("pages/strength.py")
    return app.run()


def figures(app: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in app.get("plotly_chart")]


def shown_text(app: AppTest) -> list[str]:
    """Markdown as the reader sees it (the page escapes data text), and the text of the lists
    set as HTML."""
    lists = [b.proto.body for b in app.get("html") if 'class="plain-list"' in b.proto.body]
    items = [html.unescape(item) for body in lists for item in re.findall(r"<li>(.*?)</li>", body)]
    return [md.value.replace("\\", "") for md in app.markdown] + items


def panel_count(figure: dict) -> int:
    return sum(1 for key in figure["layout"] if key.startswith("xaxis"))


def test_strength_page_shows_every_group_and_the_comparison() -> None:
    app = open_strength()
    assert not app.exception
    # the group picked (ISIS-K first): its comparable claims alone, the rest on demand
    (chart,) = figures(app)
    assert panel_count(chart) == 1
    picker = app.get("button_group")[0]
    assert len(picker.proto.options) == 7  # ISIS-K, TTP, al-Qaeda, JA, ETIM, AQIS, all groups
    text = shown_text(app)
    assert any(t.startswith("**Oriental Express' more than 25,000 (2024) is at least 7.1×")
               for t in text)  # fmt: skip
    assert any("repeated unchanged since 10 Nov 2021" in t for t in text)  # figures said again
    assert not app.dataframe  # every claim is listed when opened
    (comparisons,) = short_tables(app)  # a few rows, set as text
    assert list(comparisons.columns) == [
        "group",
        "counts",
        "area",
        "what the rule finds",
        "claims agree",
        "figures",
    ]
    assert len(comparisons) == 7


STATES = {
    "default": {},
    "known as of 2024-06-30": {"known_as_of": "2024-06-30"},
    "seed documents only": {"evidence": "seed"},
}


@pytest.mark.parametrize("name", list(STATES))
def test_the_overview_and_the_strength_page_agree(name: str) -> None:
    """The ISIS-K card on the Overview states what the Strength page states above its ISIS-K
    chart, word for word, under each filter."""
    query = STATES[name]
    page = open_strength(query)
    overview = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        overview.query_params[key] = value
    overview.switch_page("pages/overview.py").run()
    assert not page.exception and not overview.exception
    card = {m.label: m.value for m in overview.metric}["ISIS-K strength: how far the claims differ"]
    statements = [t for t in shown_text(overview) if "compared" in t.lower() or "figure" in t]
    headline = next(t for t in shown_text(page) if t.startswith("**"))  # the ISIS-K chart's
    said = headline.strip("*").rstrip(".")
    assert any(s.startswith(said) for s in statements), (said, statements)
    if card not in ("–", "can agree", "one claimant"):
        assert card in said


def test_side_panels_capacity_and_claims_are_built_when_opened() -> None:
    """The side panels (what counts something else or another area), the capacity chart and
    the claims table are built only when the reader opens their expanders; the comparable and
    the side panels together hold every claim of the exported chart."""
    from dashboard.charts import strength
    from dashboard.ingest.loader import load_dataset
    from dashboard.view.filters import FilterState

    app = open_strength()
    sides, capacity, every_claim = app.main.expander
    assert sides.label == "What counts something else or covers another area (8 panels)"
    assert every_claim.label == "Every claim in view (78)"
    assert not sides.children and not capacity.children and not every_claim.children
    for key in ("strength_other_panels", "strength_capacity", "strength_claims"):
        app.session_state[key] = True  # as the reader's click sets it
    app.run()
    assert not app.exception
    assert len(app.expander[2].dataframe[0].value) == 78
    comparable, others, indicators = figures(app)
    assert (panel_count(comparable), panel_count(others)) == (1, 8)
    assert "Madrassas" in json.dumps(indicators)
    (exported,) = strength.build_strength_chart(load_dataset(), FilterState(), subject_id="isis-k")

    def marks(*figs: dict) -> list[str]:
        xs = (x for fig in figs for t in fig["data"] for x in list(t.get("x", [])))
        return sorted(str(x) for x in xs if x is not None)  # legend swatches draw no mark

    assert marks(comparable, others) == marks(exported.figure.to_dict())


def test_log_toggle_switches_the_axis() -> None:
    app = open_strength()
    assert figures(app)[0]["layout"]["yaxis"].get("type") != "log"
    app.toggle(key="url_toggle_log").set_value(True).run()
    assert not app.exception
    assert figures(app)[0]["layout"]["yaxis"]["type"] == "log"


def test_a_claimant_filter_from_the_url_applies() -> None:
    app = open_strength({"claimant": "anatoly-sidorov"})
    assert not app.exception
    text = json.dumps(figures(app))
    assert "Sidorov" in text and "Serenko: more than" not in text


def test_picking_a_group_draws_its_chart_and_states_its_comparison() -> None:
    app = open_strength()
    app.get("button_group")[0].set_value("afghanistan").run()
    assert not app.exception
    assert len(figures(app)) == 1  # the group's comparable claims
    # a chart's title is page text on the page (ui.show_chart), so it wraps on a phone
    assert any("All groups in Afghanistan" in t for t in shown_text(app) if t.startswith("**"))
    assert any("Shoigu's more than 23,000" in t for t in shown_text(app))
    app.get("button_group")[0].set_value("etim").run()  # one side panel
    assert app.expander[0].label == "What counts something else or covers another area (1 panel)"


def test_an_empty_selection_says_so_without_charts() -> None:
    app = open_strength({"from": "1990-01-01", "to": "1990-12-31"})
    assert not app.exception
    assert figures(app) == []
    assert [b.key for b in app.get("download_button")] == ["briefing_pack"]  # the sidebar's
    assert any("No strength claim" in i.value for i in app.info)
