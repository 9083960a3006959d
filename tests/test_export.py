"""Exports open as what they claim to be, at slide size, carrying their own context.

Images are made by kaleido on Debian's Chromium (one warm browser for the whole module).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ElementTree
from types import SimpleNamespace

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.text import PP_ALIGN

from dashboard.charts import catalog, timeline
from dashboard.charts.spec import ChartSpec
from dashboard.export import briefing_pack, chart_files
from dashboard.ingest.loader import Dataset, load_dataset
from dashboard.view.filters import FilterState


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def spec(ds: Dataset) -> ChartSpec:
    return timeline.build_designation_timeline(ds, FilterState())


@pytest.fixture(scope="module")
def stamp(ds: Dataset, spec: ChartSpec) -> str:
    return catalog.stamp(ds, FilterState(known_as_of=None), spec.source_ids)


@pytest.fixture(scope="module")
def files(spec: ChartSpec, stamp: str) -> dict[str, bytes]:
    return chart_files.export_chart(spec, stamp, ("png", "svg", "html", "csv")).files


def svg_text(svg: bytes) -> str:
    return " ".join(ElementTree.fromstring(svg).itertext())


def test_png_decodes_slide_shaped_at_twice_the_layout_size(spec: ChartSpec, files) -> None:
    width, height = chart_files.export_size(spec.figure)
    with Image.open(io.BytesIO(files["png"])) as image:
        assert image.format == "PNG"
        assert image.size == (width * 2, height * 2)
        assert image.size[0] >= 2560 and image.size[1] >= 1440
        assert abs(image.size[0] / image.size[1] - 16 / 9) < 0.01
        colours = image.convert("RGB").resize((64, 36)).getcolors(64 * 36)
    assert colours is not None and len(colours) > 10, "a blank image"


@pytest.mark.parametrize(
    ("height", "expected"), [(None, (1280, 720)), (500, (1280, 720)), (1080, (1920, 1080))]
)
def test_export_size_is_16_by_9_and_never_squashes(height, expected) -> None:
    import plotly.graph_objects as go

    assert chart_files.export_size(go.Figure(layout={"height": height})) == expected


def test_svg_parses_and_carries_title_filters_sources_and_coverage(
    spec: ChartSpec, files, stamp: str
) -> None:
    text = svg_text(files["svg"])
    assert spec.title in text
    assert "Sources:" in text and "KabulNow" in text
    assert "seed and external sources" in text  # the active filters, as subtitle
    assert stamp.startswith("Coverage:") and "Coverage: sources published" in text


def test_stamp_names_the_known_as_of_date(ds: Dataset, spec: ChartSpec) -> None:
    state = FilterState(known_as_of=pd.Timestamp("2024-06-30").date())
    assert "known as of 2024-06-30" in catalog.stamp(ds, state, spec.source_ids)


def test_html_is_standalone_with_no_external_script(spec: ChartSpec, files) -> None:
    page = files["html"].decode("utf-8")
    assert "<title>" in page and spec.title.split()[0] in page
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I), "an external script"
    assert not re.search(r"<link[^>]*\bhref\s*=\s*['\"]https?:", page, re.I)
    assert "Plotly.newPlot" in page and len(page) > 1_000_000  # plotly.js is inside


def test_csv_has_the_rows_with_source_ids_and_quotes(spec: ChartSpec, files) -> None:
    rows = pd.read_csv(io.BytesIO(files["csv"]), dtype=str, keep_default_na=False)
    assert len(rows) == len(spec.rows) > 0
    assert {"source_id", "quote"} <= set(rows.columns)
    assert set(rows["source_id"]) <= set(spec.source_ids) | {""}
    assert rows["quote"].str.len().gt(0).any()


def test_unknown_format_is_refused(spec: ChartSpec) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        chart_files.export_chart(spec, "", ("gif",))


def test_file_names_are_safe() -> None:
    assert chart_files.file_name("strength-isis-k", "png") == "strength-isis-k.png"
    assert chart_files.file_name("../../etc/passwd", "csv") == "etc-passwd.csv"


def test_file_names_carry_the_chart_the_filters_and_the_day() -> None:
    day = dt.date(2026, 12, 3)
    plain = chart_files.file_name("key-events-timeline", "csv", FilterState(), day)
    assert plain == "key-events-timeline_all_2026-12-03.csv"
    state = FilterState(
        date_from=dt.date(2024, 1, 1),
        claimants=("andrey-serenko",),
        event_types=("attack", "meeting"),
        known_as_of=dt.date(2024, 6, 30),
        seed_only=True,
    )
    named = chart_files.file_name("key-events-timeline", "csv", state, day)
    assert named == (
        "key-events-timeline_2024-01-01-to-latest_claimant-andrey-serenko_2-event-types"
        "_known-2024-06-30_seed-only_2026-12-03.csv"
    )
    hostile = FilterState(sources=("../x y",))
    assert "/" not in chart_files.file_name("c", "png", hostile, day)


def stamped_csv(ds: Dataset, spec: ChartSpec, state: FilterState) -> bytes:
    coverage = catalog.stamp(ds, state, spec.source_ids)
    stamp = chart_files.csv_stamp(ds, state, spec, coverage, dt.date(2026, 12, 3))
    return chart_files.rows_csv(spec, stamp)


def test_a_csv_says_what_it_holds_above_its_rows_in_a_way_spreadsheets_read(
    ds: Dataset, spec: ChartSpec
) -> None:
    state = FilterState(seed_only=True, known_as_of=dt.date(2024, 6, 30))
    spec = timeline.build_designation_timeline(ds, state)
    body = stamped_csv(ds, spec, state)
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads ’ – ×
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    stamp = dict(row for row in lines[: chart_files.STAMP_ROWS - 1])
    assert list(stamp) == list(chart_files.STAMP_FIELDS)
    assert stamp["Chart"] == spec.title
    assert "seed documents only" in stamp["Filters"]
    assert stamp["Known as of"] == "2024-06-30"
    assert stamp["Generated"] == "2026-12-03"
    assert stamp["Coverage"].startswith("Coverage:") and stamp["Sources"].startswith("Sources:")
    assert lines[chart_files.STAMP_ROWS - 1] == []  # one blank row, then the table
    rows = pd.read_csv(io.BytesIO(body), skiprows=chart_files.STAMP_ROWS, dtype=str)
    assert list(rows.columns) == list(spec.rows.columns)
    assert len(rows) == len(spec.rows) > 0


def test_whole_numbers_are_written_without_a_decimal_point() -> None:
    frame = pd.DataFrame(
        {"count": [1000.0, None, 25000.0], "ratio": [1.5, 2.0, None], "name": ["a", "b", "c"]}
    )
    spec = ChartSpec("c", "T", "", go.Figure(), frame, ())
    text = chart_files.rows_csv(spec).decode("utf-8-sig")
    # a whole value is written whole even in a column of fractions (a ratio of 2 is "2")
    assert text.splitlines() == ["count,ratio,name", "1000,1.5,a", ",2,b", "25000,,c"]


def test_the_shipped_charts_csvs_have_no_float_whole_numbers(ds: Dataset) -> None:
    for spec in catalog.chart_specs(ds, FilterState()):
        text = chart_files.rows_csv(spec).decode("utf-8-sig")
        assert not re.search(r"(^|,)\d+\.0(,|$)", text, re.MULTILINE), spec.chart_id


def texts(slide) -> str:
    return " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_briefing_pack_opens_with_title_chart_and_sources_slides(ds: Dataset) -> None:
    state = FilterState()
    specs = [
        timeline.build_designation_timeline(ds, state),
        timeline.build_event_timeline(ds, state),
    ]
    deck = briefing_pack.build_pack(
        ds,
        specs,
        filters_text=state.describe(),
        coverage="Coverage: test",
        stamp_for=lambda spec: catalog.stamp(ds, state, spec.source_ids),
    )
    prs = Presentation(io.BytesIO(deck))
    slides = list(prs.slides)
    assert len(slides) == len(specs) + 1 + briefing_pack.source_slides(ds, specs)
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    title = slides[0]
    assert "briefing pack" in texts(title) and "Coverage: test" in texts(title)
    for shape in title.shapes:  # centred on the 16:9 slide, text centred in it
        assert abs(shape.left + shape.width / 2 - prs.slide_width / 2) < prs.slide_width / 100
        if shape.has_text_frame:
            assert all(p.alignment == PP_ALIGN.CENTER for p in shape.text_frame.paragraphs)
    charts = slides[1 : 1 + len(specs)]
    for number, (slide, spec) in enumerate(zip(charts, specs, strict=True), start=2):
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == 1
        assert pictures[0].left >= 0 and pictures[0].left + pictures[0].width <= prs.slide_width
        text = texts(slide)
        assert spec.title in text and spec.caption[:40] in text and "Sources:" in text
        assert f"{number} / {len(slides)}" in text
        assert not re.search(r"hover|click|below the chart", text, re.IGNORECASE)
    closing = texts(slides[1 + len(specs)])
    assert closing.startswith("Sources")
    assert "KabulNow" in closing and "https://" in closing  # seed and external sources


def test_a_slide_caption_drops_what_only_a_page_can_do() -> None:
    caption = (
        "Dated events by type. Hover a mark for its sources. Click a mark for its records. "
        "3 undated events not drawn."
    )
    expected = "Dated events by type. 3 undated events not drawn."
    assert briefing_pack.slide_caption(caption) == expected


def test_a_slide_caption_keeps_whole_sentences_that_fit_its_box() -> None:
    caption = "First sentence says what is drawn. " + "A long explanation follows. " * 30
    kept = briefing_pack.slide_caption(caption, limit=100)
    assert kept.startswith("First sentence says what is drawn.") and kept.endswith(".")
    assert len(kept) <= 100
    only = "One very long sentence " * 40 + "."
    assert briefing_pack.slide_caption(only, limit=100) == only.strip()  # never empty


def test_a_grid_on_a_slide_shows_its_years_on_the_bottom_row_only() -> None:
    layout = {
        "xaxis": {"anchor": "y"},
        "yaxis": {"domain": [0.6, 1.0]},
        "xaxis2": {"anchor": "y2", "matches": "x"},
        "yaxis2": {"domain": [0.3, 0.5]},
        "xaxis3": {"anchor": "y3", "matches": "x"},
        "yaxis3": {"domain": [0.0, 0.2]},
        "xaxis4": {"anchor": "y4", "matches": "x"},
        "yaxis4": {"domain": [0.0, 0.2]},
    }
    briefing_pack._years_on_the_bottom_row_only(layout)
    hidden = {key for key in layout if layout[key].get("showticklabels") is False}
    assert hidden == {"xaxis", "xaxis2"}


def test_a_source_without_a_date_or_link_is_listed_without_empty_fields() -> None:
    row = SimpleNamespace(
        source_id="s1", label="Outlet", title="A title", published="", published_basis="",
        kind="external", url="", seed_file=float("nan"),
    )  # fmt: skip
    entry = briefing_pack.source_entry(row)
    assert entry == "Outlet: A title. Undated; external source"
    assert "()" not in entry and "  " not in entry
    dated = SimpleNamespace(**{**vars(row), "published": "2024-06", "published_basis": "inferred"})
    assert "Published 2024-06 (inferred)" in briefing_pack.source_entry(dated)
