"""The what-changed window shaded on date axes (theme.window_shapes) and on the timelines."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts import timeline
from dashboard.charts.theme import WINDOW_NAME, window_axes, window_shapes
from dashboard.ingest.loader import load_dataset
from dashboard.view.filters import FilterState

D = dt.date
PANELS = [
    ("x", "y", (pd.Timestamp("2002-06-01"), pd.Timestamp("2007-06-01"))),
    ("x2", "y2", (pd.Timestamp("2023-06-01"), pd.Timestamp("2025-11-01"))),
]


def test_the_window_is_clipped_to_each_panel_it_reaches() -> None:
    shapes = window_shapes(D(2024, 6, 30), None, PANELS)
    assert len(shapes) == 1  # the 2002-2007 panel is outside the window
    (shape,) = shapes
    assert (shape["xref"], shape["yref"]) == ("x2", "y2 domain")
    assert shape["x0"].startswith("2024-06-30") and shape["x1"].startswith("2025-11-01")
    assert shape["label"]["text"] == "since 30 Jun 2024"
    assert shape["layer"] == "below" and shape["name"] == WINDOW_NAME


def test_a_closed_window_ends_on_its_last_day_and_spans_panels() -> None:
    shapes = window_shapes(D(2005, 1, 1), D(2024, 1, 31), PANELS)
    assert [s["xref"] for s in shapes] == ["x", "x2"]
    assert shapes[0]["x0"].startswith("2005-01-01") and shapes[0]["x1"].startswith("2007-06-01")
    assert shapes[1]["x0"].startswith("2023-06-01") and shapes[1]["x1"].startswith("2024-01-31T23")
    assert "label" in shapes[0] and "label" not in shapes[1]


def test_an_axis_without_range_needs_an_end() -> None:
    free = [("x", "y", None)]
    assert window_shapes(D(2024, 6, 30), None, free) == []
    (shape,) = window_shapes(D(2024, 6, 30), None, free, latest=D(2025, 7, 4))
    assert shape["x1"].startswith("2025-07-04")
    assert window_shapes(D(2026, 1, 1), None, PANELS) == []  # after every panel


def test_window_axes_reads_a_layout() -> None:
    layout = {
        "xaxis": {"type": "date", "range": ["2002-01-01", "2007-01-01"], "anchor": "y"},
        "xaxis2": {"type": "date", "anchor": "y2"},
        "xaxis3": {"type": "linear"},
        "yaxis": {},
    }
    assert window_axes(layout) == [
        ("x", "y", ("2002-01-01", "2007-01-01")),
        ("x2", "y2", None),
    ]


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.mark.parametrize(
    "build", [timeline.build_designation_timeline, timeline.build_event_timeline]
)
def test_timelines_shade_the_chosen_window_only(ds, build) -> None:
    plain = build(ds, FilterState())
    assert not [s for s in plain.figure.layout.shapes if s.name == WINDOW_NAME]
    assert "shaded band" not in plain.caption
    spec = build(ds, FilterState(since=D(2024, 6, 30)))
    shaded = [s for s in spec.figure.layout.shapes if s.name == WINDOW_NAME]
    assert shaded and shaded[0].x0.startswith("2024-06-30")
    assert "The shaded band is the window since 30 Jun 2024" in spec.caption
    go.Figure(spec.figure.to_dict())  # Plotly's own checks accept the shapes
