"""The one comparison rule (dashboard/view/claims.py) on hand-made claims: open bounds, bands,
different measures, different areas, restatements, one claimant at two dates, the window."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from dashboard.ingest.dates import parse_series
from dashboard.ingest.loader import value_text
from dashboard.view import claims

ENTITIES = pd.DataFrame(
    [
        ("serenko", "Andrey Serenko", "person", "", "independent_expert"),
        ("sidorov", "Anatoly Sidorov", "person", "", "regional_bloc"),
        ("patrushev", "Nikolai Patrushev", "person", "", "russian_state"),
        ("shoigu", "Sergei Shoigu", "person", "", "russian_state"),
        ("belousov", "Andrei Belousov", "person", "", "russian_state"),
        ("un-mt", "UN Analytical Support and Sanctions Monitoring Team", "agency",
         "Monitoring Team|1267 Monitoring Team", "un_body"),
        ("us-officials", "Unnamed US officials", "agency", "", "us_state"),
        ("isis-k", "ISIS-K", "armed_group", "", ""),
        ("afghanistan", "Afghanistan", "state", "", "afghan_authorities"),
    ],
    columns=["entity_id", "name", "kind", "aliases", "claimant_type"],
)  # fmt: skip
PLACES = pd.DataFrame(
    [
        ("afghanistan", "Afghanistan", "country", ""),
        ("pakistan", "Pakistan", "country", ""),
        ("northern-afghanistan", "Northern Afghanistan", "region", "afghanistan"),
        ("badakhshan", "Badakhshan", "province", "afghanistan"),
    ],
    columns=["place_id", "name", "kind", "parent_id"],
)
NAMES = dict(zip(ENTITIES["entity_id"], ENTITIES["name"], strict=True))


def claim(
    estimate_id: str,
    claimant: str,
    as_of: str,
    low: float | None,
    high: float | None,
    qualifier: str,
    *,
    measure: str = "armed_strength",
    places: str = "afghanistan",
    restates: str = "",
    subject: str = "isis-k",
) -> dict:
    return {
        "estimate_id": estimate_id,
        "subject_id": subject,
        "metric": "fighters",
        "measure": measure,
        "value_low": np.nan if low is None else float(low),
        "value_high": np.nan if high is None else float(high),
        "qualifier": qualifier,
        "place_ids": places,
        "scope": "",
        "claimant_id": claimant,
        "as_of": as_of,
        "as_of_basis": "external",
        "source_id": f"src-{estimate_id}",
        "quote": "",
        "evidence": "our words",
        "restates_id": restates,
        "category": "strength",
    }


def prepared(*rows: dict) -> pd.DataFrame:
    """Rows as the loader and ``claims.prepare`` leave them."""
    frame = pd.DataFrame(list(rows))
    parsed = parse_series(frame["as_of"])
    frame["as_of_start"], frame["as_of_end"] = parsed["start"], parsed["end"]
    frame["subject_name"] = frame["subject_id"].map(NAMES)
    frame["claimant_name"] = frame["claimant_id"].map(NAMES)
    frame["source_kind"] = "external"
    frame["source_label"] = "Outlet " + frame["estimate_id"]
    frame["value_text"] = [
        value_text(q, None if math.isnan(lo) else lo, None if math.isnan(hi) else hi)
        for q, lo, hi in zip(frame["qualifier"], frame["value_low"], frame["value_high"],
                             strict=True)
    ]  # fmt: skip
    return claims.prepare(frame, ENTITIES, PLACES)


def compared(*rows: dict) -> pd.DataFrame:
    return claims.compare(prepared(*rows))


def only(comparisons: pd.DataFrame) -> dict:
    (row,) = comparisons.to_dict("records")
    return row


# ---- open bounds ---------------------------------------------------------------------------------
def test_more_than_is_compared_by_its_bound_and_the_ratio_is_a_floor() -> None:
    row = only(
        compared(
            claim("high", "serenko", "2024", 25000, None, "more_than"),
            claim("low", "un-mt", "2024-07", 4000, 6000, "range"),
        )
    )
    assert row["high over low"] == "at least 4.1×"  # 25,000 / 6,000 = 4.17, floored
    assert row["claims agree"] == "no"
    assert row["sentence"] == (
        "Serenko's more than 25,000 (2024) is at least 4.1× UN Monitoring Team's "
        "4,000–6,000 (Jul 2024)"
    )
    assert "within 12 months" in row["compared"] and "ISIS-K" in row["compared"]


def test_two_more_than_claims_can_agree() -> None:
    """'More than 15,000' does not exclude 'more than 23,000': no disagreement, no ratio."""
    row = only(
        compared(
            claim("a", "patrushev", "2025-08", 23000, None, "more_than"),
            claim("b", "belousov", "2025-05", 15000, None, "more_than"),
        )
    )
    assert row["claims agree"].startswith("yes")
    assert row["high over low"] == "claims can agree"
    assert "the claims can agree" in row["sentence"]


def test_up_to_is_compared_by_its_upper_bound() -> None:
    row = only(
        compared(
            claim("cap", "sidorov", "2023-02-14", None, 4000, "up_to"),
            claim("pt", "belousov", "2023-03", 6500, 6500, "approximately"),
        )
    )
    assert row["higher_id"] == "pt" and row["lower_id"] == "cap"
    assert row["high over low"] == "at least 1.6×"


def test_single_figures_say_about_or_nothing() -> None:
    about = only(
        compared(
            claim("a", "sidorov", "2023-02", 6500, 6500, "approximately"),
            claim("b", "us-officials", "2023-03", 2000, 2000, "exact"),
        )
    )
    assert about["high over low"] == "about 3.2×"
    plain = only(
        compared(
            claim("a", "sidorov", "2023-02", 5000, 5000, "exact"),
            claim("b", "us-officials", "2023-03", 2000, 2000, "exact"),
        )
    )
    assert plain["high over low"] == "2.5×"


def test_approximate_figures_agree_within_the_tolerance() -> None:
    row = only(
        compared(
            claim("a", "sidorov", "2023-02", 6500, 6500, "approximately"),
            claim("b", "un-mt", "2023-06", 4000, 6000, "range"),
        )
    )
    assert row["claims agree"].startswith("yes")  # 6,500 - 10% reaches 6,000


def test_ratios_are_floored_never_rounded_up() -> None:
    assert claims.ratio_text(4.19, "at least") == "at least 4.1×"
    assert claims.ratio_text(12.5, "at least") == "at least 12×"
    assert claims.ratio_text(2.0, "") == "2.0×"
    assert claims.ratio_text(math.inf, "at least") == "unbounded"


# ---- bands ---------------------------------------------------------------------------------------
def test_a_word_band_is_compared_by_its_bounds() -> None:
    """'Hundreds' (200-999) against 2,000: at least 2.0x, never 'about 10x' from a midpoint."""
    row = only(
        compared(
            claim("band", "serenko", "2023-11", 200, 999, "order_of_magnitude"),
            claim("pt", "sidorov", "2023-10", 2000, 2000, "exact"),
        )
    )
    assert row["higher_id"] == "pt" and row["high over low"] == "at least 2.0×"


def test_a_figure_inside_a_band_agrees_with_it() -> None:
    row = only(
        compared(
            claim("band", "serenko", "2023-11", 2000, 9999, "order_of_magnitude"),
            claim("pt", "sidorov", "2023-10", 6500, 6500, "approximately"),
        )
    )
    assert row["claims agree"].startswith("yes")


# ---- different measures and areas ----------------------------------------------------------------
def test_different_measures_are_never_compared() -> None:
    """The issue's case: 4,000-6,000 fighters with their families is not a count of fighters."""
    table = compared(
        claim("fighters", "sidorov", "2023-07", 6500, 6500, "approximately"),
        claim("family", "un-mt", "2023-07", 4000, 6000, "range",
              measure="armed_strength_with_family"),
    )  # fmt: skip
    assert table.empty


