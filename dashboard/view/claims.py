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
from typing import Any

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
    rows = view.estimates
    every = claims_of(view.dataset, category)
    shown = rows.index[rows["category"] == category]
    if len(shown) == len(every):  # the filters leave every claim: nothing to redo
        return every
    return with_lineage_texts(every.loc[shown])


@functools.lru_cache(maxsize=8)
def claims_of(ds: Any, category: str) -> pd.DataFrame:
    """Every estimate of one category in ``ds`` as ``prepare`` leaves it: what each claim is,
    whatever the filters (who speaks, what it counts, over which area, its bounds, statement and
    lineage). Worked out once per loaded dataset (hashed by identity), like its filter choices:
    at the benchmark's 1000x scale it was most of a first view. A view keeping fewer rows redoes
    only the lineage texts, which must not name what the view leaves out."""
    estimates = ds.estimates
    return prepare(estimates[estimates["category"] == category], ds.entities, ds.places, estimates)


def prepare(
    frame: pd.DataFrame,
    entities: pd.DataFrame,
    places: pd.DataFrame,
    estimates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``annotate`` then ``with_lineage_texts``: loaded rows as ``claims_in_view`` leaves them
    (for rows that are not a view of a loaded dataset, e.g. in tests)."""
    return with_lineage_texts(annotate(frame, entities, places, estimates))


def annotate(
    frame: pd.DataFrame,
    entities: pd.DataFrame,
    places: pd.DataFrame,
    estimates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Loaded estimate rows plus what comparing and drawing them needs, whatever the view (a
    new frame).

    ``estimates`` (default ``frame``) is every estimate, where a row's first statement is
    looked up to tell a figure said again (by another claimant, or on another day) from another
    outlet's report of the same statement. Column-wise throughout, each distinct value worked
    out once: at the benchmark's 1000x scale a dataset holds a hundred thousand estimates.
    """
    # the new columns are worked out as Series and added in one assign: each column added to a
    # frame of seventy made pandas copy its block manager
    new: dict[str, pd.Series] = {}
    is_country = frame["subject_id"].map(_kinds(entities)).eq("state")
    new["subject_name"] = frame["subject_name"].where(
        ~is_country, "All groups in " + frame["subject_name"].astype(str)
    )
    kind = (
        frame["claimant_type"]
        if "claimant_type" in frame.columns
        else frame["claimant_id"].map(_column(entities, "claimant_type"))
    )
    kind = kind.fillna("").astype(str)
    new["claimant_type"] = kind
    new["claimant_type_label"] = kind.map(
        {k: CLAIMANT_TYPE_LABELS.get(k, k) for k in kind.unique()}
    )
    short = frame["claimant_id"].map(short_names(entities)).fillna(frame["claimant_id"])
    new["claimant_short"] = short
    measures = frame["measure"].fillna("").astype(str)
    new["measure_label"] = measures.map({m: measure_label(m) for m in measures.unique()})
    place_ids = frame["place_ids"].fillna("").astype(str)
    kinds, names = _column(places, "kind"), _column(places, "name")
    parents = _column(places, "parent_id")
    areas = {
        value: covered_area(value, kinds, names, parents) for value in place_ids.unique().tolist()
    }
    area_key = place_ids.map({k: v[0] for k, v in areas.items()})
    new["area_key"] = area_key
    new["area_label"] = place_ids.map({k: v[1] for k, v in areas.items()})
    new["evidence_type"] = (
        frame["source_kind"].eq("seed").map({True: "seed quote", False: "external summary"})
    )
    quote = frame["quote"].fillna("").astype(str)
    new["quote_or_summary"] = quote.where(quote != "", frame["evidence"].fillna("").astype(str))
    new["as_reported_by"] = _reported_by(frame)
    stated = bounds(frame)
    new.update({k: pd.Series(v, index=frame.index) for k, v in stated.items()})
    restates = frame["restates_id"].fillna("").astype(str)
    new["is_restatement"] = restates.ne("")
    # a statement is who said which figure, for what, on which day; outlets reporting the same
    # statement are one statement whether or not the data links them (a restates_id pointing at
    # the first report), so they share the first report's lineage
    same = pd.DataFrame(
        {
            "subject": frame["subject_id"], "measure": measures, "area": area_key,
            "claimant": frame["claimant_id"], "as_of": frame["as_of"],
            "low": new["stated_low"], "high": new["stated_high"],
        }
    ).groupby(["subject", "measure", "area", "claimant", "as_of", "low", "high"],
              sort=False, dropna=False).ngroup()  # fmt: skip
    target = restates.where(restates.ne(""))
    first_report = frame["estimate_id"].groupby(same, sort=False).transform("first")
    lineage = target.groupby(same, sort=False).transform("first").fillna(first_report)
    new["lineage_id"] = lineage
    everything = frame if estimates is None else estimates
    everything = everything[["estimate_id", "claimant_id", "as_of"]]
    roots = everything[member(everything["estimate_id"], set(lineage.tolist()))]
    root_said = dict(
        zip(roots["estimate_id"], roots["claimant_id"] + _SEP + roots["as_of"], strict=True)
    )
    said = frame["claimant_id"] + _SEP + frame["as_of"]
    new["statement_id"] = lineage + _SEP + said
    new["is_repeat"] = new["is_restatement"] & lineage.map(root_said).ne(said)
    new["when"] = frame["as_of"].map(
        {d: format_date(d) if d else "undated" for d in frame["as_of"].unique().tolist()}
    )
    return frame.assign(**new)


def with_lineage_texts(frame: pd.DataFrame) -> pd.DataFrame:
    """``annotate``d rows plus who first stated each figure and who said it again, as far as
    these rows (a view) show: a view must not name a restatement it does not hold."""
    first, restated = _lineage_texts(frame)
    return frame.assign(first_stated=first, restated_by=restated)


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
    joined = {
        key: "; ".join(texts)
        for key, texts in _grouped(order["lineage_id"], said[order.index]).items()
    }
    restated = frame["estimate_id"].map(joined).fillna("")
    return first, restated


def member(values: pd.Series | pd.Index, keys: set) -> np.ndarray:
    """``values.isin(keys)`` for text: pandas' isin on Arrow strings walked both sides in
    Python lists (most of a second at the benchmark's scale); a set lookup per value does not."""
    return np.fromiter((value in keys for value in values.tolist()), dtype=bool, count=len(values))


def _grouped(keys: pd.Series, values: pd.Series) -> dict[object, list]:
    """``values`` listed per key, in order (plain Python: a pandas groupby with a Python
    function per group cost a third of a second on the benchmark's copies)."""
    out: dict[object, list] = {}
    for key, value in zip(keys.tolist(), values.tolist(), strict=True):
        out.setdefault(key, []).append(value)
    return out


def all_reports(frame: pd.DataFrame) -> pd.Series:
    """Every outlet in ``frame`` that reported each row's statement, "; "-joined (one mark on a
    chart stands for them all); most statements have one report, which is its own answer.
    Worked out for the rows a chart draws, not for every claim in view."""
    shared = frame["statement_id"].duplicated(keep=False).to_numpy()
    out = frame["as_reported_by"].astype(object).copy()
    if shared.any():
        rows = frame[shared]
        reports = {
            key: "; ".join(dict.fromkeys(outlets))
            for key, outlets in _grouped(rows["statement_id"], rows["as_reported_by"]).items()
        }
        out[shared] = rows["statement_id"].map(reports).to_numpy(dtype=object)
    return out


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
    """``compare`` of the view's strength claims, worked out once per view (once per dataset
    when the filters leave every claim)."""
    frame = claims_in_view(view)
    if frame is claims_of(view.dataset, "strength"):
        return comparisons_of(view.dataset)
    return compare(frame)


@functools.lru_cache(maxsize=4)
def comparisons_of(ds: Any) -> pd.DataFrame:
    """``compare`` of every strength claim in ``ds``."""
    return compare(claims_of(ds, "strength"))


COMPARISON_COLUMNS = (
    "group", "subject_id", "measure", "measure_label", "area_key", "area", "kind", "figures",
    "claimants", "restatements", "higher", "lower", "higher_id", "lower_id", "ratio",
    "high over low", "claims agree", "sentence", "compared", "source_ids",
)  # fmt: skip


_COMPARED_COLUMNS = (
    "estimate_id", "subject_id", "subject_name", "measure", "measure_label", "area_key",
    "area_label", "claimant_id", "claimant_short", "lineage_id", "statement_id", "is_repeat",
    "first_stated", "value_text", "when", "qualifier", "stated_low", "stated_high", "low_bound",
    "high_bound", "is_point", "as_of_start", "as_of_end", "source_id",
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
    frame = frame[list(_COMPARED_COLUMNS)].reset_index(drop=True)
    arrays = _Arrays(frame)  # read once; each set takes its positions of them
    sets = frame.groupby(["subject_id", "measure", "area_key"], sort=True).indices
    for positions in sets.values():
        if len(np.unique(arrays.lineage[positions])) < 2:
            continue
        row = _compare_set(arrays, np.sort(positions), window, window_months)
        if row is not None:
            rows.append(row)
    result = pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
    return result.sort_values(["group", "figures"], ascending=[True, False], ignore_index=True)


class _Arrays:
    """The compared columns of every claim as plain arrays, read once per comparison."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.low = frame["stated_low"].to_numpy(dtype=float)
        self.high = frame["stated_high"].to_numpy(dtype=float)
        self.low_tol = frame["low_bound"].to_numpy(dtype=float)
        self.high_tol = frame["high_bound"].to_numpy(dtype=float)
        self.point = frame["is_point"].to_numpy(dtype=bool)
        self.approx = frame["qualifier"].eq("approximately").to_numpy()
        # a date known to the year or month is taken at its middle: "2024" is neither January
        # (close to 2023's claims) nor December (close to 2025's)
        start = frame["as_of_start"].to_numpy(dtype="datetime64[s]")
        self.middle = start + (frame["as_of_end"].to_numpy(dtype="datetime64[s]") - start) // 2
        self.claimant = pd.factorize(frame["claimant_id"])[0]
        self.lineage = pd.factorize(frame["lineage_id"])[0]
        self.statement = pd.factorize(frame["statement_id"])[0]
        self.repeat = frame["is_repeat"].to_numpy(dtype=bool)
        self.source = frame["source_id"].astype(str).to_numpy(dtype=object)


class _Set:
    """One comparable set's claims: its positions of the shared arrays."""

    def __init__(self, arrays: _Arrays, rows: np.ndarray) -> None:
        self.arrays, self.rows = arrays, rows
        self.low, self.high = arrays.low[rows], arrays.high[rows]
        self.low_tol, self.high_tol = arrays.low_tol[rows], arrays.high_tol[rows]
        self.point, self.approx = arrays.point[rows], arrays.approx[rows]
        self.start = self.end = arrays.middle[rows]
        self.claimant, self.lineage = arrays.claimant[rows], arrays.lineage[rows]
        self.dated = ~np.isnat(self.start)

    def record(self, i: int) -> pd.Series:
        return self.arrays.frame.iloc[self.rows[i]]

    def sources(self, *positions: int) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.arrays.source[self.rows[list(positions)]]))

    def side(self, i: int) -> Side:
        row = self.record(i)
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


