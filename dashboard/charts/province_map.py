"""The map of northern Afghanistan and the Central Asian side of its border, as a briefing graphic.

Framed on the north (``VIEW_LON``/``VIEW_LAT``: the nine northern provinces and the regions
across the border), shaped to fill the chart's width on the page and on a 16:9 slide; the rest
of Afghanistan appears in a small locator inset. Drawn on Plotly's ``geo`` subplot from our own
GeoJSON (data/geo/), so labels are SVG text and nothing is fetched from a tile or font server.
The geo subplot's world base map is not loaded at all (``_lines_and_points_first``); should a
later plotly.js load it anyway, it is served from static/topojson/ in the app, passed to kaleido
for images and embedded in HTML exports (``TOPOJSON_DIR``), so it still never leaves the
machine.

Shading counts the records, under the current filters (and the year, if one is chosen), that
name a province or a place inside it, in classes a slide can show in its legend; every count
on the map, in a hover or a label, is ``len(places.records_at(view, place))``, the list the page
shows on a click. Designations name no place. Records placed only at country or region level
("northern Afghanistan") are counted in the caption, not spread over provinces. Labels are
placed so they do not collide at the page size and at the slide size (``map_labels``).
"""

from __future__ import annotations

import functools
import html
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from shapely.geometry.polygon import orient

from dashboard import REPO_ROOT
from dashboard.charts import map_labels
from dashboard.charts.figure import assemble, merge
from dashboard.charts.key import is_swatch
from dashboard.charts.map_labels import Canvas, Label
from dashboard.charts.spec import ChartSpec, source_line
from dashboard.charts.swimlanes import wrapped
from dashboard.charts.theme import FONT_FAMILY, MUTED_COLOR, TEXT_COLOR, base_layout_dict
from dashboard.export.chart_files import SLIDE_HEIGHT, SLIDE_WIDTH, STAMP_HEIGHT
from dashboard.view import filters, places
from dashboard.view.filters import FilterState
from dashboard.view.geo import NORTHERN_PROVINCES, join_provinces, load_geo
from dashboard.view.view import View

TOPOJSON_DIR = REPO_ROOT / "static" / "topojson"
TOPOJSON_URL = "/app/static/topojson/"  # where the app serves it (server.enableStaticServing)

# ---- the frame and the figure's shape ------------------------------------------------------------
# The north and the regions across the border; the latitude span is what makes the map as wide
# as the chart at both sizes below (about 2.3 : 1, Mercator).
VIEW_LON = (61.0, 75.4)
VIEW_LAT = (34.72, 39.62)
# The frame's width over its height in Mercator: the page keeps the map's plot at this shape
# at any width (ui.show_chart's ``aspect``), so a phone's map is not a strip in a tall chart.
VIEW_ASPECT = (VIEW_LON[1] - VIEW_LON[0]) / math.degrees(
    math.log(math.tan(math.pi / 4 + math.radians(VIEW_LAT[1]) / 2))
    - math.log(math.tan(math.pi / 4 + math.radians(VIEW_LAT[0]) / 2))
)
MARGIN = (8, 8, 72, 74)  # l, r, t, b: title and subtitle above; legend and sources below
PAGE_HEIGHT = 528
SOURCE_SHIFT = -36  # the source line, in px below the map (under the one-row legend)
# The sizes labels are placed for (and tested at): the page at 1366 px with the sidebar open
# (the chart is about 906 px wide), a wider page, and the exported slide (stamp included).
PAGE = Canvas("page", 906, PAGE_HEIGHT, MARGIN, VIEW_LON, VIEW_LAT)
WIDE_PAGE = Canvas("wide page", 1180, PAGE_HEIGHT, MARGIN, VIEW_LON, VIEW_LAT)
SLIDE = Canvas(
    "slide",
    SLIDE_WIDTH,
    SLIDE_HEIGHT,
    (*MARGIN[:3], MARGIN[3] + STAMP_HEIGHT),
    VIEW_LON,
    VIEW_LAT,
)
CANVASES = (PAGE, WIDE_PAGE, SLIDE)
INSET_X = (0.855, 1.0)  # the locator inset, in the map's bottom-right corner (Pakistan)
INSET_Y = (0.0, 0.27)
INSET_LON = (60.2, 76.2)
INSET_LAT = (29.2, 40.0)
SYMBOL_LEGEND = (0.006, 0.992)  # the symbols' key, top left inside the map (the Karakum desert)
SYMBOL_FONT = 13
CLIP_MARGIN = 0.4  # degrees of geometry kept beyond the frame (the browser draws no more)