def test_a_subtotal_of_the_country_is_never_compared_with_the_total() -> None:
    """Bortnikov's 6,500 for the north and centre is not a rival to a country-wide 6,500."""
    frame = prepared(
        claim("total", "sidorov", "2023-02", 6500, 6500, "approximately"),
        claim("north", "patrushev", "2023-10", 6500, 6500, "exact", places="northern-afghanistan"),
    )
    assert claims.compare(frame).empty
    assert set(frame["area_key"]) == {"afghanistan", "northern-afghanistan"}
    assert claims.area_relation("northern-afghanistan", "afghanistan", PLACES) == "part"


def test_a_wider_region_is_its_own_area() -> None:
    frame = prepared(
        claim("af", "un-mt", "2024-07", 2000, 3500, "range"),
        claim("region", "un-mt", "2024-07", 4000, 6000, "range", places="afghanistan|pakistan"),
    )
    assert claims.compare(frame).empty
    region = frame.set_index("estimate_id").loc["region"]
    assert region["area_key"] == "afghanistan|pakistan"
    assert region["area_label"] == "Afghanistan + Pakistan"
    assert claims.area_relation("afghanistan|pakistan", "afghanistan", PLACES) == "wider"


def test_a_country_named_with_its_provinces_covers_the_country() -> None:
    key, label = claims.covered_area(
        "afghanistan|badakhshan", {"afghanistan": "country"}, {"afghanistan": "Afghanistan"}
    )
    assert (key, label) == ("afghanistan", "Afghanistan")
    # a district inside a named province adds nothing to the area
    key, _ = claims.covered_area(
        "badakhshan|nusay", {}, {}, {"nusay": "badakhshan", "badakhshan": "afghanistan"}
    )
    assert key == "badakhshan"


