"""Drawing swimlane timelines: lanes, spans for imprecise dates, a broken axis, legends.

Shared by the designations chart and the key-events chart (``dashboard.charts.timeline``),
which only decide what each mark looks like. Rules that keep the charts honest live here:
- a year- or month-precise date is a bar over the whole period with the symbol in its middle,
  never a point on the 1st; a day is a point;
- marks that would overlap in a lane go on a second row of that lane instead of hiding each
  other (the lane grows);
- when the records leave a long empty stretch (listings of 2003-2006, then delistings from
  2023), the axis is broken into panels, marked as such, so the recent steps are not squeezed
  into a sliver; each panel keeps a true date scale.

Lane names sit above their lanes, inside the plot, not as tick labels beside it: a phone's
390 px could not spare the 100 px a column of names takes. The legend is on the right in an
exported file; a page sets it as text above the chart (``charts/key.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.figure import assemble, panel_axes
from dashboard.charts.theme import GRID_COLOR, MUTED_COLOR, base_layout_dict, known_as_of_shapes
from dashboard.view.marks import Mark

# A gap longer than this with no record splits the axis into panels.
BREAK_GAP = pd.Timedelta(days=5 * 365)
MIN_PANEL_SHARE = 0.2
# Rough width of the plot area, used only to keep labels of neighbouring marks from colliding:
# a phone's (about 340 px), so that labels stay apart there; a desktop column or a slide
# has more room, and the chart is only a little taller for it.
PLOT_WIDTH_PX = 360
CHAR_PX = 7.0
MARKER_PX = 14
SPAN_WIDTH_PX = 11
RING_COLOR = MUTED_COLOR
DISPUTE_COLOR = "#6e7781"
LABEL_OVERRUN_PX = 24
RING_PX = 9  # the seed ring's diameter beyond the symbol's
LANE_GAP = 0.3  # blank space between lanes, in rows
LANE_HEADER = 0.8  # the band above a lane that holds its name, in rows
SIDE_MARGIN_PX = 20  # left and right of the plot in an exported file (no names to make room for)
LEGEND_ROW_PX = 20
TITLE_GAP_PX = 30  # plotly measures a two-line title from its first line
BRACKET_DROP = 0.42  # how far below a row the "dates disagree" bracket runs


@dataclass(frozen=True, eq=False)
class Styled:
    """A mark with its look decided: the chart builder's answer to "how is this drawn?"."""

    mark: Mark
    group: str  # trace group (one colour): a jurisdiction's name, or "events"
    color: str
    symbol: str  # plotly symbol name, basis suffix included
    text: str  # label right of the symbol ("×3")
    hover: str  # hover text, already escaped (see ``hover_text``)
    record_ids: tuple[str, ...]


@dataclass(frozen=True)
class LegendEntry:
    """A legend-only trace explaining a symbol, fill, ring or line style."""

    group: str  # legend group title, e.g. "Step"
    name: str
    symbol: str = "circle"
    color: str = MUTED_COLOR
    size: int = 12
    line: str = ""  # "solid" | "dot": a line entry instead of a marker
    width: int = 2


def esc(text: object) -> str:
    """Data text for hover labels: shown literally (Plotly reads a subset of HTML)."""
    return html.escape(str(text), quote=False)


def wrapped(text: object, width: int = 90) -> str:
    """Escaped and wrapped for a hover label (which does not wrap by itself)."""
    return _wrapped(str(text), width)


@functools.lru_cache(maxsize=4096)
def _wrapped(text: str, width: int) -> str:
    # cached: the same quote is shown in many marks' hovers, and textwrap is slow
    lines = textwrap.wrap(text, width=width) or [""]
    return "<br>".join(esc(line) for line in lines)


def hover_text(title: str, lines: Iterable[str]) -> str:
    """A hover label: a bold title (escaped here) and pre-escaped lines."""
    return "<br>".join([f"<b>{esc(title)}</b>", *lines])


