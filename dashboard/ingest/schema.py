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

# Everything below comes from the contract (data/contract.yaml, through ``vocab``): facts need a
# source; claims need a claimant and a measure (what the number counts: comparisons depend on it).
REQUIRED: dict[str, tuple[str, ...]] = {
    table: tuple(c.name for c in columns if c.required)
    for table, columns in vocab.TABLE_COLUMNS.items()
}

# Date column -> its basis column (an accessed date has none: it is the day we read the URL).
DATE_COLUMNS: dict[str, dict[str, str | None]] = {
    table: {c.name: c.basis for c in columns if c.date}
    for table, columns in vocab.TABLE_COLUMNS.items()
    if any(c.date for c in columns)
}

VOCABULARIES: dict[str, dict[str, tuple[str, ...]]] = {
    table: {c.name: vocab.values(c.vocabulary) for c in columns if c.vocabulary}
    for table, columns in vocab.TABLE_COLUMNS.items()
}

# Numeric columns -> inclusive (min, max); None = unbounded. Counts are never negative.
NUMERIC: dict[str, dict[str, tuple[float | None, float | None]]] = {
    table: {c.name: c.range for c in columns if c.range is not None}
    for table, columns in vocab.TABLE_COLUMNS.items()
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
    return pa.Check.isin((*allowed, ""), error=f"unknown {column} (allowed: {', '.join(allowed)})")


def _slug() -> pa.Check:
    return pa.Check.str_matches(
        rf"(?:{SLUG.pattern})?$",
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
    misspelt header would otherwise silently drop that column's data. No dtype is declared:
    ``csvio`` reads every cell as text, and pandera's dtype check on text columns looked at
    every cell again (half the time of a validation); the checks below read the text.
    """
    return pa.DataFrameSchema(
        {
            column: pa.Column(None, checks=_column_checks(table, column), nullable=False)
            for column in vocab.COLUMNS[table]
        },
        name=table,
        strict=True,
        ordered=False,
        coerce=False,
    )


SCHEMAS: dict[str, pa.DataFrameSchema] = {table: table_schema(table) for table in vocab.TABLES}