# ---- restatements --------------------------------------------------------------------------------
LINEAGE = (
    claim("p-2021", "patrushev", "2021-11-10", 23000, None, "more_than", subject="afghanistan"),
    claim("p-2024", "patrushev", "2024-02", 23000, 23000, "approximately", restates="p-2021",
          subject="afghanistan"),
    claim("p-2024-b", "patrushev", "2024-02", 23000, None, "more_than", restates="p-2021",
          subject="afghanistan"),  # another outlet's report of the same statement
    claim("s-2025", "shoigu", "2025-08-29", 23000, None, "more_than", restates="p-2021",
          subject="afghanistan"),
)  # fmt: skip


def test_a_restatement_is_never_compared_with_its_first_statement() -> None:
    """Shoigu repeating Patrushev's 23,000 is one figure, not two claims that 'agree'."""
    assert compared(*LINEAGE).empty


def test_a_restatement_counts_once_and_stands_for_its_figure_later() -> None:
    row = only(
        compared(*LINEAGE, claim("b", "belousov", "2025-05-28", 15000, None, "more_than",
                                 subject="afghanistan"))
    )  # fmt: skip
    assert row["figures"] == 2 and row["restatements"] == 2  # Patrushev 2024, Shoigu 2025
    assert row["higher_id"] == "s-2025"  # the 2021 figure, said again within 12 months
    assert "first said by Patrushev, 10 Nov 2021" in row["sentence"]


def test_repeats_are_told_from_other_reports_of_one_statement() -> None:
    frame = prepared(*LINEAGE).set_index("estimate_id")
    assert not frame.loc["p-2021", "is_repeat"]
    assert frame.loc["p-2024", "is_repeat"] and frame.loc["s-2025", "is_repeat"]
    assert frame.loc["p-2024", "statement_id"] == frame.loc["p-2024-b", "statement_id"]
    assert frame.loc["p-2021", "restated_by"] == "Patrushev, Feb 2024; Shoigu, 29 Aug 2025"
    assert frame.loc["s-2025", "first_stated"] == "Patrushev, 10 Nov 2021"


def test_outlets_reporting_one_statement_share_it_even_unlinked() -> None:
    frame = prepared(
        claim("a", "belousov", "2025-05-28", 15000, None, "more_than"),
        claim("b", "belousov", "2025-05-28", 15000, None, "more_than"),
    )
    assert frame["lineage_id"].nunique() == 1 and frame["statement_id"].nunique() == 1
    assert not frame["is_repeat"].any()


def test_figures_said_again_name_every_later_statement_once() -> None:
    restated = claims.restated_figures(prepared(*LINEAGE))
    (row,) = restated.to_dict("records")
    assert row["count"] == 2
    sentence = claims.restatement_sentence(row)
    assert sentence.startswith("Patrushev's more than 23,000 for all groups in Afghanistan")
    assert "repeated unchanged since 10 Nov 2021: by Patrushev (Feb 2024) and Shoigu" in sentence


def test_a_restatement_whose_first_statement_is_filtered_out_says_so() -> None:
    restated = claims.restated_figures(prepared(*LINEAGE[1:]))
    (row,) = restated.to_dict("records")
    assert not row["first_in_view"]
    assert "not under the current filters" in claims.restatement_sentence(row)


# ---- one claimant, two dates ---------------------------------------------------------------------
def test_one_claimant_at_two_dates_is_a_change_not_a_disagreement() -> None:
    row = only(
        compared(
            claim("then", "serenko", "2023", 24, 99, "order_of_magnitude", places="badakhshan"),
            claim("now", "serenko", "2023-11", 200, 999, "order_of_magnitude", places="badakhshan"),
        )
    )  # fmt: skip
    assert row["kind"] == "one claimant"
    assert row["claims agree"] == "one claimant at different dates"
    assert row["high over low"] == "up at least 2.0×"
    assert "change over time rather than a disagreement" in row["sentence"]


