"""Records by place: the one answer to "which records name this place?" for a view.

The map's shading, its markers' counts, a click on it and the table under it all read one
table, ``cell_places``, so a marker can never say "1 record names it" and list none: a count
(``place_counts``) is the number of records that ``records_at`` lists for the place. A record
names a place when its ``place_ids`` holds the place or a place inside it (a district or a
border crossing counts for its province, a province for its country), once per place however
many of its places lie inside. The rule is applied once per distinct ``place_ids`` cell (a few
dozen, however many records share them), and record rows are built only for the records a
list shows.

Events and estimates name places; designations do not. Rows come from the view
(``view.events``, ``view.estimates``), so the filters and the known-as-of rule apply as on every
other page. The reader's choice on the map (a place, a year) is parsed from the URL here, with
the same kind of notice as the filters' (``filters.Rejection``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.view.filters import FilterState, Rejection
from dashboard.view.view import VIEW_CACHE_SIZE, View, view_of

# Areas wider than a province: a record naming only these is "not placed in a province".
BROAD_AREAS = ("afghanistan", "northern-afghanistan", "tajik-afghan-border")
KIND_LABELS = {
    "province": "province",
    "district": "district",
    "city": "city",
    "canal": "canal",
    "river": "river",
    "border_crossing": "border crossing",
    "country": "country",
    "region": "region",
}
RECORD_COLUMNS = [
    "place_id", "named_place_id", "record_type", "record_id", "title", "date", "date_start",
    "date_end", "source_id", "source_label", "evidence_type", "quote", "evidence",
]  # fmt: skip
TABLE_COLUMNS = {
    "province": "province",
    "record_type": "record",
    "title": "what",
    "named_as": "named as",
    "date": "date",
    "source_label": "source",
    "evidence_type": "evidence type",
    "quote_or_summary": "quote or our summary",
    "record_id": "record id",
}


# ---- the places themselves -----------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def ancestors(ds: Any) -> dict[str, tuple[str, ...]]:
    """Each place with the places it lies in, itself first (``nusay`` -> nusay, badakhshan,
    afghanistan). Worked out once per loaded dataset (hashed by identity)."""
    places = ds.places
    parents = dict(zip(places["place_id"], places["parent_id"].fillna(""), strict=True))
    out: dict[str, tuple[str, ...]] = {}
    for place_id in parents:
        chain: list[str] = []
        current = place_id
        while current and current not in chain:
            chain.append(current)
            current = parents.get(current, "")
        out[place_id] = tuple(chain)
    return out


@functools.lru_cache(maxsize=4)
def province_of(ds: Any) -> dict[str, str]:
    """Each place inside a province (district, city, crossing), and each province, mapped to
    that province's id. Once per loaded dataset."""
    kinds = dict(zip(ds.places["place_id"], ds.places["kind"], strict=True))
    out: dict[str, str] = {}
    for place_id, chain in ancestors(ds).items():
        province = next((p for p in chain if kinds.get(p) == "province"), None)
        if province:
            out[place_id] = province
    return out


def place_names(places: pd.DataFrame) -> dict[str, str]:
    return dict(zip(places["place_id"], places["name"], strict=True))


# ---- records by place ----------------------------------------------------------------------------
def _record_tables(view: View) -> list[tuple[str, pd.DataFrame, tuple[str, str, str, str]]]:
    """The view's tables whose records name places: (record_type, rows, (id column, date text,
    date start, date end))."""
    return [
        ("event", view.events, ("event_id", "date", "date_start", "date_end")),
        ("estimate", view.estimates, ("estimate_id", "as_of", "as_of_start", "as_of_end")),
    ]


@functools.lru_cache(maxsize=VIEW_CACHE_SIZE)
def cell_places(view: View) -> pd.DataFrame:
    """Which places each distinct ``place_ids`` cell of the view's records counts for: one row
    per (cell, place), with ``named_place_id``, the first place of the cell that led there, and
    ``records``, how many of the view's records have that cell.

    The rule "a record names this place" applied per distinct cell rather than per record: a
    dataset of any size has a few dozen distinct cells. A place's count (``place_counts``) sums
    ``records`` over its rows here, and its list (``records_at``) fetches the records with those
    cells, so a count is always the length of its list. The same object on every ask for one
    view: do not modify it.
    """
    cells = pd.concat([frame["place_ids"] for _, frame, _ in _record_tables(view)])
    chains = ancestors(view.dataset)
    rows = [
        (cell, place_id, named, int(count))
        for cell, count in cells.value_counts(sort=False).items()
        for place_id, named in places_counted(str(cell), chains).items()
    ]
    return pd.DataFrame(rows, columns=["place_ids", "place_id", "named_place_id", "records"])


