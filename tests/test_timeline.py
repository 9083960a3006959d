"""Timeline: grouping of corroborating reports, spans for imprecise dates, the status table.

Small hand-built frames test the rules one at a time; the shipped dataset tests the answers a
briefing relies on (who delisted the Taliban, when, and what was known at a past date).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import pandas as pd
import pytest

from dashboard.charts.swimlanes import split_panels
from dashboard.charts.timeline import (
    build_designation_timeline,
    build_event_timeline,
    designation_timeline_figure,
    event_timeline_figure,
)
from dashboard.ingest.dates import parse_series
from dashboard.ingest.loader import Dataset, load_dataset
from dashboard.view.filters import FilterState
from dashboard.view.steps import (
    designation_marks,
    headline,
    latest_steps,
    lede,
    selected_records,
    status_by_jurisdiction,
    undated_designations,
    undated_events,
)
from dashboard.view.view import designations_in_view, view_of


@cache
def shipped() -> Dataset:
    return load_dataset()


# ---- hand-built frames ------------------------------------------------------------------------
Row = tuple[str, str, str, str, str]  # jurisdiction, action, date, basis, source


def designations(rows: list[Row], *, seed: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Rows with the loader's resolved columns; sources in ``seed`` are seed documents."""
    frame = pd.DataFrame(
        rows, columns=["jurisdiction_id", "action", "date", "date_basis", "source_id"]
    )
    frame.insert(0, "designation_id", [f"d{n}" for n in range(len(frame))])
    frame["target_id"] = "taliban"
    frame["target_name"] = "Taliban"
    frame["jurisdiction_name"] = frame["jurisdiction_id"].str.capitalize()
    frame["authority"] = ""
    frame["source_label"] = frame["source_id"].str.upper()
    frame["source_kind"] = ["seed" if s in seed else "external" for s in frame["source_id"]]
    frame["quote"] = [f"quote of {s}" if s in seed else "" for s in frame["source_id"]]
    frame["evidence"] = ["" if s in seed else f"summary of {s}" for s in frame["source_id"]]
    frame["notes"] = ""
    frame["source_published_end"] = pd.Timestamp("2025-01-01")
    parsed = parse_series(frame["date"])
    frame["date_start"] = parsed["start"]
    frame["date_end"] = parsed["end"]
    frame["date_precision"] = parsed["precision"]
    return frame


def traces(fig, role: str) -> list:
    return [t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("role") == role]


def lane_names(fig) -> list[str]:
    """The lane names, top to bottom, as drawn above the lanes (escaped text, bold removed)."""
    notes = [note for note in fig.layout.annotations if note.name == "lane"]
    return [note.text.replace("<b>", "").replace("</b>", "") for note in notes]


def mark_points(fig) -> list[dict]:
    """Every drawn mark: x, text label, symbol, record ids, precision, sources, seed."""
    points = []
    for trace in traces(fig, "mark"):
        for n, x in enumerate(trace.x):
            points.append(
                {
                    "x": pd.Timestamp(x),
                    "text": trace.text[n].strip(),  # without the pad beside a seed ring
                    "symbol": trace.marker.symbol[n],
                    "records": list(trace.customdata[n]),
                    "precision": trace.meta["precision"][n],
                    "sources": trace.meta["sources"][n],
                    "seed": trace.meta["seed"][n],
                    "hover": trace.hovertext[n],
                    "group": trace.meta["group"],
                }
            )
    return points


# ---- grouping ---------------------------------------------------------------------------------
def test_compatible_dates_form_one_mark_at_the_most_precise_date() -> None:
    frame = designations(
        [
            ("kazakhstan", "delisted", "2023", "stated", "s1"),
            ("kazakhstan", "delisted", "2023-12-29", "external", "s2"),
            ("kazakhstan", "delisted", "2023-12", "inferred", "s3"),
            ("kazakhstan", "delisted", "2023-12-29", "external", "s4"),
        ]
    )
    marks, undated = designation_marks(frame)
    assert len(marks) == 1 and undated.empty
    mark = marks[0]
    assert (mark.label, mark.precision, mark.n_sources) == ("29 Dec 2023", "day", 4)
    assert mark.basis == "external"  # the drawn date's basis, not the year row's
    assert not mark.rivals and not mark.disputed


