"""Every chart the dashboard draws, built for one filter state: what exports and the pack use.

Pages draw their own charts; the briefing pack and the command line need all of them at once,
in reading order (status first, then events, where, and how big), from the same pure builders,
so a slide never differs from the page it came from.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from dashboard.charts.spec import ChartSpec, coverage_text
from dashboard.view.filters import FilterState

# (module, function) in reading order; each returns a ChartSpec or a list of them.
BUILDERS: tuple[tuple[str, str], ...] = (
    ("dashboard.charts.timeline", "build_designation_timeline"),
    ("dashboard.charts.timeline", "build_event_timeline"),
    ("dashboard.charts.province_map", "build_province_map"),
    ("dashboard.charts.strength", "build_strength_charts"),
    ("dashboard.charts.strength", "build_capacity_chart"),
)


def _builder(module: str, name: str) -> Callable[..., Any]:
    return getattr(importlib.import_module(module), name)


def chart_specs(ds: Any, state: FilterState) -> list[ChartSpec]:
    """All charts for ``state``, flattened, in reading order."""
    specs: list[ChartSpec] = []
    for module, name in BUILDERS:
        built = _builder(module, name)(ds, state)
        specs.extend(built if isinstance(built, list) else [built])
    return specs


def stamp(ds: Any, state: FilterState, source_ids: tuple[str, ...]) -> str:
    """The coverage / known-as-of line every export carries."""
    as_of = state.known_as_of.isoformat() if state.known_as_of else None
    return coverage_text(ds, source_ids, as_of)