# ---- the look ------------------------------------------------------------------------------------
NO_RECORD_FILL = "#ffffff"
CLASS_COLORS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")
CLASS_BREAKS = (1, 2, 4, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
REGION_FILLS = {"TJK": "#f7ebdf", "UZB": "#e7f2ea", "TKM": "#f4e8ef"}
NEIGHBOUR_FILL = "#f0f0f0"
REGION_LINE = "#b8b0a4"
COUNTRY_LINE = "#8b8579"
PROVINCE_LINE = "#9aa3ad"
BORDER_LINE = "#3b4350"
RIVER_COLOR = "#5aa2d6"
RIVER_TEXT = "#1f6fa8"
REGION_TEXT = "#776a58"
MARKERS = {  # place kind -> (legend name, symbol, size, fill, outline)
    "district": ("District named in the sources", "diamond", 13, "#E69F00", TEXT_COLOR),
    "border_crossing": ("Border crossing", "square", 10, "#ffffff", TEXT_COLOR),
    "canal": ("Canal (its head on the Amu Darya)", "triangle-up", 13, "#009E73", TEXT_COLOR),
    "city": ("City", "circle", 10, "#6e7781", TEXT_COLOR),
}
# A white halo around every name, so it reads on any fill (CSS text-shadow, drawn by the browser
# and by kaleido's Chromium; an SVG opened elsewhere may show the names without it).
HALO = (
    "0 0 2px #fff, 0 0 3px #fff, 1px 1px 0 #fff, -1px -1px 0 #fff, 1px -1px 0 #fff, -1px 1px 0 #fff"
)
TITLE_FONT = 18
PROVINCE_FONT = 15
PLACE_FONT = 13
COUNTRY_FONT = 15
REGION_FONT = 13
RIVER_FONT = 13
NAME_FONTS: dict[str, dict[str, Any]] = {  # per kind of name, in the order they are drawn
    "country": {"size": COUNTRY_FONT, "color": MUTED_COLOR, "weight": "bold", "style": "normal"},
    "region": {"size": REGION_FONT, "color": REGION_TEXT, "weight": "normal", "style": "italic"},
    "province": {"size": PROVINCE_FONT, "color": TEXT_COLOR, "weight": "bold", "style": "normal"},
    "river": {"size": RIVER_FONT, "color": RIVER_TEXT, "weight": "normal", "style": "italic"},
}
COUNTRY_LABELS = {  # neighbours named on the map (caps), with the Central Asian three first
    "TJK": "TAJIKISTAN",
    "UZB": "UZBEKISTAN",
    "TKM": "TURKMENISTAN",
    "KGZ": "KYRGYZSTAN",
    "CHN": "CHINA",
    "PAK": "PAKISTAN",
    "IRN": "IRAN",
}
COUNTRY_PLACES = {"TJK": "tajikistan", "UZB": "uzbekistan", "TKM": "turkmenistan"}
RIVER_LABEL_NEAR = {  # where a river's name reads best (the label goes to the nearest free spot)
    "river:Panj:border": (69.6, 37.45),
    "river:Amu Darya:border": (66.9, 37.3),
    "river:Amu Darya:course": (63.6, 38.8),
}


# ---- what the map draws whatever the filters -----------------------------------------------------
def _frame_box(margin: float = CLIP_MARGIN) -> shapely.Geometry:
    return shapely.box(
        VIEW_LON[0] - margin, VIEW_LAT[0] - margin, VIEW_LON[1] + margin, VIEW_LAT[1] + margin
    )


def _mercator(geometry: shapely.Geometry) -> shapely.Geometry:
    """Lon/lat to Mercator degrees, where distances on the map are even in every direction."""
    return shapely.transform(
        geometry,
        lambda xy: np.column_stack(
            [xy[:, 0], np.degrees(np.log(np.tan(np.radians(45 + xy[:, 1] / 2))))]
        ),
    )


def _from_mercator(x: float, y: float) -> tuple[float, float]:
    return x, float(np.degrees(2 * np.arctan(np.exp(np.radians(y)))) - 90)


def interior_points(geometry: shapely.Geometry, count: int = 8) -> tuple[tuple[float, float], ...]:
    """Points well inside the visible part of ``geometry`` (lon, lat), deepest first and spread
    out: the candidate anchors of an area's name."""
    visible = geometry.intersection(_frame_box(-0.15))
    if visible.is_empty:
        return ()
    shape = _mercator(visible)
    x0, y0, x1, y1 = shape.bounds
    step = max(min(x1 - x0, y1 - y0) / 12, 0.04)
    xs, ys = np.meshgrid(np.arange(x0, x1, step), np.arange(y0, y1, step))
    grid = shapely.points(xs.ravel(), ys.ravel())
    grid = grid[shapely.contains(shape, grid)]
    if not len(grid):
        point = shape.representative_point()
        return (_from_mercator(point.x, point.y),)
    depth = shapely.distance(grid, shape.boundary)
    order = np.argsort(-depth)
    chosen: list[shapely.Point] = []
    spacing = max(depth.max() * 0.8, step * 2)
    for index in order:
        point = grid[index]
        if all(point.distance(other) >= spacing for other in chosen):
            chosen.append(point)
        if len(chosen) >= count:
            break
    return tuple(_from_mercator(p.x, p.y) for p in chosen)


def _polygon_arrays(geometry: shapely.Geometry) -> dict[str, Any]:
    """GeoJSON for a (multi)polygon, each ring a numpy array: Plotly copies a figure's data on
    assembly, and an array is copied at once where nested tuples are copied point by point."""
    polygons = [
        part
        for part in shapely.get_parts(geometry)
        if isinstance(part, shapely.Polygon) and not part.is_empty
    ]
    rings = [
        [np.asarray(ring.coords) for ring in (p.exterior, *p.interiors)]
        for p in (orient(q, sign=-1.0) for q in polygons)  # clockwise, as Plotly's geo needs
    ]
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": rings[0]}
    return {"type": "MultiPolygon", "coordinates": rings}


def _feature_collection(frame: Any, id_field: str) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": str(key),
                "properties": {id_field: str(key)},
                "geometry": _polygon_arrays(geometry),
            }
            for key, geometry in zip(frame[id_field], frame.geometry, strict=True)
            if not geometry.is_empty
        ],
    }


def _features(collection: dict[str, Any], ids: Any) -> dict[str, Any]:
    """The part of a feature collection with the given feature ids."""
    wanted = {str(i) for i in ids}
    return {**collection, "features": [f for f in collection["features"] if f["id"] in wanted]}


def _line_coords(geometry: Any) -> tuple[np.ndarray, np.ndarray]:
    """Lon and lat arrays of a (multi)line, parts separated by NaN (a gap in Plotly's line)."""
    lons: list[np.ndarray] = []
    lats: list[np.ndarray] = []
    lines = [
        part
        for part in shapely.get_parts(geometry)
        if isinstance(part, shapely.LineString | shapely.LinearRing) and not part.is_empty
    ]
    for part in shapely.get_parts(shapely.line_merge(shapely.union_all(lines))) if lines else []:
        if part.is_empty:
            continue
        xy = np.asarray(part.coords).round(4)
        lons += [xy[:, 0], np.array([np.nan])]
        lats += [xy[:, 1], np.array([np.nan])]
    if not lons:
        return np.array([]), np.array([])
    return np.concatenate(lons), np.concatenate(lats)