def _compare_set(
    arrays: _Arrays, rows: np.ndarray, window: np.timedelta64, months: int
) -> dict | None:
    claims = _Set(arrays, rows)
    first = claims.record(0)
    subject, measure, area = first["subject_name"], first["measure_label"], first["area_label"]
    restatements = len(np.unique(arrays.statement[rows][arrays.repeat[rows]]))
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
        "figures": len(np.unique(claims.lineage)),
        "claimants": len(np.unique(claims.claimant)),
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
            "source_ids": claims.sources(a, b),
        }
    return _change(claims, base)


def _change(claims: _Set, base: dict) -> dict | None:
    """One claimant's figures at different dates: the earliest against the latest, as a change
    (never called a disagreement)."""
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
        "source_ids": claims.sources(early, late),
    }


# ---- what a group's headline compares ------------------------------------------------------------
def set_sizes(frame: pd.DataFrame) -> dict[tuple[str, str], int]:
    """Distinct figures per (measure, area_key), in sorted key order (plain Python: pandas'
    groupby cost more than the counting on a group's few dozen claims)."""
    seen = set(
        zip(
            frame["measure"].tolist(),
            frame["area_key"].tolist(),
            frame["lineage_id"].tolist(),
            strict=True,
        )
    )
    sizes: dict[tuple[str, str], int] = {}
    for measure, area, _ in seen:
        sizes[(measure, area)] = sizes.get((measure, area), 0) + 1
    return dict(sorted(sizes.items()))


