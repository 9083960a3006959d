"""The map of northern Afghanistan and its borders with Central Asia, as a pure Plotly figure.

Drawn on Plotly's ``geo`` subplot from our own GeoJSON (data/geo/), so labels are SVG text and
nothing is fetched from a tile server or font server. The one file the geo subplot loads
regardless (its world base map) is served from static/topojson/ in the app, passed to kaleido
for images and embedded in HTML exports (``TOPOJSON_DIR``).

Shading counts records, under the current filters, that name a province: events and estimates
whose places are the province or a place inside it (a district, a city). Designations name no
place. Records placed only at country or region level ("northern Afghanistan") are counted in
the caption, not spread over provinces.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import shapely

from dashboard import REPO_ROOT
from dashboard.charts.figure_draft import FigureDraft, choropleth, scattergeo
from dashboard.charts.spec import ChartSpec, source_line
from dashboard.charts.swimlanes import wrapped
from dashboard.charts.theme import FONT_FAMILY, MUTED_COLOR, TEXT_COLOR, base_layout
from dashboard.view import filters
from dashboard.view.filters import FilterState
from dashboard.view.geo import NORTHERN_PROVINCES, join_provinces, load_geo, province_of

TOPOJSON_DIR = REPO_ROOT / "static" / "topojson"
TOPOJSON_URL = "/app/static/topojson/"  # where the app serves it (server.enableStaticServing)
VIEW_LON = (60.3, 75.2)
VIEW_LAT = (29.3, 40.6)
ZERO_FILL = "#eef0f2"
NEIGHBOUR_FILL = "#f7f7f7"
SHADES = [[0.0, "#c6dbef"], [0.5, "#4292c6"], [1.0, "#08306b"]]
FOCUS_BORDERS = {  # the Central Asian borders, each its own colour (Okabe–Ito)
    "TJK": ("#D55E00", "solid"),
    "UZB": ("#009E73", "solid"),
    "TKM": ("#CC79A7", "solid"),
}
OTHER_BORDER = ("#9aa0a6", "dot")
POINT_KINDS = ("district", "city", "canal")
# Where a country's name sits when the computed point would collide with a marker (hand-placed,
# as a cartographer would): Tajikistan's visible part is crowded by Badakhshan's markers.
LABEL_POINTS = {"TJK": (68.9, 38.95)}
# Areas wider than a province: a record naming only these is counted as "not on the map".
BROAD_AREAS = ("afghanistan", "northern-afghanistan", "tajik-afghan-border")
TEXT_POSITIONS = {"kosh-tepa-canal": "top left", "nusay": "bottom right"}


def _split_ids(value: object) -> list[str]:
    return [part for part in str(value or "").split("|") if part] if isinstance(value, str) else []


def located_records(ds: Any, state: FilterState) -> pd.DataFrame:
    """One row per (record, province) for filtered events and estimates naming a province.

    Columns: province_id, place_id (as named), record_type, record_id, title, date, source_id,
    source_label, source_kind, quote, evidence.
    """
    inside = province_of(ds.places)
    names = dict(zip(ds.places["place_id"], ds.places["name"], strict=True))
    columns_out = [
        "province_id", "province", "place_id", "record_type", "record_id", "title", "date",
        "source_id", "source_label", "evidence_type", "quote", "evidence",
    ]  # fmt: skip
    parts = []
    tables = (
        ("event", ds.events, filters.EVENT_COLUMNS, "event_id", "date"),
        ("estimate", ds.estimates, filters.ESTIMATE_COLUMNS, "estimate_id", "as_of"),
    )
    # Column-wise, not record by record: one row per place named, each mapped to its province,
    # the first place naming a province kept (a record counts once per province).
    for kind, frame, columns, id_column, date_column in tables:
        records = filters.apply(frame, state, columns).reset_index(drop=True)
        places = _split_column(records["place_ids"]).explode().dropna()
        provinces = places.map(inside)
        named = provinces.notna().to_numpy()
        pairs = pd.DataFrame({"record": places.index[named],
                              "province_id": provinces.to_numpy()[named],
                              "place_id": places.to_numpy()[named]})  # fmt: skip
        pairs = pairs.drop_duplicates(["record", "province_id"])
        located = records.loc[pairs["record"]].reset_index(drop=True)
        if kind == "event":
            title = located["title"]
        else:
            title = located["subject_name"].astype(str) + ": " + located["value_text"].astype(str)
        parts.append(
            pd.DataFrame(
                {
                    "province_id": pairs["province_id"].to_numpy(),
                    "province": pairs["province_id"].map(lambda i: names.get(i, i)).to_numpy(),
                    "place_id": pairs["place_id"].to_numpy(),
                    "record_type": kind,
                    "record_id": located[id_column],
                    "title": title,
                    "date": located[date_column].fillna(""),
                    "source_id": located["source_id"],
                    "source_label": located["source_label"],
                    "evidence_type": located["source_kind"]
                    .eq("seed")
                    .map({True: "seed quote", False: "external summary"}),
                    "quote": located["quote"].fillna(""),
                    "evidence": located["evidence"].fillna(""),
                },
                columns=columns_out,
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns_out)


def _split_column(place_ids: pd.Series) -> pd.Series:
    """Each cell's place ids as a list; each distinct cell split once (at scale many repeat)."""
    cells = place_ids.astype(object)
    split = {cell: _split_ids(cell) for cell in cells.dropna().unique()}
    return pd.Series(
        [split.get(cell, []) if isinstance(cell, str) else [] for cell in cells.tolist()],
        index=cells.index,
        dtype=object,
    )


