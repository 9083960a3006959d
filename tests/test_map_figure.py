"""The map's figure: framed on the north and filling the width at page and slide size, the
Central Asian side drawn and named, counts that are the lists' lengths, markers from
places.csv, labels clear of each other, and nothing that points at a tile server or CDN."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
import shapely

from dashboard.charts import map_labels, province_map
from dashboard.charts.province_map import CANVASES, MARKERS, VIEW_LAT, VIEW_LON
from dashboard.ingest.loader import Dataset, load_dataset
from dashboard.view import places
from dashboard.view.filters import FilterState
from dashboard.view.geo import NORTHERN_PROVINCES, join_provinces, load_geo
from dashboard.view.view import view_of


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def spec(ds: Dataset):
    return province_map.build_province_map(ds, FilterState())


def traces(fig, prefix: str) -> list:
    return [trace for trace in fig.data if trace.name and trace.name.startswith(prefix)]


def names(fig, kind: str) -> list[str]:
    """The names of one kind ("country", "region", "province", "river") the map draws."""
    (trace,) = [t for t in fig.data if (t.meta or {}).get("role") == "names"]
    return [text for text, k in zip(trace.text, trace.meta["kinds"], strict=True) if k == kind]


def place_marks(fig):
    """The places' markers (one trace, a symbol per kind of place)."""
    (trace,) = [t for t in fig.data if (t.meta or {}).get("role") == "places"]
    return trace


def shaded(fig) -> dict[str, int]:
    """Province id -> the count its hover states, over every class of the shading."""
    out: dict[str, int] = {}
    for trace in traces(fig, "Provinces"):
        for location, custom in zip(trace.locations, trace.customdata, strict=True):
            assert location not in out, f"{location} drawn twice"
            out[location] = int(custom[2].split()[0])
    return out


# ---- the frame -----------------------------------------------------------------------------------
def test_the_frame_holds_the_north_and_the_regions_across_the_border(ds: Dataset) -> None:
    geo = load_geo()
    provinces = join_provinces(ds.places, geo.provinces)
    north = provinces[provinces["place_id"].isin(NORTHERN_PROVINCES)]
    west, south, east, north_edge = shapely.union_all(north.geometry.values).bounds
    assert VIEW_LON[0] <= west and east <= VIEW_LON[1]
    assert VIEW_LAT[0] - 0.1 <= south and north_edge <= VIEW_LAT[1]  # (south: a sliver of Baghlan)
    frame = shapely.box(VIEW_LON[0], VIEW_LAT[0], VIEW_LON[1], VIEW_LAT[1])
    for name in ("Khatlon", "Gorno-Badakhshan", "Surxondaryo", "Lebap", "Mary"):
        (region,) = geo.regions[geo.regions["name"] == name].geometry
        share = region.intersection(frame).area / region.area
        assert share > 0.5, name
    # roughly the 34.5-40.5 N, 61-75.5 E, kept at the shape that fills the width
    assert 61 <= VIEW_LON[0] < VIEW_LON[1] <= 75.5
    assert 34.5 <= VIEW_LAT[0] < VIEW_LAT[1] <= 40.5


@pytest.mark.parametrize("canvas", CANVASES, ids=[c.name for c in CANVASES])
def test_the_map_fills_the_width(canvas: map_labels.Canvas) -> None:
    """At the page's width (1366 px screen) and on the 16:9 slide the map spans the chart."""
    x0, _, x1, _ = canvas.map_box
    plot_width = canvas.width - canvas.margin[0] - canvas.margin[1]
    if canvas.name == "wide page":  # a wider screen: the height limits it, still three quarters
        assert (x1 - x0) / plot_width > 0.7
    else:
        assert (x1 - x0) / plot_width > 0.97


def test_the_figure_is_laid_out_as_the_canvases_assume(spec) -> None:
    layout = spec.figure.layout
    assert tuple(layout.geo.lonaxis.range) == VIEW_LON
    assert tuple(layout.geo.lataxis.range) == VIEW_LAT
    assert layout.geo.projection.type == "mercator"
    assert layout.height == province_map.PAGE_HEIGHT == province_map.PAGE.height
    margin = layout.margin
    assert (margin.l, margin.r, margin.t, margin.b) == province_map.MARGIN
    assert tuple(layout.geo2.domain.x) == province_map.INSET_X  # the locator inset