def main_set(frame: pd.DataFrame) -> tuple[str, str] | None:
    """The (measure, area_key) a group's claims are mostly about: its fighters (the main
    measure) over the area with the most distinct figures, a single country first among equals.
    The chart's first panel and the group's headline both use it."""
    sizes = set_sizes(frame)
    if not sizes:
        return None
    return min(
        sizes,
        key=lambda key: (key[0] != MAIN_MEASURE, -sizes[key], "|" in key[1]),
    )


def headline(frame: pd.DataFrame, comparisons: pd.DataFrame, subject_id: str) -> dict | None:
    """The comparison a group's headline states: that of its main set (``main_set``), or
    None when the main set holds fewer than two figures."""
    narrow = frame[["subject_id", "measure", "area_key", "lineage_id"]]
    chosen = main_set(narrow[narrow["subject_id"] == subject_id])
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
    narrow = frame[["subject_id", "measure", "area_key", "lineage_id", "measure_label",
                    "area_label"]]  # fmt: skip
    mine = narrow[narrow["subject_id"] == subject_id]
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
@functools.lru_cache(maxsize=VIEW_CACHE_SIZE)
def restated_in_view(view: View) -> pd.DataFrame:
    """``restated_figures`` of the view's strength claims, worked out once per view (the
    Overview's card and the Strength page's list; once per dataset when the filters leave every
    claim)."""
    frame = claims_in_view(view)
    if frame is claims_of(view.dataset, "strength"):
        return restated_of(view.dataset)
    return restated_figures(frame)


