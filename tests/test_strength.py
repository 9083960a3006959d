"""Strength charts: numbers drawn as stated, panels by metric and scope, the ratio as a floor."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pytest

from dashboard.charts import strength
from dashboard.ingest.loader import Dataset, load_dataset
from dashboard.view import claims
from dashboard.view.filters import FilterState
from dashboard.view.view import view_of

ISIS_K = "strength-islamic-state-khorasan-province-isis-k"


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


def _at(value, i: int):
    """A per-point property: one value for the whole trace, or a list (Plotly takes both)."""
    return value if isinstance(value, str) else value[i]


def claim_traces(fig, estimate_id: str, role: str = "claim") -> list[Drawn]:
    """Where ``estimate_id`` is drawn in ``role`` traces: claims share traces, one point (a
    marker) or one gap-separated segment (an extent or date span) each."""
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
                                   dash=trace.line.dash))  # fmt: skip
    return found


def test_one_chart_per_group(charts: dict) -> None:
    assert {
        ISIS_K,
        "strength-jamaat-ansarullah",
        "strength-all-groups-in-afghanistan",
        "strength-tehrik-e-taliban-pakistan-ttp",
        "strength-al-qaeda",
        "strength-al-qaeda-in-the-indian-subcontinent-aqis",
        "strength-east-turkestan-islamic-movement-etim",
    } <= set(charts)


def test_more_than_is_an_open_mark_pointing_up_from_the_stated_number(charts: dict) -> None:
    fig = charts[ISIS_K].figure
    (mark,) = claim_traces(fig, "isisk-fighters-serenko-2024")
    assert mark.symbol == "triangle-up" and mark.y == (25000,)
    assert "more than 25,000" in mark.text
    (shaft,) = claim_traces(fig, "isisk-fighters-serenko-2024", "claim-extent")
    assert shaft.dash == "dash" and shaft.y[0] == 25000 and shaft.y[1] > 25000


def test_a_figure_is_a_point_and_hundreds_is_its_band(charts: dict) -> None:
    (sidorov,) = claim_traces(charts[ISIS_K].figure, "isisk-fighters-sidorov-2023")
    assert sidorov.symbol == "circle" and sidorov.y == (6500,)
    ja = charts["strength-jamaat-ansarullah"].figure
    (band,) = claim_traces(ja, "ja-militants-now-serenko", "claim-extent")
    assert band.y == (200, 999) and band.dash == "solid"


def test_a_year_precise_as_of_date_spans_the_year(charts: dict) -> None:
    (span,) = claim_traces(charts[ISIS_K].figure, "isisk-fighters-serenko-2024", "date-span")
    assert str(span.x[0])[:10] == "2024-01-01" and str(span.x[1])[:10] == "2024-12-31"


def test_metrics_and_scopes_are_separate_labelled_panels(charts: dict) -> None:
    fig = charts[ISIS_K].figure
    titles = [a.text for a in fig.layout.annotations if a.text and "·" in a.text]
    assert any("Fighters" in t and "group total" in t for t in titles)
    assert any("Fighters" in t and "Tajikistan" in t for t in titles)
    assert any("Militants" in t and "Northern border region" in t for t in titles)
    assert any("Fighters and family members" in t for t in titles)
    axes = {
        claim_traces(fig, eid)[0].yaxis
        for eid in (
            "isisk-fighters-serenko-2024",
            "isisk-fighters-tajik-border-sidorov-2023",
            "isisk-militants-bortnikov-2023",
        )
    }
    assert len(axes) == 3  # never on one comparable axis


def test_the_ratio_is_a_floor_and_names_both_claimants(ds: Dataset) -> None:
    gaps = claims.comparisons_in_view(view_of(ds, FilterState()))
    isis = gaps[
        (gaps["metric"] == "fighters")
        & gaps["group"].str.contains("ISIS-K")
        & (gaps["scope"] == "Afghanistan (group total)")
    ]
    (row,) = isis.to_dict("records")
    assert row["ratio"] == pytest.approx(25000 / 1500)  # more than 25,000 over 500-1,500
    assert row["high over low"] == "at least 16.6×"
    assert "Oriental Express" in row["highest"] and "Monitoring Team" in row["lowest"]
    assert row["claims agree"] == "no"


def test_one_claimant_over_time_is_not_called_a_disagreement(ds: Dataset) -> None:
    gaps = claims.comparisons_in_view(view_of(ds, FilterState()))
    (ja,) = gaps[gaps["group"] == "Jamaat Ansarullah"].to_dict("records")
    assert ja["claims agree"] == "one claimant at different dates"
    assert ja["high over low"] == "at least 2.0×"


def test_log_scale(ds: Dataset) -> None:
    (spec, *_) = strength.build_strength_charts(ds, FilterState(), log_y=True)
    assert spec.figure.layout.yaxis.type == "log"


def test_filters_apply(ds: Dataset) -> None:
    only = strength.build_strength_charts(ds, FilterState(claimants=("andrey-serenko",)))
    claimants = {n for spec in only for n in spec.rows["claimant_name"]}
    assert claimants <= {"Andrey Serenko"}
    assert strength.build_strength_charts(ds, FilterState(date_to=dt.date(2001, 1, 1))) == []


def test_capacity_indicators_have_their_own_panels(ds: Dataset) -> None:
    spec = strength.build_capacity_chart(ds, FilterState())
    assert spec.chart_id == "capacity-indicators"
    titles = {a.text for a in spec.figure.layout.annotations}
    assert {"<b>Madrassas</b>", "<b>Madrassa students</b>"} <= titles
    qualifiers = {q for t in spec.figure.data if (t.meta or {}).get("role") == "capacity-mark"
                  for q in t.meta["qualifiers"]}  # fmt: skip
    assert {"more_than", "up_to"} <= qualifiers


def test_claims_table_keeps_the_number_as_stated_and_the_quote(ds: Dataset) -> None:
    table = claims.claims_table(claims.claims_in_view(view_of(ds, FilterState())))
    serenko = table[table["record id"] == "isisk-fighters-serenko-2024"].iloc[0]
    assert serenko["number as stated"] == "more than 25,000"
    assert serenko["quote or our summary"] and serenko["evidence type"] == "seed quote"


def test_every_claim_is_drawn_once_as_a_mark(charts: dict, ds: Dataset) -> None:
    """Claims share traces; none is lost or drawn twice in the batching."""
    for spec in charts.values():
        drawn = [eid for t in spec.figure.data if (t.meta or {}).get("role") == "claim"
                 for eid in t.meta["estimate_ids"]]  # fmt: skip
        assert sorted(drawn) == sorted(spec.rows["estimate_id"]), spec.chart_id


def test_a_crowded_chart_drops_labels_and_quotes_but_keeps_every_claim(
    tmp_path, monkeypatch
) -> None:
    """At 30x rows the charts hold hundreds of claims: every claim is still a mark with a
    hover, but labels (and, past QUOTE_LIMIT, quotes in the hover) give way, and the caption
    says where they are."""
    from bench.synthetic import scale_dataset
    from dashboard.charts.strength import LABEL_LIMIT, build_strength_charts
    from dashboard.ingest.loader import load_dataset

    monkeypatch.setattr(strength, "QUOTE_LIMIT", 100)  # 30x holds a chart of 100+ claims
    ds = load_dataset(scale_dataset(30, tmp_path))
    specs = build_strength_charts(ds, FilterState())
    assert any(len(s.rows) > strength.QUOTE_LIMIT for s in specs)
    for spec in specs:
        marks = [t for t in spec.figure.data if (t.meta or {}).get("role") == "claim"]
        drawn = [i for t in marks for i in t.meta["estimate_ids"]]
        assert sorted(drawn) == sorted(spec.rows["estimate_id"])
        hovers = [h for t in marks for h in t.hovertext]
        if len(spec.rows) > LABEL_LIMIT:
            assert all(t.mode == "markers" for t in marks)
            assert "not labelled" in spec.caption
        if len(spec.rows) > strength.QUOTE_LIMIT:
            assert all("in the records table under the chart" in h for h in hovers)
