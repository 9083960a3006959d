"""The reader's filter state: one frozen value shared by every page, the sidebar and the URL.

Modelled on OWID grapher's URL handling: each query parameter is parsed into a valid value,
rejected with a reason the page shows, or absent. Nothing here imports Streamlit, so the round
trip through the URL is testable as plain data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace

import pandas as pd

LIST_SEPARATOR = ","


@dataclass(frozen=True)
class Rejection:
    """A query parameter that was dropped, and why, for the notice the page shows."""

    param: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"`{self.param}={self.value}` ignored: {self.reason}"


@dataclass(frozen=True)
class Vocabulary:
    """The ids a filter may hold; anything else in a URL is stale or mistyped."""

    sources: frozenset[str] = frozenset()
    claimants: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    event_types: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FilterState:
    """What the reader has chosen. Empty tuples mean "all"; None means "no bound"."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sources: tuple[str, ...] = ()
    claimants: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    known_as_of: dt.date | None = None
    seed_only: bool = False

    # ---- URL ---------------------------------------------------------------------------
    def to_query(self) -> dict[str, str]:
        """Only non-default values, so a plain link stays short and readable."""
        query: dict[str, str] = {}
        for name, param in _DATE_PARAMS.items():
            value = getattr(self, name)
            if value is not None:
                query[param] = value.isoformat()
        for name, param in _LIST_PARAMS.items():
            value = getattr(self, name)
            if value:
                query[param] = LIST_SEPARATOR.join(value)
        if self.seed_only:
            query["evidence"] = "seed"
        return query

    @classmethod
    def from_query(
        cls, params: Mapping[str, str | list[str]], vocabulary: Vocabulary
    ) -> tuple[FilterState, list[Rejection]]:
        """Parse what a URL carries; invalid values are dropped and reported, never raised."""
        values: dict[str, object] = {}
        rejections: list[Rejection] = []
        for name, param in _DATE_PARAMS.items():
            raw = _single(params.get(param))
            if raw is None or raw == "":
                continue
            try:
                values[name] = dt.date.fromisoformat(raw)
            except ValueError:
                rejections.append(Rejection(param, raw, "not a date (use YYYY-MM-DD)"))
        date_from, date_to = values.get("date_from"), values.get("date_to")
        if isinstance(date_from, dt.date) and isinstance(date_to, dt.date) and date_from > date_to:
            rejections.append(
                Rejection("from", date_from.isoformat(), f"after the to-date {date_to.isoformat()}")
            )
            del values["date_from"]
        for name, param in _LIST_PARAMS.items():
            raw = _single(params.get(param))
            if not raw:
                continue
            allowed: frozenset[str] = getattr(vocabulary, name)
            kept: list[str] = []
            for item in (part.strip() for part in raw.split(LIST_SEPARATOR)):
                if not item:
                    continue
                if item in allowed:
                    if item not in kept:
                        kept.append(item)
                else:
                    rejections.append(Rejection(param, item, f"unknown {_NOUNS[name]}"))
            if kept:
                values[name] = tuple(kept)
        evidence = _single(params.get("evidence"))
        if evidence:
            if evidence in ("seed", "all"):
                values["seed_only"] = evidence == "seed"
            else:
                rejections.append(Rejection("evidence", evidence, "use 'seed' or 'all'"))
        known = {f.name for f in fields(cls)}
        for param in params:
            if param not in _ALL_PARAMS and param not in known:
                rejections.append(Rejection(param, _single(params[param]) or "", "unknown parameter"))
        return cls(**values), rejections  # type: ignore[arg-type]

    def is_default(self) -> bool:
        return self == FilterState()

    def describe(self, labels: Mapping[str, str] | None = None) -> str:
        """One line for chart subtitles and exports: what the reader is looking at."""
        labels = labels or {}
        parts: list[str] = []
        if self.date_from or self.date_to:
            start = self.date_from.isoformat() if self.date_from else "start"
            end = self.date_to.isoformat() if self.date_to else "latest"
            parts.append(f"dates {start} to {end}")
        for name, noun in (("sources", "sources"), ("claimants", "claimants"), ("groups", "groups")):
            chosen = getattr(self, name)
            if chosen:
                parts.append(f"{noun}: " + ", ".join(labels.get(i, i) for i in chosen))
        if self.event_types:
            parts.append("event types: " + ", ".join(self.event_types))
        if self.known_as_of:
            parts.append(f"known as of {self.known_as_of.isoformat()}")
        parts.append("seed documents only" if self.seed_only else "seed and external sources")
        return "; ".join(parts)

    def with_(self, **changes: object) -> FilterState:
        return replace(self, **changes)  # type: ignore[arg-type]


