"""Rows of a DataFrame as plain dicts, fast: hover texts, tables and the sources page read rows
one by one, and pandas' own ``to_dict`` walks each Arrow string column element by element
(about three times slower at the benchmark's 1000x scale)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

Record = dict[str, Any]


def records_of(frame: pd.DataFrame) -> dict[Any, Record]:
    """``frame.to_dict("index")``: the same keys and values."""
    columns = list(frame.columns)
    values = frame.astype(object).to_numpy()
    return {
        label: dict(zip(columns, row, strict=True))
        for label, row in zip(frame.index, values, strict=True)
    }


def record_list(frame: pd.DataFrame) -> list[Record]:
    """``frame.to_dict("records")``: the same values."""
    return list(records_of(frame).values())


def plotly_array(values: pd.Series) -> np.ndarray:
    """A trace's data as an array Plotly takes as it is (a list is checked item by item, which
    is most of a chart's build time at scale); dates as ISO text, as Plotly writes them."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%dT%H:%M:%S").to_numpy(dtype=object)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.to_numpy(dtype=float)
    return values.to_numpy(dtype=object)
