"""Strength claims and the one rule for comparing them.

A strength figure is someone's statement, often the repeat of an earlier one, about one area.
The Strength page, its charts and captions, the Overview's cards and the exports all compare
claims here, so they cannot disagree. The rule (docs/methodology.md, "Comparing claims"):

- Two claims are compared only when they count the same thing: the same subject (group),
  the same ``measure`` (fighters with family members are not fighters) and the same covered
  area (``area_key``: the countries a claim names, or the places it names when it names no
  country, so a regional subtotal is never read against a country-wide figure).
- They must have been made within ``WINDOW_MONTHS`` of each other, a date known only to the
  year or month taken at its middle: a 2021 figure and a 2025 figure describe different
  moments, and "2024" is not stretched to December to meet a 2025 claim.
- A restatement (``restates_id``) is the same figure said again: it is never compared with its
  own first statement and never counts as a second claim or as corroboration. It can stand for
  its figure at the later date it was said again ("Shoigu's more than 23,000 (Aug 2025, first
  said by Patrushev in Nov 2021)").
- Claims by one claimant at two dates are a change over time, not a disagreement.
- Numbers are read as stated: "more than 25,000" is [25,000, inf), "up to 4,000" [0, 4,000],
  a range or a word band ("hundreds": 200-999) its bounds, "around 6,500" 6,500 give or take
  ``APPROX_TOLERANCE`` when judging agreement. The ratio is a floor: the higher claim's lower
  bound over the lower claim's upper bound, "at least" unless both claims are single figures.

Of the pairs that pass, each comparable set reports the one furthest apart, in words that say
what was compared.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.charts.theme import CLAIMANT_TYPE_LABELS, CLAIMANT_TYPE_NOUNS
from dashboard.view.evidence import format_date
from dashboard.view.view import VIEW_CACHE_SIZE, View

WINDOW_MONTHS = 12  # claims made further apart than this describe different moments
APPROX_TOLERANCE = 0.1  # "around 6,500" agrees with anything within 6,500 ± 10%
MAIN_MEASURE = "armed_strength"

MEASURE_LABELS: dict[str, str] = {
    "armed_strength": "fighters, militants or members",
    "armed_strength_with_family": "fighters with their family members",
    "armed_strength_forecast": "forecast strength",
    "senior_members": "senior members",
    "family_members": "family members",
    "armed_groups": "organisations",
    "recruits": "recruits",
    "relocated_fighters": "fighters who moved",
    "joined_security_forces": "members who joined Taliban forces",
    "strength_change_pct": "change in strength (%)",
    "training_camps": "training camps",
    "madrassas": "madrassas",
    "madrassa_students": "madrassa students",
    "budget_share_pct": "share of the state budget (%)",
}
TABLE_COLUMNS = {
    "claimant_name": "claimant",
    "claimant_type_label": "claimant type",
    "subject_name": "group",
    "measure_label": "counts",
    "metric": "word used",
    "area_label": "area covered",
    "value_text": "number as stated",
    "as_of": "said on",
    "as_of_basis": "date basis",
    "first_stated": "first stated",
    "restated_by": "restated by",
    "as_reported_by": "as reported by",
    "evidence_type": "evidence type",
    "quote_or_summary": "quote or our summary",
    "scope": "scope as worded",
    "estimate_id": "record id",
}


# ---- claims in view ------------------------------------------------------------------------------
@functools.lru_cache(maxsize=VIEW_CACHE_SIZE)
def claims_in_view(view: View, category: str = "strength") -> pd.DataFrame:
    """The view's estimates of one category, with the columns the comparison, the charts and the
    table need (the same object on every ask for one view: do not modify it)."""
    frame = view.estimates
    frame = frame[frame["category"] == category]
    ds = view.dataset
    return prepare(frame, ds.entities, ds.places, ds.estimates)


def prepare(
    frame: pd.DataFrame,
    entities: pd.DataFrame,
    places: pd.DataFrame,
    estimates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Loaded estimate rows plus what comparing and drawing them needs (a new frame).

    ``estimates`` (default ``frame``) is every estimate, where a row's first statement is
    looked up to tell a figure said again (by another claimant, or on another day) from another
    outlet's report of the same statement. Column-wise throughout, each distinct value worked
    out once: at the benchmark's 1000x scale a view holds tens of thousands of claims.
    """
    frame = frame.copy()
    is_country = frame["subject_id"].map(_kinds(entities)).eq("state")
    frame["subject_name"] = frame["subject_name"].where(
        ~is_country, "All groups in " + frame["subject_name"].astype(str)
    )
    if "claimant_type" not in frame.columns:
        frame["claimant_type"] = frame["claimant_id"].map(_column(entities, "claimant_type"))
    frame["claimant_type"] = frame["claimant_type"].fillna("").astype(str)
    frame["claimant_type_label"] = frame["claimant_type"].map(
        lambda kind: CLAIMANT_TYPE_LABELS.get(kind, kind)
    )
    frame["claimant_short"] = frame["claimant_id"].map(short_names(entities))
    frame["claimant_short"] = frame["claimant_short"].fillna(frame["claimant_id"])
    measures = frame["measure"].fillna("").astype(str)
    frame["measure_label"] = measures.map({m: measure_label(m) for m in measures.unique()})
    place_ids = frame["place_ids"].fillna("").astype(str)
    kinds, names = _column(places, "kind"), _column(places, "name")
    parents = _column(places, "parent_id")
    areas = {
        value: covered_area(value, kinds, names, parents) for value in place_ids.unique().tolist()
    }
    frame["area_key"] = place_ids.map({k: v[0] for k, v in areas.items()})
    frame["area_label"] = place_ids.map({k: v[1] for k, v in areas.items()})
    frame["evidence_type"] = (
        frame["source_kind"].eq("seed").map({True: "seed quote", False: "external summary"})
    )
    quote = frame["quote"].fillna("").astype(str)
    frame["quote_or_summary"] = quote.where(quote != "", frame["evidence"].fillna("").astype(str))
    frame["as_reported_by"] = _reported_by(frame)
    frame = frame.assign(**bounds(frame))
    restates = frame["restates_id"].fillna("").astype(str)
    frame["is_restatement"] = restates.ne("")
    # a statement is who said which figure, for what, on which day; outlets reporting the same
    # statement are one statement whether or not the data links them (a restates_id pointing at
    # the first report), so they share the first report's lineage
    same = (
        frame["subject_id"] + _SEP + frame["measure"] + _SEP + frame["area_key"] + _SEP
        + frame["claimant_id"] + _SEP + frame["as_of"] + _SEP
        + frame["stated_low"].astype(str) + _SEP + frame["stated_high"].astype(str)
    )  # fmt: skip
    target = restates.where(restates.ne(""))
    first_report = frame["estimate_id"].groupby(same, sort=False).transform("first")
    frame["lineage_id"] = target.groupby(same, sort=False).transform("first").fillna(first_report)
    everything = frame if estimates is None else estimates
    roots = everything[everything["estimate_id"].isin(set(frame["lineage_id"]))]
    root_said = dict(
        zip(roots["estimate_id"], roots["claimant_id"] + _SEP + roots["as_of"], strict=True)
    )
    said = frame["claimant_id"] + _SEP + frame["as_of"]
    frame["statement_id"] = frame["lineage_id"] + _SEP + said
    frame["is_repeat"] = frame["is_restatement"] & frame["lineage_id"].map(root_said).ne(said)
    frame["when"] = frame["as_of"].map(
        {d: format_date(d) if d else "undated" for d in frame["as_of"].unique().tolist()}
    )
    frame["first_stated"], frame["restated_by"] = _lineage_texts(frame)
    frame["reported_by_all"] = _all_reports(frame)
    return frame


