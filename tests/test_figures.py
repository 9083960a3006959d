"""Every chart the builders make is a valid Plotly figure, exactly as Plotly's checks would leave
it: the builders skip those checks for speed (dashboard/charts/figure.py), so this is where an
invalid property or a value Plotly would have coerced differently is caught."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dashboard.charts import catalog
from dashboard.ingest.loader import Dataset, load_dataset
from dashboard.view.filters import FilterState

STATES = {
    "all": FilterState(),
    "since 2024": FilterState(date_from=dt.date(2024, 1, 1)),
    "seed only": FilterState(seed_only=True),
    "known as of June 2024": FilterState(known_as_of=dt.date(2024, 6, 30)),
    "nothing": FilterState(date_from=dt.date(1990, 1, 1), date_to=dt.date(1990, 12, 31)),
}


def _canonical(figure: go.Figure) -> str:
    return json.dumps(json.loads(pio.to_json(figure, validate=False)), sort_keys=True)


@cache
def _scaled() -> Dataset:
    import tempfile

    from bench.synthetic import scale_dataset

    return load_dataset(scale_dataset(30, Path(tempfile.mkdtemp())))


def _check(ds: Dataset, state: FilterState) -> int:
    specs = catalog.chart_specs(ds, state)
    for spec in specs:
        validated = go.Figure(spec.figure.to_dict())  # raises on any invalid property
        assert _canonical(validated) == _canonical(spec.figure), spec.chart_id
    return len(specs)


@pytest.mark.parametrize("name", list(STATES))
def test_every_chart_is_what_plotly_validation_would_make(name: str) -> None:
    # strength and capacity charts need claims in view: an empty view draws none (in words)
    assert _check(load_dataset(), STATES[name]) >= (3 if name == "nothing" else 4)


def test_every_chart_of_a_large_dataset_is_valid_too() -> None:
    """Counted timelines and crowded strength charts are drawn differently: check them."""
    assert _check(_scaled(), FilterState()) >= 5


def test_an_invalid_property_is_caught_here() -> None:
    """The check above can fail: an unknown property passes the builders' assembly but not
    Plotly's validation."""
    from dashboard.charts.figure import assemble

    figure = assemble([{"type": "scatter", "x": [1], "y": [1], "colour": "red"}], {})
    with pytest.raises(ValueError, match="colour"):
        go.Figure(figure.to_dict())


def test_marks_sized_one_by_one_stay_opaque() -> None:
    """Plotly draws markers whose size is a list as bubbles, at 0.7 opacity unless told
    otherwise: a chart that sizes its marks one by one (the strength charts, the map's places)
    says the opacity it means."""
    checked = 0
    for spec in catalog.chart_specs(load_dataset(), FilterState()):
        for trace in spec.figure.to_dict()["data"]:
            marker = trace.get("marker") or {}
            if hasattr(marker.get("size"), "__len__"):
                assert "opacity" in marker, (spec.chart_id, trace.get("name"))
                checked += 1
    assert checked >= 5
