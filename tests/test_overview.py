"""Headline findings: computed from the filtered rows, honest about bounds and disagreement."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard.ingest.dates import parse_series
from dashboard.view.filters import FilterState
from dashboard.view.findings import (
    NORTHERN_BORDER_PROVINCES,
    delisting_finding,
    designation_steps,
    headline_findings,
    province_mentions,
    spread_finding,
    stated_value,
)
from dashboard.view.view import REPORTED_LATER, view_of


def designations(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """(jurisdiction, action, date, source) rows, with the loader's resolved columns."""
    frame = pd.DataFrame(rows, columns=["jurisdiction_id", "action", "date", "source_id"])
    frame["target_id"] = "taliban"
    frame["target_name"] = "Taliban"
    frame["jurisdiction_name"] = frame["jurisdiction_id"].str.capitalize()
    parsed = parse_series(frame["date"])
    frame["date_start"], frame["date_end"] = parsed["start"], parsed["end"]
    return frame


def estimates(rows: list[tuple]) -> pd.DataFrame:
    """(id, metric, low, high, qualifier, claimant, affiliation type, as_of, source, places)."""
    frame = pd.DataFrame(
        rows,
        columns=[
            "estimate_id",
            "metric",
            "value_low",
            "value_high",
            "qualifier",
            "claimant_name",
            "claimant_affiliation_type",
            "as_of",
            "source_id",
            "place_ids",
        ],
    )
    frame["subject_id"] = "isis-k"
    frame["measure"] = "armed_strength"
    frame["value_low"] = frame["value_low"].astype(float)
    frame["value_high"] = frame["value_high"].astype(float)
    return frame


# ---- delistings ----------------------------------------------------------------------------------
def test_disagreeing_dates_are_all_named_with_their_source_counts() -> None:
    frame = designations(
        [
            ("kazakhstan", "delisted", "2023-12-29", "a"),
            ("kazakhstan", "delisted", "2023-12-29", "b"),
            ("kazakhstan", "delisted", "2024-06-03", "c"),
            ("kazakhstan", "delisted", "2023", "d"),  # consistent with Dec 2023, less precise
            ("kazakhstan", "delisted", "", "e"),
            ("kazakhstan", "listed", "2005", "f"),
            ("kyrgyzstan", "delisted", "2024-09-02", "g"),
            ("russia", "delisting_considered", "2024-05", "h"),
            ("russia", "ban_suspended", "2025-04-17", "i"),
            ("russia", "ban_suspended", "2025-04-17", "j"),
        ]
    )
    finding = delisting_finding(frame, {})
    assert finding.statement == (
        "Kazakhstan delisted the Taliban (Dec 2023 per 2 sources, Jun 2024 per 1), "
        "Kyrgyzstan (Sep 2024, 1 source); Russia suspended its ban on the Taliban "
        "(Apr 2025, 2 sources)."
    )
    assert finding.value == "3 states"
    assert set(finding.source_ids) == set("abcdegij")  # not the listing, not the lesser step
    assert "Kazakhstan delisted the Taliban: 2023 (d)" in finding.details
    assert "Kazakhstan delisted the Taliban: undated (e)" in finding.details
    assert "Kazakhstan delisted the Taliban: 29 Dec 2023 (a; b)" in finding.details
    assert finding.page == "pages/timeline.py"


def test_a_step_short_of_delisting_is_called_what_it_is() -> None:
    frame = designations(
        [
            ("russia", "delisting_considered", "2024-05", "h"),
            ("russia", "delisting_considered", "2024-05-27", "k"),
            ("kyrgyzstan", "delisted", "", "g"),
        ]
    )
    finding = delisting_finding(frame, {})
    assert finding.value == "1 state"
    assert finding.statement == (
        "Russia considered delisting the Taliban (May 2024, 2 sources); "
        "Kyrgyzstan delisted the Taliban (date not given)."
    )


def test_steps_are_ordered_by_their_earliest_date() -> None:
    frame = designations(
        [
            ("russia", "ban_suspended", "2025-04-17", "i"),
            ("kyrgyzstan", "delisted", "2024-09-02", "g"),
            ("kazakhstan", "delisted", "2023-12-29", "a"),
        ]
    )
    assert [s.jurisdiction_id for s in designation_steps(frame)] == [
        "kazakhstan",
        "kyrgyzstan",
        "russia",
    ]


