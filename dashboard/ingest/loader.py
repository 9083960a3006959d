"""The validated dataset, with the joins every page needs already made.

Pages never read the CSVs: they get a ``Dataset`` whose tables have passed the validator and
carry resolved names, source labels, date spans and typed numbers. A dataset that does not
validate is never half-shown: ``load_dataset`` raises ``DataInvalid`` with the report, and the
app shows the report instead of charts.

Conventions of the loaded tables:
- the contract's text columns stay strings, "" meaning unknown (never NaN);
- ``value_low``/``value_high``/``lat``/``lon`` are floats, NaN when unknown;
- date spans are datetime64 (``*_start``/``*_end``, NaT when undated) plus ``*_precision``
  ("year" | "month" | "day" | "");
- names resolved from an ``_ids`` column (``actor_names``, ``place_names``) are one string,
  joined with "; " in the ids' order: ready for tables, hover text and CSV export;
- the index is a plain RangeIndex.
The frames are shared by every session of the app (cached once per process): treat them as
read-only and copy before changing anything.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.ingest.dates import parse_series
from dashboard.ingest.validate import Report, run_validation

NAME_SEPARATOR = "; "

# order_of_magnitude bounds (docs/methodology.md) -> the words a source used.
MAGNITUDE_WORDS: dict[tuple[float, float], str] = {
    (24, 99): "dozens",
    (200, 999): "hundreds",
    (2_000, 9_999): "thousands",
    (20_000, 99_999): "tens of thousands",
    (200_000, 999_999): "hundreds of thousands",
    (2_000_000, 9_999_999): "millions",
}


class DataInvalid(Exception):
    """The dataset did not validate; ``report.format()`` says what to fix, file:row:column."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.summary())
        self.report = report


@dataclass(frozen=True)
class SourceEntry:
    """What a chart says of one source: its label and when it was published (NaT: unknown)."""

    label: str
    start: pd.Timestamp
    end: pd.Timestamp


@dataclass(frozen=True, eq=False)
class Dataset:
    """The six validated tables with convenience columns, and the seed documents' texts."""

    sources: pd.DataFrame
    entities: pd.DataFrame
    places: pd.DataFrame
    events: pd.DataFrame
    designations: pd.DataFrame
    estimates: pd.DataFrame
    seed_texts: dict[str, str]  # source_id -> the seed document as written (for highlighting)
    report: Report  # the (clean) validation report: row counts

    @functools.cached_property
    def source_index(self) -> dict[str, SourceEntry]:
        """Each source's label and publication span by id: every chart names its sources
        (source line, coverage stamp), and a dict lookup beats filtering the table each time."""
        sources = self.sources
        return {
            str(source_id): SourceEntry(str(label), start, end)
            for source_id, label, start, end in zip(
                sources["source_id"].tolist(),
                sources["label"].tolist(),
                pd.to_datetime(sources["published_start"]),
                pd.to_datetime(sources["published_end"]),
                strict=True,
            )
        }


def load_dataset(
    data_dir: Path | str | None = None,
    seeds_dir: Path | str | None = None,
    *,
    today: dt.date | None = None,
) -> Dataset:
    """Validate and load ``data_dir`` (default: the repo's data/); raise DataInvalid if broken."""
    validation = run_validation(data_dir, seeds_dir, today=today)
    if not validation.report.ok:
        raise DataInvalid(validation.report)
    frames = {name: frame.reset_index(drop=True) for name, frame in validation.frames.items()}
    sources = _sources(frames["sources"])
    entities = frames["entities"]
    places = _places(frames["places"])
    lookups = _Lookups(sources, entities, places)
    return Dataset(
        sources=sources,
        entities=entities,
        places=places,
        events=_events(frames["events"], lookups),
        designations=_designations(frames["designations"], lookups),
        estimates=_estimates(frames["estimates"], lookups),
        seed_texts=dict(validation.seed_texts),
        report=validation.report,
    )


# ---- tables -------------------------------------------------------------------------------------
def _sources(frame: pd.DataFrame) -> pd.DataFrame:
    published = parse_series(frame["published"])
    return frame.assign(
        kind=np.where(frame["seed_file"].ne(""), "seed", "external"),
        published_start=published["start"],
        published_end=published["end"],
        published_precision=published["precision"],
        label=frame["short_name"].where(frame["short_name"].ne(""), frame["title"]),
    )


