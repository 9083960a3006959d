"""Strength charts: one per group, numbers drawn as stated, coloured by who speaks, echoes drawn
as echoes, and what counts something else kept off the main panel's scale."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import pytest

from dashboard.charts import strength
from dashboard.charts.theme import CLAIMANT_TYPE_COLORS
from dashboard.ingest.loader import Dataset, load_dataset
from dashboard.view import claims
from dashboard.view.filters import FilterState
from dashboard.view.view import view_of

ISIS_K = "strength-islamic-state-khorasan-province-isis-k"
ALL_GROUPS = "strength-all-groups-in-afghanistan"
NOTHING = FilterState(date_from=dt.date(1990, 1, 1), date_to=dt.date(1990, 12, 31))


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def charts(ds: Dataset) -> dict:
    return {spec.chart_id: spec for spec in strength.build_strength_charts(ds, FilterState())}


@dataclass
class Drawn:
    """One claim's part as drawn: a marker (x, y of one point) or a segment (two points)."""

    x: tuple
    y: tuple
    yaxis: str
    symbol: str | None = None
    text: str | None = None
    dash: str | None = None
    opacity: float | None = None


def _at(value, i: int):
    """A per-point property: one value for the whole trace, or a list (Plotly takes both)."""
    return value if isinstance(value, str) else value[i]


def claim_traces(fig, estimate_id: str, role: str = "claim") -> list[Drawn]:
    """Where ``estimate_id`` is drawn in ``role`` traces: claims share traces, one point (a
    marker) or one gap-separated segment (an extent, date span or link) each."""
    found = []
    for trace in fig.data:
        meta = trace.meta or {}
        if meta.get("role") != role:
            continue
        for i, eid in enumerate(meta["estimate_ids"]):
            if eid != estimate_id:
                continue
            if role == "claim":
                symbol = _at(trace.marker.symbol, i)
                found.append(Drawn((trace.x[i],), (trace.y[i],), trace.yaxis,
                                   symbol=symbol, text=trace.text[i]))  # fmt: skip
            else:
                part = slice(3 * i, 3 * i + 2)  # a, b, gap
                assert trace.x[3 * i + 2] is None and math.isnan(trace.y[3 * i + 2])
                found.append(Drawn(tuple(trace.x[part]), tuple(trace.y[part]), trace.yaxis,
                                   dash=trace.line.dash, opacity=trace.opacity))  # fmt: skip
    return found


def panel_titles(fig) -> list[str]:
    """Each panel's title as a reader reads it: lines joined, markup dropped."""
    return [
        re.sub(r"<[^>]+>", "", a.text.replace("<br>", " "))
        for a in fig.layout.annotations
        if a.text and "<b>" in a.text and a.yanchor == "bottom"
    ]


def test_one_chart_per_group_and_all_groups_last(charts: dict) -> None:
    ids = list(charts)
    groups = (
        "isis-k", "tehrik-e-taliban-pakistan-ttp", "al-qaeda", "jamaat-ansarullah",
        "al-qaeda-in-the-indian-subcontinent-aqis", "east-turkestan-islamic-movement-etim",
    )  # fmt: skip
    for group in groups:
        assert any(group in i for i in ids), group
    assert ids[0] == ISIS_K and ids[-1] == ALL_GROUPS


def test_more_than_is_an_open_mark_pointing_up_from_the_stated_number(charts: dict) -> None:
    fig = charts[ISIS_K].figure
    (mark,) = claim_traces(fig, "isisk-fighters-serenko-2024")
    assert mark.symbol == "triangle-up" and mark.y == (25000,)
    assert "more than 25,000" in mark.text
    (shaft,) = claim_traces(fig, "isisk-fighters-serenko-2024", "claim-extent")
    assert shaft.dash == "dash" and shaft.y[0] == 25000 and shaft.y[1] > 25000


def test_up_to_points_down_from_its_bound(charts: dict) -> None:
    fig = charts[ISIS_K].figure
    (mark,) = claim_traces(fig, "isisk-fighters-forecast-un-2021-07-another-state")
    assert mark.symbol == "triangle-down" and mark.y == (10000,)
    (shaft,) = claim_traces(fig, "isisk-fighters-forecast-un-2021-07-another-state", "claim-extent")
    assert shaft.dash == "dash" and shaft.y[0] == 10000 and shaft.y[1] < 10000


def test_a_figure_is_a_point_a_range_a_bar_and_a_word_a_paler_band(charts: dict) -> None:
    fig = charts[ISIS_K].figure
    (kabulov,) = claim_traces(fig, "isisk-militants-kabulov-2022-tass")
    assert kabulov.symbol == "circle" and kabulov.y == (6000,)
    (un,) = claim_traces(fig, "isisk-members-un-2023-06", "claim-extent")
    (kahl,) = claim_traces(fig, "isisk-cadre-kahl-2021-10", "claim-extent")
    assert un.y == (4000, 6000) and kahl.y == (2000, 9999)  # "a few thousand": its band
    assert kahl.opacity < un.opacity and un.dash is None and kahl.dash is None