def unlocated_count(ds: Any, state: FilterState) -> int:
    """Filtered events/estimates with places but none inside a province (country or region)."""
    inside = province_of(ds.places)
    count = 0
    for frame, columns in (
        (ds.events, filters.EVENT_COLUMNS),
        (ds.estimates, filters.ESTIMATE_COLUMNS),
    ):
        places = filters.apply(frame, state, columns)["place_ids"].astype(object)
        named = _split_column(places.reset_index(drop=True)).explode().dropna()
        in_province = named.isin(list(inside)).groupby(level=0).any()
        broad = named.isin(BROAD_AREAS).groupby(level=0).any()
        count += int((broad & ~in_province).sum())
    return count


def province_counts(ds: Any, records: pd.DataFrame) -> pd.DataFrame:
    """Every province with its geometry feature name and number of records naming it."""
    geo = join_provinces(ds.places, load_geo().provinces)
    counts = records.groupby("province_id")["record_id"].nunique() if len(records) else {}
    out = pd.DataFrame(
        {
            "place_id": geo["place_id"],
            "feature_name": geo["name"],
            "iso_3166_2": geo["iso_3166_2"],
        }
    )
    names = dict(zip(ds.places["place_id"], ds.places["name"], strict=True))
    out["name"] = [
        names.get(pid, fname)
        for pid, fname in zip(out["place_id"], out["feature_name"], strict=True)
    ]
    out["count"] = [int(counts.get(pid, 0)) if len(records) else 0 for pid in out["place_id"]]
    out["northern"] = out["place_id"].isin(NORTHERN_PROVINCES)
    return out


def _feature_collection(frame: Any, id_field: str) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": str(row[id_field]),
                "properties": {id_field: str(row[id_field])},
                "geometry": shapely.geometry.mapping(row["geometry"]),
            }
            for _, row in frame.iterrows()
        ],
    }


def _features(collection: dict[str, Any], ids: pd.Series) -> dict[str, Any]:
    """The part of a feature collection with the given feature ids."""
    wanted = set(ids.astype(str))
    return {**collection, "features": [f for f in collection["features"] if f["id"] in wanted]}


def _line_coords(geometry: Any) -> tuple[list[float | None], list[float | None]]:
    lons: list[float | None] = []
    lats: list[float | None] = []
    parts = getattr(geometry, "geoms", [geometry])
    for part in parts:
        xs, ys = part.xy
        lons += [*xs, None]
        lats += [*ys, None]
    return lons, lats


def _label_point(geometry: Any) -> tuple[float, float]:
    """A point inside the part of ``geometry`` that the map shows, for its name."""
    view = shapely.box(VIEW_LON[0] + 0.4, VIEW_LAT[0] + 0.3, VIEW_LON[1] - 0.4, VIEW_LAT[1] - 0.3)
    visible = geometry.intersection(view)
    point = (visible if not visible.is_empty else geometry).representative_point()
    return point.x, point.y


