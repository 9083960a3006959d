"""Exports open as what they claim to be, at slide size, carrying their own context.

Images are made by kaleido on Debian's Chromium (one warm browser for the whole module).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree

import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation

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
    assert len(slides) == len(specs) + 2
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01

    def texts(slide) -> str:
        return " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)

    assert "briefing pack" in texts(slides[0]) and "Coverage: test" in texts(slides[0])
    for slide, spec in zip(slides[1:-1], specs, strict=True):
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == 1
        assert pictures[0].left >= 0 and pictures[0].left + pictures[0].width <= prs.slide_width
        assert spec.caption[:40] in texts(slide) and "Sources:" in texts(slide)
    closing = texts(slides[-1])
    assert closing.startswith("Sources")
    assert "KabulNow" in closing and "https://" in closing  # seed and external sources
