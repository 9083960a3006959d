"""A figure assembled as plain dicts and handed to ``go.Figure`` once, at the end.

Plotly checks and copies the whole figure on every ``add_trace``, ``update_*`` and
``add_annotation``, and ``make_subplots`` alone costs tens of milliseconds: for a chart of a
few traces that bookkeeping, not the data, was most of a page's first view. ``FigureDraft``
takes the same calls (the subset the chart builders use) into dicts, and ``build()`` hands
them to ``go.Figure`` in one piece (``assemble``).

``assemble`` skips Plotly's per-property checks (``_validate=False``, the figure-level switch
plotly.py has had since 4.7): they were most of a small chart's first view. The checks are not
lost: ``tests/test_figures.py`` validates every chart the builders make, on the shipped data
under several filters and on a scaled copy, and checks that skipping them changes nothing in
the figure a browser or an export receives.

``FigureDraft.grid`` lays panels out as ``make_subplots`` does for the cases used here (one
column of stacked panels sharing the x axis, or one row of panels side by side), with the same
axis names, domains and panel titles.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go


def scatter(**properties: Any) -> dict[str, Any]:
    """A scatter trace as a dict (``go.Scatter``'s keywords)."""
    return {"type": "scatter", **properties}


def bar(**properties: Any) -> dict[str, Any]:
    """A bar trace as a dict (``go.Bar``'s keywords)."""
    return {"type": "bar", **properties}


def choropleth(**properties: Any) -> dict[str, Any]:
    """A choropleth trace as a dict (``go.Choropleth``'s keywords)."""
    return {"type": "choropleth", **properties}


def scattergeo(**properties: Any) -> dict[str, Any]:
    """A scattergeo trace as a dict (``go.Scattergeo``'s keywords)."""
    return {"type": "scattergeo", **properties}


def panel_axes(number: int) -> dict[str, str]:
    """The x and y axis names of panel ``number`` (1-based), as make_subplots names them."""
    suffix = "" if number == 1 else str(number)
    return {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}


def _merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    """Plotly's update semantics: nested dicts merge, other values replace, None is no change."""
    for key, value in update.items():
        if value is None:
            continue
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


class FigureDraft:
    def __init__(self) -> None:
        self.data: list[dict[str, Any]] = []
        self.layout: dict[str, Any] = {}
        self._cols = 1

    @classmethod
    def grid(
        cls,
        rows: int,
        cols: int,
        *,
        titles: Sequence[str] = (),
        vertical_spacing: float = 0.0,
        horizontal_spacing: float = 0.0,
        shared_xaxes: bool = False,
    ) -> FigureDraft:
        """Panels in one column (``cols`` == 1) or one row (``rows`` == 1), as make_subplots."""
        if rows > 1 and cols > 1:
            raise ValueError("a grid is one row or one column of panels")
        draft = cls()
        draft._cols = cols
        count = rows * cols
        height = (1 - vertical_spacing * (rows - 1)) / rows
        width = (1 - horizontal_spacing * (cols - 1)) / cols
        last = panel_axes(count)["xaxis"]
        annotations = []
        for index in range(count):
            row, col = (index, 0) if cols == 1 else (0, index)
            top = 1 - row * (height + vertical_spacing)
            x_domain = [
                col * (width + horizontal_spacing),
                col * (width + horizontal_spacing) + width,
            ]
            y_domain = [top - height, top] if rows > 1 else [0.0, 1.0]
            # rounded as make_subplots' arithmetic comes out (no 5.6e-17 for 0)
            x_domain = [round(v, 12) for v in (x_domain[0], min(x_domain[1], 1.0))]
            y_domain = [round(v, 12) for v in (max(y_domain[0], 0.0), y_domain[1])]
            names = panel_axes(index + 1)
            x, y = names["xaxis"], names["yaxis"]
            x_axis: dict[str, Any] = {"anchor": y, "domain": x_domain}
            if shared_xaxes and rows > 1 and index < count - 1:
                x_axis.update(matches=last, showticklabels=False)
            draft.layout[x.replace("x", "xaxis", 1)] = x_axis
            draft.layout[y.replace("y", "yaxis", 1)] = {"anchor": x, "domain": y_domain}
            if index < len(titles):
                annotations.append(
                    {
                        "font": {"size": 16},
                        "showarrow": False,
                        "text": titles[index],
                        "x": round(sum(x_domain) / 2, 12),
                        "xanchor": "center",
                        "xref": "paper",
                        "y": y_domain[1],
                        "yanchor": "bottom",
                        "yref": "paper",
                    }
                )
        draft.layout["annotations"] = annotations
        return draft

    def _panel(self, row: int | None, col: int | None) -> int:
        return ((row or 1) - 1) * self._cols + (col or 1)

    def _axis_keys(self, axis: str, row: int | None, col: int | None) -> list[str]:
        if row is None and col is None:
            return [key for key in self.layout if key.startswith(f"{axis}axis")] or [f"{axis}axis"]
        name = panel_axes(self._panel(row, col))[f"{axis}axis"]
        return [name.replace(axis, f"{axis}axis", 1)]

    # ---- the go.Figure calls the builders use ---------------------------------------------
    def add_trace(
        self, trace: dict[str, Any], row: int | None = None, col: int | None = None
    ) -> FigureDraft:
        if row is not None or col is not None:
            trace = {**trace, **panel_axes(self._panel(row, col))}
        self.data.append(trace)
        return self

    def update_layout(self, **properties: Any) -> FigureDraft:
        _merge(self.layout, properties)
        return self

    def update_xaxes(self, row: int | None = None, col: int | None = None, **props: Any) -> Any:
        for key in self._axis_keys("x", row, col):
            _merge(self.layout.setdefault(key, {}), props)
        return self

    def update_yaxes(self, row: int | None = None, col: int | None = None, **props: Any) -> Any:
        for key in self._axis_keys("y", row, col):
            _merge(self.layout.setdefault(key, {}), props)
        return self

    def update_geos(self, **properties: Any) -> FigureDraft:
        _merge(self.layout.setdefault("geo", {}), properties)
        return self

    def add_annotation(self, **properties: Any) -> FigureDraft:
        self.layout.setdefault("annotations", []).append(properties)
        return self

    def build(self) -> go.Figure:
        return assemble(self.data, self.layout)


def assemble(data: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
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