def test_no_steps_says_so() -> None:
    finding = delisting_finding(designations([("russia", "listed", "2003", "x")]), {})
    assert finding.empty
    assert "No delisting steps" in finding.statement
    assert delisting_finding(designations([]), {}).empty


# ---- spread of estimates -------------------------------------------------------------------------
AF = "afghanistan"


def test_spread_compares_bounds_and_keeps_wording() -> None:
    frame = estimates(
        [
            (
                "low",
                "fighters",
                6500,
                6500,
                "approximately",
                "Anatoly Sidorov",
                "csto_official",
                "2023",
                "s1",
                AF,
            ),
            (
                "low2",
                "militants",
                6500,
                6500,
                "exact",
                "A. Bortnikov",
                "russian_security_services",
                "2023-11",
                "s2",
                AF,
            ),
            (
                "high",
                "fighters",
                25000,
                np.nan,
                "more_than",
                "Andrey Serenko",
                "independent_expert",
                "2024",
                "s3",
                AF,
            ),
            # part of a total, not a rival claim: excluded
            (
                "area",
                "fighters",
                4000,
                4000,
                "exact",
                "Anatoly Sidorov",
                "csto_official",
                "2023",
                "s1",
                "badakhshan|kunduz",
            ),
            # a different kind of number: excluded
            ("deaths", "deaths", 140, np.nan, "more_than", "X Y", "", "2024", "s4", AF),
        ]
    )
    finding = spread_finding(frame, {"s3": "Oriental Express"})
    assert finding.value == "at least 3.8×"  # 25,000 / 6,500 = 3.85, floored, lower bound
    assert "around 6,500 fighters (Sidorov, CSTO, 2023)" in finding.statement
    assert "6,500 militants (Bortnikov, Russian security services, Nov 2023)" in finding.statement
    assert "more than 25,000 fighters (Serenko, independent expert, 2024)" in finding.statement
    assert "4,000" not in finding.statement
    assert set(finding.source_ids) == {"s1", "s2", "s3"}
    assert finding.details[-1].endswith("(Oriental Express)")


def test_spread_of_plain_figures_has_no_hedge() -> None:
    frame = estimates(
        [
            ("a", "fighters", 2000, 2000, "exact", "A B", "", "2023", "s1", AF),
            ("b", "fighters", 5000, 5000, "exact", "C D", "", "2023", "s2", AF),
        ]
    )
    assert spread_finding(frame, {}).value == "2.5×"


def test_an_up_to_claim_uses_its_upper_bound() -> None:
    frame = estimates(
        [
            ("a", "fighters", np.nan, 3000, "up_to", "A B", "", "2023", "s1", AF),
            ("b", "fighters", 9000, 9000, "approximately", "C D", "", "2023", "s2", AF),
        ]
    )
    finding = spread_finding(frame, {})
    assert finding.value == "at least 3.0×"
    assert "up to 3,000 fighters" in finding.statement


def test_claims_that_agree_are_not_a_spread() -> None:
    frame = estimates(
        [
            ("a", "fighters", 6500, 6500, "approximately", "A B", "", "2023", "s1", AF),
            ("b", "militants", 6500, 6500, "exact", "C D", "", "2023", "s2", AF),
        ]
    )
    finding = spread_finding(frame, {})
    assert finding.value == "1×"
    assert "agree" in finding.statement


def test_a_forecast_worded_in_fighters_is_not_a_headcount() -> None:
    frame = estimates(
        [
            ("a", "fighters", 500, 1500, "range", "A B", "", "2021", "s1", AF),
            ("b", "fighters", np.nan, 10000, "up_to", "A B", "", "2021", "s1", AF),
        ]
    )
    frame.loc[1, "measure"] = "armed_strength_forecast"
    finding = spread_finding(frame, {})
    assert finding.empty and "10,000" not in finding.statement


def test_fewer_than_two_claims() -> None:
    one = estimates([("a", "fighters", 6500, 6500, "approximately", "A B", "", "2023", "s1", AF)])
    finding = spread_finding(one, {})
    assert finding.empty and "around 6,500" in finding.statement
    assert spread_finding(one.iloc[0:0], {}).empty