def places_counted(cell: str, chains: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """The places a ``place_ids`` cell ("nusay|khorog") counts for, each mapped to the first
    place of the cell that led there: every named place and the places it lies in (``chains``,
    from ``ancestors``), each once however many named places lie inside it."""
    counted: dict[str, str] = {}
    for named in (part for part in cell.split("|") if part):
        for place_id in chains.get(named, (named,)):
            counted.setdefault(place_id, named)
    return counted


def _record_rows(view: View, cells: pd.DataFrame) -> pd.DataFrame:
    """One row per (record, place) for the records whose ``place_ids`` is a cell of ``cells``
    (rows of ``cell_places``): ``RECORD_COLUMNS``, events then estimates in the view's order,
    each record's places in its cell's order. Only these records' rows are built: a place's list
    needs a few of the view's records, not all of them."""
    parts = [
        _records(frame[frame["place_ids"].isin(cells["place_ids"])], kind, *columns)
        for kind, frame, columns in _record_tables(view)
    ]
    records = pd.concat(parts, ignore_index=True)
    pairs = cells[["place_ids", "place_id", "named_place_id"]]
    return records.merge(pairs, on="place_ids", how="inner", sort=False)[RECORD_COLUMNS]


def _records(
    frame: pd.DataFrame, kind: str, id_column: str, date: str, start: str, end: str
) -> pd.DataFrame:
    """``frame``'s rows (events or estimates) with the columns a list of records shows; each
    column keeps its type (``.array``) even when no row is chosen."""
    if kind == "event":
        title = frame["title"].astype(str)
    else:
        title = frame["subject_name"].astype(str) + ": " + frame["value_text"].astype(str)
    return pd.DataFrame(
        {
            "place_ids": frame["place_ids"].array,
            "record_type": kind,
            "record_id": frame[id_column].array,
            "title": title.array,
            "date": frame[date].fillna("").array,
            "date_start": frame[start].array,
            "date_end": frame[end].array,
            "source_id": frame["source_id"].array,
            "source_label": frame["source_label"].array,
            "evidence_type": frame["source_kind"]
            .eq("seed")
            .map({True: "seed quote", False: "external summary"})
            .array,
            "quote": frame["quote"].fillna("").array,
            "evidence": frame["evidence"].fillna("").array,
        }
    )


def records_at(view: View, place_id: str) -> pd.DataFrame:
    """The records that name ``place_id`` or a place inside it, one row each, oldest first.

    THE answer for a place: its count on the map (``place_counts``) is the number of these
    rows, both read off the place's rows of ``cell_places``.
    """
    cells = cell_places(view)
    rows = _record_rows(view, cells[cells["place_id"] == place_id])
    return rows.sort_values(
        ["date_start", "record_type", "record_id"], na_position="last", kind="stable"
    ).reset_index(drop=True)


@functools.lru_cache(maxsize=VIEW_CACHE_SIZE)
def place_counts(view: View) -> Mapping[str, int]:
    """How many records name each place or a place inside it: ``len(records_at(view, p))``
    for every place at once, summed over the cells that count for it (``cell_places``) without
    building a row per record."""
    cells = cell_places(view)
    totals = cells.groupby("place_id", sort=False)["records"].sum()
    return {str(pid): int(n) for pid, n in totals.items()}


@functools.lru_cache(maxsize=VIEW_CACHE_SIZE)
def located_records(view: View) -> pd.DataFrame:
    """One row per (record, province): the records the map shades, with the province's name
    and the place the record named there (``named_place_id``).

    The same object on every ask for one view (the map's CSV rows and its year control both
    read it): do not modify it.
    """
    cells = cell_places(view)
    places = view.dataset.places
    provinces = places.loc[places["kind"] == "province", "place_id"]
    rows = _record_rows(view, cells[cells["place_id"].isin(provinces)])
    names = place_names(places)
    return rows.rename(columns={"place_id": "province_id"}).assign(
        province=rows["place_id"].map(names).to_numpy(),
        named_as=_named_as(rows["named_place_id"], names).to_numpy(),
    )


def _named_as(place_ids: pd.Series, names: Mapping[str, str]) -> pd.Series:
    """Each place's name, or its id for a place the gazetteer does not list (a lookup per
    distinct id, not per row)."""
    return place_ids.map({pid: names.get(pid, pid) for pid in place_ids.unique()})


@functools.lru_cache(maxsize=VIEW_CACHE_SIZE)
def unlocated_count(view: View) -> int:
    """Records that name a wide area of Afghanistan (the country, "northern Afghanistan", the
    Tajik border) and no place inside a province: counted in words, not shaded.

    Decided per distinct cell (``cell_places``), then the cells' records summed: record ids
    are unique within their table (the validator sees to it), so none is counted twice.
    """
    cells = cell_places(view)
    inside = list(province_of(view.dataset))
    per_cell = (
        cells.assign(
            in_province=cells["named_place_id"].isin(inside),
            broad=cells["named_place_id"].isin(BROAD_AREAS),
        )
        .groupby("place_ids")
        .agg(
            records=("records", "first"),
            in_province=("in_province", "any"),
            broad=("broad", "any"),
        )
    )
    return int(per_cell.loc[per_cell["broad"] & ~per_cell["in_province"], "records"].sum())


def province_counts(view: View, provinces: pd.DataFrame) -> pd.DataFrame:
    """``provinces`` (a frame with ``place_id``) with ``count``: records naming each province
    or a place inside it."""
    counts = place_counts(view)
    return provinces.assign(count=[int(counts.get(pid, 0)) for pid in provinces["place_id"]])


def records_table(rows: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``records_at``/``located_records`` as the page shows them: readable columns, the
    seed quote or our summary of an external source (and the province, for the map's rows)."""
    names = place_names(places)
    out = pd.DataFrame(
        {
            **({"province": rows["province"].array} if "province" in rows else {}),
            "record_type": rows["record_type"].array,
            "title": rows["title"].array,
            "named_as": _named_as(rows["named_place_id"], names).array,
            "date": rows["date"].array,
            "source_label": rows["source_label"].array,
            "evidence_type": rows["evidence_type"].array,
            "quote_or_summary": rows["quote"].where(rows["quote"] != "", rows["evidence"]).array,
            "record_id": rows["record_id"].array,
        }
    )
    return out.rename(columns=TABLE_COLUMNS)


# ---- what a reader clicked -----------------------------------------------------------------------
@dataclass(frozen=True)
class PlaceAnswer:
    """What the page says about one place: a sentence, and the records behind it (maybe none)."""

    place_id: str
    name: str
    kind: str
    headline: str  # plain words, never markup
    rows: pd.DataFrame  # records_at(view, place_id)

    @property
    def count(self) -> int:
        return len(self.rows)


def answer(view: View, place_id: str, *, period: str = "") -> PlaceAnswer:
    """The records naming ``place_id`` and the sentence that introduces them.

    ``period`` (e.g. "in 2023") narrows the wording to the year the map shows. A place without
    records says so in words, so the page never shows a heading over an empty table.
    """
    places = view.dataset.places.set_index("place_id")
    name = str(places.at[place_id, "name"]) if place_id in places.index else place_id
    kind = str(places.at[place_id, "kind"]) if place_id in places.index else ""
    rows = records_at(view, place_id)
    wider = kind in ("province", "country")
    scope = "it or a place in it" if wider else "it"
    when = f", {period}" if period else ""
    label = f"{name} ({KIND_LABELS.get(kind, kind)})" if kind else name
    if rows.empty:
        headline = f"{label}: no record under the current filters names {scope}{when}."
    else:
        noun = "record names" if len(rows) == 1 else "records name"
        headline = f"{label}: {len(rows)} {noun} {scope}{when}."
    return PlaceAnswer(place_id, name, kind, headline, rows)


def unmapped(ds: Any, place_id: str) -> bool:
    """A district or crossing without coordinates (so without a marker on the map)."""
    row = ds.places[ds.places["place_id"] == place_id]
    return bool(
        len(row)
        and row["kind"].iloc[0] in ("district", "border_crossing", "city", "canal")
        and pd.isna(row["lat"].iloc[0])
    )


def selected_place(points: Sequence[Mapping[str, Any]]) -> str | None:
    """The place a click on the map chose: the first point's ``customdata[0]`` (every
    clickable trace carries the place id there), else its ``location``."""
    for point in points:
        custom = point.get("customdata")
        value = custom[0] if isinstance(custom, list | tuple) and custom else point.get("location")
        if isinstance(value, str) and value:
            return value
    return None


# ---- years ---------------------------------------------------------------------------------------
def year_state(state: FilterState, year: int | None) -> FilterState:
    """The filters narrowed to one calendar year: the date range and the year intersected (an
    empty intersection, from after to, lets no record through)."""
    if year is None:
        return state
    start = max(d for d in (state.date_from, dt.date(year, 1, 1)) if d is not None)
    end = min(d for d in (state.date_to, dt.date(year, 12, 31)) if d is not None)
    return state.with_(date_from=start, date_to=end)


def year_outside_dates(state: FilterState, year: int | None) -> bool:
    """True when the filters' dates leave nothing of ``year``."""
    narrowed = year_state(state, year)
    return bool(narrowed.date_from and narrowed.date_to and narrowed.date_from > narrowed.date_to)


def year_counts(view: View, years: Sequence[int]) -> dict[int | None, int]:
    """Records placed in a province in each year (None: all years), for the year control.

    Read off the view's own rows with the date filter's rule (a record counts when its date
    span reaches the year's part of the filters' range; undated ones in no year), instead of a
    view per year: tests hold it to ``located_records(year_view(...))``.
    """
    rows = located_records(view)
    keys = rows["record_type"] + ":" + rows["record_id"].astype(str)
    start, end = pd.to_datetime(rows["date_start"]), pd.to_datetime(rows["date_end"])
    out: dict[int | None, int] = {None: int(keys.nunique())}
    for year in years:
        narrowed = year_state(view.state, year)
        assert narrowed.date_from is not None and narrowed.date_to is not None
        reach = (
            start.notna()
            & (end >= pd.Timestamp(narrowed.date_from))
            & (start <= pd.Timestamp(narrowed.date_to))
        )
        out[year] = int(keys[reach.to_numpy()].nunique())
    return out


def year_view(ds: Any, state: FilterState, year: int | None) -> View:
    """The view of one year: a record counts in every year its date span reaches, as the date
    filter counts it (a record dated "2023" counts in 2023; an undated one in no year)."""
    return view_of(ds, year_state(state, year))


# ---- the selection in the URL --------------------------------------------------------------------
PLACE_PARAM = "place"
YEAR_PARAM = "year"


@dataclass(frozen=True)
class MapChoice:
    """The place a reader picked on the map and the year it shows (None: all years)."""

    place_id: str | None = None
    year: int | None = None

    def to_query(self) -> dict[str, str]:
        query: dict[str, str] = {}
        if self.place_id:
            query[PLACE_PARAM] = self.place_id
        if self.year is not None:
            query[YEAR_PARAM] = str(self.year)
        return query

    @classmethod
    def from_query(
        cls,
        params: Mapping[str, str | Sequence[str]],
        places: Mapping[str, str],
        years: Sequence[int],
    ) -> tuple[MapChoice, list[Rejection]]:
        """Parse ``place`` and ``year``; anything else is left to the filters' parser.

        ``places`` maps the ids the map can show to their names; ``years`` are the years the
        year control offers. Unknown values are dropped with a reason, never raised.
        """
        rejections: list[Rejection] = []
        place = _last(params.get(PLACE_PARAM), PLACE_PARAM, rejections)
        if place and place not in places:
            rejections.append(Rejection(PLACE_PARAM, place, "not a place on this map"))
            place = ""
        year_text = _last(params.get(YEAR_PARAM), YEAR_PARAM, rejections)
        year: int | None = None
        if year_text and year_text != "all":
            if year_text.isdigit() and int(year_text) in years:
                year = int(year_text)
            else:
                shown = f"{years[0]}-{years[-1]}" if years else "none"
                rejections.append(
                    Rejection(
                        YEAR_PARAM, year_text, f"use a year the map offers ({shown}) or 'all'"
                    )
                )
        return cls(place or None, year), rejections


def _last(value: str | Sequence[str] | None, param: str, rejections: list[Rejection]) -> str:
    values = [value] if isinstance(value, str) else [str(v) for v in value or []]
    values = [v.strip() for v in values if v and v.strip()]
    if not values:
        return ""
    for earlier in dict.fromkeys(values[:-1]):
        if earlier != values[-1]:
            rejections.append(
                Rejection(param, earlier, f"given twice; the last value {values[-1]} is used")
            )
    return values[-1]
