"""The map's geometry, read from data/geo/, and the join from places.csv to it.

Provinces join through what the dataset already knows about a place (its ISO 3166-2 code, its
name and every alias), compared after normalising spelling (case, accents, hyphens, "-e-"/"-i-"
connectors), so "Jawzjan" and "Sari Pul" find their provinces without exceptions in chart code.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard import DATA_DIR

GEO_DIR = DATA_DIR / "geo"
NORTHERN_PROVINCES = (
    "badakhshan",
    "takhar",
    "kunduz",
    "balkh",
    "jowzjan",
    "faryab",
    "samangan",
    "baghlan",
    "sar-e-pol",
)


@dataclass(frozen=True)
class Geo:
    provinces: gpd.GeoDataFrame  # name, iso_3166_2, adm1_code, geometry
    neighbours: gpd.GeoDataFrame  # iso_a3, name, geometry
    borders: gpd.GeoDataFrame  # iso_a3, neighbour, name, geometry (lines)
    regions: gpd.GeoDataFrame  # iso_3166_2, iso_a3, country, name, borders_afghanistan, geometry
    rivers: gpd.GeoDataFrame  # name (Panj, Amu Darya), role (border, course), geometry (lines)


@functools.cache
def load_geo(geo_dir: Path = GEO_DIR) -> Geo:
    """The layers of data/geo/ (see its LICENSE.md), read once per process."""
    return Geo(
        provinces=gpd.read_file(geo_dir / "afghanistan_provinces.geojson"),
        neighbours=gpd.read_file(geo_dir / "neighbours.geojson"),
        borders=gpd.read_file(geo_dir / "borders.geojson"),
        regions=gpd.read_file(geo_dir / "regions.geojson"),
        rivers=gpd.read_file(geo_dir / "rivers.geojson"),
    )


def normalise(name: str) -> str:
    """A spelling-insensitive key: "Sar-e Pol", "Sari Pul" and "Sar-i-Pul" all give "sarpol"."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[-\s]+(e|i)[-\s]+", " ", text)  # Persian ezafe connectors
    text = re.sub(r"(?<=[a-z])i\s+(?=[a-z])", " ", text)  # "Sari Pul" -> "sar pul"
    text = re.sub(r"[^a-z]", "", text)
    return text.replace("ou", "u").replace("ow", "o").replace("aw", "o").replace("u", "o")


def place_keys(place: pd.Series) -> set[str]:
    names = [str(place["name"])]
    aliases = place.get("aliases")
    if isinstance(aliases, str) and aliases:
        names += aliases.split("|")
    return {normalise(name) for name in names if name}


def join_provinces(places: pd.DataFrame, provinces: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Province geometry with the dataset's ``place_id``: by ISO code, else by name or alias.

    Returns one row per geometry feature; ``place_id`` is empty where nothing matched (a test
    holds that never happens for the 34 provinces).
    """
    rows = places[places["kind"] == "province"]
    by_iso = {str(iso): pid for pid, iso in zip(rows["place_id"], rows["iso_code"], strict=True)}
    by_name: dict[str, str] = {}
    for _, place in rows.iterrows():
        for key in place_keys(place):
            by_name.setdefault(key, str(place["place_id"]))
    joined = provinces.copy()
    joined["place_id"] = [
        by_iso.get(str(iso)) or by_name.get(normalise(name), "")
        for iso, name in zip(joined["iso_3166_2"], joined["name"], strict=True)
    ]
    return joined
