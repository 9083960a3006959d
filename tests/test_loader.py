"""The loader: validated tables with names, labels, date spans and numbers resolved."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from dashboard.ingest.loader import DataInvalid, Dataset, load_dataset, value_text
from dashboard.ingest.quotes import find_quote
from tests.conftest import SEED_TEXT, MakeDataset, Tables, valid_tables, write_dataset

TODAY = dt.date(2026, 1, 1)


def _more_estimates(tables: Tables) -> None:
    """Add rows covering every qualifier (copies of the external estimate, so no quotes)."""
    base = tables["estimates"][1]
    for i, (qualifier, low, high, metric) in enumerate(
        [
            ("approximately", "6500", "6500", "fighters"),
            ("up_to", "", "400000", "madrassa_students"),
            ("range", "2000", "3000", "fighters"),
            ("exact", "6500", "6500", "militants"),
            ("approximately", "40", "40", "budget_share_pct"),
            ("order_of_magnitude", "30", "90", "fighters"),
        ]
    ):
        tables["estimates"].append(
            {**base, "estimate_id": f"extra-{i}", "qualifier": qualifier, "value_low": low,
             "value_high": high, "metric": metric}
        )  # fmt: skip


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """Loaded once for the module's read-only tests (the loader's frames are read-only too)."""
    tables = valid_tables()
    _more_estimates(tables)
    return load_dataset(*write_dataset(tmp_path_factory.mktemp("loader"), tables), today=TODAY)


def test_sources_kind_label_and_published_span(dataset: Dataset) -> None:
    sources = dataset.sources.set_index("source_id")
    assert sources.loc["seed-src", "kind"] == "seed"
    assert sources.loc["ext-src", "kind"] == "external"
    assert sources.loc["seed-src", "label"] == "Test, Jun 2024"  # short_name
    assert sources.loc["ext-src", "label"] == "External report"  # falls back to the title
    assert sources.loc["seed-src", "published_start"] == pd.Timestamp("2024-06-01")
    assert sources.loc["seed-src", "published_end"] == pd.Timestamp("2024-06-30")
    assert sources.loc["seed-src", "published_precision"] == "month"


def test_estimates_resolved(dataset: Dataset) -> None:
    row = dataset.estimates.set_index("estimate_id").loc["est-seed"]
    assert row["subject_name"] == "ISIS-K"
    assert row["claimant_name"] == "Andrey Serenko"
    assert row["claimant_affiliation_type"] == "independent_expert"
    assert row["claimant_affiliation"].startswith("Head of the Center")
    assert row["source_label"] == "Test, Jun 2024"
    assert row["source_kind"] == "seed"
    assert row["source_published_end"] == pd.Timestamp("2024-06-30")
    assert row["place_names"] == "Afghanistan"
    assert row["value_low"] == 25000.0 and math.isnan(row["value_high"])
    assert dataset.estimates["value_low"].dtype == float


def test_year_precision_is_a_span(dataset: Dataset) -> None:
    row = dataset.estimates.set_index("estimate_id").loc["est-seed"]  # as_of "2024"
    assert row["as_of_precision"] == "year"
    assert row["as_of_start"] == pd.Timestamp("2024-01-01")
    assert row["as_of_end"] == pd.Timestamp("2024-12-31")


def test_value_text_on_loaded_rows(dataset: Dataset) -> None:
    texts = dict(
        zip(dataset.estimates["estimate_id"], dataset.estimates["value_text"], strict=True)
    )
    assert texts == {
        "est-seed": "more than 25,000",
        "est-ext": "hundreds (200–999)",
        "extra-0": "around 6,500",
        "extra-1": "up to 400,000",
        "extra-2": "2,000–3,000",
        "extra-3": "6,500",
        "extra-4": "around 40%",
        "extra-5": "30–90 (order of magnitude)",
    }


@pytest.mark.parametrize(
    ("qualifier", "low", "high", "expected"),
    [
        ("exact", 6500.0, 6500.0, "6,500"),
        ("approximately", 6500.0, 6500.0, "around 6,500"),
        ("more_than", 25000.0, None, "more than 25,000"),
        ("up_to", None, 400000.0, "up to 400,000"),
        ("range", 2000.0, 3000.0, "2,000–3,000"),
        ("order_of_magnitude", 24.0, 99.0, "dozens (24–99)"),
        ("order_of_magnitude", 200.0, 999.0, "hundreds (200–999)"),
        ("order_of_magnitude", 2000.0, 9999.0, "thousands (2,000–9,999)"),
        ("order_of_magnitude", 20000.0, 99999.0, "tens of thousands (20,000–99,999)"),
        ("exact", 2.5, 2.5, "2.5"),
    ],
)
def test_value_text(qualifier: str, low: float | None, high: float | None, expected: str) -> None:
    assert value_text(qualifier, low, high) == expected


def test_designations_resolved(dataset: Dataset) -> None:
    designations = dataset.designations.set_index("designation_id")
    row = designations.loc["des-ext"]
    assert (row["jurisdiction_name"], row["target_name"]) == ("Kazakhstan", "Taliban")
    assert (row["source_kind"], row["source_label"]) == ("external", "External report")
    assert row["date_precision"] == "month"
    assert (row["date_start"], row["date_end"]) == (
        pd.Timestamp("2023-12-01"),
        pd.Timestamp("2023-12-31"),
    )
    undated = designations.loc["des-seed"]
    assert pd.isna(undated["date_start"]) and undated["date_precision"] == ""


def test_events_resolved(dataset: Dataset) -> None:
    row = dataset.events.set_index("event_id").loc["ev-seed"]
    assert row["actor_names"] == "Kazakhstan; Taliban"
    assert row["place_names"] == "Afghanistan; Badakhshan"
    assert row["date_start"] == row["date_end"] == pd.Timestamp("2024-06-03")
    assert row["source_published_end"] == pd.Timestamp("2024-06-30")
    assert dataset.events.set_index("event_id").loc["ev-ext", "place_names"] == ""


def test_places_typed_and_text_stays_text(dataset: Dataset) -> None:
    places = dataset.places.set_index("place_id")
    assert places.loc["badakhshan", "lat"] == 37.0
    assert math.isnan(places.loc["afghanistan", "lat"])
    assert dataset.entities.loc[0, "aliases"] == ""  # empty stays "", never NaN
    assert isinstance(dataset.events.index, pd.RangeIndex)


def test_seed_texts_are_the_originals(dataset: Dataset) -> None:
    assert dataset.seed_texts == {"seed-src": SEED_TEXT}
    quote = dataset.events.loc[0, "quote"]
    start, end = find_quote(quote, dataset.seed_texts["seed-src"])  # type: ignore[misc]
    assert SEED_TEXT[start:end] == quote


def test_invalid_dataset_raises_with_report(make_dataset: MakeDataset) -> None:
    def break_date(tables: Tables) -> None:
        tables["events"][0]["date"] = "2024-13"

    with pytest.raises(DataInvalid) as raised:
        load_dataset(*make_dataset(break_date), today=TODAY)
    assert raised.value.report.exit_code == 1
    assert "events.csv:2:date:" in raised.value.report.format()
