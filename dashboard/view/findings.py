"""Headline findings for briefing audiences, computed from the data the reader is looking at.

A briefing audience has seconds: each finding is one big value, one plain sentence and the
sources behind it, with a link to the page that shows the detail. The sentences are built from
the filtered rows, never written by hand, so a "known as of" date or a seed-only filter changes
them the way it changes every chart, and a finding the filters empty says so instead of
showing a stale claim.

Honesty rules carried over from the methodology: numbers are quoted as stated ("more than
25,000"), a spread compares bounds so it never overstates ("at least 3.8x"), and dates the
sources disagree on are all named rather than one chosen.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.charts.spec import coverage_text
from dashboard.ingest.dates import parse_date
from dashboard.ingest.frames import record_list
from dashboard.ingest.loader import Dataset
from dashboard.view import filters
from dashboard.view.evidence import FACT_TABLES, format_date
from dashboard.view.view import view_of

# Northern Afghan provinces on the border with Tajikistan, Uzbekistan or Turkmenistan
# (the Panj/Amu Darya line and the Turkmen land border), west to east.
NORTHERN_BORDER_PROVINCES: tuple[str, ...] = (
    "herat",
    "badghis",
    "faryab",
    "jowzjan",
    "balkh",
    "kunduz",
    "takhar",
    "badakhshan",
)

# How far a designation step goes: the furthest step a jurisdiction reached is its headline.
STEP_RANK: dict[str, int] = {
    "listed": 0,
    "delisting_considered": 1,
    "delisted": 2,
    "ban_suspended": 2,
    "relisted": 3,
}
STEP_VERBS: dict[str, str] = {
    "listed": "listed {target}",
    "delisting_considered": "considered delisting {target}",
    "delisted": "delisted {target}",
    "ban_suspended": "suspended its ban on {target}",
    "relisted": "relisted {target}",
}
SHORT_AFFILIATION: dict[str, str] = {
    "csto_official": "CSTO",
    "russian_security_services": "Russian security services",
    "russian_government": "Russian government",
    "central_asian_government": "Central Asian government",
    "independent_expert": "independent expert",
    "international_body": "international body",
    "afghan_official": "Afghan official",
    "media": "media",
}
HEADCOUNT_METRICS: tuple[str, ...] = ("fighters", "militants")
# Groups whose English name takes "the" in running text ("delisted the Taliban").
WITH_ARTICLE: frozenset[str] = frozenset({"taliban", "islamic-state", "isis-k"})


@dataclass(frozen=True)
class Finding:
    """One headline card: what to say, what it rests on, and where the detail is."""

    key: str
    title: str  # the card's question, e.g. "Who has delisted the Taliban?"
    value: str  # the big figure or word, e.g. "3.8×" or "Badakhshan"
    statement: str  # one plain sentence
    details: tuple[str, ...]  # the evidence in short lines, one per date/claim/province
    source_ids: tuple[str, ...]
    page: str  # the detail page, as st.navigation knows it
    page_label: str
    empty: bool = False  # the filters leave nothing to say


# ---- (1) the delisting sequence ------------------------------------------------------------------
@dataclass(frozen=True)
class DateGroup:
    label: str  # "29 Dec 2023", "Dec 2023", "2023" or "undated"
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    source_ids: tuple[str, ...]
    precision: str = ""  # "year" | "month" | "day" | "" (undated)


@dataclass(frozen=True)
class Step:
    """The furthest step one jurisdiction took against one target, with every reported date."""

    jurisdiction_id: str
    jurisdiction: str
    target: str
    action: str
    dates: tuple[DateGroup, ...]  # dated groups, earliest first; the undated group last

    @property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for group in self.dates for s in group.source_ids))

    def headline_dates(self) -> list[DateGroup]:
        """The dates a headline names: days read as their month ("29 Dec 2023" -> "Dec 2023"),
        sources of the same month merged, and a period dropped when it merely contains a more
        precise one ("2023" beside "Dec 2023": consistent, not a rival date). The detail lines
        keep every date as given."""
        merged: dict[str, list[Any]] = {}
        for group in self.dates:
            if group.start is None or group.end is None:
                continue
            label, start, end = group.label, group.start, group.end
            if group.precision == "day":
                label = f"{start:%b %Y}"
                start = start.to_period("M").start_time
                end = start.to_period("M").end_time.normalize()
            entry = merged.setdefault(label, [start, end, []])
            entry[2].extend(i for i in group.source_ids if i not in entry[2])
        groups = [
            DateGroup(label, start, end, tuple(ids)) for label, (start, end, ids) in merged.items()
        ]
        return [
            g
            for g in groups
            if not any(
                other is not g
                and other.start >= g.start
                and other.end <= g.end
                and (other.end - other.start) < (g.end - g.start)
                for other in groups
            )
        ]


def designation_steps(designations: pd.DataFrame) -> list[Step]:
    """Per jurisdiction and target, the furthest step taken, ordered by its earliest date."""
    steps: list[Step] = []
    if designations.empty:
        return steps
    for (jurisdiction_id, target_id), rows in designations.groupby(
        ["jurisdiction_id", "target_id"], sort=False
    ):
        rank = rows["action"].map(STEP_RANK).fillna(0)
        top = rows[rank == rank.max()]
        if rank.max() < 1:
            continue
        counts = top["action"].value_counts()
        action = str(counts.index[0])
        chosen = top[top["action"] == action]
        steps.append(
            Step(
                jurisdiction_id=str(jurisdiction_id),
                jurisdiction=_first(chosen, "jurisdiction_name", str(jurisdiction_id)),
                target=_with_article(str(target_id), _first(chosen, "target_name", str(target_id))),
                action=action,
                dates=_date_groups(chosen),
            )
        )
    far = pd.Timestamp.max
    steps.sort(key=lambda s: min((g.start for g in s.dates if g.start is not None), default=far))
    return steps


def _date_groups(rows: pd.DataFrame) -> tuple[DateGroup, ...]:
    groups: dict[str, list[Any]] = {}
    # each distinct (date, source) once: at scale a step has thousands of rows but few dates
    pairs = rows[["date", "source_id"]].drop_duplicates()
    for date, source_id in zip(pairs["date"].tolist(), pairs["source_id"].tolist(), strict=True):
        text = str(date) if isinstance(date, str) else ""
        try:
            value = parse_date(text) if text else None
        except ValueError:
            value = None
        label = format_date(text) if value else "undated"
        entry = groups.setdefault(
            label,
            [
                pd.Timestamp(value.start) if value else None,
                pd.Timestamp(value.end) if value else None,
                [],
                value.precision if value else "",
            ],
        )
        if str(source_id) not in entry[2]:
            entry[2].append(str(source_id))
    out = [
        DateGroup(label, start, end, tuple(ids), precision)
        for label, (start, end, ids, precision) in groups.items()
    ]
    far = pd.Timestamp.max
    out.sort(key=lambda g: (g.start is None, g.start or far, g.end or far))
    return tuple(out)


def _step_dates_text(step: Step) -> str:
    """ "Dec 2023 per 2 sources, Jun 2024 per 2": every date the sources disagree on."""
    shown = step.headline_dates()
    if not shown:
        return "date not given"
    if len(shown) == 1:
        return f"{shown[0].label}, {_count(len(shown[0].source_ids), 'source')}"
    parts = [f"{shown[0].label} per {_count(len(shown[0].source_ids), 'source')}"]
    parts += [f"{g.label} per {len(g.source_ids)}" for g in shown[1:]]
    return ", ".join(parts)


def delisting_finding(designations: pd.DataFrame, labels: Mapping[str, str]) -> Finding:
    """Who delisted (or stopped short of delisting) whom, when, and per how many sources."""
    steps = designation_steps(designations)
    page, page_label = "pages/timeline.py", "Designations timeline"
    if not steps:
        return Finding(
            "delistings",
            "Delisted the Taliban or suspended the ban",
            "–",
            "No delisting steps under the current filters.",
            (),
            (),
            page,
            page_label,
            empty=True,
        )
    clauses: list[str] = []
    previous: tuple[str, str] | None = None
    for step in steps:
        verb = STEP_VERBS.get(step.action, step.action + " {target}").format(target=step.target)
        dates = _step_dates_text(step)
        if previous == (step.action, step.target):
            clauses[-1] += f", {step.jurisdiction} ({dates})"
        else:
            clauses.append(f"{step.jurisdiction} {verb} ({dates})")
        previous = (step.action, step.target)
    removed = [s for s in steps if STEP_RANK.get(s.action, 0) >= 2]
    value = _count(len(removed), "state")
    details: list[str] = []
    for step in steps:
        for group in step.dates:
            names = "; ".join(labels.get(i, i) for i in group.source_ids)
            verb = STEP_VERBS.get(step.action, step.action).format(target=step.target)
            details.append(f"{step.jurisdiction} {verb}: {group.label} ({names})")
    source_ids = tuple(dict.fromkeys(i for s in steps for i in s.source_ids))
    return Finding(
        "delistings",
        "Delisted the Taliban or suspended the ban",
        value,
        "; ".join(clauses) + ".",
        tuple(details),
        source_ids,
        page,
        page_label,
    )


# ---- (2) the spread of ISIS-K estimates ----------------------------------------------------------
def stated_value(row: Mapping[str, Any]) -> str:
    """The number as the source worded it ("more than 25,000"), from the loader or the bounds."""
    text = row.get("value_text")
    if isinstance(text, str) and text:
        return text
    low, high = _number(row.get("value_low")), _number(row.get("value_high"))
    qualifier = row.get("qualifier")
    if qualifier == "more_than" and low is not None:
        return f"more than {low:,.0f}"
    if qualifier == "up_to" and high is not None:
        return f"up to {high:,.0f}"
    if qualifier == "approximately" and low is not None:
        return f"around {low:,.0f}"
    if low is not None and high is not None and low != high:
        return f"{low:,.0f}–{high:,.0f}"
    value = low if low is not None else high
    return f"{value:,.0f}" if value is not None else "?"


def _lower(row: Mapping[str, Any]) -> float | None:
    low = _number(row.get("value_low"))
    return low if low is not None else _number(row.get("value_high"))


def _upper(row: Mapping[str, Any]) -> float | None:
    high = _number(row.get("value_high"))
    return high if high is not None else _number(row.get("value_low"))


def headcount_claims(estimates: pd.DataFrame, subject_id: str) -> pd.DataFrame:
    """Country-wide headcounts of one group: the claims a spread can honestly compare.

    A count for one border area (Sidorov's 4,000 near Tajikistan) is part of a total, not a
    rival estimate, so only claims whose places are just the whole country are kept; and only
    counts of armed strength (a forecast of "as many as 10,000" is worded in fighters too).
    """
    if estimates.empty:
        return estimates
    places = estimates["place_ids"].fillna("").astype(str)
    mask = (
        estimates["subject_id"].eq(subject_id)
        & estimates["metric"].isin(HEADCOUNT_METRICS)
        & estimates["measure"].eq("armed_strength")
        & places.eq("afghanistan")
    )
    return estimates.loc[mask]


def _claim_text(row: Mapping[str, Any]) -> str:
    name = str(row.get("claimant_name") or row.get("claimant_id") or "")
    # a person by surname; an organisation or agency ("Oriental Express") by its whole name
    person = row.get("claimant_kind") in (None, "person")
    surname = (name.split()[-1] if person else name) if name else "?"
    affiliation = SHORT_AFFILIATION.get(str(row.get("claimant_affiliation_type") or ""), "")
    when = format_date(str(row.get("as_of") or "")) if row.get("as_of") else ""
    return ", ".join(part for part in (surname, affiliation, when) if part)


def spread_finding(
    estimates: pd.DataFrame, labels: Mapping[str, str], subject_id: str = "isis-k"
) -> Finding:
    """From the lowest to the highest claim, who said each, and the ratio as a safe bound."""
    claims = headcount_claims(estimates, subject_id)
    page, page_label = "pages/strength.py", "Militant strength claims"
    title = "ISIS-K strength: how far the claims differ"
    rows = [r for r in record_list(claims) if _lower(r) is not None]
    if len(rows) < 2:
        statement = (
            "Fewer than two country-wide ISIS-K strength claims under the current filters, "
            "so there is no spread to show."
        )
        if rows:
            statement += f" One claim: {stated_value(rows[0])} {rows[0].get('metric', '')}"
            statement += f" ({_claim_text(rows[0])})."
        ids = tuple(dict.fromkeys(str(r["source_id"]) for r in rows))
        return Finding("isisk-spread", title, "–", statement, (), ids, page, page_label, True)
    low_value = min(_upper(r) for r in rows)  # type: ignore[type-var]
    high_value = max(_lower(r) for r in rows)  # type: ignore[type-var]
    low_rows = [r for r in rows if _upper(r) == low_value]
    high_rows = [r for r in rows if _lower(r) == high_value]
    ratio = high_value / low_value if low_value else math.inf
    bounded = any(r.get("qualifier") == "more_than" for r in high_rows) or any(
        r.get("qualifier") == "up_to" for r in low_rows
    )
    hedged = any(
        r.get("qualifier") in ("approximately", "order_of_magnitude") for r in low_rows + high_rows
    )
    ratio_text = f"{math.floor(ratio * 10) / 10:.1f}×" if math.isfinite(ratio) else "∞"
    prefix = "at least " if bounded else ("about " if hedged else "")

    def side(group: list[dict[str, Any]]) -> str:
        return " and ".join(
            f"{stated_value(r)} {r.get('metric')} ({_claim_text(r)})" for r in group
        )

    if high_value <= low_value:
        statement = (
            f"The country-wide ISIS-K strength claims in view agree: {side(rows)}. "
            "Other filters may show disagreement."
        )
        prefix, ratio_text = "", "1×"
    else:
        statement = (
            f"ISIS-K strength claims run from {side(low_rows)} to {side(high_rows)}: "
            f"{prefix}{ratio_text} apart. Each claim is shown as stated, not averaged."
        )
    details = tuple(
        f"{stated_value(r)} {r.get('metric')} — {_claim_text(r)} "
        f"({labels.get(str(r['source_id']), str(r['source_id']))})"
        for r in sorted(rows, key=lambda r: _lower(r) or 0)
    )
    ids = tuple(dict.fromkeys(str(r["source_id"]) for r in rows))
    value = f"{prefix}{ratio_text}".strip()
    return Finding("isisk-spread", title, value, statement, details, ids, page, page_label)


# ---- (3) the border provinces named most ---------------------------------------------------------
def province_mentions(
    tables: Iterable[pd.DataFrame], places: pd.DataFrame, provinces: Sequence[str]
) -> pd.DataFrame:
    """Records naming each province (a district counts for its province), with their sources.

    Returns columns ``place_id, name, records, sources`` (sources: tuple of ids), most named
    first; a record naming a province and one of its districts counts once.
    """
    by_id = places.set_index("place_id")
    parent = by_id["parent_id"].fillna("").astype(str).to_dict()
    names = by_id["name"].astype(str).to_dict()
    wanted = set(provinces)
    records: dict[str, int] = dict.fromkeys(provinces, 0)
    sources: dict[str, list[str]] = {p: [] for p in provinces}
    provinces_of: dict[object, set[str]] = {}  # per distinct place list: the provinces it names

    def named(ids: object) -> set[str]:
        if ids not in provinces_of:
            found: set[str] = set()
            for place in filters._split_ids(ids):
                if place in wanted:
                    found.add(place)
                elif parent.get(place) in wanted:
                    found.add(parent[place])
            provinces_of[ids] = found
        return provinces_of[ids]

    for frame in tables:
        if frame.empty or "place_ids" not in frame.columns:
            continue
        # each row is one record: count rows per distinct place list, and take sources in
        # order of first appearance from the distinct (place list, source) pairs
        for ids, count in frame["place_ids"].value_counts(dropna=False, sort=False).items():
            for province in named(ids):
                records[province] += int(count)
        pairs = frame[["place_ids", "source_id"]].drop_duplicates()
        for ids, source_id in zip(
            pairs["place_ids"].tolist(), pairs["source_id"].tolist(), strict=True
        ):
            for province in named(ids):
                if str(source_id) not in sources[province]:
                    sources[province].append(str(source_id))
    rows = [
        {
            "place_id": p,
            "name": names.get(p, p),
            "records": records[p],
            "sources": tuple(sources[p]),
        }
        for p in provinces
        if records[p]
    ]
    frame = pd.DataFrame(rows, columns=["place_id", "name", "records", "sources"])
    return frame.sort_values(["records", "name"], ascending=[False, True], ignore_index=True)


def provinces_finding(
    tables: Mapping[str, pd.DataFrame], places: pd.DataFrame, labels: Mapping[str, str]
) -> Finding:
    counted = province_mentions(
        [tables["events"], tables["estimates"]], places, NORTHERN_BORDER_PROVINCES
    )
    page, page_label = "pages/map.py", "Northern Afghanistan map"
    title = "Border province named most"
    if counted.empty:
        return Finding(
            "provinces",
            title,
            "–",
            "No record under the current filters names a province on the border with Central Asia.",
            (),
            (),
            page,
            page_label,
            empty=True,
        )
    top = counted.iloc[0]
    others = ", ".join(f"{r.name} ({r.records})" for r in counted.iloc[1:].itertuples())
    statement = (
        f"{top['name']} is the border province named most: in "
        f"{_count(int(top['records']), 'record')} from {_count(len(top['sources']), 'source')}."
    )
    if others:
        statement += f" Also named: {others}."
    details = tuple(
        f"{r.name}: {_count(r.records, 'record')} "
        f"({'; '.join(labels.get(s, s) for s in r.sources)})"
        for r in counted.itertuples()
    )
    ids = tuple(dict.fromkeys(s for r in counted.itertuples() for s in r.sources))
    return Finding("provinces", title, str(top["name"]), statement, details, ids, page, page_label)


# ---- (4) what the dataset holds ------------------------------------------------------------------
def coverage_finding(
    tables: Mapping[str, pd.DataFrame], ds: Dataset, known_as_of: object = None
) -> Finding:
    """How many records and sources are in view, and the period they were published in."""
    sources = ds.sources
    counts = {t: len(tables[t]) for t in FACT_TABLES}
    ids = tuple(dict.fromkeys(str(s) for t in FACT_TABLES for s in tables[t]["source_id"].tolist()))
    shown = sources[sources["source_id"].isin(ids)]
    seeds = int(shown["kind"].eq("seed").sum())
    external = len(shown) - seeds
    total = sum(counts.values())
    statement = (
        f"{_count(counts['events'], 'event')}, {_count(counts['designations'], 'designation step')}"
        f" and {_count(counts['estimates'], 'strength or capacity claim')}, from "
        f"{_count(len(shown), 'source')} ({seeds} seed {'document' if seeds == 1 else 'documents'}"
        f" quoted verbatim, {external} external). " + coverage_text(ds, ids, known_as_of) + "."
    )
    return Finding(
        "coverage",
        "Evidence in view",
        _count(total, "record"),
        statement,
        (),
        ids,
        "pages/sources.py",
        "Sources",
        empty=total == 0,
    )


# ---- all four ------------------------------------------------------------------------------------
def headline_findings(ds: Any, state: filters.FilterState) -> list[Finding]:
    """The overview's cards, in reading order, from the view the detail pages show."""
    view = view_of(ds, state)
    tables = view.tables
    labels = _source_labels(ds.sources)
    return [
        delisting_finding(tables["designations"], labels),
        spread_finding(tables["estimates"], labels),
        provinces_finding(tables, ds.places, labels),
        coverage_finding(tables, ds, state.known_as_of),
    ]


def _source_labels(sources: pd.DataFrame) -> dict[str, str]:
    column = "label" if "label" in sources.columns else "source_id"
    return dict(zip(sources["source_id"].astype(str), sources[column].astype(str), strict=True))


def _with_article(entity_id: str, name: str) -> str:
    return f"the {name}" if entity_id in WITH_ARTICLE else name


def _first(rows: pd.DataFrame, column: str, default: str) -> str:
    if column in rows.columns:
        values = [str(v) for v in rows[column].dropna() if str(v)]
        if values:
            return values[0]
    return default


def _number(value: object) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