def test_a_year_precise_date_spans_the_year(charts: dict) -> None:
    (span,) = claim_traces(charts[ISIS_K].figure, "isisk-fighters-serenko-2024", "date-span")
    assert str(span.x[0])[:10] == "2024-01-01" and str(span.x[1])[:10] == "2024-12-31"


def test_colour_says_who_speaks(charts: dict) -> None:
    fig = charts[ISIS_K].figure
    colours = {}
    for trace in fig.data:
        meta = trace.meta or {}
        if meta.get("role") == "claim":
            for eid in meta["estimate_ids"]:
                colours[eid] = trace.marker.color
    assert colours["isisk-members-un-2023-06"] == CLAIMANT_TYPE_COLORS["un_body"]
    assert colours["isisk-militants-kabulov-2022-tass"] == CLAIMANT_TYPE_COLORS["russian_state"]
    assert colours["isisk-militants-sidorov-2023-tass"] == CLAIMANT_TYPE_COLORS["regional_bloc"]
    assert colours["isisk-cadre-kahl-2021-10"] == CLAIMANT_TYPE_COLORS["us_state"]
    legend = {t.name for t in fig.data if t.showlegend is not False and t.name}
    assert {"UN bodies", "Russian state", "Regional blocs (CSTO, CIS)", "US government"} <= legend


def test_what_counts_something_else_is_never_on_the_main_panel(charts: dict) -> None:
    fig = charts[ISIS_K].figure
    main = claim_traces(fig, "isisk-fighters-serenko-2024")[0].yaxis
    assert main == "y"
    apart = {
        "isisk-fighters-family-un-2023-07": "counts something else",  # with family members
        "isisk-fighters-forecast-un-2021-07-another-state": "counts something else",
        "isisk-region-fighters-un-2024-07": "a wider area",  # with ISPP and ISHP
        "isisk-militants-bortnikov-2023-repost": "part of the main area",  # north and centre
        "isisk-militants-tajik-border-sidorov-2023-tass": "part of the main area",
    }
    titles = panel_titles(fig)
    for estimate_id, note in apart.items():
        (mark,) = claim_traces(fig, estimate_id)
        assert mark.yaxis != main, estimate_id
        panel = int(mark.yaxis[1:] or 1)
        assert note in titles[panel - 1] and "not comparable" in titles[panel - 1], estimate_id
    assert "Afghanistan + Pakistan" in " ".join(titles)
    assert titles[0] == "Fighters, militants or members Afghanistan"


def test_the_restatement_chain_shows(charts: dict) -> None:
    """Patrushev 2021, his 2024 restatement and Shoigu's 2025: one figure, said again."""
    fig = charts[ALL_GROUPS].figure
    (first,) = claim_traces(fig, "all-groups-militants-patrushev-2021")
    assert first.symbol == "triangle-up"  # "over 23,000", a first statement: filled
    later = [
        m
        for eid in ("all-groups-militants-patrushev-2024", "all-groups-militants-shoigu-2025-tass")
        for m in claim_traces(fig, eid)
    ]
    assert len(later) == 2 and all(m.symbol.endswith("-open") for m in later)
    assert all("(again)" in m.text for m in later)
    links = [
        link
        for eid in ("all-groups-militants-patrushev-2024", "all-groups-militants-shoigu-2025-tass")
        for link in claim_traces(fig, eid, "restatement-link")
    ]
    assert len(links) == 2 and all(link.dash == "dot" for link in links)
    assert all(link.x[0] == first.x[0] and link.y[0] == first.y[0] for link in links)


def test_outlets_reporting_one_statement_share_one_mark(charts: dict) -> None:
    """Sidorov's 14 February 2023 words, reported by TASS, News Unrolled and seed 001: one mark
    that names every outlet, not three marks on top of each other."""
    fig = charts[ISIS_K].figure
    reports = {}
    for trace in fig.data:
        meta = trace.meta or {}
        if meta.get("role") == "claim":
            for eid, ids, hover in zip(meta["estimate_ids"], meta["report_ids"], trace.hovertext,
                                       strict=True):  # fmt: skip
                reports[eid] = (set(ids.split()), hover)
    ids, hover = reports["isisk-militants-sidorov-2023-tass"]
    assert ids == {
        "isisk-militants-sidorov-2023-tass",
        "isisk-militants-sidorov-2023-newsunrolled",
        "isisk-fighters-sidorov-2023",
    }
    assert "TASS" in hover and "News Unrolled" in hover and "KabulNow" in hover


def test_every_record_is_behind_exactly_one_mark(charts: dict) -> None:
    for spec in charts.values():
        drawn = [eid for t in spec.figure.data if (t.meta or {}).get("role") == "claim"
                 for ids in t.meta["report_ids"] for eid in ids.split()]  # fmt: skip
        assert sorted(drawn) == sorted(spec.rows["estimate_id"]), spec.chart_id


def test_titles_and_captions_state_the_one_comparison(ds: Dataset, charts: dict) -> None:
    view = view_of(ds, FilterState())
    top = claims.headline(claims.claims_in_view(view), claims.comparisons_in_view(view), "isis-k")
    assert top is not None
    spec = charts[ISIS_K]
    assert top["high over low"] in spec.title
    assert top["sentence"] in spec.caption and "Compared:" in spec.caption
    assert "within 12 months" in spec.caption