def test_conflicting_dates_stay_apart_and_know_they_disagree() -> None:
    frame = designations(
        [
            ("kazakhstan", "delisted", "2023-12-29", "external", "s1"),
            ("kazakhstan", "delisted", "2023-12-29", "external", "s2"),
            ("kazakhstan", "delisted", "2024-06-03", "external", "s3"),
        ]
    )
    marks, _ = designation_marks(frame)
    assert [(m.label, m.n_sources) for m in marks] == [("29 Dec 2023", 2), ("3 Jun 2024", 1)]
    assert all(m.disputed for m in marks)
    assert [(r.label, r.sources) for r in marks[0].rivals] == [("3 Jun 2024", 1)]


def test_a_deliberation_reported_at_two_dates_is_not_a_disagreement() -> None:
    frame = designations(
        [
            ("russia", "delisting_considered", "2024-05", "inferred", "s1"),
            ("russia", "delisting_considered", "2024-06", "inferred", "s1"),
        ]
    )
    marks, _ = designation_marks(frame)
    assert len(marks) == 2
    assert not any(m.disputed for m in marks)
    assert all(m.ongoing for m in marks)


def test_a_year_that_fits_two_rival_days_is_its_own_mark() -> None:
    frame = designations(
        [
            ("kazakhstan", "delisted", "2024-01-10", "external", "s1"),
            ("kazakhstan", "delisted", "2024-06-03", "external", "s2"),
            ("kazakhstan", "delisted", "2024", "stated", "s3"),
        ]
    )
    marks, _ = designation_marks(frame)
    year = [m for m in marks if m.precision == "year"]
    assert len(marks) == 3 and len(year) == 1 and year[0].ambiguous


def test_undated_reports_join_the_single_dated_mark_of_their_step() -> None:
    frame = designations(
        [
            ("kyrgyzstan", "delisted", "2024-09-02", "external", "s1"),
            ("kyrgyzstan", "delisted", "", "", "s2"),
        ],
        seed=frozenset({"s2"}),
    )
    marks, undated = designation_marks(frame)
    assert len(marks) == 1 and undated.empty
    assert marks[0].n_sources == 2 and marks[0].has_seed
    assert [r["source_id"] for r in marks[0].undated_records] == ["s2"]


def test_undated_reports_of_a_step_with_rival_dates_are_listed_not_drawn() -> None:
    frame = designations(
        [
            ("kazakhstan", "delisted", "2023-12-29", "external", "s1"),
            ("kazakhstan", "delisted", "2024-06-03", "external", "s2"),
            ("kazakhstan", "delisted", "", "", "s3"),
        ]
    )
    marks, undated = designation_marks(frame)
    assert len(marks) == 2 and list(undated["source_id"]) == ["s3"]
    table = undated_designations(frame)
    assert list(table["Source"]) == ["S3"] and list(table["Drawn at"]) == [
        "undated: listed below the chart"
    ]


def test_different_steps_are_never_merged() -> None:
    frame = designations(
        [
            ("russia", "listed", "2003", "external", "s1"),
            ("russia", "ban_suspended", "2003-02-14", "external", "s2"),
            ("kazakhstan", "listed", "2003", "external", "s3"),
        ]
    )
    marks, _ = designation_marks(frame)
    assert len(marks) == 3