_SEP = "\x1f"  # joins ids into one key; no cell holds it


def measure_label(measure: str) -> str:
    return MEASURE_LABELS.get(measure, measure.replace("_", " ")) if measure else "not given"


def covered_area(
    place_ids: str,
    kinds: Mapping[str, str],
    names: Mapping[str, str],
    parents: Mapping[str, str] | None = None,
) -> tuple[str, str]:
    """The area a claim covers, as a key and a label: the countries it names ("afghanistan";
    "afghanistan|pakistan" for a region), or, when it names no country, the places it names
    (a province, a border strip, "northern Afghanistan"): a subtotal of a country, never
    compared with the country's total. A place inside another one named (a district of a named
    province) adds nothing to the area."""
    ids = sorted({part for part in place_ids.split("|") if part})
    if not ids:
        return "", "area not given"
    countries = [i for i in ids if kinds.get(i) == "country"]
    named = set(ids)
    chosen = countries or [i for i in ids if not _inside_any(i, named - {i}, parents or {})]
    ordered = [i for i in place_ids.split("|") if i in chosen]  # as the data lists them
    label = " + " if countries else ", "
    return "|".join(chosen), label.join(dict.fromkeys(names.get(i, i) for i in ordered))


def _inside_any(place: str, others: set[str], parents: Mapping[str, str]) -> bool:
    seen: set[str] = set()
    place = parents.get(place, "")
    while place and place not in seen:
        if place in others:
            return True
        seen.add(place)
        place = parents.get(place, "")
    return False


