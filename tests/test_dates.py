"""Dates are spans at the precision written; bad input says what is wrong."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from dashboard.ingest.dates import DateValue, parse_date, parse_series

D = dt.date


@pytest.mark.parametrize(
    ("text", "precision", "start", "end"),
    [
        ("2023", "year", D(2023, 1, 1), D(2023, 12, 31)),
        ("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29)),
        ("2023-02", "month", D(2023, 2, 1), D(2023, 2, 28)),
        ("2024-12", "month", D(2024, 12, 1), D(2024, 12, 31)),
        ("2024-02-29", "day", D(2024, 2, 29), D(2024, 2, 29)),
        ("2021-08-15", "day", D(2021, 8, 15), D(2021, 8, 15)),
    ],
)
def test_valid_dates_are_spans(text: str, precision: str, start: dt.date, end: dt.date) -> None:
    assert parse_date(text) == DateValue(text, precision, start, end)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2024-13", "month 13"),
        ("2024-00", "month 00"),
        ("2024-02-30", "not a calendar date (February 2024 has 29 days)"),
        ("2023-02-29", "February 2023 has 28 days"),
        ("2024-04-31", "April 2024 has 30 days"),
        ("2024-06-00", "not a calendar date"),
        ("0000", "year 0000"),
        ("2024-6-3", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("24", "YYYY"),
        ("03/06/2024", "YYYY"),
        (" 2024", "YYYY"),
        ("2024-06-03T10:00", "YYYY"),
        ("June 2024", "YYYY"),
        ("", "YYYY"),
    ],
)
def test_invalid_dates_say_why(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=re.escape(fragment)):
        parse_date(text)


def test_parse_series_gives_start_end_precision() -> None:
    series = pd.Series(
        ["2023", "", "2024-02", "2024-02-29", "bad", "2023"], index=[7, 8, 9, 10, 11, 12]
    )
    parsed = parse_series(series)
    assert list(parsed.index) == [7, 8, 9, 10, 11, 12]
    assert list(parsed["precision"]) == ["year", "", "month", "day", "", "year"]
    assert parsed.loc[7, "start"] == pd.Timestamp("2023-01-01")
    assert parsed.loc[7, "end"] == pd.Timestamp("2023-12-31")
    assert parsed.loc[9, "end"] == pd.Timestamp("2024-02-29")
    assert pd.isna(parsed.loc[8, "start"]) and pd.isna(parsed.loc[11, "end"])
    assert str(parsed["start"].dtype).startswith("datetime64")


def test_parse_series_empty() -> None:
    parsed = parse_series(pd.Series([], dtype=str))
    assert parsed.empty and list(parsed.columns) == ["start", "end", "precision"]