# ---- drawing ----------------------------------------------------------------------------------
def test_a_year_precise_date_is_a_bar_over_the_year_with_its_symbol_in_the_middle() -> None:
    frame = designations(
        [
            ("russia", "listed", "2003", "external", "s1"),
            ("russia", "ban_suspended", "2025-04-17", "external", "s2"),
        ]
    )
    fig = designation_timeline_figure(frame)
    spans = traces(fig, "span")
    assert len(spans) == 1
    x = [pd.Timestamp(v) for v in spans[0].x if v is not None]
    assert x[0] == pd.Timestamp("2003-01-01")
    assert x[1].date() == dt.date(2003, 12, 31)  # to the end of the last day
    points = {p["precision"]: p for p in mark_points(fig)}
    assert points["year"]["x"] == pd.Timestamp("2003-07-02")  # mid-year, not 1 January
    assert points["day"]["x"] == pd.Timestamp("2025-04-17")  # a day stays a point
    assert points["year"]["symbol"] == "square-open-dot"  # listed, external date
    assert points["day"]["symbol"] == "triangle-down-open-dot"


def test_a_month_precise_date_spans_its_month() -> None:
    frame = designations([("russia", "delisting_considered", "2024-06", "inferred", "s1")])
    fig = designation_timeline_figure(frame)
    x = [pd.Timestamp(v) for v in traces(fig, "span")[0].x if v is not None]
    assert (x[0].date(), x[1].date()) == (dt.date(2024, 6, 1), dt.date(2024, 6, 30))
    (point,) = mark_points(fig)
    assert point["symbol"] == "diamond-open" and point["text"] == "Jun 2024 ×1"


def test_a_mark_says_how_many_sources_report_it_and_lists_them_in_the_hover() -> None:
    frame = designations(
        [
            ("kyrgyzstan", "delisted", "2024-09-02", "external", "s1"),
            ("kyrgyzstan", "delisted", "2024-09-02", "external", "s2"),
            ("kyrgyzstan", "delisted", "2024", "stated", "s3"),
        ],
        seed=frozenset({"s3"}),
    )
    fig = designation_timeline_figure(frame)
    (point,) = mark_points(fig)
    assert point["text"] == "2 Sep 2024 ×3" and point["sources"] == 3
    assert sorted(point["records"]) == ["d0", "d1", "d2"]
    for source in ("S1", "S2", "S3"):
        assert source in point["hover"]
    assert "“quote of s3”" in point["hover"] and "summary of s1" in point["hover"]
    assert "2024 (stated)" in point["hover"]  # each report keeps its own date and basis


def test_seed_backed_marks_get_a_ring_and_the_legend_explains_it() -> None:
    frame = designations(
        [
            ("kazakhstan", "delisted", "2023", "stated", "seed1"),
            ("russia", "listed", "2003", "external", "ext1"),
        ],
        seed=frozenset({"seed1"}),
    )
    fig = designation_timeline_figure(frame)
    rings = traces(fig, "ring")
    assert len(rings) == 1 and rings[0].meta["group"] == "Kazakhstan"
    legend = {t.name for t in traces(fig, "legend")}
    assert {"seed quote (ring)", "external summary only"} <= legend
    assert {
        "Delisted",
        "Listed as terrorist",
        "stated in source",
        "from outside the source",
    } <= legend
    by_group = {p["group"]: p for p in mark_points(fig)}
    assert by_group["Kazakhstan"]["symbol"] == "circle"  # solid: a stated date
    assert by_group["Kazakhstan"]["seed"] and not by_group["Russia"]["seed"]


def test_disagreeing_dates_are_joined_by_a_dotted_line_and_named_in_the_hover() -> None:
    frame = designations(
        [
            ("kazakhstan", "delisted", "2023-12-29", "external", "s1"),
            ("kazakhstan", "delisted", "2024-06-03", "external", "s2"),
        ]
    )
    fig = designation_timeline_figure(frame)
    (dispute,) = traces(fig, "dispute")
    assert dispute.line.dash == "dot"
    assert any(a.text == "dates disagree" for a in fig.layout.annotations)
    hovers = [p["hover"] for p in mark_points(fig)]
    assert all("Sources disagree on the date" in h for h in hovers)
    calm = designation_timeline_figure(
        designations(
            [
                ("russia", "delisting_considered", "2024-05-27", "external", "s1"),
                ("russia", "delisting_considered", "2024-06", "inferred", "s2"),
            ]
        )
    )
    assert not traces(calm, "dispute")
    assert all("Also reported at" in p["hover"] for p in mark_points(calm))