def province_map_figure(
    ds: Any,
    counts: pd.DataFrame,
    records: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source_text: str,
) -> go.Figure:
    base = _base_layers(ds)
    geo, provinces, collection = base.geo, base.provinces, base.collection
    # drafted as dicts, assembled once; tests/test_figures.py validates it (figure_draft.py)
    fig = FigureDraft()
    neighbours = geo.neighbours
    fig.add_trace(
        choropleth(
            geojson=base.neighbour_collection,
            locations=neighbours["iso_a3"],
            z=[0] * len(neighbours),
            featureidkey="properties.iso_a3",
            colorscale=[[0, NEIGHBOUR_FILL], [1, NEIGHBOUR_FILL]],
            showscale=False,
            marker={"line": {"color": "#c9ccd1", "width": 0.6}},
            text=neighbours["name"],
            hovertemplate="%{text}<extra></extra>",
            name="Neighbouring countries",
            showlegend=False,
        )
    )
    zero = counts[counts["count"] == 0]
    fig.add_trace(
        choropleth(
            # each layer carries only its own provinces' outlines: the boundaries are most of
            # the map's weight, and every reader's browser receives them
            geojson=_features(collection, zero["place_id"]),
            locations=zero["place_id"],
            z=[0] * len(zero),
            featureidkey="properties.place_id",
            colorscale=[[0, ZERO_FILL], [1, ZERO_FILL]],
            showscale=False,
            marker={"line": {"color": "#b8bcc2", "width": 0.5}},
            customdata=zero[["place_id", "name"]].to_numpy(),
            hovertemplate="<b>%{customdata[1]}</b><br>No record under the current filters"
            "<extra></extra>",
            name="No record",
            showlegend=False,
        )
    )
    shaded = counts[counts["count"] > 0]
    top = max(int(counts["count"].max()), 1)
    fig.add_trace(
        choropleth(
            geojson=_features(collection, shaded["place_id"]),
            locations=shaded["place_id"],
            z=shaded["count"],
            zmin=0.5,
            zmax=max(top, 2),
            featureidkey="properties.place_id",
            colorscale=SHADES,
            marker={
                "line": {"color": "white", "width": 0.8},
                "opacity": [1.0 if n else 0.55 for n in shaded["northern"]],
            },
            colorbar={
                "title": {"text": "Records naming<br>the province", "side": "top"},
                "thickness": 12,
                "len": 0.45,
                "x": 0.71,
                "xanchor": "left",
                "y": 0.98,
                "yanchor": "top",
                "tickformat": "d",
                "dtick": 1 if top <= 6 else None,
            },
            customdata=shaded[["place_id", "name"]].to_numpy(),
            hovertemplate="<b>%{customdata[1]}</b><br>%{z} record(s) name it<br>"
            "<i>click to list them below</i><extra></extra>",
            name="Records naming the province",
            showlegend=False,
        )
    )
    # Northern provinces outlined, so the focus reads even where nothing is recorded.
    lons, lats = base.outline
    fig.add_trace(
        scattergeo(
            lon=lons,
            lat=lats,
            mode="lines",
            line={"color": TEXT_COLOR, "width": 1.1},
            hoverinfo="skip",
            name="Northern provinces (outlined)",
        )
    )
    for (_, border), (blon, blat) in zip(geo.borders.iterrows(), base.borders, strict=True):
        colour, dash = FOCUS_BORDERS.get(border["iso_a3"], OTHER_BORDER)
        focus = border["iso_a3"] in FOCUS_BORDERS
        fig.add_trace(
            scattergeo(
                lon=blon,
                lat=blat,
                mode="lines",
                line={"color": colour, "width": 3.2 if focus else 1.2, "dash": dash},
                name=f"Border with {border['neighbour']}" if focus else "Other borders",
                legendgroup="other-borders" if not focus else border["iso_a3"],
                showlegend=focus or border["iso_a3"] == "PAK",
                hovertemplate=f"{html.escape(border['name'])}<extra></extra>",
            )
        )
    label_lon, label_lat, label_text = base.country_labels
    fig.add_trace(
        scattergeo(
            lon=label_lon,
            lat=label_lat,
            text=label_text,
            mode="text",
            textfont={"size": 13, "color": MUTED_COLOR, "family": FONT_FAMILY},
            hoverinfo="skip",
            showlegend=False,
            name="Country names",
        )
    )
    north = provinces[provinces["place_id"].isin(NORTHERN_PROVINCES)]
    shade = {pid: n / top for pid, n in zip(counts["place_id"], counts["count"], strict=True)}
    names = dict(zip(counts["place_id"], counts["name"], strict=True))
    points = base.province_label_points
    fig.add_trace(
        scattergeo(
            lon=[p[0] for p in points],
            lat=[p[1] for p in points],
            text=[html.escape(names.get(pid, pid)) for pid in north["place_id"]],
            mode="text",
            textfont={
                "size": 11,
                "family": FONT_FAMILY,
                # white on the darkest shades, so every name stays readable
                "color": [
                    "white" if shade.get(pid, 0) > 0.6 else TEXT_COLOR for pid in north["place_id"]
                ],
            },
            hoverinfo="skip",
            showlegend=False,
            name="Province names",
        )
    )
    placed = ds.places[ds.places["kind"].isin(POINT_KINDS) & ds.places["lat"].notna()]
    placed = placed[
        placed["lon"].astype(float).between(*VIEW_LON)
        & placed["lat"].astype(float).between(*VIEW_LAT)
    ]
    named = records.groupby("place_id")["record_id"].nunique() if len(records) else {}
    fig.add_trace(
        scattergeo(
            lon=placed["lon"].astype(float),
            lat=placed["lat"].astype(float),
            text=[html.escape(n) for n in placed["name"]],
            customdata=[
                [pid, html.escape(name), kind, int(named.get(pid, 0)) if len(records) else 0]
                for pid, name, kind in zip(
                    placed["place_id"], placed["name"], placed["kind"], strict=True
                )
            ],
            mode="markers+text",
            textposition=[TEXT_POSITIONS.get(pid, "top center") for pid in placed["place_id"]],
            textfont={"size": 11, "color": TEXT_COLOR, "family": FONT_FAMILY},
            marker={
                "symbol": "diamond",
                "size": 10,
                "color": "#E69F00",
                "line": {"color": TEXT_COLOR, "width": 1},
            },
            hovertemplate="<b>%{customdata[1]}</b> (%{customdata[2]})<br>"
            "%{customdata[3]} record(s) name it<extra></extra>",
            name="Places named in the sources (district, city, canal)",
        )
    )
    fig.update_geos(
        projection={"type": "mercator"},
        lonaxis={"range": list(VIEW_LON)},
        lataxis={"range": list(VIEW_LAT)},
        showland=False,
        showcountries=False,
        showcoastlines=False,
        showlakes=False,
        showrivers=False,
        showocean=False,
        showframe=False,
        bgcolor="white",
        domain={"x": [0, 0.7], "y": [0, 1]},
    )
    fig.update_layout(
        height=720,
        legend={"orientation": "v", "x": 0.71, "xanchor": "left", "y": 0.02, "yanchor": "bottom",
                "font": {"size": 12}},
        clickmode="event+select",
    )  # fmt: skip
    base_layout(fig, title=title, subtitle=subtitle, source_line=source_text)
    fig.update_layout(margin={"l": 10, "r": 20, "t": 95, "b": 110})
    return fig.build()


