"""The timeline charts draw what they drew before the package moved into ingest/view/charts.

``fixtures/timeline-drawing-2026-12-03.json`` was written by the code as it stood before the
move (commit 7ed689d), from the dataset as it stood then (``fixtures/dataset-2026-12-03``), under
three filter states: every trace's marks (x, y, symbol), labels (text) and hover texts, and
each chart's title. The fixture's `claimant_type` and `measure` cells were filled in later, when
the validator came to require them (the timelines read neither). Restructuring code must not
change a drawing; a change in what a chart
should show goes with a new fixture, in its own commit, saying why.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from dashboard.charts.timeline import build_designation_timeline, build_event_timeline
from dashboard.ingest.loader import load_dataset
from dashboard.view.filters import FilterState

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).parent.parent / "seeds"
STATES = {
    "default": FilterState(),
    "known-2023-06-30": FilterState(known_as_of=dt.date(2023, 6, 30)),
    "seed-only": FilterState(seed_only=True),
}


def _plain(value: Any) -> Any:
    return list(value) if hasattr(value, "tolist") or isinstance(value, tuple) else value


def drawing() -> dict[str, Any]:
    ds = load_dataset(FIXTURES / "dataset-2026-12-03", SEEDS)
    out: dict[str, Any] = {}
    for name, state in STATES.items():
        for build in (build_designation_timeline, build_event_timeline):
            spec = build(ds, state)
            traces = []
            for trace in spec.figure.to_plotly_json()["data"]:
                marker = trace.get("marker") or {}
                fields = {
                    "type": trace.get("type"),
                    "name": trace.get("name"),
                    "x": trace.get("x"),
                    "y": trace.get("y"),
                    "text": trace.get("text"),
                    "hovertext": trace.get("hovertext"),
                    "symbol": marker.get("symbol"),
                }
                traces.append({key: _plain(value) for key, value in fields.items()})
            out[f"{name}/{spec.chart_id}"] = {"title": spec.title, "traces": traces}
    return json.loads(json.dumps(out, default=str))


@pytest.fixture(scope="module")
def before() -> dict[str, Any]:
    return json.loads((FIXTURES / "timeline-drawing-2026-12-03.json").read_text())


def test_the_timelines_draw_the_same_marks_labels_and_hovers(before: dict[str, Any]) -> None:
    now = drawing()
    assert sorted(now) == sorted(before)
    for chart, expected in before.items():
        assert now[chart]["title"] == expected["title"], chart
        assert now[chart]["traces"] == expected["traces"], chart