DISPLAY_TOLERANCE = 0.02  # degrees: under 2 px on the slide, the detail a reader can see


def _clipped(frame: Any) -> Any:
    """``frame`` cut to the frame's surroundings and simplified for display, shared edges
    together (no slivers): every reader's browser receives these outlines."""
    box = _frame_box()
    out = frame.copy()
    simplified = shapely.coverage_simplify(frame.geometry.values, DISPLAY_TOLERANCE)
    out["geometry"] = [shapely.set_precision(g.intersection(box), 0.001) for g in simplified]
    return out


@dataclass(frozen=True)
class BaseLayers:
    """Boundaries (as GeoJSON), lines and label anchors: what every build of the map shares,
    worked out once per loaded dataset."""

    provinces: Any  # GeoDataFrame: place_id, name, geometry (clipped to the frame), in_frame
    province_collection: dict[str, Any]
    regions: Any  # GeoDataFrame of the Central Asian regions near the frame
    region_collection: dict[str, Any]
    neighbours: Any
    neighbour_collection: dict[str, Any]
    inset_collection: dict[str, Any]
    north_outline: tuple[np.ndarray, np.ndarray]
    afghan_border: tuple[np.ndarray, np.ndarray]
    river_lines: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]
    anchors: dict[str, tuple[tuple[float, float], ...]]  # label key -> candidate anchors
    areas: dict[str, Any]  # label key -> the shape an area's name should stay inside
    frame_provinces: tuple[tuple[str, str], ...]  # (place_id, name) of provinces in the frame
    outside: tuple[tuple[str, str], ...]  # (place_id, name) of the provinces beyond it
    unplaced: tuple[tuple[str, str], ...]  # (name, kind) of northern places without coordinates
    points: Any  # places with coordinates inside the frame, drawn as markers


@functools.lru_cache(maxsize=4)
def base_layers(ds: Any) -> BaseLayers:
    """Everything the map draws whatever the filters (hashed by the dataset's identity)."""
    geo = load_geo()
    provinces = join_provinces(ds.places, geo.provinces)
    frame_box = _frame_box(0)
    provinces["in_frame"] = provinces.geometry.intersects(frame_box)
    clipped = _clipped(provinces[provinces["in_frame"]])
    # outlines drawn from the same simplified shapes as the fills, so they coincide
    north = clipped[clipped["place_id"].isin(NORTHERN_PROVINCES)]
    outline = _line_coords(shapely.union_all([g.boundary for g in north.geometry]))
    regions = _clipped(geo.regions)
    regions = regions[~regions.geometry.is_empty].reset_index(drop=True)
    neighbours = _clipped(geo.neighbours)
    neighbours = neighbours[~neighbours.geometry.is_empty].reset_index(drop=True)
    afghanistan = shapely.union_all(provinces.geometry.values)
    inset = pd.DataFrame({"place_id": ["afghanistan"], "geometry": [afghanistan.simplify(0.05)]})
    # (the union's edge along the clipping box lies outside the view: cut it off)
    border = shapely.union_all(clipped.geometry.values).boundary.intersection(
        _frame_box(CLIP_MARGIN - 0.05)
    )
    rivers = {}
    for _, river in geo.rivers.iterrows():
        rivers[(river["name"], river["role"])] = _line_coords(
            river.geometry.intersection(_frame_box())
        )
    anchors: dict[str, tuple[tuple[float, float], ...]] = {}
    areas: dict[str, Any] = {}
    for _, province in provinces[provinces["in_frame"]].iterrows():
        key = f"province:{province['place_id']}"
        anchors[key] = interior_points(province.geometry)
        areas[key] = province.geometry
    for _, region in regions[regions["borders_afghanistan"]].iterrows():
        key = f"region:{region['iso_3166_2']}"
        anchors[key] = interior_points(region.geometry)
        areas[key] = region.geometry
    for _, country in geo.neighbours.iterrows():
        if country["iso_a3"] in COUNTRY_LABELS:
            key = f"country:{country['iso_a3']}"
            anchors[key] = interior_points(country.geometry, 12)
            areas[key] = country.geometry
    for _, river in geo.rivers.iterrows():
        line = river.geometry.intersection(_frame_box(-0.4))
        if line.is_empty:
            continue
        key = f"river:{river['name']}:{river['role']}"
        samples = [line.interpolate(f, normalized=True) for f in np.linspace(0.05, 0.95, 19)]
        preferred = shapely.Point(RIVER_LABEL_NEAR.get(key, (samples[9].x, samples[9].y)))
        samples.sort(key=preferred.distance)
        anchors[key] = tuple((p.x, p.y) for p in samples)
    names = places.place_names(ds.places)
    kinds = set(MARKERS)
    located = ds.places[ds.places["kind"].isin(kinds) & ds.places["lat"].notna()]
    in_frame = located["lon"].between(*VIEW_LON) & located["lat"].between(*VIEW_LAT)
    return BaseLayers(
        provinces=clipped,
        province_collection=_feature_collection(clipped, "place_id"),
        regions=regions,
        region_collection=_feature_collection(regions, "iso_3166_2"),
        neighbours=neighbours,
        neighbour_collection=_feature_collection(neighbours, "iso_a3"),
        inset_collection=_feature_collection(inset, "place_id"),
        north_outline=outline,
        afghan_border=_line_coords(border),
        river_lines=rivers,
        anchors=anchors,
        areas=areas,
        frame_provinces=tuple(
            (pid, names.get(pid, name))
            for pid, name in zip(clipped["place_id"], clipped["name"], strict=True)
        ),
        outside=tuple(
            (pid, name)
            for pid, name, kind in zip(
                ds.places["place_id"], ds.places["name"], ds.places["kind"], strict=True
            )
            if kind == "province" and pid not in set(clipped["place_id"])
        ),
        unplaced=tuple(
            (str(name), str(kind))
            for name, kind, lat, parent in zip(
                ds.places["name"],
                ds.places["kind"],
                ds.places["lat"],
                ds.places["parent_id"],
                strict=True,
            )
            if kind in MARKERS and pd.isna(lat) and parent in NORTHERN_PROVINCES
        ),
        points=located.loc[in_frame, ["place_id", "name", "kind", "lon", "lat"]].reset_index(
            drop=True
        ),
    )