_DATE_PARAMS = {"date_from": "from", "date_to": "to", "known_as_of": "known_as_of"}
_LIST_PARAMS = {
    "sources": "source",
    "claimants": "claimant",
    "groups": "group",
    "event_types": "event_type",
}
_NOUNS = {
    "sources": "source id",
    "claimants": "claimant id",
    "groups": "group id",
    "event_types": "event type",
}
_ALL_PARAMS = {*_DATE_PARAMS.values(), *_LIST_PARAMS.values(), "evidence", "page"}


def _single(value: str | list[str] | None) -> str | None:
    if isinstance(value, list):
        return value[-1] if value else None
    return value


# ---- applying the state to tables -------------------------------------------------------------
@dataclass(frozen=True)
class FilterColumns:
    """Where a table keeps what each filter looks at; None means the filter does not apply."""

    start: str | None = None
    end: str | None = None
    claimant: str | None = None
    groups: str | None = None  # a single-id column, or an `_ids` column when groups_multi
    groups_multi: bool = False
    event_type: str | None = None


ESTIMATE_COLUMNS = FilterColumns(
    start="as_of_start", end="as_of_end", claimant="claimant_id", groups="subject_id"
)
DESIGNATION_COLUMNS = FilterColumns(start="date_start", end="date_end", groups="target_id")
EVENT_COLUMNS = FilterColumns(
    start="date_start", end="date_end", groups="actor_ids", groups_multi=True, event_type="event_type"
)


def apply(frame: pd.DataFrame, state: FilterState, columns: FilterColumns) -> pd.DataFrame:
    """Rows of a loaded fact table that pass the filters.

    Imprecise dates are spans: a row passes the date filter when its span overlaps the chosen
    range, so a year-precise "2023" is kept by a filter starting in June 2023. Undated rows
    cannot be placed, so an active date range hides them (pages say how many).
    """
    mask = pd.Series(True, index=frame.index)
    if state.sources:
        mask &= frame["source_id"].isin(state.sources)
    if state.seed_only:
        mask &= frame["source_kind"].eq("seed")
    if state.known_as_of is not None:
        published = pd.to_datetime(frame["source_published_end"])
        mask &= published.notna() & (published <= pd.Timestamp(state.known_as_of))
    if columns.start and columns.end and (state.date_from or state.date_to):
        start = pd.to_datetime(frame[columns.start])
        end = pd.to_datetime(frame[columns.end])
        mask &= start.notna()
        if state.date_from:
            mask &= end >= pd.Timestamp(state.date_from)
        if state.date_to:
            mask &= start <= pd.Timestamp(state.date_to)
    if state.claimants and columns.claimant:
        mask &= frame[columns.claimant].isin(state.claimants)
    if state.groups and columns.groups:
        if columns.groups_multi:
            wanted = set(state.groups)
            mask &= frame[columns.groups].map(lambda ids: bool(wanted & set(_split_ids(ids))))
        else:
            mask &= frame[columns.groups].isin(state.groups)
    if state.event_types and columns.event_type:
        mask &= frame[columns.event_type].isin(state.event_types)
    return frame.loc[mask]


def _split_ids(value: object) -> Iterable[str]:
    if isinstance(value, str):
        return [part for part in value.split("|") if part]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return []
