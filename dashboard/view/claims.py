"""Strength claims and their comparison: the one place that says how far claims differ.

The Strength page, its charts, the Overview and the exports all compare claims here, so they
cannot disagree. Numbers are read as stated: "more than 25,000" is [25,000, inf), "up to
400,000" is [0, 400,000], "around 6,500" is 6,500 +- ``APPROX_TOLERANCE``. Claims are compared
per group, metric and scope, the highest claim over the lowest; the ratio is conservative (the
highest claim's lower bound over the lowest claim's upper bound, "at least" when a bound is
open or the words are approximate).
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd

from dashboard.charts.theme import AFFILIATION_LABELS
from dashboard.view.view import VIEW_CACHE_SIZE, View

METRIC_LABELS = {
    "fighters": "fighters",
    "militants": "militants",
    "organizations": "organisations",
    "madrassas": "madrassas",
    "madrassa_students": "madrassa students",
    "budget_share_pct": "share of the state budget (%)",
}
APPROX_TOLERANCE = 0.1  # "around 6,500" is read as 6,500 ± 10% when comparing claims
TABLE_COLUMNS = {
    "claimant_name": "claimant",
    "affiliation": "affiliation",
    "subject_name": "group",
    "metric_label": "metric",
    "scope": "scope",
    "value_text": "number as stated",
    "as_of": "as of",
    "as_of_basis": "as-of basis",
    "source_label": "source",
    "evidence_type": "evidence type",
    "quote_or_summary": "quote or our summary",
    "estimate_id": "record id",
}


@functools.lru_cache(maxsize=VIEW_CACHE_SIZE)
def claims_in_view(view: View, category: str = "strength") -> pd.DataFrame:
    """The view's estimates of one category, with the columns charts and tables need (the same
    object on every ask for one view: do not modify it)."""
    frame = view.estimates
    frame = frame[frame["category"] == category].copy()
    # column-wise throughout: at the benchmark's 1000x scale these are 25,000 rows
    if category == "strength":  # a country as subject means every group counted together
        frame["subject_name"] = frame["subject_name"].where(
            frame["subject_id"].ne("afghanistan"), "All groups in Afghanistan"
        )
    metrics = frame["metric"].astype(str)
    frame["metric_label"] = metrics.map(
        {m: METRIC_LABELS.get(m, m.replace("_", " ")) for m in metrics.unique()}
    )
    kinds = frame["claimant_affiliation_type"].fillna("").astype(str)
    frame["affiliation"] = kinds.map({a: AFFILIATION_LABELS.get(a, a) for a in kinds.unique()})
    frame["evidence_type"] = (
        frame["source_kind"].eq("seed").map({True: "seed quote", False: "external summary"})
    )
    quote = frame["quote"].fillna("").astype(str)
    frame["quote_or_summary"] = quote.where(quote != "", frame["evidence"].fillna("").astype(str))
    # What the words allow: "more than 25,000" is [25,000, inf), "up to 400,000" is
    # [0, 400,000], "around 6,500" is 6,500 +- APPROX_TOLERANCE.
    low, high = frame["value_low"].astype(float), frame["value_high"].astype(float)
    qualifier = frame["qualifier"]
    frame["low_bound"] = np.select(
        [qualifier.eq("up_to"), qualifier.eq("approximately")],
        [0.0, low * (1 - APPROX_TOLERANCE)],
        default=low,
    )
    frame["high_bound"] = np.select(
        [qualifier.eq("more_than"), qualifier.eq("approximately")],
        [math.inf, high * (1 + APPROX_TOLERANCE)],
        default=high,
    )
    return frame


def stated_level(frame: pd.DataFrame) -> pd.Series:
    """The number a claim states: its low value, or its high one for "up to"."""
    return frame["value_low"].fillna(frame["value_high"])


def _short_number(value: float) -> str:
    return f"{value:,.0f}"


@functools.lru_cache(maxsize=VIEW_CACHE_SIZE)
def comparisons_in_view(view: View) -> pd.DataFrame:
    """``disagreement`` of the view's strength claims, worked out once per view."""
    return disagreement(claims_in_view(view))


def disagreement(frame: pd.DataFrame) -> pd.DataFrame:
    """Per group, metric and scope: the highest claim over the lowest, who made each, agreement.

    The ratio is conservative: the highest claim's lower bound over the lowest claim's upper
    bound ("at least" when the high claim is open-ended or the words are approximate).
    """
    rows = []
    for (subject, metric, scope), group in frame.groupby(
        ["subject_name", "metric_label", "scope"], sort=True
    ):
        if len(group) < 2:
            continue
        stated = group.assign(level=stated_level(group))
        high = stated.loc[stated["level"].idxmax()]
        low = stated.loc[stated["level"].idxmin()]
        low_top = low["value_high"] if not pd.isna(low["value_high"]) else low["value_low"]
        high_bottom = high["value_low"] if not pd.isna(high["value_low"]) else 0
        ratio = high_bottom / low_top if low_top else math.nan
        # the ratio of lower to upper bounds is a floor unless both numbers are single figures
        open_ended = bool(
            {high["qualifier"], low["qualifier"]}
            & {"more_than", "up_to", "order_of_magnitude", "range"}
        )
        overlap = max(group["low_bound"]) <= min(group["high_bound"])
        one_claimant = group["claimant_id"].nunique() == 1
        factor = f"{math.floor(ratio * 10) / 10:.1f}×" if not math.isnan(ratio) else "n/a"
        ratio_text = (
            (f"at least {factor}" if open_ended else f"about {factor}") if ratio >= 1 else factor
        )
        rows.append(
            {
                "group": subject,
                "metric": metric,
                "scope": scope,
                "claims": len(group),
                "highest": f"{high['value_text']} ({high['claimant_name']}, {high['as_of']})",
                "lowest": f"{low['value_text']} ({low['claimant_name']}, {low['as_of']})",
                "ratio": ratio,
                "high over low": ratio_text,
                "claims agree": (
                    "one claimant at different dates"
                    if one_claimant
                    else "yes (ranges overlap)"
                    if overlap
                    else "no"
                ),
                "sentence": (
                    f"{subject} {metric} ({scope}): "
                    + (
                        f"{high['claimant_name']} gives {low['value_text']} ({low['as_of']}) "
                        f"and {high['value_text']} ({high['as_of']}), {ratio_text}"
                        if one_claimant
                        else f"{high['claimant_name']}'s {high['value_text']} against "
                        f"{low['claimant_name']}'s {low['value_text']} is {ratio_text}"
                        + ("; the claims overlap" if overlap else "; the claims do not agree")
                    )
                ),
            }
        )
    return pd.DataFrame(rows)


def claims_table(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[list(TABLE_COLUMNS)].rename(columns=TABLE_COLUMNS).reset_index(drop=True)