@functools.lru_cache(maxsize=4)
def restated_of(ds: Any) -> pd.DataFrame:
    """``restated_figures`` of every strength claim in ``ds``."""
    return restated_figures(claims_of(ds, "strength"))


def restated_figures(frame: pd.DataFrame) -> pd.DataFrame:
    """Figures said again in the view: one row per first statement with a restatement in view,
    most repeated first. Columns: ``lineage_id, first, first_when, first_in_view, value,
    subject, measure, restatements`` (a list of "who (when)"), ``count``, ``source_ids``."""
    narrow = frame[["estimate_id", "statement_id", "lineage_id", "is_repeat", "claimant_short",
                    "when", "as_of_start", "source_id"]]  # fmt: skip
    again = narrow[narrow["is_repeat"]].drop_duplicates("statement_id")
    columns = [
        "lineage_id", "first", "first_when", "first_in_view", "value", "subject", "measure",
        "restatements", "count", "source_ids", "start",
    ]  # fmt: skip
    if again.empty:
        return pd.DataFrame(columns=columns)
    ordered = again.sort_values("as_of_start", kind="stable")
    said = ordered["claimant_short"].astype(str) + " (" + ordered["when"].astype(str) + ")"
    listed = _grouped(ordered["lineage_id"], said)
    earliest = ordered.drop_duplicates("lineage_id").set_index("lineage_id")["estimate_id"]
    out = pd.DataFrame(
        {
            "restatements": pd.Series(listed),
            "count": pd.Series({key: len(texts) for key, texts in listed.items()}),
            "earliest": earliest,
        }
    )
    out.index.name = "lineage_id"
    roots = frame[["estimate_id", "claimant_short", "when", "value_text", "subject_name",
                   "measure_label", "as_of_start"]].set_index("estimate_id")  # fmt: skip
    out["first_in_view"] = member(out.index, set(roots.index.tolist()))
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
    lineage_rows = narrow[member(narrow["lineage_id"], set(out.index.tolist()))]
    sources = {
        key: tuple(dict.fromkeys(map(str, ids)))
        for key, ids in _grouped(lineage_rows["lineage_id"], lineage_rows["source_id"]).items()
    }
    out["source_ids"] = [sources.get(key, ()) for key in out.index]
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