def test_log_scale(ds: Dataset) -> None:
    (spec, *_) = strength.build_strength_charts(ds, FilterState(), log_y=True)
    assert spec.figure.layout.yaxis.type == "log"


def test_filters_apply_and_an_empty_selection_draws_nothing(ds: Dataset) -> None:
    only = strength.build_strength_charts(ds, FilterState(claimants=("andrey-serenko",)))
    claimants = {n for spec in only for n in spec.rows["claimant_name"]}
    assert claimants <= {"Andrey Serenko"}
    un = strength.build_strength_charts(ds, FilterState(claimant_types=("un_body",)))
    assert {t for spec in un for t in spec.rows["claimant_type"]} == {"un_body"}
    assert strength.build_strength_charts(ds, NOTHING) == []
    assert strength.build_capacity_chart(ds, NOTHING) == []


def test_capacity_bounds_are_drawn_as_stated(ds: Dataset) -> None:
    """'Up to 400,000' and 'more than 1,000' give one bound each: never a full bar."""
    (spec,) = strength.build_capacity_chart(ds, FilterState())
    assert spec.chart_id == "capacity-indicators"
    titles = {a.text for a in spec.figure.layout.annotations}
    assert {"<b>Madrassas</b>", "<b>Madrassa students</b>"} <= titles
    bars = {i for t in spec.figure.data if (t.meta or {}).get("role") == "capacity"
            for i in t.meta["estimate_ids"]}  # fmt: skip
    arrows = {i for t in spec.figure.data if (t.meta or {}).get("role") == "capacity-extent"
              for i in t.meta["estimate_ids"]}  # fmt: skip
    assert {"madrassas-emomali-2024", "madrassa-students-serenko-2024"} <= arrows
    assert not bars & {"madrassas-emomali-2024", "madrassa-students-serenko-2024"}
    assert "budget-security-serenko-2024" in bars  # "about 40%": a figure, a bar from zero
    qualifiers = {q for t in spec.figure.data if (t.meta or {}).get("role") == "capacity-mark"
                  for q in t.meta["qualifiers"]}  # fmt: skip
    assert {"more_than", "up_to"} <= qualifiers


def test_claims_table_shows_who_lineage_outlet_and_evidence(ds: Dataset) -> None:
    table = claims.claims_table(claims.claims_in_view(view_of(ds, FilterState())))
    for column in ("claimant type", "first stated", "restated by", "as reported by",
                   "quote or our summary"):  # fmt: skip
        assert column in table.columns
    rows = table.set_index("record id")
    first = rows.loc["all-groups-militants-patrushev-2021"]
    assert first["claimant type"] == "Russian state"
    assert first["first stated"] == "Patrushev, 10 Nov 2021"
    assert "Semerikov, 6 Dec 2021" in first["restated by"] and "Shoigu" in first["restated by"]
    un = rows.loc["isisk-members-un-2023-06"]
    assert un["claimant type"] == "UN bodies" and "New Delhi Times" in un["as reported by"]
    serenko = rows.loc["isisk-fighters-serenko-2024"]
    assert serenko["number as stated"] == "more than 25,000"
    assert serenko["quote or our summary"] and serenko["evidence type"] == "seed quote"


def test_a_crowded_chart_drops_labels_and_quotes_but_keeps_every_claim(
    tmp_path, monkeypatch
) -> None:
    """At 30x rows the charts hold hundreds of claims: every claim is still behind a mark with
    a hover, but labels (and, past QUOTE_LIMIT, quotes in the hover) give way, and the caption
    says where they are."""
    from bench.synthetic import scale_dataset

    monkeypatch.setattr(strength, "QUOTE_LIMIT", 100)  # 30x holds a chart of 100+ claims
    scaled = load_dataset(scale_dataset(30, tmp_path))
    specs = strength.build_strength_charts(scaled, FilterState())
    assert any(s.rows["statement_id"].nunique() > strength.QUOTE_LIMIT for s in specs)
    for spec in specs:
        marks = [t for t in spec.figure.data if (t.meta or {}).get("role") == "claim"]
        drawn = [i for t in marks for ids in t.meta["report_ids"] for i in ids.split()]
        assert sorted(drawn) == sorted(spec.rows["estimate_id"])
        hovers = [h for t in marks for h in t.hovertext]
        statements = spec.rows["statement_id"].nunique()  # one mark each
        if statements > strength.LABEL_LIMIT:
            assert all(t.mode == "markers" for t in marks)
            assert "not labelled" in spec.caption
        if statements > strength.QUOTE_LIMIT:
            assert all("in the records table under the chart" in h for h in hovers)


def test_labels_avoid_each_other_where_there_is_room() -> None:
    import numpy as np

    positions = strength.place_labels(
        np.array([0.1, 0.12, 0.5]), np.array([0.5, 0.5, 0.5]), np.array([20, 20, 20]), (800, 300)
    )
    assert positions[0] != positions[1]  # two marks side by side: their labels part
    assert positions[2] == "top right"
