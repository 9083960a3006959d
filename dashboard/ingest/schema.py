"""One pandera schema per table: the checks that look at one cell at a time.

Columns, required cells, vocabularies, number format and ranges are declared here, from
``dashboard.ingest.vocab`` (the one place the contract lives in code). Rules that relate cells, rows
or tables (references, dates and their basis, quotes, qualifiers) are in
``dashboard.ingest.validate``.

Every table is read as text, so each check gets strings; an empty string means "unknown" and is
only an error where a column is required. Vocabulary and number checks skip empty cells so an
empty required cell is reported once ("required"), not twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
import pandera.pandas as pa

from dashboard.ingest import vocab

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")

# Cells that must not be empty (beyond the id). Facts need a source; claims need a claimant and
# a measure (what the number counts: the comparisons depend on it).
REQUIRED: dict[str, tuple[str, ...]] = {
    "sources": ("source_id", "title"),
    "entities": ("entity_id", "name", "kind"),
    "places": ("place_id", "name", "kind"),
    "events": ("event_id", "event_type", "title", "source_id"),
    "designations": ("designation_id", "jurisdiction_id", "target_id", "action", "source_id"),
    "estimates": (
        "estimate_id", "subject_id", "metric", "qualifier", "claimant_id", "source_id",
        "category", "measure",
    ),
}  # fmt: skip

# Date column -> its basis column (sources.accessed has none: it is the day we read the URL).
DATE_COLUMNS: dict[str, dict[str, str | None]] = {
    "sources": {"published": "published_basis", "accessed": None},
    "events": {"date": "date_basis"},
    "designations": {"date": "date_basis"},
    "estimates": {"as_of": "as_of_basis"},
}

VOCABULARIES: dict[str, dict[str, tuple[str, ...]]] = {
    "sources": {"published_basis": vocab.DATE_BASES},
    "entities": {
        "kind": vocab.ENTITY_KINDS,
        "affiliation_type": vocab.AFFILIATION_TYPES,
        "claimant_type": vocab.CLAIMANT_TYPES,
    },
    "places": {"kind": vocab.PLACE_KINDS},
    "events": {"event_type": vocab.EVENT_TYPES, "date_basis": vocab.DATE_BASES},
    "designations": {"action": vocab.DESIGNATION_ACTIONS, "date_basis": vocab.DATE_BASES},
    "estimates": {
        "qualifier": vocab.QUALIFIERS,
        "category": vocab.ESTIMATE_CATEGORIES,
        "as_of_basis": vocab.DATE_BASES,
        "measure": vocab.MEASURES,
    },
}

# Numeric columns -> inclusive (min, max); None = unbounded. Counts are never negative.
NUMERIC: dict[str, dict[str, tuple[float | None, float | None]]] = {
    "places": {"lat": (-90.0, 90.0), "lon": (-180.0, 180.0)},
    "estimates": {"value_low": (0.0, None), "value_high": (0.0, None)},
}

CHECK_UNKNOWN_COLUMN = "column_in_schema"
CHECK_MISSING_COLUMN = "column_in_dataframe"
REQUIRED_MESSAGE = "required: must not be empty"


def _filled(series: pd.Series) -> pd.Series:
    return series.ne("")


def _required() -> pa.Check:
    return pa.Check(_filled, error=REQUIRED_MESSAGE)


def _one_of(column: str, allowed: Iterable[str]) -> pa.Check:
    allowed = tuple(allowed)
    return pa.Check(
        lambda s: s.eq("") | s.isin(allowed),
        error=f"unknown {column} (allowed: {', '.join(allowed)})",
    )


def _slug() -> pa.Check:
    return pa.Check(
        lambda s: s.eq("") | s.str.fullmatch(SLUG.pattern),
        error="not a slug id (lowercase letters, digits and '-', starting with a letter or digit)",
    )


def numbers(series: pd.Series) -> pd.Series:
    """Float value of well-formed number cells, NaN elsewhere (empty or malformed)."""
    wellformed = series.str.fullmatch(NUMBER.pattern).fillna(False).astype(bool)
    return pd.to_numeric(series.where(wellformed), errors="coerce")


def _numeric(low: float | None, high: float | None) -> list[pa.Check]:
    checks = [
        pa.Check(
            lambda s: s.eq("") | s.str.fullmatch(NUMBER.pattern),
            error="not a number (write digits with an optional '.', e.g. 25000, not 25,000)",
        )
    ]
    if low is not None:
        low_message = "must not be negative" if low == 0 else f"must not be less than {low:g}"
        checks.append(pa.Check(lambda s: ~(numbers(s) < low), error=low_message))
    if high is not None:
        checks.append(
            pa.Check(lambda s: ~(numbers(s) > high), error=f"must not be greater than {high:g}")
        )
    return checks


def _column_checks(table: str, column: str) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if column in REQUIRED[table]:
        checks.append(_required())
    if column == vocab.ID_COLUMN[table]:
        checks.append(_slug())
    if column in VOCABULARIES.get(table, {}):
        checks.append(_one_of(column, VOCABULARIES[table][column]))
    if column in NUMERIC.get(table, {}):
        checks.extend(_numeric(*NUMERIC[table][column]))
    return checks


def table_schema(table: str) -> pa.DataFrameSchema:
    """The schema of one table: exactly the columns of ``vocab.COLUMNS`` (any order).

    ``strict=True`` because an unknown column is almost always a misspelt header, and a
    misspelt header would otherwise silently drop that column's data.
    """
    return pa.DataFrameSchema(
        {
            column: pa.Column(str, checks=_column_checks(table, column), nullable=False)
            for column in vocab.COLUMNS[table]
        },
        name=table,
        strict=True,
        ordered=False,
        coerce=False,
    )


SCHEMAS: dict[str, pa.DataFrameSchema] = {table: table_schema(table) for table in vocab.TABLES}