def test_data_text_in_hover_and_titles_is_escaped() -> None:
    frame = designations([("russia", "listed", "2003", "external", "s1")])
    frame.loc[0, "evidence"] = "<script>alert(1)</script> <b>bold</b>"
    frame.loc[0, "jurisdiction_name"] = "Rus<i>sia"
    fig = designation_timeline_figure(frame, title="<img src=x>")
    (point,) = mark_points(fig)
    assert "<script>" not in point["hover"] and "&lt;script&gt;" in point["hover"]
    assert "&lt;b&gt;bold" in point["hover"]
    assert "<img" not in fig.layout.title.text and "&lt;img" in fig.layout.title.text
    assert "Rus&lt;i&gt;sia" in lane_names(fig)[0]


def test_a_jurisdiction_with_only_undated_reports_keeps_its_lane_with_a_note() -> None:
    frame = designations(
        [
            ("kazakhstan", "delisted", "2023", "stated", "s1"),
            ("kyrgyzstan", "delisted", "", "", "s2"),
            ("kyrgyzstan", "delisted", "", "", "s3"),
        ]
    )
    # two undated reports, no dated mark: nothing to attach them to
    fig = designation_timeline_figure(frame)
    assert lane_names(fig) == [
        "Kazakhstan",
        "Kyrgyzstan",
    ]
    notes = [a.text for a in fig.layout.annotations if "undated" in (a.text or "")]
    assert notes == ["<i>2 undated reports only (no date to draw it at)</i>"]


def test_colliding_marks_in_a_lane_go_on_separate_rows() -> None:
    frame = designations(
        [
            ("russia", "delisting_considered", "2024-05-27", "external", "s1"),
            ("russia", "delisting_considered", "2024-06", "inferred", "s2"),
        ]
    )
    fig = designation_timeline_figure(frame)
    ys = [y for t in traces(fig, "mark") for y in t.y]
    assert len(set(ys)) == 2


def test_a_long_empty_stretch_breaks_the_axis_into_marked_panels() -> None:
    spec = build_designation_timeline(shipped(), FilterState())
    fig = spec.figure
    assert fig.layout.xaxis2.type == "date"
    left = [pd.Timestamp(v) for v in fig.layout.xaxis.range]
    right = [pd.Timestamp(v) for v in fig.layout.xaxis2.range]
    assert left[0].year == 2002 and left[1].year <= 2007  # the 2003-2006 listings
    assert right[0].year == 2023 and right[1].year == 2025  # delistings to the suspension
    assert any(a.text == "//" for a in fig.layout.annotations)
    assert fig.layout.xaxis2.title.text == "Date"
    assert "broken" in spec.caption


def test_split_panels_keeps_one_panel_without_a_gap() -> None:
    marks, _ = designation_marks(
        designations(
            [
                ("russia", "listed", "2020", "external", "s1"),
                ("russia", "delisted", "2024", "external", "s2"),
            ]
        )
    )
    assert len(split_panels(marks)) == 1


# ---- the shipped data -------------------------------------------------------------------------
def status_at(known_as_of: dt.date | None = None, **state: object) -> dict[str, tuple[str, str]]:
    ds = shipped()
    rows = designations_in_view(ds.designations, FilterState(known_as_of=known_as_of, **state))
    table = status_by_jurisdiction(rows)
    return {r["Jurisdiction"]: (r["Latest step"], r["Date"]) for r in table.to_dict("records")}


NO_LISTING = ("no listing found in the sources checked", "—")
# Russia and the five Central Asian states are always in the table (issue 15)
NOT_LISTED = {"Tajikistan": NO_LISTING, "Turkmenistan": NO_LISTING, "Uzbekistan": NO_LISTING}