# ---- shading classes -----------------------------------------------------------------------------
def count_classes(top: int) -> list[tuple[int, int | None, str]]:
    """Classes for counts 1..top: (low, high or None for open, legend label), at most six."""
    breaks = [b for b in CLASS_BREAKS if b <= max(top, 1)]
    while len(breaks) > len(CLASS_COLORS):
        breaks = breaks[::2] if len(breaks) > 2 * len(CLASS_COLORS) else breaks[:1] + breaks[2:]
    out: list[tuple[int, int | None, str]] = []
    for index, low in enumerate(breaks):
        high = breaks[index + 1] - 1 if index + 1 < len(breaks) else None
        if high is None:
            label = f"{low:,}" if low == top else f"{low:,} or more"
        elif high == low:
            label = f"{low:,}"
        else:
            label = f"{low:,}–{high:,}"
        out.append((low, high, label))
    return out


def class_colors(count: int) -> list[str]:
    """``count`` colours from light to dark, spread over the palette."""
    if count == 1:
        return [CLASS_COLORS[2]]
    picks = np.linspace(0, len(CLASS_COLORS) - 1, count).round().astype(int)
    return [CLASS_COLORS[i] for i in picks]


# ---- the figure ----------------------------------------------------------------------------------
def _shaded(
    name: str,
    collection: dict[str, Any],
    ids: pd.Series,
    fills: tuple[list[str], list[int]],
    line: dict[str, Any],
    customdata: list[list[Any]],
    hover: str,
) -> dict[str, Any]:
    """A layer of our GeoJSON's shapes (``ids``, only their own outlines: the boundaries are
    most of the map's weight, and every reader's browser receives them) as one choropleth, each
    shape filled with ``colors[step]`` for ``fills = (colors, steps)`` from a stepped colour
    scale: a trace costs the browser about a millisecond per draw, whatever it holds."""
    colors, steps = fills
    count = len(colors)
    scale = [[edge / count, color] for number, color in enumerate(colors)
             for edge in (number, number + 1)]  # fmt: skip
    return {
        "type": "choropleth",
        "geo": "geo",
        "geojson": _features(collection, ids),
        "locations": ids.tolist(),
        "featureidkey": "id",
        "z": steps,
        "zmin": -0.5,
        "zmax": count - 0.5,
        "colorscale": scale,
        "showscale": False,
        "marker": {"line": line},
        "customdata": customdata,
        "hovertemplate": hover + "<extra></extra>",
        "name": name,
        "showlegend": False,
    }


def _legend_entry(
    name: str, marker: dict[str, Any], group: str | None, rank: int
) -> dict[str, Any]:
    """A legend swatch only (no point drawn): choropleths show no swatch of their own."""
    return {
        "type": "scattergeo",
        "geo": "geo",
        "lon": [None],
        "lat": [None],
        "mode": "markers",
        "marker": marker,
        "name": name,
        "legendgroup": group,
        "legendrank": rank,
        "hoverinfo": "skip",
        "showlegend": True,
    }


def _count_text(count: int) -> str:
    return f"{count} record" if count == 1 else f"{count} records"


@dataclass(frozen=True)
class MapData:
    """What one build draws: counts per province and place, their classes and the labels."""

    provinces: pd.DataFrame  # place_id, name, count, northern, in_frame
    points: pd.DataFrame  # place_id, name, kind, lon, lat, count
    classes: list[tuple[int, int | None, str]]
    colors: list[str]


def map_data(view: View) -> MapData:
    base = base_layers(view.dataset)
    counts = places.place_counts(view)
    ids = [pid for pid, _ in base.frame_provinces]
    provinces = pd.DataFrame(
        {
            "place_id": ids,
            "name": [name for _, name in base.frame_provinces],
            "count": [int(counts.get(pid, 0)) for pid in ids],
            "northern": [pid in NORTHERN_PROVINCES for pid in ids],
        }
    )
    points = base.points.assign(count=[int(counts.get(pid, 0)) for pid in base.points["place_id"]])
    top = max(provinces["count"].tolist(), default=0)
    classes = count_classes(top)
    return MapData(provinces, points, classes, class_colors(len(classes)))