# ---- panels (broken axis) ------------------------------------------------------------------------
@dataclass(frozen=True)
class Panel:
    start: pd.Timestamp  # the axis range, padded
    end: pd.Timestamp
    marks: int

    @property
    def days(self) -> float:
        return (self.end - self.start) / pd.Timedelta(days=1)

    def holds(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= pd.Timestamp(day) <= self.end


def split_panels(marks: Sequence[Mark], gap: pd.Timedelta = BREAK_GAP) -> list[Panel]:
    """Date ranges to draw, one per cluster of marks separated by more than ``gap``."""
    if not marks:
        return []
    ordered = sorted(marks, key=lambda m: (m.start, m.end))
    clusters: list[list[Mark]] = [[ordered[0]]]
    reach = ordered[0].end
    for mark in ordered[1:]:
        if mark.start - reach > gap:
            clusters.append([mark])
        else:
            clusters[-1].append(mark)
        reach = max(reach, mark.end)
    panels = []
    for cluster in clusters:
        first = min(m.start for m in cluster)
        last = max(m.end for m in cluster)
        days = max((last - first) / pd.Timedelta(days=1), 1.0)
        left = pd.Timedelta(days=max(0.04 * days, 75))
        right = pd.Timedelta(days=max(0.14 * days, 200))
        panels.append(Panel(first - left, last + right, len(cluster)))
    return panels


def panel_shares(panels: Sequence[Panel]) -> list[float]:
    """Column widths: by how many marks each panel holds, never too narrow to read."""
    if len(panels) == 1:
        return [1.0]
    total = sum(p.marks for p in panels)
    raw = [max(MIN_PANEL_SHARE, p.marks / total) for p in panels]
    return [r / sum(raw) for r in raw]


def reach(panels: list[Panel], day: dt.date | None) -> list[Panel]:
    """The panels, the one nearest ``day`` widened to hold it (a known-as-of date past the
    last record still gets its line; a date in a break widens the panel before it)."""
    if day is None or not panels or any(panel.holds(day) for panel in panels):
        return panels
    when = pd.Timestamp(day)
    pad = pd.Timedelta(days=60)
    before = [n for n, panel in enumerate(panels) if panel.end < when]
    out = list(panels)
    if before:
        n = before[-1]
        out[n] = Panel(out[n].start, when + pad, out[n].marks)
    else:
        out[0] = Panel(when - pad, out[0].end, out[0].marks)
    return out


def panel_of(mark: Mark, panels: Sequence[Panel]) -> int:
    for number, panel in enumerate(panels):
        if panel.start <= mark.start and mark.end <= panel.end:
            return number
    return len(panels) - 1


# ---- lanes ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LaneLayout:
    y: dict[int, float]  # id(styled) -> y
    text_position: dict[int, str]  # id(styled) -> "middle right" or, near the edge, "middle left"
    centres: dict[str, float]  # lane id -> y of the middle of its rows
    headers: dict[str, float]  # lane id -> y of its name, in the band above its rows
    bounds: list[float]  # y of the separators between lanes
    extent: float  # y just past the last row


def pack_lanes(
    styled: Sequence[Styled],
    lanes: Sequence[str],
    panels: Sequence[Panel],
    shares: Sequence[float],
    marker_px: int = MARKER_PX,
) -> LaneLayout:
    """Give each mark a y: its lane, and a second (third...) row where it would collide.

    A mark occupies its date span plus its symbol and label (estimated in days from the
    panel's scale); a label that would run past the panel's end goes left of the symbol.
    """
    y: dict[int, float] = {}
    position: dict[int, str] = {}
    centres: dict[str, float] = {}
    headers: dict[str, float] = {}
    bounds: list[float] = []
    top = 0.0
    day = pd.Timedelta(days=1)
    for lane in lanes:
        headers[lane] = top - 0.5 + LANE_HEADER / 2
        top += LANE_HEADER
        rows_end: list[list[float]] = []  # per sub-row, per panel: the last occupied day
        members = sorted(
            (s for s in styled if s.mark.lane == lane), key=lambda s: (s.mark.start, s.mark.end)
        )
        for item in members:
            number = panel_of(item.mark, panels)
            panel = panels[number]
            per_px = panel.days / (PLOT_WIDTH_PX * shares[number])
            start = (item.mark.start - panel.start) / day
            end = (item.mark.end - panel.start) / day
            mid = (item.mark.mid - panel.start) / day
            label = (CHAR_PX * (len(item.text) + 1)) * per_px if item.text else 0.0
            half = marker_px * per_px
            # A label may run a little past the panel's end (into the gap before the legend).
            over_right = mid + half + label - panel.days - LABEL_OVERRUN_PX * per_px
            over_left = label + half - mid
            if over_right > 0 and over_left < over_right:
                position[id(item)] = "middle left"
                left, right = min(start, mid - half - label), max(end, mid + half)
            else:
                position[id(item)] = "middle right"
                left, right = min(start, mid - half), max(end, mid + half + label)
            for row, ends in enumerate(rows_end):
                if ends[number] < left:
                    ends[number] = right
                    y[id(item)] = top + row
                    break
            else:
                ends = [float("-inf")] * len(panels)
                ends[number] = right
                rows_end.append(ends)
                y[id(item)] = top + len(rows_end) - 1
        count = max(len(rows_end), 1)
        centres[lane] = top + (count - 1) / 2
        top += count
        bounds.append(top - 0.5)
        top += LANE_GAP
    return LaneLayout(
        y=y,
        text_position=position,
        centres=centres,
        headers=headers,
        bounds=bounds[:-1],
        extent=top - LANE_GAP,
    )


# ---- the figure ----------------------------------------------------------------------------------
def swimlane_figure(
    styled: Sequence[Styled],
    lanes: Sequence[tuple[str, str]],
    *,
    title: str,
    subtitle: str = "",
    source_text: str = "",
    legend: Sequence[LegendEntry] = (),
    lane_notes: dict[str, str] | None = None,
    row_px: int = 34,
    span_opacity: float = 0.35,
    marker_px: int = MARKER_PX,
    known_as_of: dt.date | None = None,
) -> go.Figure:
    """Lanes top to bottom (``lanes``: id and label), marks placed by date, titled.

    ``known_as_of``: a dashed line at that date (the axis reaches it, see ``reach``).

    ``title``, ``subtitle`` and ``source_text`` go to ``theme.base_layout`` as given (Plotly
    reads them as HTML): escape data text first. Trace ``meta`` says what each trace is
    (``role``: span, mark, ring, dispute, legend) and which records a mark stands for, so tests
    and exports can check the drawing.
    """
    lane_notes = lane_notes or {}
    lane_ids = [lane for lane, _ in lanes]
    marks = [s.mark for s in styled]
    panels = reach(
        split_panels(marks) or [Panel(pd.Timestamp("2000-01-01"), pd.Timestamp("2026-01-01"), 0)],
        known_as_of,
    )
    shares = panel_shares(panels)
    layout = pack_lanes(styled, lane_ids, panels, shares, marker_px)
    by_panel: dict[tuple[int, str], list[Styled]] = {}
    for item in styled:
        by_panel.setdefault((panel_of(item.mark, panels), item.group), []).append(item)
    data: list[dict[str, Any]] = []
    for (number, group), items in by_panel.items():
        data += [
            {**trace, **panel_axes(number + 1)}
            for trace in _group_traces(items, layout, group, span_opacity, marker_px)
        ]
    data += _legend_traces(legend)
    disputes, labels = _disputes(styled, layout, panels)
    data += disputes
    themed = base_layout_dict(title=title, subtitle=subtitle, source_line=source_text)
    axes, shapes, notes = _axes(panels, shares, layout, lanes, lane_notes)
    holding = [n for n, panel in enumerate(panels) if panel.holds(known_as_of)]
    shapes += known_as_of_shapes(known_as_of, [panel_axes(n + 1)["xaxis"] for n in holding])
    margin = themed["margin"]
    margin["l"] = margin["r"] = SIDE_MARGIN_PX
    plot_px = max(row_px * max(layout.extent + 0.5, 3), legend_height(legend))
    figure_layout = {
        **themed,
        **axes,
        "shapes": shapes,
        # axis breaks and lane notes, the source line, then the dispute labels
        "annotations": [*notes, *themed["annotations"], *labels],
        "height": int(margin["t"] + margin["b"] + plot_px),
        # base_layout puts the title at 97% of the height: too close to the edge (and clipped)
        # on a short chart or a shorter export; keep a fixed gap in pixels instead.
        "title": {**themed["title"], "y": 1, "yanchor": "top", "pad": {"t": TITLE_GAP_PX}},
        "showlegend": bool(legend),
        "legend": {
            "x": 1.01,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "top",
            "font": {"size": 12},
            "tracegroupgap": 10,
            "itemclick": False,
            "itemdoubleclick": False,
        },
        "hoverlabel": {"align": "left", "font": {"size": 12, **themed["hoverlabel"]["font"]}},
        "hovermode": "closest",
    }
    return assemble(data, figure_layout)


def legend_height(entries: Sequence[LegendEntry]) -> float:
    """Pixels the legend needs, so a short chart is made tall enough not to cut it off."""
    groups = len({entry.group for entry in entries})
    return LEGEND_ROW_PX * len(entries) + (LEGEND_ROW_PX + 10) * groups


def _group_traces(
    items: list[Styled],
    layout: LaneLayout,
    group: str,
    span_opacity: float,
    marker_px: int,
) -> list[dict[str, Any]]:
    """A group's date spans, seed rings and marks: three traces whatever its size."""
    traces: list[dict[str, Any]] = []
    color = items[0].color
    span_x: list[object] = []
    span_y: list[object] = []
    for item in items:
        if item.mark.precision != "day":
            span_x += [item.mark.start, item.mark.end + pd.Timedelta(hours=23, minutes=59), None]
            span_y += [layout.y[id(item)]] * 2 + [None]
    if span_x:
        traces.append(
            {
                "type": "scatter",
                "x": span_x,
                "y": span_y,
                "mode": "lines",
                "line": {"color": color, "width": SPAN_WIDTH_PX},
                "opacity": span_opacity,
                "hoverinfo": "skip",
                "showlegend": False,
                "name": f"{group}: date spans",
                "meta": {"role": "span", "group": group},
            }
        )
    ringed = [item for item in items if item.mark.has_seed]
    if ringed:
        traces.append(
            {
                "type": "scatter",
                "x": [item.mark.mid for item in ringed],
                "y": [layout.y[id(item)] for item in ringed],
                "mode": "markers",
                "marker": {
                    "symbol": "circle-open",
                    "size": marker_px + RING_PX,
                    "color": RING_COLOR,
                    "line": {"width": 1.3},
                },
                "hoverinfo": "skip",
                "showlegend": False,
                "name": f"{group}: seed-backed",
                "meta": {"role": "ring", "group": group},
            }
        )
    traces.append(
        {
            "type": "scatter",
            "x": [item.mark.mid for item in items],
            "y": [layout.y[id(item)] for item in items],
            "mode": "markers+text",
            "marker": {
                "symbol": [item.symbol for item in items],
                "size": marker_px,
                "color": color,
                "line": {"width": 2, "color": color},
            },
            "text": [_padded(item, layout) for item in items],
            "textposition": [layout.text_position[id(item)] for item in items],
            "textfont": {"size": 12},
            "hovertext": [item.hover for item in items],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "cliponaxis": False,
            "showlegend": False,
            "name": group,
            "customdata": [list(item.record_ids) for item in items],
            "meta": {
                "role": "mark",
                "group": group,
                "dates": [item.mark.label for item in items],
                "precision": [item.mark.precision for item in items],
                "sources": [item.mark.n_sources for item in items],
                "records": [list(item.record_ids) for item in items],
                "seed": [item.mark.has_seed for item in items],
            },
        }
    )
    return traces


def _padded(item: Styled, layout: LaneLayout) -> str:
    """Keep a label clear of the seed ring drawn around its symbol."""
    if not item.text or not item.mark.has_seed:
        return item.text
    pad = "\u2002"
    return item.text + pad if layout.text_position[id(item)] == "middle left" else pad + item.text


def _disputes(
    styled: Sequence[Styled], layout: LaneLayout, panels: Sequence[Panel]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A dotted line between marks of one step whose dates cannot both be true: one line trace
    per panel (segments split by gaps) and a "dates disagree" label per pair."""
    by_key: dict[tuple[str, ...], list[Styled]] = {}
    for item in styled:
        if item.mark.disputed:
            by_key.setdefault(item.mark.key, []).append(item)
    lines: dict[int, tuple[list[object], list[object], list[list[str]]]] = {}
    labels: list[dict[str, Any]] = []
    for key, items in by_key.items():
        items.sort(key=lambda s: s.mark.start)
        for first, second in pairwise(items):
            number = panel_of(first.mark, panels)
            if panel_of(second.mark, panels) != number:
                continue
            y1, y2 = layout.y[id(first)], layout.y[id(second)]
            x1, x2 = first.mark.mid, second.mark.mid
            if y1 == y2:
                # Same row: a bracket under both marks, clear of their labels.
                low = y1 + BRACKET_DROP
                xs, ys = [x1, x1, x2, x2], [y1 + 0.2, low, low, y1 + 0.2]
                y_text = low
            else:
                xs, ys = [x1, x2], [y1, y2]
                y_text = (y1 + y2) / 2
            all_x, all_y, keys = lines.setdefault(number, ([], [], []))
            if all_x:
                all_x.append(None)  # a gap: one trace per panel draws every dispute
                all_y.append(None)
            all_x.extend(xs)
            all_y.extend(ys)
            keys.append(list(key))
            labels.append(
                {
                    "x": x1 + (x2 - x1) / 2,
                    "y": y_text,
                    "xref": panel_axes(number + 1)["xaxis"],
                    "yref": "y",
                    "text": "dates disagree",
                    "showarrow": False,
                    "font": {"size": 11, "color": DISPUTE_COLOR},
                }
            )
    traces = [
        {
            "type": "scatter",
            "x": all_x,
            "y": all_y,
            "mode": "lines",
            "line": {"color": DISPUTE_COLOR, "width": 1.5, "dash": "dot"},
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "sources disagree on the date",
            "meta": {"role": "dispute", "keys": keys},
            **panel_axes(number + 1),
        }
        for number, (all_x, all_y, keys) in sorted(lines.items())
    ]
    return traces, labels


def _legend_traces(entries: Sequence[LegendEntry]) -> list[dict[str, Any]]:
    """Legend-only traces (no data) explaining symbols, fills, rings and line styles."""
    traces: list[dict[str, Any]] = []
    seen: set[str] = set()
    for entry in entries:
        title = entry.group if entry.group not in seen else None
        seen.add(entry.group)
        trace: dict[str, Any] = {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "name": entry.name,
            "legendgroup": entry.group,
            "showlegend": True,
            "hoverinfo": "skip",
            "meta": {"role": "legend", "group": entry.group},
        }
        if title:
            trace["legendgrouptitle"] = {"text": f"<b>{esc(title)}</b>", "font": {"size": 12}}
        if entry.line:
            trace["mode"] = "lines"
            trace["line"] = {"color": entry.color, "width": entry.width, "dash": entry.line}
        else:
            trace["mode"] = "markers"
            trace["marker"] = {
                "symbol": entry.symbol,
                "size": entry.size,
                "color": entry.color,
                "line": {
                    "width": 2 if not entry.symbol.endswith("open") else 1.6,
                    "color": entry.color,
                },
            }
        traces.append(trace)
    return traces


def _axes(
    panels: Sequence[Panel],
    shares: Sequence[float],
    layout: LaneLayout,
    lanes: Sequence[tuple[str, str]],
    lane_notes: dict[str, str],
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """Axes of the panels side by side sharing the lanes (as make_subplots lays them out),
    the lane separators, and the axis-break and lane-note labels."""
    last = len(panels)
    spacing = 0.03 if last > 1 else 0.0
    usable = 1 - spacing * (last - 1)
    axes: dict[str, Any] = {}
    domains: list[list[float]] = []
    left = 0.0
    for number, panel in enumerate(panels):
        right = left + usable * shares[number]
        domains.append([left, right])
        names = panel_axes(number + 1)
        x_name, y_name = names["xaxis"], names["yaxis"]
        # Year ticks on long or narrow panels, months where there is room for them.
        years = panel.days / 365 if PLOT_WIDTH_PX * shares[number] > 320 else 12.0
        axes[x_name.replace("x", "xaxis", 1)] = {
            "anchor": y_name,
            "domain": [left, right],
            "type": "date",
            "range": [panel.start, panel.end],
            "showgrid": True,
            "showline": True,
            "linecolor": MUTED_COLOR,
            "ticks": "outside",
            "tickformat": "%Y" if years > 3 else "%b %Y",
            "dtick": "M12" if 3 < years <= 12 else None,
            "title": {"text": "Date" if number == last - 1 else ""},
            "fixedrange": False,
        }
        # The other panels share the lanes: no grid lines or zero line of their own.
        axes[y_name.replace("y", "yaxis", 1)] = {
            "anchor": x_name,
            "domain": [0.0, 1.0],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
            **({"matches": "y", "showticklabels": False} if number else {}),
        }
        left = right + spacing
    axes["yaxis"].update(showticklabels=False, range=[layout.extent - 0.3, -0.7])
    shapes = [
        {
            "type": "line",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": bound + 0.15,
            "y1": bound + 0.15,
            "line": {"color": GRID_COLOR, "width": 1},
            "layer": "below",
        }
        for bound in layout.bounds
    ]
    notes: list[dict[str, Any]] = [
        {
            "x": (before[1] + after[0]) / 2,
            "y": 0,
            "xref": "paper",
            "yref": "paper",
            "text": "//",
            "showarrow": False,
            "yshift": -2,
            "font": {"size": 14, "color": MUTED_COLOR},
            "name": "axis break",
        }
        for before, after in pairwise(domains)
    ]
    notes += [
        {
            "x": 0,
            "y": layout.headers[lane],
            "xref": "paper",
            "yref": "y",
            "xanchor": "left",
            "yanchor": "middle",
            "text": f"<b>{esc(label)}</b>",
            "showarrow": False,
            "font": {"size": 13},
            "name": "lane",
        }
        for lane, label in lanes
        if lane in layout.headers
    ]
    main = panel_axes(last)["xaxis"]
    notes += [
        {
            "x": 0.01,
            "y": layout.centres[lane],
            "xref": f"{main} domain",
            "yref": "y",
            "xanchor": "left",
            "text": f"<i>{esc(note)}</i>",
            "showarrow": False,
            "font": {"size": 12, "color": MUTED_COLOR},
        }
        for lane, note in lane_notes.items()
        if lane in layout.centres
    ]
    return axes, shapes, notes