def test_status_reads_to_2025_with_all_sources() -> None:
    status = status_at()
    assert status["Russia"] == ("Ban suspended", "17 Apr 2025")
    assert status["Kyrgyzstan"] == ("Delisted", "2 Sep 2024")
    assert status["Kazakhstan"][0] == "Delisted"
    # the two dates the sources give are both named, with their support
    assert status["Kazakhstan"][1] == "29 Dec 2023 (4 sources) or 3 Jun 2024 (2 sources)"
    for state in ("Tajikistan", "Turkmenistan", "Uzbekistan"):
        assert status[state] == NO_LISTING


@pytest.mark.parametrize(
    ("known_as_of", "expected"),
    [
        (
            dt.date(2023, 6, 30),
            {
                "Kazakhstan": ("Listed as terrorist", "2005"),
                "Russia": ("Listed as terrorist", "2003"),
                "Kyrgyzstan": ("Listed as terrorist", "15 Sep 2006"),
                **NOT_LISTED,
            },
        ),
        (
            dt.date(2024, 6, 30),
            {
                # Zarin TV (30 Dec 2023) and The Atlas News (3 Jun 2024) replace kt.kz and a tag
                # page; BNN Breaking has no publication date, so no past briefing counts it
                "Kazakhstan": ("Delisted", "29 Dec 2023 (2 sources) or 3 Jun 2024 (2 sources)"),
                # seed 001's "is considering" is undated now: it joins the May mark
                "Russia": ("Delisting considered", "27 May 2024"),
                "Kyrgyzstan": ("Listed as terrorist", "15 Sep 2006"),
                **NOT_LISTED,
            },
        ),
        (
            dt.date(2024, 12, 31),
            {
                "Kazakhstan": ("Delisted", "29 Dec 2023 (3 sources) or 3 Jun 2024 (2 sources)"),
                "Russia": ("Delisting considered", "27 May 2024"),
                "Kyrgyzstan": ("Delisted", "2 Sep 2024"),
                **NOT_LISTED,
            },
        ),
        (
            None,
            {
                "Kazakhstan": ("Delisted", "29 Dec 2023 (4 sources) or 3 Jun 2024 (2 sources)"),
                "Russia": ("Ban suspended", "17 Apr 2025"),
                "Kyrgyzstan": ("Delisted", "2 Sep 2024"),
                **NOT_LISTED,
            },
        ),
    ],
)
def test_status_as_known_at_past_briefing_dates(
    known_as_of: dt.date | None, expected: dict[str, tuple[str, str]]
) -> None:
    assert status_at(known_as_of) == expected


def test_old_listings_reported_later_are_kept_and_flagged_but_later_steps_are_not() -> None:
    ds = shipped()
    rows = designations_in_view(ds.designations, FilterState(known_as_of=dt.date(2024, 6, 30)))
    later = rows[rows["reported_after_known_as_of"]]
    assert set(later["action"]) == {"listed"}
    assert (later["date_end"] < pd.Timestamp("2024-06-30")).all()
    # Kyrgyzstan's delisting (2 Sep 2024) was not known on 30 June 2024
    assert not rows["designation_id"].str.startswith("kg-delisted").any()
    table = status_by_jurisdiction(rows).set_index("Jurisdiction")
    assert "published after the known-as-of date" in table.at["Kyrgyzstan", "Note"]
    assert table.at["Russia", "Note"] == ""


def test_seed_documents_only() -> None:
    status = status_at(seed_only=True)
    assert status["Kazakhstan"] == ("Delisted", "2023")
    assert status["Kyrgyzstan"] == ("Delisted", "undated")
    assert status["Russia"][0] == "Delisting considered"
    ds = shipped()
    rows = designations_in_view(ds.designations, FilterState(seed_only=True))
    table = status_by_jurisdiction(rows)
    assert all("external" not in e for e in table["Evidence"])
    spec = build_designation_timeline(ds, FilterState(seed_only=True))
    assert set(spec.rows["evidence_kind"]) == {"Seed quote"}
    assert all(p["seed"] for p in mark_points(spec.figure))