def _labels(view: View, data: MapData) -> tuple[list[Label], dict[str, str]]:
    """Every label the map would like to show, most important first, and their texts."""
    base = base_layers(view.dataset)
    province_labels: dict[bool, list[Label]] = {True: [], False: []}
    provinces = data.provinces.sort_values(["northern", "count"], ascending=False)
    for _, row in provinces.iterrows():
        if not row["northern"] and row["count"] == 0:
            continue  # the south is context: only provinces with records are named
        text = f"{row['name']} ({row['count']})" if row["count"] else str(row["name"])
        key = f"province:{row['place_id']}"
        province_labels[bool(row["northern"])].append(
            Label(key, text, PROVINCE_FONT, base.anchors.get(key, ()), bold=True,
                  area=base.areas.get(key))
        )  # fmt: skip
    point_labels: dict[bool, list[Label]] = {True: [], False: []}
    for _, row in data.points.sort_values("count", ascending=False).iterrows():
        name = map_name(str(row["name"]), str(row["kind"]))
        text = f"{name} ({row['count']})" if row["count"] else name
        point_labels[bool(row["count"])].append(
            Label(
                f"place:{row['place_id']}",
                text,
                PLACE_FONT,
                ((float(row["lon"]), float(row["lat"])),),
                marker=MARKERS[row["kind"]][2],
                positions=map_labels.POSITIONS,
            )
        )
    # Places with records first (a marker has 8 spots, a province name several anchors), then
    # the northern provinces, the other places, and the south's provinces with records.
    labels: list[Label] = [
        *point_labels[True],
        *province_labels[True],
        *point_labels[False],
        *province_labels[False],
    ]
    for iso, text in COUNTRY_LABELS.items():
        key = f"country:{iso}"
        labels.append(
            Label(key, text, COUNTRY_FONT, base.anchors.get(key, ()), bold=True,
                  area=base.areas.get(key))
        )  # fmt: skip
    for _, region in base.regions[base.regions["borders_afghanistan"]].iterrows():
        key = f"region:{region['iso_3166_2']}"
        labels.append(
            Label(key, str(region["name"]), REGION_FONT, base.anchors.get(key, ()),
                  area=base.areas.get(key))
        )  # fmt: skip
    for name, role in (("Panj", "border"), ("Amu Darya", "border"), ("Amu Darya", "course")):
        key = f"river:{name}:{role}"
        labels.append(
            Label(
                key,
                name,
                RIVER_FONT,
                base.anchors.get(key, ()),
                marker=0.1,
                positions=("top center", "bottom center"),
            )
        )
    texts = {label.key: label.text for label in labels}
    return labels, texts


def symbol_legend_size(kinds: list[str]) -> tuple[float, float]:
    """The symbols' key's size in px (Plotly: 40 px of symbol, the text, rows of ~1.4 x font)."""
    width = max((map_labels.text_width(MARKERS[k][0], SYMBOL_FONT) for k in kinds), default=0)
    return width + 40 + 12, len(kinds) * SYMBOL_FONT * 1.45 + 12


def map_name(name: str, kind: str) -> str:
    """A place's name as the map prints it: a crossing without "bridge"/"crossing" (its square
    symbol says so), so the labels of the crowded border stay short."""
    if kind == "border_crossing":
        for word in (" bridge", " crossing"):
            name = name.replace(word, "")
    return name


def _reserved(kinds: list[str]) -> list[dict[str, map_labels.Box]]:
    """The inset's corner and the symbols' key, on every canvas (labels keep clear of them)."""
    width, height = symbol_legend_size(kinds)
    keys = {}
    for canvas in CANVASES:
        x0, y0, _, _ = canvas.paper_box((SYMBOL_LEGEND[0], 1), (0, SYMBOL_LEGEND[1]))
        keys[canvas.name] = (x0, y0, x0 + width, y0 + height)
    return [{c.name: c.paper_box(INSET_X, INSET_Y) for c in CANVASES}, keys]


def placed_labels(view: View, data: MapData) -> tuple[dict[str, map_labels.Placed], dict[str, str]]:
    """Which labels the map shows and where (see ``map_labels.place``)."""
    labels, texts = _labels(view, data)
    markers = [
        (float(lon), float(lat), map_labels.reach(MARKERS[kind][1], float(MARKERS[kind][2])))
        for lon, lat, kind in zip(data.points["lon"], data.points["lat"], data.points["kind"],
                                  strict=True)
    ]  # fmt: skip
    kinds = [k for k in MARKERS if (data.points["kind"] == k).any()]
    placed = map_labels.place(labels, CANVASES, markers=markers, reserved=_reserved(kinds))
    return placed, texts