def _places(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(
        lat=pd.to_numeric(frame["lat"].replace("", np.nan)).astype(float),
        lon=pd.to_numeric(frame["lon"].replace("", np.nan)).astype(float),
    )


class _Lookups:
    """id -> attribute maps, built once and applied with vectorised ``Series.map``."""

    def __init__(self, sources: pd.DataFrame, entities: pd.DataFrame, places: pd.DataFrame):
        by_source = sources.set_index("source_id")
        by_entity = entities.set_index("entity_id")
        self.source_label = by_source["label"]
        self.source_kind = by_source["kind"]
        self.source_published_end = by_source["published_end"]
        self.entity_name = by_entity["name"]
        self.entity_affiliation = by_entity["affiliation"]
        self.entity_affiliation_type = by_entity["affiliation_type"]
        self.entity_claimant_type = by_entity["claimant_type"]
        self.entity_kind = by_entity["kind"]
        self.place_name = places.set_index("place_id")["name"]

    def source_columns(self, source_ids: pd.Series) -> dict[str, pd.Series]:
        return {
            "source_label": source_ids.map(self.source_label),
            "source_kind": source_ids.map(self.source_kind),
            "source_published_end": source_ids.map(self.source_published_end),
        }


def _names(ids: pd.Series, names: pd.Series) -> pd.Series:
    """'a|b' -> 'Name A; Name B', computed once per distinct id list."""
    lookup = dict(zip(names.index.tolist(), names.tolist(), strict=True))
    joined = {
        value: NAME_SEPARATOR.join(lookup.get(part, part) for part in value.split("|") if part)
        for value in ids.unique().tolist()
    }
    return ids.map(joined).astype(str)


def _date_columns(dates: pd.Series, prefix: str) -> dict[str, pd.Series]:
    parsed = parse_series(dates)
    return {
        f"{prefix}_start": parsed["start"],
        f"{prefix}_end": parsed["end"],
        f"{prefix}_precision": parsed["precision"],
    }


def _events(frame: pd.DataFrame, lookups: _Lookups) -> pd.DataFrame:
    return frame.assign(
        actor_names=_names(frame["actor_ids"], lookups.entity_name),
        place_names=_names(frame["place_ids"], lookups.place_name),
        **lookups.source_columns(frame["source_id"]),
        **_date_columns(frame["date"], "date"),
    )


def _designations(frame: pd.DataFrame, lookups: _Lookups) -> pd.DataFrame:
    return frame.assign(
        jurisdiction_name=frame["jurisdiction_id"].map(lookups.entity_name),
        target_name=frame["target_id"].map(lookups.entity_name),
        **lookups.source_columns(frame["source_id"]),
        **_date_columns(frame["date"], "date"),
    )


def _estimates(frame: pd.DataFrame, lookups: _Lookups) -> pd.DataFrame:
    low = pd.to_numeric(frame["value_low"].replace("", np.nan)).astype(float)
    high = pd.to_numeric(frame["value_high"].replace("", np.nan)).astype(float)
    claimant = frame["claimant_id"]
    return frame.assign(
        subject_name=frame["subject_id"].map(lookups.entity_name),
        claimant_name=claimant.map(lookups.entity_name),
        claimant_affiliation_type=claimant.map(lookups.entity_affiliation_type),
        claimant_affiliation=claimant.map(lookups.entity_affiliation),
        claimant_type=claimant.map(lookups.entity_claimant_type).fillna("").astype(str),
        claimant_kind=claimant.map(lookups.entity_kind),
        **lookups.source_columns(frame["source_id"]),
        place_names=_names(frame["place_ids"], lookups.place_name),
        **_date_columns(frame["as_of"], "as_of"),
        value_text=_value_texts(frame),
        value_low=low,
        value_high=high,
    )


# ---- numbers in words ---------------------------------------------------------------------------
def value_text(
    qualifier: str, low: float | None, high: float | None, *, percent: bool = False
) -> str:
    """The number as it was stated: "more than 25,000", "around 6,500", "hundreds (200–999)"."""

    def number(value: float | None) -> str:
        if value is None or np.isnan(value):
            return "?"
        text = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
        return text + ("%" if percent else "")

    lo, hi = number(low), number(high)
    if qualifier == "approximately":
        return f"around {lo}"
    if qualifier == "more_than":
        return f"more than {lo}"
    if qualifier == "up_to":
        return f"up to {hi}"
    if qualifier == "range":
        return f"{lo}–{hi}"
    if qualifier == "order_of_magnitude":
        word = MAGNITUDE_WORDS.get((low, high)) if low is not None and high is not None else None
        return f"{word} ({lo}–{hi})" if word else f"{lo}–{hi} (order of magnitude)"
    return lo if lo != "?" else hi  # exact


def _value_texts(frame: pd.DataFrame) -> pd.Series:
    """``value_text`` per row, computed once per distinct (qualifier, low, high, unit)."""
    percent = frame["metric"].str.endswith("_pct").map({True: "%", False: ""})
    keys = frame["qualifier"] + _SEP + frame["value_low"] + _SEP + frame["value_high"]
    keys = keys + _SEP + percent

    def text(key: str) -> str:
        qualifier, low, high, unit = key.split(_SEP)
        return value_text(
            qualifier,
            float(low) if low else None,
            float(high) if high else None,
            percent=unit == "%",
        )

    return keys.map({key: text(key) for key in keys.unique().tolist()}).astype(str)


_SEP = "\x1f"  # a character no cell contains, to build one string key per distinct value