def test_status_table_is_plain_and_counts_sources_and_evidence() -> None:
    ds = shipped()
    table = status_by_jurisdiction(ds.designations).set_index("Jurisdiction")
    assert list(table.index) == [
        "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan", "Turkmenistan", "Uzbekistan"
    ]  # fmt: skip
    kz = table.loc["Kazakhstan"]
    assert kz["Sources"] == 8  # 4 + 2 dated, 2 undated reports of the same delisting
    assert kz["Evidence"] == "3 seed quotes, 5 external summaries"
    assert "Sources disagree on the date" in kz["Note"]
    assert table.loc["Russia", "Evidence"] == "5 external summaries"
    # a state without a listing says so, claiming no more than the sources checked
    uz = table.loc["Uzbekistan"]
    assert uz["Latest step"] == "no listing found in the sources checked"
    assert (uz["Sources"], uz["Date"], uz["Evidence"]) == (0, "—", "")
    assert table.loc["Kyrgyzstan", "Sources"] == 3  # the undated seed report joins the mark


def test_lede_and_headline_state_the_answer() -> None:
    ds = shipped()
    assert lede(ds.designations) == (
        "Kazakhstan (Dec 2023 / Jun 2024) and Kyrgyzstan (Sep 2024) delisted the Taliban; "
        "Russia (Apr 2025) suspended its ban. Sources disagree on when Kazakhstan did so; "
        "both dates are shown."
    )
    assert headline(ds.designations) == (
        "Kazakhstan and Kyrgyzstan delisted the Taliban; Russia suspended its ban"
    )
    early = designations_in_view(ds.designations, FilterState(known_as_of=dt.date(2023, 6, 30)))
    assert lede(early).startswith("Kazakhstan (since 2005), Kyrgyzstan (since Sep 2006) and Russia")
    assert "no step towards delisting" in lede(early)
    assert lede(ds.designations.iloc[0:0]).startswith("No designation step")


def test_latest_step_is_the_latest_dated_mark_with_its_rival_dates() -> None:
    (kazakhstan,) = [
        s for s in latest_steps(shipped().designations) if s.jurisdiction == "Kazakhstan"
    ]
    assert kazakhstan.action == "delisted" and kazakhstan.disputed
    assert [m.label for m in kazakhstan.marks] == ["29 Dec 2023", "3 Jun 2024"]


def test_designation_spec_carries_title_subtitle_source_line_and_rows() -> None:
    ds = shipped()
    state = FilterState(known_as_of=dt.date(2024, 6, 30))
    spec = build_designation_timeline(ds, state)
    assert spec.chart_id == "designations-timeline"
    title = spec.figure.layout.title.text
    assert spec.title in title and "known as of 2024-06-30" in title
    assert any("Sources:" in (a.text or "") for a in spec.figure.layout.annotations)
    for column in ("designation_id", "source_id", "quote", "evidence", "evidence_kind"):
        assert column in spec.rows.columns
    assert set(spec.source_ids) == set(spec.rows["source_id"])
    drawn = {r for p in mark_points(spec.figure) for r in p["records"]}
    undated = set(spec.rows.loc[spec.rows["drawn_at"].str.startswith("undated"), "designation_id"])
    assert drawn | undated == set(spec.rows["designation_id"])  # every row is drawn or listed


def test_selected_records_follow_the_clicked_marks() -> None:
    spec = build_designation_timeline(shipped(), FilterState())
    russia = [p for p in mark_points(spec.figure) if p["text"] == "17 Apr 2025 ×5"]
    picked = selected_records(spec.rows, [{"customdata": russia[0]["records"]}])
    assert len(picked) == 5 and set(picked["step"]) == {"Ban suspended"}
    assert selected_records(spec.rows, []).empty