def province_map_figure(
    view: View, data: MapData, *, title: str, subtitle: str, source_text: str
) -> go.Figure:
    base = base_layers(view.dataset)
    placed, texts = placed_labels(view, data)
    counts = places.place_counts(view)
    country_names = places.place_names(view.dataset.places)
    traces: list[dict[str, Any]] = []

    # 1. Neighbouring countries, then the Central Asian regions across the border.
    neighbours = base.neighbours
    traces.append(
        _shaded(
            "Neighbouring countries",
            base.neighbour_collection,
            neighbours["iso_a3"],
            ([NEIGHBOUR_FILL], [0] * len(neighbours)),
            {"color": COUNTRY_LINE, "width": 1.0},
            [[html.escape(str(name))] for name in neighbours["name"]],
            "%{customdata[0]}",
        )
    )
    regions = base.regions[base.regions["iso_a3"].isin(list(REGION_FILLS))]
    countries = [COUNTRY_PLACES[iso] for iso in regions["iso_a3"]]
    named = {place: _count_text(int(counts.get(place, 0))) for place in set(countries)}
    steps = [list(REGION_FILLS).index(iso) for iso in regions["iso_a3"]]
    traces.append(
        _shaded(
            "Regions across the border",
            base.region_collection,
            regions["iso_3166_2"],
            (list(REGION_FILLS.values()), steps),
            {"color": REGION_LINE, "width": 0.7},
            [
                [country, html.escape(str(name)), html.escape(country_names.get(country, "")),
                 named[country]]
                for country, name in zip(countries, regions["name"], strict=True)
            ],
            "<b>%{customdata[1]}</b> (%{customdata[2]})<br>No record is placed in a region here; "
            "%{customdata[3]} name %{customdata[2]}<br><i>click to list them below</i>",
        )
    )  # fmt: skip

    # 2. Afghan provinces in classes (no record: white), each class a legend entry.
    provinces = data.provinces
    bins: list[tuple[str, str, pd.Series]] = [
        ("No record", NO_RECORD_FILL, provinces["count"] == 0)
    ]
    for (low, high, label), color in zip(data.classes, data.colors, strict=True):
        upper = high if high is not None else np.inf
        bins.append((label, color, (provinces["count"] >= low) & (provinces["count"] <= upper)))
    rank = np.select([inside for *_, inside in bins], list(range(len(bins))), default=-1)
    shown = provinces[rank >= 0]
    traces.append(
        _shaded(
            "Provinces",
            base.province_collection,
            shown["place_id"],
            ([color for _, color, _ in bins], rank[rank >= 0].tolist()),
            {"color": PROVINCE_LINE, "width": 0.8},
            [
                [pid, html.escape(str(n)), _count_text(int(c))]
                for pid, n, c in zip(shown["place_id"], shown["name"], shown["count"], strict=True)
            ],
            "<b>%{customdata[1]}</b><br>%{customdata[2]} name it or a place in it<br>"
            "<i>click to list them below</i>",
        )
    )
    for number, (label, color, _) in enumerate(bins):
        traces.append(
            _legend_entry(
                "No record" if number == 0 else label,
                {"symbol": "square", "size": 14, "color": color,
                 "line": {"color": PROVINCE_LINE, "width": 1}},
                "shading",
                number,
            )
        )  # fmt: skip

    # 3. Rivers under the border line; the northern provinces outlined.
    for (name, role), (lons, lats) in base.river_lines.items():
        traces.append(
            {
                "type": "scattergeo",
                "geo": "geo",
                "lon": lons,
                "lat": lats,
                "mode": "lines",
                "line": {"color": RIVER_COLOR, "width": 5 if role == "border" else 2.5},
                "hoverinfo": "skip",
                "name": f"{name} ({'the border' if role == 'border' else 'river'})",
                "legendgroup": "river",
                "showlegend": False,
            }
        )
    lons, lats = base.north_outline
    traces.append(
        {
            "type": "scattergeo",
            "geo": "geo",
            "lon": lons,
            "lat": lats,
            "mode": "lines",
            "line": {"color": TEXT_COLOR, "width": 1.3},
            "hoverinfo": "skip",
            "name": "Northern provinces (outlined)",
            "showlegend": False,
        }
    )
    lons, lats = base.afghan_border
    traces.append(
        {
            "type": "scattergeo",
            "geo": "geo",
            "lon": lons,
            "lat": lats,
            "mode": "lines",
            "line": {"color": BORDER_LINE, "width": 1.6},
            "hoverinfo": "skip",
            "name": "Afghanistan's border",
            "showlegend": False,
        }
    )

    # 4. Names of countries, regions, provinces and rivers (where they fit): one trace, a font
    # per name (a trace costs the browser about a millisecond per draw, whatever it holds).
    names = [(key, label) for kind in NAME_FONTS for key, label in placed.items()
             if key.startswith(f"{kind}:")]  # fmt: skip
    kinds = [key.partition(":")[0] for key, _ in names]
    traces.append(
        {
            "type": "scattergeo",
            "geo": "geo",
            "lon": [label.anchor[0] for _, label in names],
            "lat": [label.anchor[1] for _, label in names],
            "text": [html.escape(texts[key]) for key, _ in names],
            "mode": "text",
            "textposition": [label.position if kind == "river" else "middle center"
                             for kind, (_, label) in zip(kinds, names, strict=True)],
            "textfont": {
                "family": FONT_FAMILY,
                "shadow": HALO,
                **{attr: [NAME_FONTS[kind][attr] for kind in kinds]
                   for attr in ("size", "color", "weight", "style")},
            },
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "Names of countries, regions, provinces and rivers",
            "meta": {"role": "names", "kinds": kinds},
        }
    )  # fmt: skip

    # 5. Places: one trace, a symbol per kind; the symbols' legend from a swatch per kind.
    points = data.points[data.points["kind"].isin(list(MARKERS))]
    order = [list(MARKERS).index(kind) for kind in points["kind"]]
    points = points.iloc[np.argsort(order, kind="stable")]
    looks = [MARKERS[kind] for kind in points["kind"]]
    keys = [f"place:{pid}" for pid in points["place_id"]]
    if len(points):
        traces.append(
            {
                "type": "scattergeo",
                "geo": "geo",
                "lon": points["lon"].astype(float).tolist(),
                "lat": points["lat"].astype(float).tolist(),
                "mode": "markers+text",
                "text": [html.escape(texts[k]) if k in placed else "" for k in keys],
                "textposition": [placed[k].position if k in placed else "top center"
                                 for k in keys],
                "textfont": {"family": FONT_FAMILY, "size": PLACE_FONT, "color": TEXT_COLOR,
                             "shadow": HALO},
                "marker": {"symbol": [look[1] for look in looks],
                           "size": [look[2] for look in looks],
                           "color": [look[3] for look in looks],
                           "opacity": 1,  # (a size per mark makes Plotly default to 0.7)
                           "line": {"color": [look[4] for look in looks], "width": 1.2}},
                "customdata": [
                    [pid, html.escape(str(n)), places.KIND_LABELS.get(kind, kind),
                     _count_text(int(c))]
                    for pid, n, kind, c in zip(points["place_id"], points["name"],
                                               points["kind"], points["count"], strict=True)
                ],
                "hovertemplate": "<b>%{customdata[1]}</b> (%{customdata[2]})<br>"
                "%{customdata[3]} name it<br><i>click to list them below</i><extra></extra>",
                "name": "Places named in the sources",
                "meta": {"role": "places"},
                "showlegend": False,
            }
        )  # fmt: skip
    for rank, (kind, (legend, symbol, size, fill, line)) in enumerate(MARKERS.items()):
        if kind in set(points["kind"]):
            traces.append(
                {
                    **_legend_entry(legend, {"symbol": symbol, "size": size, "color": fill,
                                             "line": {"color": line, "width": 1.2}},
                                    None, rank),
                    "legend": "legend2",
                }
            )  # fmt: skip

    # 6. The locator inset: all of Afghanistan, and the frame of the main map.
    traces.append(
        {
            "type": "choropleth",
            "geo": "geo2",
            "geojson": base.inset_collection,
            "locations": ["afghanistan"],
            "z": [0],
            "featureidkey": "id",
            "colorscale": [[0, "#ffffff"], [1, "#ffffff"]],
            "showscale": False,
            "marker": {"line": {"color": BORDER_LINE, "width": 0.8}},
            "hoverinfo": "skip",
            "name": "Afghanistan (locator)",
            "showlegend": False,
        }
    )
    box_lon, box_lat = _frame_outline()
    traces.append(
        {
            "type": "scattergeo",
            "geo": "geo2",
            "lon": box_lon,
            "lat": box_lat,
            "mode": "lines",
            "line": {"color": "#D55E00", "width": 1.5},
            "hoverinfo": "skip",
            "name": "This map's frame (locator)",
            "showlegend": False,
        }
    )

    layout = base_layout_dict(title=title, subtitle=subtitle, source_line=source_text)
    for note in layout["annotations"]:
        note["yshift"] = SOURCE_SHIFT
    merge(
        layout,
        {
            "height": PAGE_HEIGHT,
            "margin": dict(zip(("l", "r", "t", "b"), MARGIN, strict=True)),
            # (Plotly sets the first line's baseline at the pad: room for its ascent)
            "title": {"font": {"size": TITLE_FONT}, "yref": "container", "y": 1, "yanchor": "top",
                      "pad": {"t": 26}},
            "clickmode": "event+select",
            "dragmode": False,
            "legend": {
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": -0.012,
                "yanchor": "top",
                "font": {"size": 12},
                "itemsizing": "constant",
                "title": {"text": "Records naming a province or a place in it:",
                          "side": "left", "font": {"size": 12}},
                "traceorder": "normal",
                "itemclick": False,
                "itemdoubleclick": False,
            },
            "legend2": {
                "x": SYMBOL_LEGEND[0],
                "y": SYMBOL_LEGEND[1],
                "xanchor": "left",
                "yanchor": "top",
                "bgcolor": "rgba(255,255,255,0.85)",
                "bordercolor": "#c9ced4",
                "borderwidth": 1,
                "font": {"size": SYMBOL_FONT},
                "itemclick": False,
                "itemdoubleclick": False,
            },
            "geo": _geo_layout(VIEW_LON, VIEW_LAT, {"x": [0, 1], "y": [0, 1]}, frame=True),
            "geo2": _geo_layout(INSET_LON, INSET_LAT, {"x": list(INSET_X), "y": list(INSET_Y)},
                                frame=True, background="#f6f7f8"),
        },
    )  # fmt: skip
    return assemble(_lines_and_points_first(traces), layout)