def test_a_claimant_is_not_compared_with_itself_when_others_are_in_view() -> None:
    row = only(
        compared(
            claim("s-2023", "serenko", "2023-06", 30000, None, "more_than"),
            claim("s-2024", "serenko", "2024-01", 1000, 1000, "exact"),
            claim("un", "un-mt", "2023-07", 4000, 6000, "range"),
        )
    )
    assert {row["higher_id"], row["lower_id"]} == {"s-2023", "un"}


# ---- the window ----------------------------------------------------------------------------------
def test_claims_years_apart_are_not_compared() -> None:
    assert compared(
        claim("early", "un-mt", "2021-02", 1000, 2200, "range"),
        claim("late", "serenko", "2024-06", 25000, None, "more_than"),
    ).empty


def test_a_year_is_taken_at_its_middle_for_the_window() -> None:
    """'2024' is not stretched to December to meet a claim of late 2025."""
    assert compared(
        claim("year", "serenko", "2024", 25000, None, "more_than"),
        claim("later", "un-mt", "2025-12", 2000, 2000, "approximately"),
    ).empty
    assert not compared(
        claim("year", "serenko", "2024", 25000, None, "more_than"),
        claim("later", "un-mt", "2025-05", 2000, 2000, "approximately"),
    ).empty


def test_the_pair_furthest_apart_is_reported() -> None:
    row = only(
        compared(
            claim("hi", "serenko", "2024", 25000, None, "more_than"),
            claim("mid", "un-mt", "2024-07", 4000, 6000, "range"),
            claim("lo", "sidorov", "2024-08", 2000, 3500, "range"),
        )
    )
    assert (row["higher_id"], row["lower_id"]) == ("hi", "lo")
    assert row["high over low"] == "at least 7.1×"


def day(k: int) -> str:
    return (dt.date(2024, 12, 31) - dt.timedelta(days=3 * k)).isoformat()


def test_many_copies_find_the_same_pair() -> None:
    """A set of thousands of claims (the benchmark's scale) is searched by distinct values,
    and finds what the small set finds."""
    base = [
        claim("hi", "serenko", "2024", 25000, None, "more_than"),
        claim("mid", "un-mt", "2024-07", 4000, 6000, "range"),
        claim("lo", "sidorov", "2024-08", 2000, 3500, "range"),
    ]
    copies = [
        {**row, "estimate_id": f"{row['estimate_id']}-x{k}", "as_of": day(k)}
        for k in range(1, 600)
        for row in base
    ]
    row = only(compared(*base, *copies))
    assert row["high over low"] == "at least 7.1×"
    assert row["figures"] == len(base) * 600


# ---- what a group's headline is about ------------------------------------------------------------
def test_the_headline_is_about_the_groups_fighters_over_its_widest_common_area() -> None:
    frame = prepared(
        claim("a", "serenko", "2024", 25000, None, "more_than"),
        claim("b", "un-mt", "2024-07", 4000, 6000, "range"),
        claim("c", "un-mt", "2024-07", 4000, 6000, "range", measure="armed_strength_with_family"),
        claim("d", "patrushev", "2023-10", 6500, 6500, "exact", places="northern-afghanistan"),
    )
    assert claims.main_set(frame) == ("armed_strength", "afghanistan")
    top = claims.headline(frame, claims.compare(frame), "isis-k")
    assert top is not None and top["higher_id"] == "a"


def test_no_headline_says_why() -> None:
    frame = prepared(
        claim("early", "un-mt", "2021-02", 1000, 2200, "range"),
        claim("late", "serenko", "2024-06", 25000, None, "more_than"),
    )
    assert claims.headline(frame, claims.compare(frame), "isis-k") is None
    reason = claims.why_not_compared(frame, "isis-k")
    assert reason.startswith("2 figures") and "within 12 months" in reason


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Anatoly Sidorov", "Sidorov"), ("Unnamed US officials", "unnamed US officials")],
)
def test_claimants_are_named_short(name: str, expected: str) -> None:
    row = ENTITIES[ENTITIES["name"] == name].iloc[0]
    assert claims.short_names(ENTITIES)[row["entity_id"]] == expected
    assert claims.short_names(ENTITIES)["un-mt"] == "UN Monitoring Team"


def test_the_methodology_states_the_rule_the_code_applies() -> None:
    from pathlib import Path

    document = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"
    section = document.read_text(encoding="utf-8").split("## Comparing claims")[1]
    section = section.split("\n## ")[0]
    assert f"within **{claims.WINDOW_MONTHS} months**" in section
    assert f"±{round(claims.APPROX_TOLERANCE * 100)}%" in section
    assert "dashboard/view/claims.py" in section