@dataclass(frozen=True)
class BaseLayers:
    """What the map draws whatever the filters: boundaries as GeoJSON, outlines and borders as
    line coordinates, label points. Worked out once per loaded dataset, like the load."""

    geo: Any
    provinces: Any
    collection: dict[str, Any]
    neighbour_collection: dict[str, Any]
    outline: tuple[list[float | None], list[float | None]]
    borders: list[tuple[list[float | None], list[float | None]]]
    country_labels: tuple[list[float], list[float], list[str]]
    province_label_points: list[tuple[float, float]]


@functools.lru_cache(maxsize=4)
def _base_layers(ds: Any) -> BaseLayers:
    """Boundaries, outlines and label points: once per loaded dataset (hashed by identity)."""
    geo = load_geo()
    provinces = join_provinces(ds.places, geo.provinces)
    northern = provinces[provinces["place_id"].isin(NORTHERN_PROVINCES)]
    lons: list[float | None] = []
    lats: list[float | None] = []
    for geometry in northern.geometry:
        ring_lons, ring_lats = _line_coords(geometry.boundary)
        lons += ring_lons
        lats += ring_lats
    label_lon, label_lat, label_text = [], [], []
    for _, neighbour in geo.neighbours.iterrows():
        x, y = LABEL_POINTS.get(neighbour["iso_a3"]) or _label_point(neighbour.geometry)
        if VIEW_LON[0] <= x <= VIEW_LON[1] and VIEW_LAT[0] <= y <= VIEW_LAT[1]:
            label_lon.append(x)
            label_lat.append(y)
            label_text.append(f"<b>{html.escape(neighbour['name'].upper())}</b>")
    return BaseLayers(
        geo=geo,
        provinces=provinces,
        collection=_feature_collection(provinces, "place_id"),
        neighbour_collection=_feature_collection(geo.neighbours, "iso_a3"),
        outline=(lons, lats),
        borders=[_line_coords(line) for line in geo.borders.geometry],
        country_labels=(label_lon, label_lat, label_text),
        province_label_points=[_label_point(g) for g in northern.geometry],
    )


