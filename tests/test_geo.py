"""The shipped boundaries: small, valid, corrected, and joined to places.csv by names/aliases."""

from __future__ import annotations

import pytest
import shapely

from dashboard.ingest.loader import Dataset, load_dataset
from dashboard.view.geo import GEO_DIR, NORTHERN_PROVINCES, join_provinces, load_geo, normalise


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def test_geo_files_are_small_enough_to_commit() -> None:
    total = sum(path.stat().st_size for path in GEO_DIR.glob("*.geojson"))
    assert 0 < total < 1_000_000
    assert (GEO_DIR / "LICENSE.md").read_text(encoding="utf-8").count("Natural Earth") >= 1


def test_34_valid_provinces_with_the_source_errors_fixed() -> None:
    provinces = load_geo().provinces
    assert len(provinces) == 34
    assert provinces["name"].is_unique and provinces["iso_3166_2"].is_unique
    by_name = dict(zip(provinces["name"], provinces["iso_3166_2"], strict=True))
    assert by_name["Panjshir"] == "AF-PAN" and by_name["Parwan"] == "AF-PAR"
    assert by_name["Daykundi"] == "AF-DAY" and by_name["Uruzgan"] == "AF-URU"
    assert by_name["Paktika"] == "AF-PKA" and by_name["Paktya"] == "AF-PIA"
    assert provinces.geometry.is_valid.all()
    # clockwise exteriors (Plotly's geo subplot fills the world otherwise)
    for geometry in provinces.geometry:
        for part in getattr(geometry, "geoms", [geometry]):
            assert not part.exterior.is_ccw


def test_neighbours_and_the_central_asian_borders() -> None:
    geo = load_geo()
    assert set(geo.neighbours["iso_a3"]) == {"TJK", "UZB", "TKM", "KGZ", "CHN", "PAK", "IRN"}
    borders = dict(zip(geo.borders["iso_a3"], geo.borders.geometry, strict=True))
    assert {"TJK", "UZB", "TKM"} <= set(borders)
    assert "KGZ" not in borders  # Kyrgyzstan does not touch Afghanistan
    # the Tajik border is long (Panj river, about 1,350 km): several degrees of line
    assert borders["TJK"].length > 8
    badakhshan = load_geo().provinces.set_index("name").geometry["Badakhshan"]
    assert borders["TJK"].distance(badakhshan) < 0.05


def test_all_34_provinces_join_by_iso_code(ds: Dataset) -> None:
    joined = join_provinces(ds.places, load_geo().provinces)
    assert joined["place_id"].ne("").all()
    assert joined["place_id"].is_unique
    assert set(NORTHERN_PROVINCES) <= set(joined["place_id"])


def test_all_34_provinces_join_by_name_and_alias_alone(ds: Dataset) -> None:
    """Without ISO codes the names and aliases still find every province (Jawzjan, Sari Pul)."""
    places = ds.places.assign(iso_code="")
    joined = join_provinces(places, load_geo().provinces)
    assert joined["place_id"].ne("").all(), joined[joined["place_id"] == ""]["name"].tolist()
    assert joined["place_id"].is_unique


def test_every_province_the_dataset_names_is_on_the_map(ds: Dataset) -> None:
    named = {
        place
        for frame in (ds.events, ds.estimates)
        for value in frame["place_ids"].dropna()
        for place in str(value).split("|")
    }
    provinces = set(ds.places.loc[ds.places["kind"] == "province", "place_id"])
    joined = set(join_provinces(ds.places, load_geo().provinces)["place_id"])
    assert named & provinces  # the data does name provinces
    assert named & provinces <= joined


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Jowzjan", "Jawzjan"),
        ("Sar-e Pol", "Sari Pul"),
        ("Sar-e Pol", "Sar-i-Pul"),
        ("Kunduz", "Konduz"),
    ],
)
def test_spellings_normalise_alike(one: str, other: str) -> None:
    assert normalise(one) == normalise(other)


def test_different_provinces_stay_apart() -> None:
    keys = [normalise(n) for n in load_geo().provinces["name"]]
    assert len(set(keys)) == 34
    assert normalise("Paktika") != normalise("Paktya")
    assert shapely.__version__


def test_the_central_asian_regions_that_touch_afghanistan() -> None:
    regions = load_geo().regions
    touching = set(regions.loc[regions["borders_afghanistan"], "name"])
    assert {"Khatlon", "Gorno-Badakhshan", "Surxondaryo", "Lebap", "Mary"} <= touching
    assert "Dushanbe" not in touching and "Bukhara" not in touching
    assert set(regions["iso_a3"]) == {"TJK", "UZB", "TKM"}
    assert regions.geometry.is_valid.all()
    for geometry in regions.geometry:
        for part in getattr(geometry, "geoms", [geometry]):
            assert not part.exterior.is_ccw  # clockwise, as Plotly's geo subplot needs


def test_the_rivers_follow_the_border_where_they_are_the_border() -> None:
    geo = load_geo()
    rivers = {(r["name"], r["role"]): r.geometry for _, r in geo.rivers.iterrows()}
    assert {("Panj", "border"), ("Amu Darya", "border"), ("Amu Darya", "course")} <= set(rivers)
    borders = dict(zip(geo.borders["iso_a3"], geo.borders.geometry, strict=True))
    central_asia = shapely.union_all([borders["TJK"], borders["UZB"], borders["TKM"]])
    for name in ("Panj", "Amu Darya"):
        line = rivers[(name, "border")]
        assert line.length > 1
        vertices = shapely.points(shapely.get_coordinates(line))
        assert shapely.distance(vertices, central_asia).max() < 0.0002, name  # the border itself
    # the Panj reaches the Pamirs (Zorkul, ~73.7 E); the course runs on into Turkmenistan
    assert rivers[("Panj", "border")].bounds[2] > 73.5
    assert rivers[("Amu Darya", "course")].bounds[0] < 62
