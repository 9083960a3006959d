"""Dates at the precision the evidence supports: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

A date coded ``2023`` means "some time in 2023", not 1 January 2023, so every parsed date is a
span (``start``..``end``, both inclusive). Charts draw year- and month-precise dates as spans
and filters test overlap; picking one day would invent precision the source never gave.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

import pandas as pd

Precision = Literal["year", "month", "day"]

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_MONTHS = calendar.month_name


@dataclass(frozen=True)
class DateValue:
    """One coded date: the text as written, its precision and the days it covers."""

    text: str
    precision: Precision
    start: dt.date
    end: dt.date  # last day of the year/month for imprecise dates; == start for a day


def parse_date(text: str) -> DateValue:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError saying what is wrong.

    The message is written for the analyst who typed the cell, so it names the problem
    ("month 13", "2024-02-30 is not a calendar date") rather than quoting a format string.
    """
    if not isinstance(text, str):
        raise ValueError(f"not a date: {text!r}")
    match = _ISO.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match.group(1))
    if year < 1:
        raise ValueError(f"{text!r}: year {match.group(1)} is out of range")
    month_text, day_text = match.group(2), match.group(3)
    if month_text is None:
        return DateValue(text, "year", dt.date(year, 1, 1), dt.date(year, 12, 31))
    month = int(month_text)
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r}: month {month_text} is not a month (01-12)")
    last_day = calendar.monthrange(year, month)[1]
    if day_text is None:
        return DateValue(text, "month", dt.date(year, month, 1), dt.date(year, month, last_day))
    day = int(day_text)
    if not 1 <= day <= last_day:
        raise ValueError(
            f"{text!r} is not a calendar date ({_MONTHS[month]} {year} has {last_day} days)"
        )
    day_value = dt.date(year, month, day)
    return DateValue(text, "day", day_value, day_value)


def try_parse_date(text: str) -> DateValue | ValueError | None:
    """The parsed date, the error it raised, or None for an empty cell (unknown date)."""
    if text == "":
        return None
    try:
        return parse_date(text)
    except ValueError as error:
        return error


def parse_series(values: pd.Series) -> pd.DataFrame:
    """Vectorised parse: ``start``, ``end`` (datetime64, NaT if empty or invalid), ``precision``.

    Each distinct value is parsed once and mapped back, so a table scaled to many rows costs
    about as much as its distinct dates. ``precision`` is "" where the date is empty/invalid.
    """
    parsed: dict[object, DateValue | None] = {}
    for value in values.unique().tolist():
        result = try_parse_date(value) if isinstance(value, str) else None
        parsed[value] = result if isinstance(result, DateValue) else None

    def column(pick: str) -> pd.Series:
        mapping = {key: (getattr(v, pick) if v is not None else None) for key, v in parsed.items()}
        return values.map(mapping)

    return pd.DataFrame(
        {
            "start": pd.to_datetime(column("start")).astype("datetime64[s]"),
            "end": pd.to_datetime(column("end")).astype("datetime64[s]"),
            "precision": column("precision").fillna("").astype(str),
        },
        index=values.index,
    )