def map_title(counts: pd.DataFrame) -> str:
    """The finding: which provinces the records name most."""
    named = counts[counts["count"] > 0].sort_values(["count", "name"], ascending=[False, True])
    if named.empty:
        return "No record under the current filters names an Afghan province"
    top = named.head(3)
    listed = ", ".join(
        f"{name} ({count})" for name, count in zip(top["name"], top["count"], strict=True)
    )
    return f"Records name {len(named)} Afghan provinces, most often {listed}"


def build_province_map(ds: Any, state: FilterState) -> ChartSpec:
    """The map, its caption and the located records (one row per record and province)."""
    records = located_records(ds, state)
    counts = province_counts(ds, records)
    source_ids = tuple(dict.fromkeys(records["source_id"].astype(str)))
    title = map_title(counts)
    fig = province_map_figure(
        ds,
        counts,
        records,
        title=html.escape(title),
        subtitle=html.escape(state.describe(filters.filter_options(ds).labels())),
        source_text=wrapped(source_line(ds, source_ids), 130),
    )
    unlocated = unlocated_count(ds, state)
    caption = (
        "Shading counts the events and strength estimates, under the current filters, that name "
        "a province or a place inside it; designations name no place. The nine northern "
        "provinces are outlined; the borders with Tajikistan, Uzbekistan and Turkmenistan (along "
        "the Panj and Amu Darya) are drawn in colour. Click a province to list its records."
    )
    if unlocated:
        caption += (
            f" {unlocated} further record(s) are placed only at country or region level "
            "(Afghanistan, northern Afghanistan, the Tajik border) and are not shaded."
        )
    return ChartSpec(
        chart_id="province-map",
        title=title,
        caption=caption,
        figure=fig,
        rows=records,
        source_ids=source_ids,
    )


def selected_provinces(points: list[dict[str, Any]]) -> list[str]:
    """Province ids from the map's selection events (choropleth points carry them)."""
    ids: list[str] = []
    for point in points:
        custom = point.get("customdata")
        location = point.get("location")
        value = custom[0] if isinstance(custom, list | tuple) and custom else location
        if isinstance(value, str) and value and value not in ids:
            ids.append(value)
    return ids


def records_of(rows: pd.DataFrame, province_ids: list[str] | None = None) -> pd.DataFrame:
    """The located records for a table: readable columns, seed quote or external evidence."""
    chosen = rows if province_ids is None else rows[rows["province_id"].isin(province_ids)]
    out = pd.DataFrame(
        {
            "province": chosen["province"],
            "record": chosen["record_type"],
            "what": chosen["title"],
            "date": chosen["date"],
            "source": chosen["source_label"],
            "evidence type": chosen["evidence_type"],
            "quote or our summary": [
                quote or evidence
                for quote, evidence in zip(chosen["quote"], chosen["evidence"], strict=True)
            ],
            "record id": chosen["record_id"],
        }
    )
    return out.reset_index(drop=True)