# ---- counts --------------------------------------------------------------------------------------
def test_every_province_in_the_frame_is_drawn_once_with_its_count(ds: Dataset, spec) -> None:
    counts = shaded(spec.figure)
    view = view_of(ds, FilterState())
    assert set(NORTHERN_PROVINCES) <= set(counts)
    for place_id, count in counts.items():
        assert count == len(places.records_at(view, place_id)), place_id
    assert counts["badakhshan"] > 0 and counts["baghlan"] == 0
    assert "Badakhshan" in spec.title


def test_every_marker_counts_what_its_click_lists(ds: Dataset, spec) -> None:
    view = view_of(ds, FilterState())
    seen = 0
    for custom in place_marks(spec.figure).customdata:
        listed = len(places.records_at(view, custom[0]))
        assert custom[3] == province_map._count_text(listed), custom
        seen += 1
    assert seen >= 9


def test_counts_follow_the_filters_and_the_year(ds: Dataset, spec) -> None:
    everything = shaded(spec.figure)
    source = "004-d3846a0bdc6f5d90"
    only = province_map.build_province_map(ds, FilterState(sources=(source,)))
    assert set(only.rows["source_id"]) == {source}
    assert sum(shaded(only.figure).values()) < sum(everything.values())
    nothing = province_map.build_province_map(ds, FilterState(date_to=dt.date(2000, 1, 1)))
    assert sum(shaded(nothing.figure).values()) == 0 and "o record" in nothing.title
    year = province_map.build_province_map(ds, FilterState(), year=2023)
    assert year.title.startswith("In 2023,")
    assert "year 2023" in year.figure.layout.title.text
    view = places.year_view(ds, FilterState(), 2023)
    for place_id, count in shaded(year.figure).items():
        assert count == len(places.records_at(view, place_id))
    assert sum(shaded(year.figure).values()) < sum(everything.values())


# ---- what is drawn -------------------------------------------------------------------------------
def test_markers_are_the_places_with_cited_coordinates(ds: Dataset, spec) -> None:
    table = ds.places.set_index("place_id")
    drawn = {}
    marks = place_marks(spec.figure)
    for custom, lon, lat, symbol in zip(
        marks.customdata, marks.lon, marks.lat, marks.marker.symbol, strict=True
    ):
        drawn[custom[0]] = (lon, lat)
        assert symbol == MARKERS[table.at[custom[0], "kind"]][1]  # the kind's symbol
    legends = {t.name for t in spec.figure.data if t.legend == "legend2"}
    assert legends == {MARKERS[k][0] for k in set(table.loc[list(drawn), "kind"])}
    assert {"nusay", "khwahan", "shekay", "kosh-tepa-canal"} <= set(drawn)
    crossings = set(table.index[table["kind"] == "border_crossing"])
    assert {"hairatan-termez-bridge", "sherkhan-bandar-bridge"} <= crossings <= set(drawn)
    for place_id, (lon, lat) in drawn.items():
        assert (lon, lat) == (float(table.at[place_id, "lon"]), float(table.at[place_id, "lat"]))
        assert VIEW_LON[0] <= lon <= VIEW_LON[1] and VIEW_LAT[0] <= lat <= VIEW_LAT[1]
        if table.at[place_id, "kind"] in ("district", "border_crossing"):
            assert table.at[place_id, "coordinates_url"].startswith("http"), place_id
    # districts without a citable coordinate are not drawn, and the caption says so
    assert not {"kuf-ab", "maimay"} & set(drawn)
    assert "Kuf Ab (district), Maimay (district)" in spec.caption


def test_the_regions_across_the_border_are_outlined_and_named(spec) -> None:
    regions = [loc for trace in traces(spec.figure, "Regions across") for loc in trace.locations]
    assert {"TJ-KT", "TJ-GB", "UZ-SU", "TM-L", "TM-M"} <= set(regions)
    regions_named = set(names(spec.figure, "region"))
    assert {"Khatlon", "Gorno-Badakhshan", "Surxondaryo", "Lebap", "Mary"} <= regions_named
    assert {"TAJIKISTAN", "UZBEKISTAN", "TURKMENISTAN"} <= set(names(spec.figure, "country"))