# ---- key events -------------------------------------------------------------------------------
def test_events_chart_groups_reports_and_lists_undated_events_apart() -> None:
    ds = shipped()
    spec = build_event_timeline(ds, FilterState())
    points = mark_points(spec.figure)
    recognition = [p for p in points if p["text"].startswith("Russia recognizes")]
    assert len(recognition) == 1 and recognition[0]["sources"] == 3
    assert recognition[0]["text"].endswith("×3")
    dated = ds.events["date_start"].notna()
    assert sum(len(p["records"]) for p in points) == int(dated.sum())
    table = undated_events(view_of(ds, FilterState()))
    assert len(table) == int((~dated).sum()) and "Quote or summary" in table.columns
    lanes = lane_names(spec.figure)
    assert lanes[0] == "Takeover"
    assert spec.title == "Key events around the delistings, 2002–2025"


def test_events_follow_the_event_type_filter_with_the_same_span_rule() -> None:
    ds = shipped()
    spec = build_event_timeline(ds, FilterState(event_types=("migration",)))
    lanes = lane_names(spec.figure)
    assert lanes == ["Migration"]
    points = mark_points(spec.figure)
    assert {p["precision"] for p in points} == {"year"}
    spans = [pd.Timestamp(v) for t in traces(spec.figure, "span") for v in t.x if v is not None]
    assert pd.Timestamp("2021-01-01") in spans and pd.Timestamp("2023-01-01") in spans
    assert set(spec.rows["event_type"]) == {"Migration"}


def test_an_empty_view_says_so() -> None:
    ds = shipped()
    fig = event_timeline_figure(ds.events.iloc[0:0])
    assert any("No dated event" in (a.text or "") for a in fig.layout.annotations)


@cache
def scaled(factor: int) -> Dataset:
    import tempfile
    from pathlib import Path

    from bench.synthetic import scale_dataset

    return load_dataset(scale_dataset(factor, Path(tempfile.mkdtemp())))


def _counted(spec) -> list[list[str]]:
    return [
        ids.split()
        for trace in spec.figure.data
        if (trace.meta or {}).get("role") == "count"
        for ids in trace.customdata
    ]


def test_a_view_too_full_to_draw_counts_every_dated_report_per_month() -> None:
    """Past DRAW_LIMIT dated rows a timeline counts reports per lane, step and month: every
    dated row is in exactly one counted mark, the caption says so, and a click on a counted
    mark lists its records."""
    from dashboard.charts.density import DRAW_LIMIT

    ds = scaled(40)
    for spec, rows, lane_column in (
        (build_designation_timeline(ds, FilterState()), ds.designations, "jurisdiction_id"),
        (build_event_timeline(ds, FilterState()), ds.events, "event_type"),
    ):
        dated = rows[rows["date_start"].notna()]
        assert len(dated) > DRAW_LIMIT
        buckets = _counted(spec)
        ids = [i for bucket in buckets for i in bucket]
        id_column = spec.rows.columns[0]
        assert sorted(ids) == sorted(dated[id_column].astype(str))
        assert "too many to draw one by one" in spec.caption
        assert not any((t.meta or {}).get("role") == "mark" for t in spec.figure.data)
        lanes = {str(r[id_column]): r for r in rows.to_dict("records")}
        for trace in spec.figure.data:  # each counted mark holds the reports of its own lane
            if (trace.meta or {}).get("role") == "count":
                for ids in trace.customdata:
                    assert {str(lanes[i][lane_column]) for i in ids.split()} == {trace.meta["lane"]}
        picked = selected_records(spec.rows, [{"customdata": " ".join(buckets[0])}])
        assert sorted(picked[id_column].astype(str)) == sorted(buckets[0])
    # the status table and lede still read every report (no sampling)
    assert "Kazakhstan" in lede(designations_in_view(ds.designations, FilterState()))


def test_a_narrow_filter_on_a_large_dataset_draws_marks_again() -> None:
    ds = scaled(40)
    state = FilterState(date_from=dt.date(2024, 1, 1))
    spec = build_designation_timeline(ds, state)
    assert not _counted(spec)
    assert any((t.meta or {}).get("role") == "mark" for t in spec.figure.data)
