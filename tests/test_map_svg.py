"""The exported map, read back from its SVG: at the page size and at the slide size no two
names overlap, none covers a marker, and all lie inside the map.

Made by kaleido on Debian's Chromium (the slide exactly as the download and the briefing pack
make it). SVG text carries no measured width, so each name's box is estimated from its font
size and the font's advance widths (``map_labels.text_width``, DejaVu Sans: the font kaleido
draws with here; other fonts are narrower) and Plotly's own box model (ascent 0.75, descent
0.25 of the size); the position is the one Plotly wrote (anchor, offset, text-anchor).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

import plotly.graph_objects as go
import pytest

from dashboard.charts import catalog, map_labels, province_map
from dashboard.export import chart_files
from dashboard.ingest.loader import Dataset, load_dataset
from dashboard.view.filters import FilterState

SVG = "{http://www.w3.org/2000/svg}"
TRANSLATE = re.compile(r"translate\(([-\d.e]+)[ ,]+([-\d.e]+)\)")


@dataclass(frozen=True)
class TextBox:
    text: str
    box: map_labels.Box


def _translate(element: ElementTree.Element) -> tuple[float, float]:
    match = TRANSLATE.search(element.get("transform", ""))
    return (float(match.group(1)), float(match.group(2))) if match else (0.0, 0.0)


def _style(element: ElementTree.Element, name: str) -> str:
    match = re.search(rf"{name}:\s*([^;]+)", element.get("style", ""))
    return match.group(1).strip() if match else ""


def _main_geo(root: ElementTree.Element) -> ElementTree.Element:
    (geo,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "geo geo"]
    return geo


def map_frame(root: ElementTree.Element) -> map_labels.Box:
    """The main map's rectangle: its background."""
    geo = _main_geo(root)
    (layer,) = [g for g in geo.iter(f"{SVG}g") if g.get("class") == "layer bg"]
    rect = next(layer.iter(f"{SVG}rect"))
    x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
    return (x, y, x + float(rect.get("width")), y + float(rect.get("height")))


def labels(root: ElementTree.Element) -> list[TextBox]:
    """Every name drawn on the main map (the text of its scattergeo traces), with its box."""
    out = []
    for trace in _main_geo(root).iter(f"{SVG}g"):
        if "scattergeo" not in (trace.get("class") or ""):
            continue
        for group in trace.findall(f"{SVG}g"):
            dx, dy = _translate(group)
            for text in group.findall(f"{SVG}text"):
                content = "".join(text.itertext())
                if not content:
                    continue
                x, y = _translate(text)
                x, y = x + dx, y + dy
                size = float(_style(text, "font-size").removesuffix("px"))
                bold = _style(text, "font-weight") in ("bold", "700")
                width = map_labels.text_width(content, size, bold=bold)
                anchor = text.get("text-anchor", "start")
                x0 = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
                baseline = y + float(text.get("y", 0))
                box = (x0, baseline - map_labels.ASCENT * size, x0 + width,
                       baseline + map_labels.DESCENT * size)  # fmt: skip
                out.append(TextBox(content, box))
    return out


def markers(root: ElementTree.Element) -> list[map_labels.Box]:
    """The marker symbols on the main map, as boxes (from their path's extent)."""
    out = []
    for path in _main_geo(root).iter(f"{SVG}path"):
        if path.get("class") != "point":
            continue
        x, y = _translate(path)
        numbers = [abs(float(n)) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
        half = max(numbers) if numbers else 0
        out.append((x - half, y - half, x + half, y + half))
    return out


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def _svg_roots(
    ds: Dataset, state: FilterState, year: int | None = None
) -> dict[str, ElementTree.Element]:
    spec = province_map.build_province_map(ds, state, year=year)
    slide = chart_files.stamped_figure(spec, catalog.stamp(ds, state, spec.source_ids))
    page = go.Figure(spec.figure)
    page.update_layout(width=province_map.PAGE.width, height=province_map.PAGE.height)
    wide = go.Figure(spec.figure)
    wide.update_layout(width=province_map.WIDE_PAGE.width, height=province_map.PAGE.height)
    return {
        name: ElementTree.fromstring(
            fig.to_image(format="svg", validate=False) if name != "slide"
            else chart_files.to_svg(fig)
        )
        for name, fig in (("page", page), ("wide page", wide), ("slide", slide))
    }  # fmt: skip


CASES = {
    "all": (FilterState(), None),
    "seed only, 2023": (FilterState(seed_only=True), 2023),
}


@pytest.fixture(scope="module", params=list(CASES))
def roots(request: pytest.FixtureRequest, ds: Dataset) -> dict[str, ElementTree.Element]:
    chart_files.warm_up()
    state, year = CASES[request.param]
    return _svg_roots(ds, state, year)


def test_names_do_not_overlap_and_stay_on_the_map(roots: dict[str, ElementTree.Element]) -> None:
    for size, root in roots.items():
        names = labels(root)
        assert len(names) >= 25, size  # provinces, places, regions, countries, rivers
        assert {"TAJIKISTAN", "Khatlon"} <= {n.text for n in names}, size
        frame = map_frame(root)
        for index, name in enumerate(names):
            assert map_labels.inside(name.box, frame, -0.5), (size, name)
            for other in names[index + 1 :]:
                assert not map_labels.overlaps(name.box, other.box, 0), (size, name, other)


def test_names_do_not_cover_markers(roots: dict[str, ElementTree.Element]) -> None:
    for size, root in roots.items():
        symbols = markers(root)
        assert len(symbols) >= 9, size
        for name in labels(root):
            for symbol in symbols:
                assert not map_labels.overlaps(name.box, symbol, 0), (size, name, symbol)


def test_names_are_sized_for_a_projector(roots: dict[str, ElementTree.Element]) -> None:
    """At least 13 px on the 1280 x 720 slide: 10 pt when the slide is 13.33 inches wide."""
    sizes = [n.box[3] - n.box[1] for n in labels(roots["slide"])]
    assert min(sizes) >= 13
