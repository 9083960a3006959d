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

Nothing here draws or imports Streamlit; the figures live in ``dashboard.charts.swimlanes``.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.ingest.frames import Record, records_of

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

    Rows are kept as index labels into ``frame``, the table they came from, and read as plain
    records (for hover text) only when asked: a view counted rather than drawn never needs them.
    """

    key: tuple[str, ...]  # what makes rows "the same": (jurisdiction, target, action) or so
    lane: str  # the swimlane id (jurisdiction_id, or event_type)
    start: pd.Timestamp  # the most precise date among the rows, as a span
    end: pd.Timestamp
    precision: str  # "year" | "month" | "day"
    basis: str  # the drawn date's basis: "stated" | "inferred" | "external"
    table: RowTable = field(repr=False)
    index: tuple[Any, ...] = ()  # labels in ``frame`` of the dated rows merged into the mark
    undated_index: tuple[Any, ...] = ()  # undated reports of the same step attached to it
    source_ids: tuple[str, ...] = ()  # the sources of all of them, in row order
    step: _Step | None = field(default=None, repr=False)  # all the marks of the same step
    ambiguous: bool = False  # an imprecise date compatible with several of the step's dates
    ongoing: bool = False  # a state of affairs (see ONGOING_ACTIONS): several dates agree

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame

    @property
    def rows(self) -> pd.DataFrame:
        return self.frame.loc[list(self.index)]

    @property
    def undated(self) -> pd.DataFrame:
        return self.frame.loc[list(self.undated_index)]

    @property
    def all_rows(self) -> pd.DataFrame:
        return self.frame.loc[list(self.index + self.undated_index)]

    @functools.cached_property
    def _rival_dates(self) -> tuple[tuple[Rival, ...], int]:
        return self.step.rivals_of(self) if self.step is not None else ((), 0)

    @property
    def rivals(self) -> tuple[Rival, ...]:
        """The step's other dates nearest this one (worked out when first asked: a counted
        chart of thousands of marks never asks)."""
        return self._rival_dates[0]

    @property
    def more_rivals(self) -> int:
        """Further dates of the step not listed in ``rivals`` (long lists)."""
        return self._rival_dates[1]

    @functools.cached_property
    def records(self) -> tuple[Record, ...]:
        table = self.table.records
        return tuple(table[label] for label in self.index)

    @functools.cached_property
    def undated_records(self) -> tuple[Record, ...]:
        table = self.table.records
        return tuple(table[label] for label in self.undated_index)

    @property
    def all_records(self) -> tuple[Record, ...]:
        return self.records + self.undated_records

    @property
    def n_sources(self) -> int:
        return len(self.source_ids)

    @functools.cached_property
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


@dataclass(frozen=True, eq=False)
class RowTable:
    """The table a set of marks came from, shared by all of them: its rows are read as records
    once, when a hover first needs them, for every mark at once."""

    frame: pd.DataFrame

    @functools.cached_property
    def records(self) -> dict[Any, Record]:
        return records_of(self.frame)


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
    # Columns as plain lists, read once: grouping touches only these, and the rows' full
    # records are made lazily (``Mark.records``) for the hovers that need them.
    labels = list(frame.index)
    starts = _ints(frame[start]) if len(frame) else []  # spans as integers; None if undated
    ends = _ints(frame[end]) if len(frame) else []
    lanes = [str(v) for v in frame[lane].tolist()]
    precisions = [str(v) for v in frame[precision].tolist()]
    bases = [str(v) for v in frame[basis].tolist()]
    sources = (
        [str(v) for v in frame["source_id"].tolist()]
        if "source_id" in frame.columns
        else [""] * len(frame)
    )
    table = RowTable(frame)
    groups: dict[tuple[str, ...], list[int]] = {}
    keys = zip(*(frame[k].astype(str).tolist() for k in key), strict=True)
    for position, group_key in enumerate(keys):
        groups.setdefault(group_key, []).append(position)
    for group_key, members in groups.items():
        dated = [i for i in members if starts[i] is not None]
        undated = [i for i in members if starts[i] is None]
        dated.sort(key=lambda i: ends[i] - starts[i])  # most precise first (stable)
        clusters = _clusters(dated, starts, ends)
        attach = len(clusters) == 1
        if not attach:
            loose.extend(labels[i] for i in undated)
        is_ongoing = bool(ongoing and ongoing(group_key))
        step = _Step()
        for cluster in clusters:
            span = (cluster.start, cluster.end)
            extra = undated if attach else []
            step.marks.append(
                Mark(
                    key=group_key,
                    lane=lanes[members[0]],
                    start=pd.Timestamp(cluster.start),
                    end=pd.Timestamp(cluster.end),
                    precision=precisions[cluster.members[0]],
                    basis=_strongest_basis(
                        [bases[i] for i in cluster.members if (starts[i], ends[i]) == span]
                    ),
                    table=table,
                    index=tuple(labels[i] for i in cluster.members),
                    undated_index=tuple(labels[i] for i in extra),
                    source_ids=tuple(dict.fromkeys(sources[i] for i in cluster.members + extra)),
                    step=step,
                    ambiguous=cluster.ambiguous,
                    ongoing=is_ongoing,
                )
            )
        marks.extend(step.marks)
    marks.sort(key=lambda m: (m.lane, m.start, m.end))
    return marks, frame.loc[loose]


def _ints(column: pd.Series) -> list[int | None]:
    """Dates as nanosecond integers (one unit for start and end); None where missing."""
    values = pd.to_datetime(column).astype("datetime64[ns]").to_numpy()
    missing = pd.isna(values)
    as_int = values.view("int64").tolist()
    return [None if m else v for v, m in zip(as_int, missing.tolist(), strict=True)]


@dataclass
class _Cluster:
    start: int
    end: int
    members: list[int]
    ambiguous: bool


def _clusters(dated: list[int], starts: list[Any], ends: list[Any]) -> list[_Cluster]:
    """Rows (most precise first) merged into the one cluster whose span theirs equals or
    contains; a row containing none or several starts its own (several: ambiguous).

    Clusters are indexed by span and kept sorted by start, so a row looks only at the clusters
    starting inside its own span instead of at all of them.
    """
    clusters: list[_Cluster] = []
    by_span: dict[tuple[int, int], _Cluster] = {}
    order: list[tuple[int, int]] = []  # (start, position in clusters), sorted
    for i in dated:
        span = (starts[i], ends[i])
        same = by_span.get(span)
        if same is not None:
            same.members.append(i)
            continue
        low = bisect.bisect_left(order, (span[0], -1))
        within = []
        for _, c in order[low:]:
            if clusters[c].start > span[1]:
                break
            if clusters[c].end <= span[1]:
                within.append(clusters[c])
        if len(within) == 1:
            within[0].members.append(i)
            continue
        cluster = _Cluster(span[0], span[1], [i], ambiguous=len(within) > 1)
        by_span[span] = cluster
        bisect.insort(order, (span[0], len(clusters)))
        clusters.append(cluster)
    return clusters


MAX_RIVALS = 6  # dates listed in a hover; a step reported at more dates says "and N more"


@dataclass(eq=False)
class _Step:
    """The marks of one step (the same key), so each can find its rivals when asked.

    Each mark lists its nearest other dates (at most ``MAX_RIVALS``), always including one that
    contradicts it if any does, so a step reported at very many dates stays linear in cost.
    """

    marks: list[Mark] = field(default_factory=list)

    @functools.cached_property
    def _order(self) -> tuple[list[Mark], list[int], list[int], dict[int, int]]:
        ordered = sorted(self.marks, key=lambda m: (m.start, m.end))
        by_end = sorted(range(len(ordered)), key=lambda i: ordered[i].end)
        by_start = sorted(range(len(ordered)), key=lambda i: ordered[i].start, reverse=True)
        return ordered, by_end, by_start, {id(m): i for i, m in enumerate(ordered)}

    def rivals_of(self, mark: Mark) -> tuple[tuple[Rival, ...], int]:
        if len(self.marks) < 2:
            return (), 0
        ordered, by_end, by_start, positions = self._order
        position = positions[id(mark)]
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
        return rivals, len(ordered) - 1 - len(rivals)


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
