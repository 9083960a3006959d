"""The reader's filter state: one frozen value shared by every page, the sidebar and the URL.

Modelled on OWID grapher's URL handling: each query parameter is parsed into a valid value,
rejected with a reason the page shows, or absent. Nothing here imports Streamlit, so the round
trip through the URL is testable as plain data.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from dashboard.charts.theme import CLAIMANT_TYPE_LABELS
from dashboard.ingest.dates import parse_date
from dashboard.ingest.vocab import CLAIMANT_TYPES, EVENT_TYPES

LIST_SEPARATOR = ","


@dataclass(frozen=True)
class Rejection:
    """A query parameter that was dropped, and why, for the notice the page shows."""

    param: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"`{_literal(self.param)}={_literal(self.value)}` ignored: {self.reason}"


def _literal(text: str, limit: int = 60) -> str:
    """URL junk shown inside a Markdown code span: no backtick can close it, and no essay."""
    text = text.replace("`", "'").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Vocabulary:
    """The ids a filter may hold; anything else in a URL is stale or mistyped."""

    sources: frozenset[str] = frozenset()
    claimants: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    event_types: frozenset[str] = frozenset()
    claimant_types: frozenset[str] = frozenset()


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
    # The window of the "what changed" list (dashboard/view/changes.py) and of the shading on
    # the timelines: rows first reported after ``since`` up to ``until``. None: the default
    # (since) or open (until). They choose no rows: the other filters do.
    since: dt.date | None = None
    until: dt.date | None = None
    claimant_types: tuple[str, ...] = ()  # who speaks: UN bodies, Russian state... (estimates)

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
        cls, params: Mapping[str, str | Sequence[str]], vocabulary: Vocabulary
    ) -> tuple[FilterState, list[Rejection]]:
        """Parse what a URL carries; invalid values are dropped and reported, never raised.

        ``params`` maps each name to its value, or to every value when the name is repeated
        (Streamlit's ``st.query_params.get_all``). List parameters take ids comma-separated,
        repeated, or both; a repeated single-valued parameter keeps its last value and reports
        the others, so a hand-edited link never silently means something else.
        """
        values: dict[str, object] = {}
        rejections: list[Rejection] = []
        for name, param in _DATE_PARAMS.items():
            raw = _last_of(param, params.get(param), rejections)
            if not raw:
                continue
            parsed = _parse_url_date(raw, end=name not in _START_DATES)
            if isinstance(parsed, str):
                rejections.append(Rejection(param, raw, parsed))
            else:
                values[name] = parsed
        date_from, date_to = values.get("date_from"), values.get("date_to")
        if isinstance(date_from, dt.date) and isinstance(date_to, dt.date) and date_from > date_to:
            rejections.append(
                Rejection("from", date_from.isoformat(), f"after the to-date {date_to.isoformat()}")
            )
            del values["date_from"]
        since, until = values.get("since"), values.get("until")
        if isinstance(since, dt.date) and isinstance(until, dt.date) and since > until:
            rejections.append(
                Rejection("since", since.isoformat(), f"after the until-date {until.isoformat()}")
            )
            del values["since"]
        for name, param in _LIST_PARAMS.items():
            allowed: frozenset[str] = getattr(vocabulary, name)
            kept: list[str] = []
            dropped: set[str] = set()
            for raw in _all_of(params.get(param)):
                for item in (part.strip() for part in raw.split(LIST_SEPARATOR)):
                    if not item or item in kept or item in dropped:
                        continue
                    if item in allowed:
                        kept.append(item)
                    else:
                        dropped.add(item)
                        rejections.append(Rejection(param, item, f"unknown {_NOUNS[name]}"))
            if kept:
                values[name] = tuple(kept)
        evidence = _last_of("evidence", params.get("evidence"), rejections)
        if evidence:
            if evidence in ("seed", "all"):
                values["seed_only"] = evidence == "seed"
            else:
                rejections.append(Rejection("evidence", evidence, "use 'seed' or 'all'"))
        for param in params:
            if param not in _ALL_PARAMS | PAGE_PARAMS and param.lower() not in _IGNORED_PARAMS:
                shown = ", ".join(_all_of(params[param]))
                rejections.append(Rejection(param, shown, "unknown parameter"))
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
        for name, noun in (
            ("sources", "sources"),
            ("claimants", "claimants"),
            ("groups", "groups"),
        ):
            chosen = getattr(self, name)
            if chosen:
                parts.append(f"{noun}: " + ", ".join(labels.get(i, i) for i in chosen))
        if self.claimant_types:
            parts.append(
                "claimant types: "
                + ", ".join(CLAIMANT_TYPE_LABELS.get(t, t) for t in self.claimant_types)
            )
        if self.event_types:
            parts.append("event types: " + ", ".join(labels.get(t, t) for t in self.event_types))
        if self.known_as_of:
            parts.append(f"known as of {self.known_as_of.isoformat()}")
        if self.since or self.until:
            start = self.since.isoformat() if self.since else "the default date"
            end = f" to {self.until.isoformat()}" if self.until else ""
            parts.append(f"window since {start}{end}")
        parts.append("seed documents only" if self.seed_only else "seed and external sources")
        return "; ".join(parts)

    def with_(self, **changes: object) -> FilterState:
        return replace(self, **changes)  # type: ignore[arg-type]


_DATE_PARAMS = {
    "date_from": "from",
    "date_to": "to",
    "known_as_of": "known_as_of",
    "since": "since",
    "until": "until",
}
# Dates that open a period: ``2024-06`` means its first day (the others take the last).
_START_DATES = frozenset({"date_from", "since"})
_LIST_PARAMS = {
    "sources": "source",
    "claimants": "claimant",
    "groups": "group",
    "event_types": "event_type",
    "claimant_types": "claimant_type",
}
_NOUNS = {
    "sources": "source id",
    "claimants": "claimant id",
    "groups": "group id",
    "event_types": "event type",
    "claimant_types": "claimant type",
}
_ALL_PARAMS = {*_DATE_PARAMS.values(), *_LIST_PARAMS.values(), "evidence"}


# Parameters one page owns and parses itself, with its own notices (the map's place and year:
# dashboard/view/places.py); kept in the URL beside the filters.
PAGE_PARAMS = frozenset({"place", "year"})

# Streamlit's own parameters (embedding) and the page name some links carry: not ours to judge.
_IGNORED_PARAMS = {"embed", "embed_options", "page"}

# The widest dates a link may carry: beyond these a date is a typo, and the sidebar's date
# pickers could not show it.
EARLIEST_DATE = dt.date(1990, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def _all_of(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _last_of(param: str, value: str | Sequence[str] | None, rejections: list[Rejection]) -> str:
    """The last non-empty value of a single-valued parameter; earlier different ones reported."""
    given = [v for v in _all_of(value) if v != ""]
    if not given:
        return ""
    last = given[-1]
    for earlier in dict.fromkeys(given[:-1]):
        if earlier != last:
            rejections.append(
                Rejection(param, earlier, f"given twice; the last value {last} is used")
            )
    return last


def _parse_url_date(raw: str, *, end: bool) -> dt.date | str:
    """A date from a link, or the reason it is not one.

    ``2024`` and ``2024-06`` are accepted as shorthand, as the dataset writes dates: a from- or
    since-date takes the first day of the period, a to-, until- or known-as-of date the last, so
    ``from=2024&to=2024`` means the whole year.
    """
    try:
        value = parse_date(raw.strip())
    except ValueError:
        return "not a date (use YYYY-MM-DD)"
    day = value.end if end else value.start
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        return f"outside {EARLIEST_DATE.year}-{LATEST_DATE.year}"
    return day


# ---- applying the state to tables -------------------------------------------------------------
@dataclass(frozen=True)
class FilterColumns:
    """Where a table keeps what each filter looks at; None means the filter does not apply."""

    start: str | None = None
    end: str | None = None
    claimant: str | None = None
    claimant_type: str | None = None
    groups: str | None = None  # a single-id column, or an `_ids` column when groups_multi
    groups_multi: bool = False
    event_type: str | None = None


ESTIMATE_COLUMNS = FilterColumns(
    start="as_of_start",
    end="as_of_end",
    claimant="claimant_id",
    claimant_type="claimant_type",
    groups="subject_id",
)
DESIGNATION_COLUMNS = FilterColumns(start="date_start", end="date_end", groups="target_id")
EVENT_COLUMNS = FilterColumns(
    start="date_start",
    end="date_end",
    groups="actor_ids",
    groups_multi=True,
    event_type="event_type",
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
    if state.claimant_types and columns.claimant_type:
        mask &= frame[columns.claimant_type].isin(state.claimant_types)
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


def apply_sources(sources: pd.DataFrame, state: FilterState) -> pd.DataFrame:
    """The sources a reader with this state may see: chosen ones, seed only, known by the date.

    The date range is about what the records describe, not when a source appeared, so it does
    not hide a source; its records are filtered on the pages that show them.
    """
    mask = pd.Series(True, index=sources.index)
    if state.sources:
        mask &= sources["source_id"].isin(state.sources)
    if state.seed_only:
        mask &= sources["kind"].eq("seed")
    if state.known_as_of is not None:
        published = pd.to_datetime(sources["published_end"])
        mask &= published.notna() & (published <= pd.Timestamp(state.known_as_of))
    return sources.loc[mask]


# ---- what the sidebar offers -------------------------------------------------------------------
@dataclass(frozen=True)
class FilterOptions:
    """The choices each filter offers, as (id, label) in display order, and the data's dates.

    Built once from the dataset so the sidebar, the URL parser and chart subtitles agree on
    which ids exist and what they are called.
    """

    sources: tuple[tuple[str, str], ...] = ()
    claimants: tuple[tuple[str, str], ...] = ()
    groups: tuple[tuple[str, str], ...] = ()
    event_types: tuple[tuple[str, str], ...] = ()
    claimant_types: tuple[tuple[str, str], ...] = ()
    first_date: dt.date | None = None  # earliest day any record's date covers
    last_date: dt.date | None = None
    last_published: dt.date | None = None  # the newest source's publication (end of period)

    def vocabulary(self) -> Vocabulary:
        return Vocabulary(
            sources=frozenset(i for i, _ in self.sources),
            claimants=frozenset(i for i, _ in self.claimants),
            groups=frozenset(i for i, _ in self.groups),
            event_types=frozenset(i for i, _ in self.event_types),
            claimant_types=frozenset(i for i, _ in self.claimant_types),
        )

    def labels(self) -> dict[str, str]:
        """Every id's label, for ``FilterState.describe`` and the multiselects."""
        out: dict[str, str] = {}
        for pairs in (
            self.sources,
            self.claimants,
            self.groups,
            self.event_types,
            self.claimant_types,
        ):
            out.update(pairs)
        return out


def event_type_label(event_type: str) -> str:
    return event_type.replace("_", " ").capitalize()


@functools.lru_cache(maxsize=4)
def filter_options(ds: Any) -> FilterOptions:
    """What each filter can hold, from a loaded dataset (see ``dashboard.loader.Dataset``).

    Worked out once per dataset object (hashed by identity): every page and chart subtitle
    asks for it.
    """
    return _filter_options(ds)


def _filter_options(ds: Any) -> FilterOptions:
    """What each filter can hold, from a loaded dataset (see ``dashboard.loader.Dataset``).

    Claimants are whoever made an estimate; groups are whatever an estimate counts, a
    designation lists, or an armed group in the entity table (a country as an estimate's
    subject means "all groups there", so it is labelled that way).
    """
    entities = ds.entities.set_index("entity_id")
    name = entities["name"].to_dict()
    kind = entities["kind"].to_dict()

    sources = ds.sources.assign(
        _seed=ds.sources["kind"].ne("seed"),
        _published=pd.to_datetime(ds.sources["published_start"]),
    ).sort_values(["_seed", "_published", "source_id"], na_position="last")
    source_pairs = tuple(
        (str(row.source_id), str(row.label) if str(row.label) else str(row.source_id))
        for row in sources.itertuples()
    )

    claimant_ids = _present(ds.estimates["claimant_id"])
    claimant_pairs = tuple(
        sorted(((i, name.get(i, i)) for i in claimant_ids), key=lambda pair: pair[1].lower())
    )

    group_ids = (
        set(_present(ds.estimates["subject_id"]))
        | set(_present(ds.designations["target_id"]))
        | {i for i, k in kind.items() if k == "armed_group"}
    )

    def group_label(entity_id: str) -> str:
        label = name.get(entity_id, entity_id)
        return f"{label} (all groups)" if kind.get(entity_id) == "state" else label

    group_pairs = tuple(
        sorted(
            ((i, group_label(i)) for i in group_ids),
            key=lambda pair: (kind.get(pair[0]) != "armed_group", pair[1].lower()),
        )
    )

    # claimant types in the vocabulary's order (UN, Russian state, ...), those in use only
    typed = ds.estimates["claimant_type"] if "claimant_type" in ds.estimates else pd.Series([])
    used = set(_present(typed))
    kind_pairs = tuple(
        (t, CLAIMANT_TYPE_LABELS.get(t, t))
        for t in [*CLAIMANT_TYPES, *sorted(used - set(CLAIMANT_TYPES))]
        if t in used
    )

    present_types = set(_present(ds.events["event_type"]))
    ordered = [t for t in EVENT_TYPES if t in present_types] + sorted(
        present_types - set(EVENT_TYPES)
    )
    event_pairs = tuple((t, event_type_label(t)) for t in ordered)

    starts = [
        pd.to_datetime(frame[column]).min()
        for frame, column in (
            (ds.events, "date_start"),
            (ds.designations, "date_start"),
            (ds.estimates, "as_of_start"),
        )
    ]
    ends = [
        pd.to_datetime(frame[column]).max()
        for frame, column in (
            (ds.events, "date_end"),
            (ds.designations, "date_end"),
            (ds.estimates, "as_of_end"),
        )
    ]
    published = pd.to_datetime(ds.sources["published_end"]).max()
    return FilterOptions(
        sources=source_pairs,
        claimants=claimant_pairs,
        groups=group_pairs,
        event_types=event_pairs,
        claimant_types=kind_pairs,
        first_date=_min_date(starts),
        last_date=_max_date(ends),
        last_published=None if pd.isna(published) else published.date(),
    )


def _present(column: pd.Series) -> list[str]:
    return sorted(v for v in column.dropna().astype(str).unique() if v)


def _min_date(values: list[pd.Timestamp]) -> dt.date | None:
    real = [v for v in values if not pd.isna(v)]
    return min(real).date() if real else None


def _max_date(values: list[pd.Timestamp]) -> dt.date | None:
    real = [v for v in values if not pd.isna(v)]
    return max(real).date() if real else None
