"""Marks on a timeline: reports of the same step or event grouped, with their dates' precision.

The data has one row per source (three outlets reporting one delisting are three rows), but a
reader wants one mark per step that says how many sources report it. Grouping must not hide
disagreement, so rows are merged only when their dates are compatible: one date span contains
the other ("2023" and "2023-12-29") or they are equal. The mark is then placed at the most
precise date among them. Rows whose dates cannot both be true (Kazakhstan delisted on
2023-12-29 per some outlets, on 2024-06-03 per others) stay separate marks that know about each
other, so the chart can say the sources disagree.

Undated rows ("recently") are reports too, but drawing them at an invented point would make a
date up: they are attached to the step's one dated mark when there is exactly one, and
otherwise returned separately for a table under the chart.

Nothing here draws or imports Streamlit; the figures live in ``dashboard.timeline_chart``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from dashboard.frames import Record, records_of

# When several rows of a mark give its date with different bases, the strongest is drawn:
# a date some source states outranks one inferred, which outranks one taken from outside.
BASIS_RANK: dict[str, int] = {"stated": 0, "inferred": 1, "external": 2}

# Steps that are a state of affairs rather than an act: Russia "considering" delisting in May
# and still in June is one deliberation reported twice, not two sources disagreeing on a date.
ONGOING_ACTIONS: frozenset[str] = frozenset({"delisting_considered"})


@dataclass(frozen=True)
class Rival:
    """Another mark of the same step or event, at a date incompatible with this one."""

    label: str  # its date as stated, e.g. "3 Jun 2024"
    sources: int
    disjoint: bool  # the two date spans do not overlap at all: both cannot be the date


@dataclass(frozen=True, eq=False)
class Mark:
    """One drawn mark: every row reporting the step at a compatible date, plus undated ones.

    Rows are kept as plain records (cheap to read for hover text and counts) and as index
    labels into ``frame``, the table they came from, for the DataFrame views.
    """

    key: tuple[str, ...]  # what makes rows "the same": (jurisdiction, target, action) or so
    lane: str  # the swimlane id (jurisdiction_id, or event_type)
    start: pd.Timestamp  # the most precise date among the rows, as a span
    end: pd.Timestamp
    precision: str  # "year" | "month" | "day"
    basis: str  # the drawn date's basis: "stated" | "inferred" | "external"
    records: tuple[Record, ...]  # dated rows merged into the mark
    undated_records: tuple[Record, ...]  # undated reports of the same step attached to it
    frame: pd.DataFrame = field(repr=False)
    index: tuple[Any, ...] = ()  # labels of ``records`` in ``frame``
    undated_index: tuple[Any, ...] = ()
    rivals: tuple[Rival, ...] = ()
    more_rivals: int = 0  # further dates of the step not listed in ``rivals`` (long lists)
    ambiguous: bool = False  # an imprecise date compatible with several of the step's dates
    ongoing: bool = False  # a state of affairs (see ONGOING_ACTIONS): several dates agree

    @property
    def rows(self) -> pd.DataFrame:
        return self.frame.loc[list(self.index)]

    @property
    def undated(self) -> pd.DataFrame:
        return self.frame.loc[list(self.undated_index)]

    @property
    def all_rows(self) -> pd.DataFrame:
        return self.frame.loc[list(self.index + self.undated_index)]

    @property
    def all_records(self) -> tuple[Record, ...]:
        return self.records + self.undated_records

    @functools.cached_property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(str(r["source_id"]) for r in self.all_records))

    @property
    def n_sources(self) -> int:
        return len(self.source_ids)

    @property
    def label(self) -> str:
        return date_label(self.start, self.end, self.precision)

    @property
    def mid(self) -> pd.Timestamp:
        """Where the symbol goes: the middle of a year or month, the day itself."""
        return self.start + (self.end - self.start) / 2

    @property
    def has_seed(self) -> bool:
        return any(r.get("source_kind") == "seed" for r in self.all_records)

    @property
    def has_external(self) -> bool:
        return any(r.get("source_kind") != "seed" for r in self.all_records)

    @property
    def disputed(self) -> bool:
        """Sources give this step another date that cannot also be true."""
        return not self.ongoing and any(r.disjoint for r in self.rivals)


def date_label(start: object, end: object, precision: str) -> str:
    """ "2023", "Dec 2023" or "29 Dec 2023": a date written at the precision it has."""
    if start is None or pd.isna(start):
        return "undated"
    first = pd.Timestamp(start)
    if precision == "year":
        return f"{first.year}"
    if precision == "month":
        return f"{first:%b %Y}"
    return f"{first.day} {first:%b %Y}"


def month_label(start: object, end: object, precision: str) -> str:
    """The same date read at month precision at most, for a one-line summary ("Dec 2023")."""
    return date_label(start, end, "year" if precision == "year" else "month")


def _contains(outer: tuple[pd.Timestamp, pd.Timestamp], inner: tuple[pd.Timestamp, ...]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _overlap(a: tuple[pd.Timestamp, pd.Timestamp], b: tuple[pd.Timestamp, pd.Timestamp]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _strongest_basis(bases: Sequence[str]) -> str:
    known = [b for b in bases if b in BASIS_RANK]
    return min(known, key=BASIS_RANK.__getitem__) if known else ""


def group_marks(
    frame: pd.DataFrame,
    key: Sequence[str],
    lane: str,
    *,
    start: str = "date_start",
    end: str = "date_end",
    precision: str = "date_precision",
    basis: str = "date_basis",
    ongoing: Callable[[tuple[str, ...]], bool] | None = None,
) -> tuple[list[Mark], pd.DataFrame]:
    """Group rows reporting the same thing (same ``key`` columns) into marks.

    ``ongoing(key)`` says whether the thing is a state of affairs that several dates can
    report without contradiction (Russia "considering" delisting in May and in June).
    Returns the marks, ordered by lane then date, and the undated rows that could not be
    attached to a single dated mark (for the "undated reports" table).
    """
    marks: list[Mark] = []
    loose: list[Any] = []
    groups: dict[tuple[str, ...], list[tuple[Any, Record]]] = {}
    for label, record in records_of(frame).items():
        groups.setdefault(tuple(str(record[k]) for k in key), []).append((label, record))
    for group_key, members in groups.items():
        dated = [(i, r) for i, r in members if not pd.isna(r[start])]
        undated = [(i, r) for i, r in members if pd.isna(r[start])]
        dated.sort(key=lambda item: pd.Timestamp(item[1][end]) - pd.Timestamp(item[1][start]))
        clusters: list[dict[str, Any]] = []
        for label, record in dated:
            span = (pd.Timestamp(record[start]), pd.Timestamp(record[end]))
            equal = [c for c in clusters if (c["start"], c["end"]) == span]
            within = equal or [c for c in clusters if _contains(span, (c["start"], c["end"]))]
            if len(within) == 1:
                within[0]["members"].append((label, record))
                continue
            clusters.append(
                {
                    "start": span[0],
                    "end": span[1],
                    "precision": str(record[precision]),
                    "members": [(label, record)],
                    "ambiguous": len(within) > 1,
                }
            )
        attach = len(clusters) == 1
        if not attach:
            loose.extend(label for label, _ in undated)
        is_ongoing = bool(ongoing and ongoing(group_key))
        built = [
            Mark(
                key=group_key,
                lane=str(members[0][1][lane]),
                start=cluster["start"],
                end=cluster["end"],
                precision=cluster["precision"],
                basis=_strongest_basis(
                    [
                        str(r[basis])
                        for _, r in cluster["members"]
                        if (pd.Timestamp(r[start]), pd.Timestamp(r[end]))
                        == (cluster["start"], cluster["end"])
                    ]
                ),
                records=tuple(r for _, r in cluster["members"]),
                undated_records=tuple(r for _, r in undated) if attach else (),
                frame=frame,
                index=tuple(i for i, _ in cluster["members"]),
                undated_index=tuple(i for i, _ in undated) if attach else (),
                ambiguous=cluster["ambiguous"],
                ongoing=is_ongoing,
            )
            for cluster in clusters
        ]
        marks.extend(_with_rivals(built))
    marks.sort(key=lambda m: (m.lane, m.start, m.end))
    return marks, frame.loc[loose]


MAX_RIVALS = 6  # dates listed in a hover; a step reported at more dates says "and N more"


def _with_rivals(marks: list[Mark]) -> list[Mark]:
    """Tell each mark of one step about the step's other dates (none when there is one).

    Each mark lists its nearest other dates (at most ``MAX_RIVALS``), always including one that
    contradicts it if any does, so a step reported at very many dates stays linear in cost.
    """
    if len(marks) < 2:
        return marks
    ordered = sorted(marks, key=lambda m: (m.start, m.end))
    by_end = sorted(range(len(ordered)), key=lambda i: ordered[i].end)
    by_start = sorted(range(len(ordered)), key=lambda i: ordered[i].start, reverse=True)
    out: dict[int, Mark] = {}
    for position, mark in enumerate(ordered):
        half = MAX_RIVALS // 2
        window = list(range(max(0, position - half), min(len(ordered), position + half + 1)))
        chosen = [i for i in window if i != position][:MAX_RIVALS]
        # the other mark ending first and the one starting last: if any other mark is
        # disjoint from this one, one of these two is
        earliest_end = next(i for i in by_end if i != position)
        latest_start = next(i for i in by_start if i != position)
        for extreme in (earliest_end, latest_start):
            if extreme not in chosen and not _overlap(
                (mark.start, mark.end), (ordered[extreme].start, ordered[extreme].end)
            ):
                chosen = [*chosen[: MAX_RIVALS - 1], extreme]
        chosen.sort()
        rivals = tuple(
            Rival(
                label=ordered[i].label,
                sources=ordered[i].n_sources,
                disjoint=not _overlap((mark.start, mark.end), (ordered[i].start, ordered[i].end)),
            )
            for i in chosen
        )
        out[id(mark)] = replace(mark, rivals=rivals, more_rivals=len(ordered) - 1 - len(rivals))
    return [out[id(mark)] for mark in marks]


def date_note(mark: Mark) -> str:
    """What a reader must know about the mark's date beyond the date itself ("" if nothing)."""
    if not mark.rivals:
        return ""
    others = "; ".join(f"{r.label} ({_sources(r.sources)})" for r in mark.rivals)
    if mark.more_rivals:
        others += f"; and {mark.more_rivals} more dates"
    if mark.ongoing:
        return f"Also reported at: {others}"
    if mark.ambiguous:
        return f"An imprecise date that fits several reported dates: {others}"
    if mark.disputed:
        return (
            f"Sources disagree on the date: {mark.label} ({_sources(mark.n_sources)}) vs {others}"
        )
    return f"Also reported at: {others}"


def _sources(count: int) -> str:
    return f"{count} source" + ("" if count == 1 else "s")