def _lines_and_points_first(traces: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The traces that draw by longitude and latitude first, then the choropleths, then the
    legend's swatches; each kind in its own order.

    Plotly's geo loads its world base map (a second request, after the page's own, before it
    draws) unless a geo's first trace is placed by longitude and latitude (plotly.js 3.8,
    ``geo.plot`` looks at that trace alone), and the map uses none of the base map's layers:
    its shapes are our own GeoJSON. Swatches last let the page leave them out
    (``theme.screen_figure``). Nothing drawn changes: a geo draws every choropleth beneath
    every scattergeo whatever their order, and the legends follow ``legendrank``; a click is
    read from the place in its ``customdata``, not from a trace number.
    """

    def rank(trace: dict[str, Any]) -> int:
        if is_swatch(trace):
            return 2
        return 0 if trace["type"] == "scattergeo" else 1

    return sorted(traces, key=rank)


def _class_color(data: MapData, count: int) -> str:
    for (low, high, _), color in zip(data.classes, data.colors, strict=True):
        if count >= low and (high is None or count <= high):
            return color
    return NO_RECORD_FILL


def _frame_outline() -> tuple[list[float], list[float]]:
    """The main map's frame as a line that follows the parallels (not great circles)."""
    (w, e), (s, n) = VIEW_LON, VIEW_LAT
    lons = list(np.linspace(w, e, 20)) + list(np.linspace(e, w, 20)) + [w]
    lats = [s] * 20 + [n] * 20 + [s]
    return [round(x, 3) for x in lons], [round(y, 3) for y in lats]


def _geo_layout(
    lon: tuple[float, float],
    lat: tuple[float, float],
    domain: dict[str, list[float]],
    *,
    frame: bool,
    background: str = "#ffffff",
) -> dict[str, Any]:
    return {
        "domain": domain,
        "projection": {"type": "mercator"},
        "lonaxis": {"range": list(lon)},
        "lataxis": {"range": list(lat)},
        "showland": False,
        "showcountries": False,
        "showcoastlines": False,
        "showlakes": False,
        "showrivers": False,
        "showocean": False,
        "showframe": frame,
        "framecolor": "#c9ced4",
        "framewidth": 1,
        "bgcolor": background,
    }


# ---- the finding, and the builder ----------------------------------------------------------------
def map_title(provinces: pd.DataFrame, year: int | None = None) -> str:
    """The finding: which provinces the records name most (as many as fit the page's width)."""
    named = provinces[provinces["count"] > 0].sort_values(
        ["count", "name"], ascending=[False, True]
    )
    when = f"In {year}, " if year else ""
    if named.empty:
        text = f"{when}no record under the current filters names an Afghan province"
        return text[0].upper() + text[1:]
    noun = "province" if len(named) == 1 else "provinces"
    verb = "records name" if when else "Records name"
    room = PAGE.width - MARGIN[0] - MARGIN[1] - 20
    for shown in (3, 2, 1):
        top = named.head(shown)
        listed = ", ".join(
            f"{name} ({count})" for name, count in zip(top["name"], top["count"], strict=True)
        )
        title = f"{when}{verb} {len(named)} Afghan {noun}, most often {listed}"
        if map_labels.text_width(title, TITLE_FONT, bold=True) <= room:
            break
    return title


