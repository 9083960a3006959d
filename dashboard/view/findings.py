"""Headline findings for briefing audiences, computed from the data the reader is looking at.

A briefing audience has seconds: each finding is one big value, one plain sentence and the
sources behind it, with a link to the page that shows the detail. The sentences are built from
the filtered rows, never written by hand, so a "known as of" date or a seed-only filter changes
them the way it changes every chart, and a finding the filters empty says so instead of
showing a stale claim.

Honesty rules carried over from the methodology: numbers are quoted as stated ("more than
25,000"); strength claims are compared only under the one rule the Strength page uses
(dashboard/view/claims.py: same group, measure and area, made within a window, restatements
counted once), and the card says what was compared; dates the sources disagree on are all named
rather than one chosen.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.charts.spec import coverage_text
from dashboard.ingest.dates import parse_date
from dashboard.ingest.frames import record_list
from dashboard.ingest.loader import Dataset
from dashboard.view import claims, filters
from dashboard.view.evidence import FACT_TABLES, format_date
from dashboard.view.view import VIEW_CACHE_SIZE, View, view_of

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


# ---- (2) the spread of ISIS-K estimates, and (3) figures said again ------------------------------
# Both come from the one comparison rule (dashboard/view/claims.py) the Strength page uses, so
# the card and the page cannot disagree: the same claims, the same pair, the same words.
STRENGTH_PAGE = ("pages/strength.py", "Militant strength claims")
DETAIL_LINES = 25  # a card's evidence list names this many claims, then counts the rest


def _capped(lines: list[str]) -> tuple[str, ...]:
    """At most ``DETAIL_LINES`` lines, then how many more the Strength page lists."""
    more = len(lines) - DETAIL_LINES
    if more <= 0:
        return tuple(lines)
    return (*lines[:DETAIL_LINES], f"… and {more:,} more on the Strength page")


def spread_finding(
    claims_frame: pd.DataFrame,
    comparisons: pd.DataFrame,
    labels: Mapping[str, str],
    subject_id: str = "isis-k",
    short_name: str = "ISIS-K",
) -> Finding:
    """How far one group's comparable strength claims differ: the Strength page's headline for
    the group (``claims.headline``), with what was compared and every figure it rests on."""
    page, page_label = STRENGTH_PAGE
    title = f"{short_name} strength: how far the claims differ"
    mine = claims_frame[claims_frame["subject_id"] == subject_id]
    top = claims.headline(claims_frame, comparisons, subject_id)
    main = claims.main_set(mine)
    shown = mine
    if main is not None:
        shown = mine[mine["measure"].eq(main[0]) & mine["area_key"].eq(main[1])]
    shown = shown.sort_values(["as_of_start", "estimate_id"], kind="stable")
    details = tuple(_claim_line(row, labels) for row in record_list(shown.head(DETAIL_LINES)))
    if len(shown) > DETAIL_LINES:
        details = (*details, f"… and {len(shown) - DETAIL_LINES:,} more on the Strength page")
    ids = tuple(dict.fromkeys(shown["source_id"].astype(str)))
    if top is None:
        statement = f"{claims.why_not_compared(claims_frame, subject_id)}."
        return Finding("isisk-spread", title, "–", statement, details, ids, page, page_label, True)
    if top["kind"] == "one claimant":
        value = "one claimant"
    elif top["claims agree"] != "no":
        value = "can agree"
    else:
        value = str(top["high over low"])
    statement = f"{_capitalised(str(top['sentence']))}. {top['compared']}"
    return Finding("isisk-spread", title, value, statement, details, ids, page, page_label)


def restatement_finding(restated: pd.DataFrame, labels: Mapping[str, str]) -> Finding:
    """Which figures in view are old figures said again, by whom and since when
    (``restated``: ``claims.restated_figures`` of the claims in view)."""
    page, page_label = STRENGTH_PAGE
    title = "Figures said again, not new"
    if restated.empty:
        return Finding(
            "restatements",
            title,
            "–",
            "No figure in view is a restatement of an earlier one under the current filters.",
            (),
            (),
            page,
            page_label,
            empty=True,
        )
    sentences = [claims.restatement_sentence(row) for row in record_list(restated)]
    shown = "; ".join(_capitalised(s) for s in sentences[:2])
    more = len(sentences) - 2
    statement = shown + (f"; and {_count(more, 'more figure')} (details)." if more > 0 else ".")
    statement += " A restatement is drawn and listed, never counted as a second claim."
    ids = tuple(dict.fromkeys(i for row in restated["source_ids"] for i in row))
    count = int(restated["count"].sum())
    value = f"{_count(len(restated), 'figure')}, {_count(count, 'repeat')}"
    details = _capped([_capitalised(s) for s in sentences])
    return Finding("restatements", title, value, statement, details, ids, page, page_label)


def _claim_line(row: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """One figure of a comparison, for the card's evidence list."""
    kind = claims.claimant_noun(str(row.get("claimant_type") or ""))
    who = f"{row['claimant_name']}" + (f", {kind}" if kind else "")
    source = labels.get(str(row["source_id"]), str(row["source_id"]))
    again = f"; said again, first stated by {row['first_stated']}" if row["is_repeat"] else ""
    return f"{row['value_text']} {row['metric']} — {who}, {row['when']}{again} ({source})"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---- (4) the border provinces named most ---------------------------------------------------------
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


# ---- (5) what the dataset holds ------------------------------------------------------------------
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


# ---- all five ------------------------------------------------------------------------------------
def headline_findings(ds: Any, state: filters.FilterState) -> tuple[Finding, ...]:
    """The overview's cards, in reading order, from the view the detail pages show."""
    return findings_of(view_of(ds, state))


@functools.lru_cache(maxsize=VIEW_CACHE_SIZE)
def findings_of(view: View) -> tuple[Finding, ...]:
    """The cards for one view, worked out once: every reader with the same filters (and each
    rerun of the Overview) shares them."""
    ds, state = view.dataset, view.state
    tables = view.tables
    labels = _source_labels(ds.sources)
    strength = claims.claims_in_view(view)
    return (
        delisting_finding(tables["designations"], labels),
        spread_finding(strength, claims.comparisons_in_view(view), labels),
        restatement_finding(claims.restated_in_view(view), labels),
        provinces_finding(tables, ds.places, labels),
        coverage_finding(tables, ds, state.known_as_of),
    )


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


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
