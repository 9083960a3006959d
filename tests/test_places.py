"""Records by place: one answer for a count and its list, the wording of an empty answer, the
map's choice in the URL, and a year as the filters' dates narrowed."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd
import pytest

from dashboard.charts import province_map
from dashboard.ingest.loader import Dataset, load_dataset
from dashboard.view import places
from dashboard.view.filters import FilterState, Vocabulary
from dashboard.view.places import MapChoice
from dashboard.view.view import view_of


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The synthetic copy with ten times the records (bench/synthetic.py)."""
    from bench.synthetic import scale_dataset

    return load_dataset(scale_dataset(10, tmp_path_factory.mktemp("x10")))


def test_every_count_is_the_length_of_its_list(ds: Dataset) -> None:
    for state in (
        FilterState(),
        FilterState(seed_only=True),
        FilterState(date_to=dt.date(2000, 1, 1)),
    ):
        view = view_of(ds, state)
        counts = places.place_counts(view)
        for place_id in ds.places["place_id"]:
            rows = places.records_at(view, place_id)
            assert counts.get(place_id, 0) == len(rows), place_id
            keys = rows["record_type"] + ":" + rows["record_id"].astype(str)
            assert keys.is_unique, place_id  # a record counts once per place


def test_every_count_is_the_length_of_its_list_at_10x(scaled: Dataset) -> None:
    """Many records share each ``place_ids`` cell: counts are summed per cell, and each place's
    list is fetched by its cells."""
    for state, year in (
        (FilterState(), None),
        (FilterState(), 2023),
        (FilterState(seed_only=True), None),
    ):
        view = places.year_view(scaled, state, year)
        counts = places.place_counts(view)
        for place_id in scaled.places["place_id"]:
            assert counts.get(place_id, 0) == len(places.records_at(view, place_id)), place_id


def test_counts_per_list_are_counts_per_record(scaled: Dataset) -> None:
    """``place_counts`` and ``unlocated_count`` read a table of distinct ``place_ids`` cells:
    the same numbers as reading every record's own cell, one record at a time."""
    view = view_of(scaled, FilterState(known_as_of=dt.date(2024, 6, 30)))
    chains = places.ancestors(scaled)
    in_province = set(places.province_of(scaled))
    counts: Counter[str] = Counter()
    unlocated = 0
    for cell in pd.concat([view.events["place_ids"], view.estimates["place_ids"]]).fillna(""):
        counted = places.places_counted(cell, chains)
        counts.update(counted.keys())
        named = set(counted.values())
        unlocated += bool(named & set(places.BROAD_AREAS)) and not named & in_province
    assert places.place_counts(view) == dict(counts)
    assert places.unlocated_count(view) == unlocated > 0


def test_a_province_counts_the_places_inside_it(ds: Dataset) -> None:
    view = view_of(ds, FilterState())
    badakhshan = places.records_at(view, "badakhshan")
    nusay = places.records_at(view, "nusay")
    assert len(nusay) >= 1
    assert set(nusay["record_id"]) <= set(badakhshan["record_id"])
    assert "nusay" in set(badakhshan["named_place_id"])


def test_the_canal_and_kabul_list_what_they_count(ds: Dataset) -> None:
    """The issue's cases: the canal said "0 record(s)" though named; Kabul said 1, listed none."""
    view = view_of(ds, FilterState())
    canal = places.answer(view, "kosh-tepa-canal")
    assert canal.count == len(canal.rows) > 0
    assert f"{canal.count} records name it" in canal.headline
    kabul = places.answer(view, "kabul-city")
    assert kabul.count == len(kabul.rows) > 0  # it listed none while saying "1 record(s)"


def test_a_place_without_records_says_so(ds: Dataset) -> None:
    view = view_of(ds, FilterState())
    baghlan = places.answer(view, "baghlan")
    assert baghlan.count == 0 and baghlan.rows.empty
    assert baghlan.headline == (
        "Baghlan (province): no record under the current filters names it or a place in it."
    )
    kuf_ab = places.answer(view, "kuf-ab", period="in 2023")
    assert kuf_ab.headline.endswith("no record under the current filters names it, in 2023.")
    assert places.unmapped(ds, "kuf-ab") and not places.unmapped(ds, "nusay")