def test_the_panj_and_the_amu_darya_are_drawn_as_the_border(spec) -> None:
    def span(trace) -> tuple[float, float]:
        return float(np.nanmin(trace.lon)), float(np.nanmax(trace.lon))

    (panj,) = traces(spec.figure, "Panj (the border)")
    (amu,) = traces(spec.figure, "Amu Darya (the border)")
    assert span(panj)[0] < 68.5 and span(panj)[1] > 73  # Kunduz to the Pamirs
    assert span(amu)[0] < 66 and span(amu)[1] > 68  # Faryab to the Vakhsh
    assert panj.line.width > traces(spec.figure, "Afghanistan's border")[0].line.width
    assert {"Panj", "Amu Darya"} <= set(names(spec.figure, "river"))


def test_no_tiles_and_no_external_urls_in_the_figure(spec) -> None:
    fig = spec.figure
    text = json.dumps(fig.to_plotly_json(), default=str)
    assert "http://" not in text and "https://" not in text
    assert not fig.layout.map.style  # no tile style: the geo subplot draws our GeoJSON
    assert {trace.type for trace in fig.data} <= {"choropleth", "scattergeo"}


# ---- labels --------------------------------------------------------------------------------------
def test_placed_labels_do_not_collide_at_any_size(ds: Dataset) -> None:
    """The placement's own model; tests/test_map_svg.py checks the exported SVG itself."""
    for state in (FilterState(), FilterState(seed_only=True)):
        view = view_of(ds, state)
        data = province_map.map_data(view)
        labels, _texts = province_map._labels(view, data)
        placed, _ = province_map.placed_labels(view, data)
        by_key = {label.key: label for label in labels}
        for canvas in CANVASES:
            boxes = [
                map_labels.label_box(by_key[k], canvas, p.anchor, p.position)
                for k, p in placed.items()
            ]
            for i, box in enumerate(boxes):
                assert map_labels.inside(box, canvas.map_box, 0)
                for other in boxes[i + 1 :]:
                    assert not map_labels.overlaps(box, other, 0)
        # every name the issue cares about is shown
        for key in ("province:badakhshan", "province:kunduz", "province:takhar",
                    "province:jowzjan", "province:sar-e-pol", "place:kosh-tepa-canal",
                    "place:nusay", "region:TJ-KT", "country:TJK"):  # fmt: skip
            assert key in placed, key


def test_a_label_that_cannot_fit_is_left_out() -> None:
    canvas = map_labels.Canvas("small", 200, 100, (0, 0, 0, 0), (60, 62), (35, 36))
    wide = map_labels.Label("a", "A name far too long for this small map", 14, ((61, 35.5),))
    short = map_labels.Label("b", "Fits", 14, ((61, 35.5),))
    same_spot = map_labels.Label("c", "Fits", 14, ((61, 35.5),))
    placed = map_labels.place([wide, short, same_spot], [canvas])
    assert set(placed) == {"b"}


def test_text_width_uses_the_fonts_advances() -> None:
    assert map_labels.text_width("iii", 10) < map_labels.text_width("MMM", 10)
    assert map_labels.text_width("Balkh", 14, bold=True) > map_labels.text_width("Balkh", 14)
    assert map_labels.text_width("<b>Balkh</b>", 14) == map_labels.text_width(
        "Balkh", 14, bold=True
    )


def test_shading_classes_cover_every_count() -> None:
    for top in (1, 2, 3, 6, 12, 40, 999, 25_000):
        classes = province_map.count_classes(top)
        assert 1 <= len(classes) <= len(province_map.CLASS_COLORS)
        assert classes[0][0] == 1 and classes[-1][1] is None
        for count in range(1, min(top, 300) + 1):
            hits = [c for c in classes if c[0] <= count and (c[1] is None or count <= c[1])]
            assert len(hits) == 1, (top, count)
    assert [label for *_, label in province_map.count_classes(6)] == ["1", "2–3", "4 or more"]


def test_no_geo_waits_for_a_world_base_map(spec) -> None:
    """plotly.js (3.8) loads its world base map, a request before the map is drawn, when a
    geo's first trace names ``locations`` or a base layer is shown; the map shows none, and
    each geo (the map, the inset) starts with a trace placed by longitude and latitude."""
    for figure in (spec.figure, spec.screen_figure):
        layout = figure.layout
        for geo in ("geo", "geo2"):
            shown = [key for key in ("land", "countries", "coastlines", "lakes", "rivers", "ocean",
                                     "subunits") if getattr(layout[geo], f"show{key}")]  # fmt: skip
            assert not shown, (geo, shown)
            first = next(
                t for t in figure.data if (t.geo or "geo") == geo and t.visible is not False
            )
            assert first.type == "scattergeo" and first.locations is None, (geo, first.name)