def test_stated_value_falls_back_to_the_bounds() -> None:
    assert stated_value({"value_text": "hundreds (200–999)"}) == "hundreds (200–999)"
    assert stated_value({"value_low": 25000.0, "qualifier": "more_than"}) == "more than 25,000"
    assert stated_value({"value_high": 400000.0, "qualifier": "up_to"}) == "up to 400,000"
    assert stated_value({"value_low": 2.0, "value_high": 3.0, "qualifier": "range"}) == "2–3"


# ---- provinces -----------------------------------------------------------------------------------
def test_province_mentions_count_records_and_roll_districts_up() -> None:
    places = pd.DataFrame(
        {
            "place_id": ["afghanistan", "badakhshan", "nusay", "kunduz", "kabul"],
            "name": ["Afghanistan", "Badakhshan", "Nusay", "Kunduz", "Kabul"],
            "parent_id": ["", "afghanistan", "badakhshan", "afghanistan", "afghanistan"],
        }
    )
    events = pd.DataFrame(
        {
            "place_ids": ["nusay|badakhshan", "nusay", "kunduz|kabul", "kabul"],
            "source_id": ["a", "a", "b", "c"],
        }
    )
    estimates_frame = pd.DataFrame({"place_ids": ["badakhshan|kunduz"], "source_id": ["c"]})
    counted = province_mentions([events, estimates_frame], places, NORTHERN_BORDER_PROVINCES)
    assert counted[["name", "records"]].values.tolist() == [["Badakhshan", 3], ["Kunduz", 2]]
    assert counted.iloc[0]["sources"] == ("a", "c")
    assert "kabul" not in set(counted["place_id"])  # not on the northern border


# ---- the real dataset ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dataset():
    from dashboard.ingest.loader import load_dataset

    return load_dataset()


def test_headlines_from_the_curated_data(dataset) -> None:
    delist, spread, provinces, coverage = headline_findings(dataset, FilterState())
    assert delist.statement.startswith(
        "Kazakhstan delisted the Taliban (Dec 2023 per 2 sources, Jun 2024 per 2), "
        "Kyrgyzstan (Sep 2024"
    )
    assert "Russia suspended its ban on the Taliban (Apr 2025" in delist.statement
    assert spread.value == "at least 16.6×"  # 500-1,500 (UN, Jul 2021) to more than 25,000
    # an organisation is named in full, a person by surname
    team = "UN Analytical Support and Sanctions Monitoring Team, international body, Jul 2021"
    assert f"({team})" in spread.statement
    assert provinces.value == "Badakhshan"
    total = len(dataset.events) + len(dataset.designations) + len(dataset.estimates)
    assert coverage.value == f"{total} records"
    for finding in (delist, spread, provinces, coverage):
        assert finding.source_ids and not finding.empty
        assert set(finding.source_ids) <= set(dataset.sources["source_id"])


def test_headlines_follow_known_as_of_and_seed_only(dataset) -> None:
    june = headline_findings(dataset, FilterState(known_as_of=dt.date(2024, 6, 30)))
    assert "Kyrgyzstan" not in june[0].statement  # delisted in September 2024
    assert "Russia considered delisting" in june[0].statement
    published = dataset.sources.set_index("source_id")["published_end"]
    # A listing dated before the day stays in view even when our source for it appeared later
    # (the view's known-as-of rule, as on the timeline); nothing else may cite a later source.
    view = view_of(dataset, FilterState(known_as_of=dt.date(2024, 6, 30)))
    record = view.designations[view.designations[REPORTED_LATER]]
    listings = set(record["source_id"])
    assert listings and set(record["action"]) == {"listed"}
    for finding in june:
        later = {i for i in finding.source_ids if published[i] > pd.Timestamp("2024-06-30")}
        assert later <= listings

    seeds = headline_findings(dataset, FilterState(seed_only=True))
    kinds = dataset.sources.set_index("source_id")["kind"]
    for finding in seeds:
        assert {kinds[i] for i in finding.source_ids} <= {"seed"}
    assert "0 external" in seeds[3].statement


def test_headlines_survive_filters_that_empty_everything(dataset) -> None:
    nothing = FilterState(date_from=dt.date(1990, 1, 1), date_to=dt.date(1990, 12, 31))
    findings = headline_findings(dataset, nothing)
    assert all(f.empty for f in findings)
    assert findings[3].value == "0 records"
