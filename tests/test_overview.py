"""Headline findings: computed from the filtered rows, honest about bounds and disagreement."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.ingest.dates import parse_series
from dashboard.view import claims
from dashboard.view.filters import FilterState
from dashboard.view.findings import (
    NORTHERN_BORDER_PROVINCES,
    delisting_finding,
    designation_steps,
    headline_findings,
    province_mentions,
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


# ---- strength: the card says what the Strength page says ----------------------------------------
STATES = {
    "default": FilterState(),
    "known as of 2024-06-30": FilterState(known_as_of=dt.date(2024, 6, 30)),
    "seed documents only": FilterState(seed_only=True),
}


@pytest.mark.parametrize("name", list(STATES))
def test_the_isis_k_card_and_the_strength_page_agree(dataset, name: str) -> None:
    """One rule, one answer: the card states the comparison the Strength page's ISIS-K chart
    states (title and caption), or the same reason there is none."""
    from dashboard.charts import strength

    state = STATES[name]
    spread = {f.key: f for f in headline_findings(dataset, state)}["isisk-spread"]
    (chart,) = [
        spec
        for spec in strength.build_strength_charts(dataset, state)
        if spec.chart_id == "strength-islamic-state-khorasan-province-isis-k"
    ]
    view = view_of(dataset, state)
    frame = claims.claims_in_view(view)
    top = claims.headline(frame, claims.comparisons_in_view(view), "isis-k")
    if top is None:
        reason = claims.why_not_compared(frame, "isis-k")
        assert spread.empty and spread.statement == reason + "."
        assert chart.caption.startswith(reason)
    else:
        sentence = top["sentence"][:1].upper() + top["sentence"][1:]
        assert spread.statement.startswith(sentence)
        assert chart.caption.startswith(sentence)
        assert top["compared"] in spread.statement and top["compared"] in chart.caption
        if top["claims agree"] == "no":
            assert spread.value == top["high over low"] and spread.value in chart.title


def test_the_card_never_compares_fighters_with_a_regional_subtotal(dataset) -> None:
    """The issue's case: known as of 2024-06-30 the card said "1x, the claims agree", comparing
    6,500 fighters with Bortnikov's 6,500 for the north and centre."""
    state = STATES["known as of 2024-06-30"]
    spread = {f.key: f for f in headline_findings(dataset, state)}["isisk-spread"]
    assert spread.value != "1×" and "Bortnikov" not in spread.statement
    assert not any("Bortnikov" in line for line in spread.details)
    assert "covering Afghanistan" in spread.statement


def test_the_card_lists_the_figures_it_rests_on(dataset) -> None:
    spread = {f.key: f for f in headline_findings(dataset, FilterState())}["isisk-spread"]
    assert spread.value.startswith("at least")
    assert any("more than 25,000" in line for line in spread.details)
    assert not any("family" in line for line in spread.details)  # another measure
    assert "Oriental Express (Serenko interview), 2024" in " ".join(spread.details)


def test_restated_figures_are_named_as_such(dataset) -> None:
    findings = {f.key: f for f in headline_findings(dataset, FilterState())}
    again = findings["restatements"]
    assert not again.empty
    assert "Patrushev's more than 23,000 for all groups in Afghanistan" in again.statement
    assert "repeated unchanged since 10 Nov 2021" in again.statement
    assert "Shoigu (29 Aug 2025)" in again.statement
    june = {f.key: f for f in headline_findings(dataset, STATES["known as of 2024-06-30"])}
    assert "Shoigu" not in june["restatements"].statement  # said in 2025
    seeds = {f.key: f for f in headline_findings(dataset, STATES["seed documents only"])}
    assert "not under the current filters" in seeds["restatements"].statement


def test_no_restatement_in_view_says_so(dataset) -> None:
    nothing = FilterState(date_from=dt.date(1990, 1, 1), date_to=dt.date(1990, 12, 31))
    again = {f.key: f for f in headline_findings(dataset, nothing)}["restatements"]
    assert again.empty and "No figure in view" in again.statement


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
    delist, spread, again, provinces, coverage = headline_findings(dataset, FilterState())
    assert delist.statement.startswith(
        "Kazakhstan delisted the Taliban (Dec 2023 per 3 sources, Jun 2024 per 2), "
        "Kyrgyzstan (Sep 2024"
    )
    assert "Russia suspended its ban on the Taliban (Apr 2025" in delist.statement
    assert spread.value == "at least 7.1×"  # 2,000-3,500 (UN, Jul 2024) to more than 25,000
    assert spread.statement.startswith(
        "Oriental Express' more than 25,000 (2024) is at least 7.1× UN Monitoring Team's "
        "2,000–3,500 (Jul 2024)."
    )
    assert provinces.value == "Badakhshan"
    total = len(dataset.events) + len(dataset.designations) + len(dataset.estimates)
    assert coverage.value == f"{total} records"
    for finding in (delist, spread, again, provinces, coverage):
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
    assert "0 external" in seeds[4].statement


def test_headlines_survive_filters_that_empty_everything(dataset) -> None:
    nothing = FilterState(date_from=dt.date(1990, 1, 1), date_to=dt.date(1990, 12, 31))
    findings = headline_findings(dataset, nothing)
    assert all(f.empty for f in findings)
    assert findings[4].value == "0 records"
