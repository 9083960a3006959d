"""The one way a chart becomes a Plotly figure: trace and layout dicts, ``assemble``d once.

Builders write traces and layout as plain dicts (Plotly's own property names) and hand them to
``assemble``, the only place Plotly's per-property checks are skipped (``_validate=False``, the
figure-level switch plotly.py has had since 4.7): on every ``add_trace`` and ``update_*`` Plotly
checks and copies the whole figure, which was most of a small chart's first view. The checks
are not lost: ``tests/test_figures.py`` validates every chart the builders make, on the shipped
data under several filters and on a scaled copy, and checks that skipping them changes nothing.

Subplot grids come from Plotly's own ``make_subplots`` (``grid_layout``): its axes, domains and
panel titles, worked out once per shape and copied into each figure's layout.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

Trace = dict[str, Any]
Layout = dict[str, Any]


def panel_axes(number: int) -> dict[str, str]:
    """The x and y axis names of panel ``number`` (1-based), as make_subplots names them."""
    suffix = "" if number == 1 else str(number)
    return {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}


def axis_key(axis: str, number: int) -> str:
    """The layout key of panel ``number``'s ``axis`` ("x" or "y"): "xaxis", "yaxis2", ..."""
    return f"{axis}axis" + ("" if number == 1 else str(number))


@functools.lru_cache(maxsize=64)
def _grid(rows: int, cols: int, options: tuple[tuple[str, Any], ...]) -> Layout:
    thawed = {name: _thawed(value) for name, value in options}
    layout = make_subplots(rows=rows, cols=cols, **thawed).layout.to_plotly_json()
    layout.pop("template", None)  # the theme sets the look (theme.base_layout)
    return layout


def grid_layout(rows: int, cols: int, **options: Any) -> Layout:
    """The layout ``make_subplots(rows, cols, **options)`` makes (axes, domains, titles), as a
    fresh dict; list-valued options (``subplot_titles``, ``column_widths``, ``specs``, nested
    lists of dicts) as tuples or lists."""
    key = tuple(sorted((name, _frozen(value)) for name, value in options.items()))
    return copy.deepcopy(_grid(rows, cols, key))


class _FrozenDict(tuple):  # type: ignore[type-arg]
    """A dict's items as a hashable key (for the grid cache), told apart from a list."""


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return _FrozenDict(sorted((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    return value


def _thawed(value: Any) -> Any:
    if isinstance(value, _FrozenDict):
        return {key: _thawed(item) for key, item in value}
    if isinstance(value, tuple):
        return [_thawed(item) for item in value]
    return value


def merge(target: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """Plotly's update semantics on dicts: nested dicts merge, other values replace, None is no
    change. Returns ``target``."""
    for key, value in update.items():
        if value is None:
            continue
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = value
    return target


def assemble(data: list[Trace], layout: Layout) -> go.Figure:
    """A figure from trace and layout dicts, unset (None) properties and empty layout lists
    dropped, as Plotly's own checks would (see the module doc for why they are skipped)."""
    layout = {key: value for key, value in _pruned(layout).items() if value != []}
    return go.Figure(data=[_pruned(trace) for trace in data], layout=layout, _validate=False)


def _pruned(value: Any) -> Any:
    """``value`` without None-valued keys in its dicts (data arrays are left as they are)."""
    if isinstance(value, dict):
        return {key: _pruned(item) for key, item in value.items() if item is not None}
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [_pruned(item) for item in value]
    return value
