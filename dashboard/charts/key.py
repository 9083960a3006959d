"""A chart's key (its legend) as data, for a page to set as text above the chart.

On a page the key is text, not Plotly's legend: text wraps to any width, so a 390 px phone
keeps the whole plot width (a Plotly legend there took the width or a band of eight rows over
the first panel), and the browser draws a line of text far faster than Plotly lays out a
legend (about 0.1 s a chart, measured with the benchmark's browser pass). Exported files and
slides keep Plotly's legend: there the figure must stand alone.

The entries are read from the figure itself (every trace Plotly would list), so the key cannot
drift from the marks: same order, names, symbols and colours.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Trace types Plotly lists in the legend without being asked (when there is more than one trace)
LEGEND_BY_DEFAULT = frozenset({"scatter", "bar", "scattergeo", "box", "histogram"})
_TAGS = re.compile(r"<[^>]+>")
_DATA_FIELDS = ("x", "y", "lat", "lon", "locations", "values")
_WHITE = frozenset({"#ffffff", "#fff", "white"})


@dataclass(frozen=True)
class KeyEntry:
    """One swatch and its label: a marker (``symbol``) or a line (``symbol`` None)."""

    label: str
    color: str
    symbol: str | None = None
    outline: str | None = None
    opacity: float = 1.0
    dash: str = "solid"
    line_width: float = 2.0


@dataclass(frozen=True)
class KeyGroup:
    """Entries under one heading (a legend's title or a legend group's title), or none."""

    title: str
    entries: tuple[KeyEntry, ...]


def plain_label(text: object) -> str:
    """A legend text as plain text: Plotly's HTML-like tags dropped, entities read."""
    return html.unescape(_TAGS.sub("", str(text or ""))).strip()


def is_listed(trace: Mapping[str, Any], layout: Mapping[str, Any]) -> bool:
    """Whether Plotly shows the trace in a legend."""
    if layout.get("showlegend") is False:
        return False
    shown = trace.get("showlegend")
    if shown is None:
        return trace.get("type", "scatter") in LEGEND_BY_DEFAULT
    return bool(shown)


def draws_nothing(trace: Mapping[str, Any]) -> bool:
    """A trace with no data (none, or only missing values such as ``[None]``): a legend swatch
    only (a page may hide it once the key is text)."""
    return all(
        trace.get(field) is None or all(value is None for value in trace[field])
        for field in _DATA_FIELDS
    )


def is_swatch(trace: Mapping[str, Any]) -> bool:
    """A trace that only puts a swatch in the legend: listed there, drawing nothing."""
    return trace.get("showlegend") is not False and draws_nothing(trace)


def _single(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _entry(trace: Mapping[str, Any]) -> KeyEntry:
    marker = trace.get("marker") or {}
    line = trace.get("line") or {}
    mode = str(trace.get("mode") or "markers")
    opacity = float(trace.get("opacity") if trace.get("opacity") is not None else 1.0)
    label = plain_label(trace.get("name"))
    if "markers" in mode or trace.get("type") not in (None, "scatter"):
        symbol = _single(marker.get("symbol")) or "circle"
        color = _single(marker.get("color")) or _single(line.get("color")) or "#6e7781"
        outline = _single((marker.get("line") or {}).get("color"))
        if outline and color.lower() in _WHITE and "-open" not in symbol:
            # a white swatch shows by its outline (on a white page it would not show at all)
            symbol, color = f"{symbol}-open", outline
        return KeyEntry(label, color, symbol=symbol, outline=outline, opacity=opacity)
    return KeyEntry(
        label,
        _single(line.get("color")) or "#6e7781",
        opacity=opacity,
        dash=str(line.get("dash") or "solid"),
        line_width=float(line.get("width") or 2.0),
    )


def chart_key(data: Sequence[Mapping[str, Any]], layout: Mapping[str, Any]) -> tuple[KeyGroup, ...]:
    """The figure's legend entries, grouped as Plotly shows them: by legend (``legend``,
    ``legend2``...), in legend-rank then trace order, a legend group's title opening a group."""
    by_legend: dict[str, list[tuple[float, int, Mapping[str, Any]]]] = {}
    for index, trace in enumerate(data):
        if is_listed(trace, layout) and plain_label(trace.get("name")):
            rank = trace.get("legendrank")
            key = (float(rank) if rank is not None else 1000.0, index, trace)
            by_legend.setdefault(str(trace.get("legend") or "legend"), []).append(key)
    groups: list[KeyGroup] = []
    for legend_id in sorted(by_legend, key=lambda name: (len(name), name)):
        title = plain_label(((layout.get(legend_id) or {}).get("title") or {}).get("text"))
        current: list[KeyEntry] = []
        seen_group: object = None
        for _, _, trace in sorted(by_legend[legend_id], key=lambda item: item[:2]):
            group_title = plain_label((trace.get("legendgrouptitle") or {}).get("text"))
            if group_title and trace.get("legendgroup") != seen_group:
                if current or title:
                    groups.append(KeyGroup(title, tuple(current)))
                title, current = group_title, []
            seen_group = trace.get("legendgroup")
            current.append(_entry(trace))
        if current:
            groups.append(KeyGroup(title, tuple(current)))
    return tuple(groups)