def test_records_only_at_country_level_are_counted_apart(ds: Dataset) -> None:
    view = view_of(ds, FilterState())
    located = set(places.located_records(view)["record_id"])
    assert places.unlocated_count(view) > 0
    broad = pd.concat([places.records_at(view, area) for area in places.BROAD_AREAS])
    broad_only = broad[broad["named_place_id"].isin(places.BROAD_AREAS)]
    assert not set(broad_only["record_id"]) <= located  # some are not in any province


def test_the_table_shows_a_quote_or_our_summary(ds: Dataset) -> None:
    rows = places.records_at(view_of(ds, FilterState()), "badakhshan")
    table = places.records_table(rows, ds.places)
    assert list(table.columns)[:3] == ["record", "what", "named as"]
    assert table["quote or our summary"].str.len().gt(0).all()
    assert set(table["evidence type"]) <= {"seed quote", "external summary"}


def test_clicked_points_give_a_place() -> None:
    assert places.selected_place([{"customdata": ["nusay", "Nusay"]}]) == "nusay"
    assert places.selected_place([{"location": "balkh"}]) == "balkh"
    assert places.selected_place([{}]) is None
    assert places.selected_place([]) is None


# ---- the choice in the URL -----------------------------------------------------------------------
MAP_PLACES = {"badakhshan": "Badakhshan (province)", "nusay": "Nusay (district)"}
YEARS = (2021, 2022, 2023, 2024, 2025)


def test_a_choice_round_trips_through_the_url() -> None:
    choice = MapChoice("nusay", 2023)
    assert choice.to_query() == {"place": "nusay", "year": "2023"}
    assert MapChoice.from_query(choice.to_query(), MAP_PLACES, YEARS) == (choice, [])
    assert MapChoice.from_query({}, MAP_PLACES, YEARS) == (MapChoice(), [])
    assert MapChoice.from_query({"year": "all"}, MAP_PLACES, YEARS) == (MapChoice(), [])


@pytest.mark.parametrize(
    ("params", "kept", "reason"),
    [
        ({"place": "atlantis"}, MapChoice(), "not a place on this map"),
        ({"place": "nusay", "year": "1999"}, MapChoice("nusay"), "use a year the map offers"),
        ({"year": "twenty"}, MapChoice(), "2021-2025"),
        ({"place": ["badakhshan", "nusay"]}, MapChoice("nusay"), "given twice"),
    ],
)
def test_a_bad_value_is_dropped_with_a_reason(params: dict, kept: MapChoice, reason: str) -> None:
    choice, rejections = MapChoice.from_query(params, MAP_PLACES, YEARS)
    assert choice == kept
    assert len(rejections) == 1 and reason in str(rejections[0])


def test_the_filters_leave_the_maps_parameters_alone() -> None:
    state, rejections = FilterState.from_query(
        {"place": "nusay", "year": "2023", "evidence": "seed"}, Vocabulary()
    )
    assert state == FilterState(seed_only=True) and rejections == []


# ---- years ---------------------------------------------------------------------------------------
def test_a_year_narrows_the_filters_dates() -> None:
    assert places.year_state(FilterState(), 2023) == FilterState(
        date_from=dt.date(2023, 1, 1), date_to=dt.date(2023, 12, 31)
    )
    narrowed = places.year_state(FilterState(date_from=dt.date(2023, 6, 1)), 2023)
    assert narrowed.date_from == dt.date(2023, 6, 1) and narrowed.date_to == dt.date(2023, 12, 31)
    assert places.year_outside_dates(FilterState(date_to=dt.date(2022, 5, 1)), 2023)
    assert not places.year_outside_dates(FilterState(), 2023)
    assert places.year_state(FilterState(), None) == FilterState()


def test_year_counts_follow_the_year_views(ds: Dataset) -> None:
    counts = province_map.year_counts(ds, FilterState())
    assert set(counts) == {None, *province_map.map_years(ds)}
    assert {2021, 2022, 2023, 2024, 2025} <= set(counts)
    for year, count in counts.items():
        rows = places.located_records(places.year_view(ds, FilterState(), year))
        assert count == (rows["record_type"] + ":" + rows["record_id"]).nunique()
    assert counts[2023] > 0 and counts[None] >= max(c for y, c in counts.items() if y)
    nothing = province_map.year_counts(ds, FilterState(date_to=dt.date(2022, 1, 1)))
    assert nothing[2023] == 0