def year_note(year: int | None) -> str:
    return f"year {year} (records whose date reaches it)" if year else ""


def build_province_map(ds: Any, state: FilterState, *, year: int | None = None) -> ChartSpec:
    """The map, its caption and the located records (one row per record and province)."""
    view = places.year_view(ds, state, year)
    data = map_data(view)
    records = places.located_records(view)
    source_ids = tuple(records["source_id"].astype(str).unique())  # in order of first use
    title = map_title(data.provinces, year)
    subtitle = state.describe(filters.filter_options(ds).labels())
    if year:
        subtitle = f"{year_note(year)}; {subtitle}"
    fig = province_map_figure(
        view,
        data,
        title=html.escape(title),
        subtitle=html.escape(subtitle),
        source_text=wrapped(source_line(ds, source_ids), 130),
    )
    return ChartSpec(
        chart_id="province-map" if not year else f"province-map-{year}",
        title=title,
        caption=map_caption(view, data, year),
        figure=fig,
        rows=_csv_rows(records),
        source_ids=source_ids,
    )


def map_caption(view: View, data: MapData, year: int | None) -> str:
    base = base_layers(view.dataset)
    caption = (
        "Shading counts the events and strength estimates, under the current filters"
        + (f" and dated in {year}" if year else "")
        + ", that name a province or a place inside it; designations name no place. The nine "
        "northern provinces are outlined; the Panj and the Amu Darya, Afghanistan's border with "
        "Tajikistan and Uzbekistan, are drawn in blue. Markers are the districts the sources "
        "name and the border crossings, at coordinates from a cited gazetteer (places.csv). "
        "Click a province, region or marker to list its records."
    )
    unlocated = places.unlocated_count(view)
    if unlocated:
        caption += (
            f" {unlocated} further record(s) are placed only at country or region level "
            "(Afghanistan, northern Afghanistan, the Tajik border) and are not shaded."
        )
    counts = places.place_counts(view)
    beyond = [(name, counts[pid]) for pid, name in base.outside if counts.get(pid, 0)]
    if beyond:
        listed = ", ".join(f"{name} ({n})" for name, n in beyond)
        caption += f" Outside this frame (see the inset): {listed}."
    if base.unplaced:
        caption += (
            " Not drawn, for want of citable coordinates: "
            + ", ".join(f"{n} ({places.KIND_LABELS.get(k, k)})" for n, k in base.unplaced)
            + "; their records count for their province."
        )
    return caption


def _csv_rows(records: pd.DataFrame) -> pd.DataFrame:
    """The rows behind the map for the CSV download: one per record and province."""
    columns = [
        "province_id", "province", "named_place_id", "named_as", "record_type", "record_id",
        "title", "date", "source_id", "source_label", "evidence_type", "quote", "evidence",
    ]  # fmt: skip
    return records.reindex(columns=columns)


# ---- what a reader can pick on the map -----------------------------------------------------------
@functools.lru_cache(maxsize=4)
def selectable_places(ds: Any) -> dict[str, str]:
    """The places the map shows or stands for, id -> "Name (kind)", in the order a reader looks
    for them: the northern provinces, the marked places, the districts without a marker, the
    rivers, the Central Asian neighbours, then the other provinces in the frame."""
    base = base_layers(ds)
    table = ds.places.set_index("place_id")

    def label(pid: str) -> str:
        name, kind = str(table.at[pid, "name"]), str(table.at[pid, "kind"])
        words = places.KIND_LABELS.get(kind, kind).split()
        said = any(word in name.lower() for word in (*words, "bridge", "crossing"))
        return name if said else f"{name} ({places.KIND_LABELS.get(kind, kind)})"

    ordered: list[str] = [p for p in NORTHERN_PROVINCES if p in table.index]
    ordered += list(base.points["place_id"])
    unmarked = ds.places[
        ds.places["kind"].isin(list(MARKERS)) & ds.places["lat"].isna()
        & ds.places["parent_id"].isin(NORTHERN_PROVINCES)
    ]  # fmt: skip
    ordered += list(unmarked["place_id"])
    ordered += list(ds.places.loc[ds.places["kind"] == "river", "place_id"])
    ordered += [p for p in COUNTRY_PLACES.values() if p in table.index]
    ordered += sorted(set(base.provinces["place_id"]) - set(ordered))
    return {pid: label(pid) for pid in dict.fromkeys(ordered) if pid in table.index}


MAP_YEARS = tuple(range(2021, 2026))  # the years a briefer steps through (the control's choices)


@functools.lru_cache(maxsize=4)
def map_years(ds: Any) -> tuple[int, ...]:
    """2021-2025, and any other year a record placed in a province is dated in."""
    from dashboard.view.view import view_of

    rows = places.located_records(view_of(ds, FilterState()))
    starts = pd.to_datetime(rows["date_start"]).dropna().dt.year
    ends = pd.to_datetime(rows["date_end"]).dropna().dt.year
    years = set(MAP_YEARS)
    for start, end in zip(starts, ends, strict=False):
        years.update(range(int(start), int(end) + 1))
    return tuple(sorted(years))


def year_counts(ds: Any, state: FilterState) -> dict[int | None, int]:
    """Records placed in a province, per year (None: all years), for the year control."""
    from dashboard.view.view import view_of

    return places.year_counts(view_of(ds, state), map_years(ds))
