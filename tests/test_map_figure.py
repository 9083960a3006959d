"""The province map's traces: counts follow the filters, markers come from places.csv, and
nothing in the figure points at a tile server or CDN."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard.charts import province_map
from dashboard.ingest.loader import Dataset, load_dataset
from dashboard.view.filters import FilterState


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def traces_named(fig, name: str):
    return [trace for trace in fig.data if trace.name == name]


def counts(spec) -> dict[str, int]:
    (shaded,) = traces_named(spec.figure, "Records naming the province")
    return dict(zip(shaded.locations, shaded.z, strict=True))


def test_every_province_is_drawn_once(ds: Dataset) -> None:
    spec = province_map.build_province_map(ds, FilterState())
    (zero,) = traces_named(spec.figure, "No record")
    (shaded,) = traces_named(spec.figure, "Records naming the province")
    drawn = list(zero.locations) + list(shaded.locations)
    assert len(drawn) == len(set(drawn)) == 34


def test_badakhshan_is_shaded_by_the_records_naming_it(ds: Dataset) -> None:
    spec = province_map.build_province_map(ds, FilterState())
    shaded = counts(spec)
    rows = spec.rows[spec.rows["province_id"] == "badakhshan"]
    assert shaded["badakhshan"] == rows["record_id"].nunique() > 0
    # Nusay district counts for its province, Badakhshan
    assert "nusay" in set(rows["place_id"])
    assert spec.title.startswith("Records name") and "Badakhshan" in spec.title


def test_counts_follow_the_filters(ds: Dataset) -> None:
    everything = counts(province_map.build_province_map(ds, FilterState()))
    source = "004-d3846a0bdc6f5d90"
    only = province_map.build_province_map(ds, FilterState(sources=(source,)))
    assert set(only.rows["source_id"]) == {source}
    assert sum(counts(only).values()) < sum(everything.values())
    nothing = province_map.build_province_map(ds, FilterState(date_to=dt.date(2000, 1, 1)))
    assert counts(nothing) == {} and "No record" in nothing.title


def test_point_places_come_from_places_csv(ds: Dataset) -> None:
    spec = province_map.build_province_map(ds, FilterState())
    (points,) = [t for t in spec.figure.data if t.name and t.name.startswith("Places named")]
    places = ds.places.set_index("place_id")
    ids = [row[0] for row in points.customdata]
    assert {"nusay", "kosh-tepa-canal"} <= set(ids)
    for place_id, lon, lat in zip(ids, points.lon, points.lat, strict=True):
        assert (lon, lat) == (float(places.at[place_id, "lon"]), float(places.at[place_id, "lat"]))


def test_central_asian_borders_are_distinct(ds: Dataset) -> None:
    fig = province_map.build_province_map(ds, FilterState()).figure
    colours = {
        name: traces_named(fig, f"Border with {name}")[0].line.color
        for name in ("Tajikistan", "Uzbekistan", "Turkmenistan")
    }
    assert len(set(colours.values())) == 3


def test_no_tiles_and_no_external_urls_in_the_figure(ds: Dataset) -> None:
    fig = province_map.build_province_map(ds, FilterState()).figure
    text = json.dumps(fig.to_plotly_json(), default=str)
    assert "http://" not in text and "https://" not in text
    assert not fig.layout.map.style  # no tile style at all: the geo subplot draws our GeoJSON
    assert {trace.type for trace in fig.data} <= {"choropleth", "scattergeo"}


def test_selection_points_give_province_ids() -> None:
    points = [{"customdata": ["badakhshan", "Badakhshan"]}, {"location": "balkh"}, {}]
    assert province_map.selected_provinces(points) == ["badakhshan", "balkh"]


def test_records_table_shows_quote_or_summary(ds: Dataset) -> None:
    spec = province_map.build_province_map(ds, FilterState())
    table = province_map.records_of(spec.rows, ["badakhshan"])
    assert set(table["province"]) == {"Badakhshan"}
    assert table["quote or our summary"].str.len().gt(0).all()
    assert set(table["evidence type"]) <= {"seed quote", "external summary"}