def area_relation(area: str, other: str, places: pd.DataFrame) -> str:
    """How area key ``area`` relates to ``other``: "same", "wider" (it contains all of
    ``other``: a region around a country), "part" (it lies inside ``other``: a province, a border
    strip) or "other", from places' parents."""
    if area == other:
        return "same"
    parents = _column(places, "parent_id")

    def inside(place: str, keys: set[str]) -> bool:
        seen = set()
        while place and place not in seen:
            if place in keys:
                return True
            seen.add(place)
            place = parents.get(place, "")
        return False

    mine, theirs = set(area.split("|")) - {""}, set(other.split("|")) - {""}
    if mine and theirs and all(inside(p, mine) for p in theirs):
        return "wider"
    if mine and theirs and all(inside(p, theirs) for p in mine):
        return "part"
    return "other"


def bounds(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """What the words allow, per claim: ``stated_low``/``stated_high`` as stated ("more than"
    open above, "up to" from 0) and ``low_bound``/``high_bound`` with the tolerance "around"
    allows (for judging agreement)."""
    low = frame["value_low"].to_numpy(dtype=float)
    high = frame["value_high"].to_numpy(dtype=float)
    qualifier = frame["qualifier"].to_numpy(dtype=object)
    more, up_to = qualifier == "more_than", qualifier == "up_to"
    approx = qualifier == "approximately"
    stated_low = np.where(up_to, 0.0, np.where(np.isnan(low), high, low))
    stated_high = np.where(more, math.inf, np.where(np.isnan(high), low, high))
    point = ~more & ~up_to & (stated_low == stated_high)
    return {
        "stated_low": stated_low,
        "stated_high": stated_high,
        "low_bound": np.where(approx, stated_low * (1 - APPROX_TOLERANCE), stated_low),
        "high_bound": np.where(approx, stated_high * (1 + APPROX_TOLERANCE), stated_high),
        "is_point": point,
    }


def short_names(entities: pd.DataFrame) -> dict[str, str]:
    """How a sentence names each claimant: a person by surname ("Serenko"), an unnamed speaker
    as described ("unnamed US officials"), a body by its name without the bracketed gloss, or
    its shortest alias when the name is long ("UN Monitoring Team")."""
    out: dict[str, str] = {}
    for row in entities.itertuples():
        name = str(row.name)
        if name.lower().startswith("unnamed"):
            out[row.entity_id] = name[0].lower() + name[1:]
            continue
        if row.kind == "person":
            out[row.entity_id] = name.split()[-1]
            continue
        short = name.split(" (")[0].strip() or name
        aliases = [a for a in str(row.aliases or "").split("|") if len(a) > 2]
        if len(short) > 32 and aliases:
            alias = min(aliases, key=len)
            if short.startswith("UN ") and not alias.startswith("UN"):
                alias = "UN " + alias
            short = alias if len(alias) < len(short) else short
        out[row.entity_id] = short
    return out


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _column(frame: pd.DataFrame, column: str) -> dict[str, str]:
    id_column = "entity_id" if "entity_id" in frame.columns else "place_id"
    if column not in frame.columns:
        return {}
    return dict(zip(frame[id_column].tolist(), frame[column].fillna("").astype(str), strict=True))


def _kinds(entities: pd.DataFrame) -> dict[str, str]:
    return _column(entities, "kind")


def _reported_by(frame: pd.DataFrame) -> pd.Series:
    """The outlet that reported a claim (the source), with its date: for a UN figure known
    only through the press this is the newspaper, not the UN."""
    label = frame["source_label"].fillna(frame["source_id"]).astype(str)
    return label.where(frame["source_kind"].ne("seed"), label + " (seed document)")


def _lineage_texts(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """``first_stated`` (who first said the figure, and when) and ``restated_by`` (who said it
    again, and when: each later statement once, however many outlets reported it), both within
    the view: a first statement the filters leave out is named by its record id, and a
    restatement the filters leave out is not mentioned."""
    said = frame["claimant_short"].astype(str) + ", " + frame["when"].astype(str)
    by_id = dict(zip(frame["estimate_id"].tolist(), said.tolist(), strict=True))
    lineage = frame["lineage_id"]
    first = lineage.map(
        {
            i: by_id.get(i, f"record {i}, not under the current filters")
            for i in lineage.unique().tolist()
        }
    )
    again = frame[frame["is_repeat"]].drop_duplicates("statement_id")
    if again.empty:
        return first, pd.Series("", index=frame.index)
    order = again.sort_values("as_of_start", kind="stable")
    joined = said[order.index].groupby(order["lineage_id"], sort=False).agg("; ".join)
    restated = frame["estimate_id"].map(joined).fillna("")
    return first, restated


def _all_reports(frame: pd.DataFrame) -> pd.Series:
    """Every outlet in view that reported each row's statement, "; "-joined (one mark on a chart
    stands for them all)."""
    reports = frame.groupby("statement_id", sort=False)["as_reported_by"].agg(
        lambda outlets: "; ".join(dict.fromkeys(outlets))
    )
    return frame["statement_id"].map(reports)


# ---- comparisons ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Side:
    """One claim of a comparison, as a sentence names it."""

    estimate_id: str
    who: str
    value: str
    when: str
    first: str  # "" for a first statement, else who first said it and when

    def text(self) -> str:
        note = f"; first said by {self.first}" if self.first else ""
        return f"{possessive(self.who)} {self.value} ({self.when}{note})"


def ratio_text(ratio: float, hedge: str) -> str:
    """A floor, never rounded up: 4.17 is "4.1×", 12.9 is "12×"."""
    if not math.isfinite(ratio):
        return "unbounded"
    shown = f"{math.floor(ratio)}" if ratio >= 10 else f"{math.floor(ratio * 10) / 10:.1f}"
    return f"{hedge} {shown}×".strip()


@functools.lru_cache(maxsize=VIEW_CACHE_SIZE)
def comparisons_in_view(view: View) -> pd.DataFrame:
    """``compare`` of the view's strength claims, worked out once per view."""
    return compare(claims_in_view(view))


COMPARISON_COLUMNS = (
    "group", "subject_id", "measure", "measure_label", "area_key", "area", "kind", "figures",
    "claimants", "restatements", "higher", "lower", "higher_id", "lower_id", "ratio",
    "high over low", "claims agree", "sentence", "compared", "source_ids",
)  # fmt: skip


def compare(frame: pd.DataFrame, window_months: int = WINDOW_MONTHS) -> pd.DataFrame:
    """One row per comparable set (subject, measure, area) holding two figures or more: the
    pair of claims furthest apart under the rule (module doc), in words.

    ``kind`` is "claimants" (two claimants compared; ``claims agree`` "yes" when their bounds
    overlap) or "one claimant" (only one claimant's figures at different dates: a change).
    """
    rows = []
    if frame.empty:
        return pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    window = np.timedelta64(round(window_months * 365.25 / 12), "D")
    for _, group in frame.groupby(["subject_id", "measure", "area_key"], sort=True):
        figures = group["lineage_id"].nunique()
        if figures < 2:
            continue
        row = _compare_set(group, window, window_months)
        if row is not None:
            rows.append(row)
    result = pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
    return result.sort_values(["group", "figures"], ascending=[True, False], ignore_index=True)


class _Set:
    """One comparable set's claims as arrays (read once, indexed by position)."""

    def __init__(self, group: pd.DataFrame) -> None:
        self.group = group
        self.low = group["stated_low"].to_numpy(dtype=float)
        self.high = group["stated_high"].to_numpy(dtype=float)
        self.low_tol = group["low_bound"].to_numpy(dtype=float)
        self.high_tol = group["high_bound"].to_numpy(dtype=float)
        self.point = group["is_point"].to_numpy(dtype=bool)
        self.approx = group["qualifier"].eq("approximately").to_numpy()
        # a date known to the year or month is taken at its middle: "2024" is neither January
        # (close to 2023's claims) nor December (close to 2025's)
        start = group["as_of_start"].to_numpy(dtype="datetime64[s]")
        middle = start + (group["as_of_end"].to_numpy(dtype="datetime64[s]") - start) // 2
        self.start = self.end = middle
        self.claimant = pd.factorize(group["claimant_id"])[0]
        self.lineage = pd.factorize(group["lineage_id"])[0]
        self.dated = ~np.isnat(self.start)

    def side(self, i: int) -> Side:
        row = self.group.iloc[i]
        first = ""
        if row["is_repeat"]:
            first = str(row["first_stated"])
        return Side(
            str(row["estimate_id"]), str(row["claimant_short"]), str(row["value_text"]),
            str(row["when"]), first,
        )  # fmt: skip

    def furthest_pair(self, window: np.timedelta64) -> tuple[int, int] | None:
        """The pair (higher, lower) of claims by different claimants, of different figures,
        made within ``window`` of each other, with the largest floor ratio.

        Candidates are taken by distinct bound values, largest ratio first, so a set of
        thousands of claims (a few distinct figures, many dates) checks a few value pairs
        rather than every pair of claims.
        """
        lows = np.unique(self.low[self.dated])[::-1]
        highs = np.unique(self.high[self.dated])
        if not len(lows) or len(np.unique(self.claimant[self.dated])) < 2:
            return None
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = lows[:, None] / highs[None, :]
        ratios = np.nan_to_num(ratios, nan=0.0, posinf=math.inf)
        for flat in np.argsort(-ratios, axis=None, kind="stable"):
            li, hi = np.unravel_index(flat, ratios.shape)
            above = np.flatnonzero(self.dated & (self.low == lows[li]))
            below = np.flatnonzero(self.dated & (self.high == highs[hi]))
            if ratios[li, hi] > 1:
                # a figure said again has the same numbers, so over a ratio above 1 the two
                # claims are of different figures already
                pair = self._pair_in_window(above, below, window)
            else:
                pair = self._pair_of_other_figures(above, below, window)
            if pair is not None:
                return pair
        return None

    def _pair_in_window(
        self, above: np.ndarray, below: np.ndarray, window: np.timedelta64
    ) -> tuple[int, int] | None:
        """A claim of ``above`` and one of ``below`` by different claimants, made within
        ``window`` of each other (the latest such pair found), without comparing every pair:
        per claimant of ``above``, the others' claims sorted by start, with the latest end
        reached so far."""
        best: tuple[np.datetime64, int, int] | None = None
        for claimant in np.unique(self.claimant[above]):
            mine = above[self.claimant[above] == claimant]
            theirs = below[self.claimant[below] != claimant]
            if not len(theirs):
                continue
            theirs = theirs[np.argsort(self.start[theirs], kind="stable")]
            ends = self.end[theirs]
            latest_end = np.maximum.accumulate(ends)
            where = np.maximum.accumulate(np.where(ends == latest_end, np.arange(len(theirs)), 0))
            last = np.searchsorted(self.start[theirs], self.end[mine] + window, "right") - 1
            reached = last >= 0
            ok = np.zeros(len(mine), dtype=bool)
            ok[reached] = latest_end[last[reached]] >= self.start[mine][reached] - window
            if not ok.any():
                continue
            hits = np.flatnonzero(ok)
            pick = hits[np.argmax(self.end[mine][hits])]
            other = theirs[where[last[pick]]]
            when = max(self.end[mine[pick]], self.end[other])
            if best is None or when > best[0]:
                best = (when, int(mine[pick]), int(other))
        return None if best is None else (best[1], best[2])

    def _pair_of_other_figures(
        self, above: np.ndarray, below: np.ndarray, window: np.timedelta64, chunk: int = 512
    ) -> tuple[int, int] | None:
        """As ``_pair_in_window``, also of different figures (a restatement never agrees with
        its own first statement), pair by pair in chunks: only figures that may agree get
        here, and they are few."""
        for begin in range(0, len(above), chunk):
            part = above[begin : begin + chunk]
            ok = (
                (self.claimant[part][:, None] != self.claimant[below][None, :])
                & (self.lineage[part][:, None] != self.lineage[below][None, :])
                & (self.start[part][:, None] <= self.end[below][None, :] + window)
                & (self.start[below][None, :] <= self.end[part][:, None] + window)
            )
            if ok.any():
                a, b = np.nonzero(ok)
                latest = np.argmax(np.maximum(self.end[part][a], self.end[below][b]))
                return int(part[a[latest]]), int(below[b[latest]])
        return None

    def hedge(self, a: int, b: int) -> str:
        if not (self.point[a] and self.point[b]):
            return "at least"
        return "about" if self.approx[a] or self.approx[b] else ""

    def agree(self, a: int, b: int) -> bool:
        """Bounds overlap (with the tolerance "around" allows), in either direction."""
        return bool(self.low_tol[a] <= self.high_tol[b] and self.low_tol[b] <= self.high_tol[a])


def _compare_set(group: pd.DataFrame, window: np.timedelta64, months: int) -> dict | None:
    claims = _Set(group)
    first = group.iloc[0]
    subject, measure, area = first["subject_name"], first["measure_label"], first["area_label"]
    restatements = int(group.loc[group["is_repeat"], "statement_id"].nunique())
    compared = (
        f"Compared: {subject}, {measure}, covering {area}; claims made within {months} months "
        "of each other; each figure once (a restatement is the same figure said again, not a "
        "second claim)."
    )
    base = {
        "group": subject,
        "subject_id": first["subject_id"],
        "measure": first["measure"],
        "measure_label": measure,
        "area_key": first["area_key"],
        "area": area,
        "figures": int(group["lineage_id"].nunique()),
        "claimants": int(group["claimant_id"].nunique()),
        "restatements": restatements,
        "compared": compared,
    }
    pair = claims.furthest_pair(window)
    if pair is not None:
        a, b = pair
        high, low = claims.side(a), claims.side(b)
        ratio = claims.low[a] / claims.high[b] if claims.high[b] else math.inf
        agree = claims.agree(a, b) or ratio <= 1
        spread = ratio_text(ratio, claims.hedge(a, b)) if not agree else "claims can agree"
        sentence = (
            f"{high.text()} and {low.text()} overlap, the furthest apart of the "
            f"{base['figures']} figures compared: the claims can agree"
            if agree
            else f"{high.text()} is {spread} {low.text()}"
        )
        ids = group["source_id"].iloc[[a, b]].astype(str).tolist()
        return base | {
            "kind": "claimants",
            "higher": high.text(),
            "lower": low.text(),
            "higher_id": high.estimate_id,
            "lower_id": low.estimate_id,
            "ratio": float(ratio),
            "high over low": spread,
            "claims agree": "yes (bounds overlap)" if agree else "no",
            "sentence": sentence,
            "source_ids": tuple(dict.fromkeys(ids)),
        }
    return _change(claims, base)


def _change(claims: _Set, base: dict) -> dict | None:
    """One claimant's figures at different dates: the earliest against the latest, as a change
    (never called a disagreement)."""
    group = claims.group
    dated = np.flatnonzero(claims.dated)
    if len(dated) < 2:
        return None
    counts = pd.Series(claims.claimant[dated]).value_counts()
    who = counts.index[0]
    mine = dated[claims.claimant[dated] == who]
    mine = mine[np.argsort(claims.start[mine], kind="stable")]
    early = mine[0]
    later = [i for i in mine if claims.lineage[i] != claims.lineage[early]]
    if not later:
        return None
    late = later[-1]
    up = claims.low[late] / claims.high[early] if claims.high[early] else math.inf
    down = claims.low[early] / claims.high[late] if claims.high[late] else math.inf
    hedge = claims.hedge(late, early)
    if up > 1 and not claims.agree(early, late):
        change, ratio = f"up {ratio_text(up, hedge)}", up
    elif down > 1 and not claims.agree(early, late):
        change, ratio = f"down {ratio_text(down, hedge)}", down
    else:
        change, ratio = "bounds overlap", 1.0
    before, after = claims.side(early), claims.side(late)
    sentence = (
        f"{possessive(after.who)} own figure went from {before.value} ({before.when}) to "
        f"{after.value} ({after.when}): {change}; one claimant at two dates, a change over "
        "time rather than a disagreement"
    )
    ids = group["source_id"].iloc[[early, late]].astype(str).tolist()
    return base | {
        "kind": "one claimant",
        "higher": after.text(),
        "lower": before.text(),
        "higher_id": after.estimate_id,
        "lower_id": before.estimate_id,
        "ratio": float(ratio),
        "high over low": change,
        "claims agree": "one claimant at different dates",
        "sentence": sentence,
        "source_ids": tuple(dict.fromkeys(ids)),
    }


# ---- what a group's headline compares ------------------------------------------------------------
def main_set(frame: pd.DataFrame) -> tuple[str, str] | None:
    """The (measure, area_key) a group's claims are mostly about: its fighters (the main
    measure) over the area with the most distinct figures. The chart's first panel and the
    group's headline both use it."""
    if frame.empty:
        return None
    counts = frame.groupby(["measure", "area_key"], sort=True)["lineage_id"].nunique()
    ranked = counts.reset_index(name="figures")
    ranked["main"] = ranked["measure"].eq(MAIN_MEASURE)
    ranked["country"] = ~ranked["area_key"].str.contains("|", regex=False)
    ranked = ranked.sort_values(
        ["main", "figures", "country"], ascending=[False, False, False], kind="stable"
    )
    top = ranked.iloc[0]
    return str(top["measure"]), str(top["area_key"])


def headline(frame: pd.DataFrame, comparisons: pd.DataFrame, subject_id: str) -> dict | None:
    """The comparison a group's headline states: that of its main set (``main_set``), or
    None when the main set holds fewer than two figures."""
    mine = frame[frame["subject_id"] == subject_id]
    chosen = main_set(mine)
    if chosen is None or comparisons.empty:
        return None
    measure, area = chosen
    rows = comparisons[
        comparisons["subject_id"].eq(subject_id)
        & comparisons["measure"].eq(measure)
        & comparisons["area_key"].eq(area)
    ]
    return rows.iloc[0].to_dict() if len(rows) else None


def why_not_compared(frame: pd.DataFrame, subject_id: str) -> str:
    """Why a group has no headline comparison, in words (its main set too thin or too spread)."""
    mine = frame[frame["subject_id"] == subject_id]
    chosen = main_set(mine)
    if chosen is None:
        return "No strength figure under the current filters"
    rows = mine[mine["measure"].eq(chosen[0]) & mine["area_key"].eq(chosen[1])]
    figures = rows["lineage_id"].nunique()
    what = f"{rows['measure_label'].iloc[0]} covering {rows['area_label'].iloc[0]}"
    if figures < 2:
        return f"Only one figure of {what} under the current filters, so nothing to compare"
    return (
        f"{figures} figures of {what}, but no two by different claimants made within "
        f"{WINDOW_MONTHS} months of each other, so none is compared"
    )


def group_title(subject: str, row: Mapping[str, object] | None) -> str:
    """A chart's title: what its headline comparison found, in a few words."""
    if row is None:
        return f"{subject}: strength claims by claimant"
    measure = row["measure_label"]
    if row["kind"] == "one claimant":
        return f"{subject} {measure}: one claimant's figure changed ({row['high over low']})"
    if row["claims agree"] != "no":
        return f"{subject} {measure}: claims made within {WINDOW_MONTHS} months can agree"
    spread = row["high over low"]
    return f"{subject} {measure}: claims made within {WINDOW_MONTHS} months differ by {spread}"


# ---- restatements --------------------------------------------------------------------------------
def restated_figures(frame: pd.DataFrame) -> pd.DataFrame:
    """Figures said again in the view: one row per first statement with a restatement in view,
    most repeated first. Columns: ``lineage_id, first, first_when, first_in_view, value,
    subject, measure, restatements`` (a list of "who (when)"), ``count``, ``source_ids``."""
    again = frame[frame["is_repeat"]].drop_duplicates("statement_id")
    columns = [
        "lineage_id", "first", "first_when", "first_in_view", "value", "subject", "measure",
        "restatements", "count", "source_ids", "start",
    ]  # fmt: skip
    if again.empty:
        return pd.DataFrame(columns=columns)
    ordered = again.sort_values("as_of_start", kind="stable")
    said = ordered["claimant_short"].astype(str) + " (" + ordered["when"].astype(str) + ")"
    by_lineage = ordered.assign(said=said).groupby("lineage_id", sort=False)
    out = pd.DataFrame(
        {
            "restatements": by_lineage["said"].agg(list),
            "count": by_lineage["said"].size(),
            "earliest": by_lineage["estimate_id"].first(),
        }
    )
    out.index.name = "lineage_id"
    roots = frame.drop_duplicates("estimate_id").set_index("estimate_id")
    out["first_in_view"] = out.index.isin(roots.index)
    # the first statement when in view, else the earliest repeat stands for the figure
    origin_id = np.where(out["first_in_view"], out.index, out["earliest"])
    origin = roots.loc[origin_id]
    origin.index = out.index
    out["first"] = origin["claimant_short"].astype(str).where(out["first_in_view"], "")
    out["first_when"] = origin["when"].astype(str).where(out["first_in_view"], "")
    out["value"] = origin["value_text"].astype(str)
    out["subject"] = origin["subject_name"].astype(str)
    out["measure"] = origin["measure_label"].astype(str)
    out["start"] = origin["as_of_start"]
    lineage_rows = frame[frame["lineage_id"].isin(out.index)]
    sources = lineage_rows.groupby("lineage_id", sort=False)["source_id"].agg(
        lambda ids: tuple(dict.fromkeys(ids.astype(str)))
    )
    out["source_ids"] = sources.reindex(out.index)
    out = out.reset_index()[columns]
    return out.sort_values(["count", "start"], ascending=[False, True], ignore_index=True)


def restatement_sentence(row: Mapping[str, object]) -> str:
    """ "Patrushev's more than 23,000 (all groups in Afghanistan, fighters, militants or
    members) has been repeated unchanged since 10 Nov 2021: by Semerikov (6 Dec 2021) ..."."""
    said = list(row["restatements"])  # type: ignore[call-overload]
    listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    subject = str(row["subject"]).replace("All groups", "all groups")
    what = f"{row['value']} for {subject} ({row['measure']})"
    if row["first_in_view"]:
        return (
            f"{possessive(str(row['first']))} {what} has been repeated unchanged since "
            f"{row['first_when']}: by {listed}"
        )
    return (
        f"{what} said by {listed} restates an earlier statement (record {row['lineage_id']}), "
        "not under the current filters"
    )


def claims_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The claims as the page's table and the CSV show them: who, what, when, lineage, source."""
    return frame[list(TABLE_COLUMNS)].rename(columns=TABLE_COLUMNS).reset_index(drop=True)


def claimant_noun(claimant_type: str) -> str:
    """ "independent expert", "UN": a claimant type in running text."""
    return CLAIMANT_TYPE_NOUNS.get(claimant_type, claimant_type.replace("_", " "))
