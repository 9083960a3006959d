"""One visual language for every page and every export.

Colours come from the Okabe–Ito palette, which stays distinguishable under the common forms of
colour-blindness; each claimant affiliation and each jurisdiction keeps its colour everywhere, so
a reader who learns "orange = independent expert" on one chart can trust it on the next.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import plotly.graph_objects as go

FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, sans-serif"  # installed locally, never fetched
TEXT_COLOR = "#1f2328"
MUTED_COLOR = "#6e7781"
# Grid and separator lines: a translucent grey that reads on a light page and on a dark one.
GRID_COLOR = "rgba(110, 119, 129, 0.28)"
KNOWN_AS_OF_COLOR = "#D55E00"  # Okabe–Ito vermilion: the one line on a time axis that is not data
PAPER_COLOR = "white"  # exports and the light theme; a page in dark mode gets its own background

AFFILIATION_COLORS: dict[str, str] = {
    "csto_official": "#0072B2",
    "russian_security_services": "#D55E00",
    "russian_government": "#CC79A7",
    "central_asian_government": "#009E73",
    "independent_expert": "#E69F00",
    "international_body": "#56B4E9",
    "afghan_official": "#8C6D1F",
    "media": "#7F7F7F",
    "": "#7F7F7F",
}

AFFILIATION_LABELS: dict[str, str] = {
    "csto_official": "CSTO officials",
    "russian_security_services": "Russian security services",
    "russian_government": "Russian government",
    "central_asian_government": "Central Asian governments",
    "independent_expert": "Independent experts",
    "international_body": "International bodies",
    "afghan_official": "Afghan officials",
    "media": "Media",
    "": "Unclassified",
}

# Who makes a claim (entities.claimant_type, contract version 2): strength charts colour each
# claim by it. The Okabe-Ito colours where a family keeps the hue it had as an affiliation (UN
# and international bodies sky blue, Russia vermillion, Central Asia green, experts orange), and
# Paul Tol's wine, indigo and olive (also colour-blind safe) for the CSTO/CIS, the US and think
# tanks (the CSTO's old blue sat too close to the UN's sky blue on one chart).
CLAIMANT_TYPE_COLORS: dict[str, str] = {
    "un_body": "#56B4E9",
    "russian_state": "#D55E00",
    "regional_bloc": "#882255",
    "us_state": "#332288",
    "central_asian_state": "#009E73",
    "afghan_authorities": "#8C6D1F",
    "other_state": "#CC79A7",
    "independent_expert": "#E69F00",
    "think_tank": "#999933",
    "media": "#7F7F7F",
    "": "#BBBBBB",
}
CLAIMANT_TYPE_LABELS: dict[str, str] = {
    "un_body": "UN bodies",
    "russian_state": "Russian state",
    "regional_bloc": "Regional blocs (CSTO, CIS)",
    "us_state": "US government",
    "central_asian_state": "Central Asian states",
    "afghan_authorities": "Afghan authorities",
    "other_state": "Other states",
    "independent_expert": "Independent experts",
    "think_tank": "Think tanks",
    "media": "Media",
    "": "Claimant type not given",
}
# The same, in running text: "Serenko (independent expert, 2024)".
CLAIMANT_TYPE_NOUNS: dict[str, str] = {
    "un_body": "UN",
    "russian_state": "Russian state",
    "regional_bloc": "CSTO/CIS",
    "us_state": "US government",
    "central_asian_state": "Central Asian state",
    "afghan_authorities": "Afghan authorities",
    "other_state": "other state",
    "independent_expert": "independent expert",
    "think_tank": "think tank",
    "media": "media",
    "": "",
}

JURISDICTION_COLORS: dict[str, str] = {
    "russia": "#D55E00",
    "kazakhstan": "#0072B2",
    "kyrgyzstan": "#009E73",
}
FALLBACK_COLORS: tuple[str, ...] = ("#CC79A7", "#E69F00", "#56B4E9", "#000000")

ACTION_LABELS: dict[str, str] = {
    "listed": "Listed as terrorist",
    "delisting_considered": "Delisting considered",
    "delisted": "Delisted",
    "ban_suspended": "Ban suspended",
    "relisted": "Relisted",
}
ACTION_SYMBOLS: dict[str, str] = {
    "listed": "square",
    "delisting_considered": "diamond",
    "delisted": "circle",
    "ban_suspended": "triangle-down",
    "relisted": "star",
}

# How a date's basis shows on a mark: solid when the source states it, hollow when inferred,
# hollow with a centre dot when it comes from outside the source.
BASIS_SYMBOL_SUFFIX: dict[str, str] = {"stated": "", "inferred": "-open", "external": "-open-dot"}
BASIS_LABELS: dict[str, str] = {
    "stated": "date stated in the source (solid)",
    "inferred": "date inferred from context (hollow)",
    "external": "date from outside the source (hollow, dot)",
}
SOURCE_KIND_LABELS: dict[str, str] = {
    "seed": "Seed document (verbatim quote)",
    "external": "External source (our summary)",
}


def jurisdiction_color(jurisdiction_id: str, order: list[str] | None = None) -> str:
    """A fixed colour for the three core jurisdictions, stable fallbacks for any other."""
    if jurisdiction_id in JURISDICTION_COLORS:
        return JURISDICTION_COLORS[jurisdiction_id]
    others = sorted(order or [jurisdiction_id])
    index = others.index(jurisdiction_id) if jurisdiction_id in others else 0
    return FALLBACK_COLORS[index % len(FALLBACK_COLORS)]


def affiliation_color(affiliation_type: str | None) -> str:
    return AFFILIATION_COLORS.get(affiliation_type or "", AFFILIATION_COLORS[""])


# ---- layout shared by every chart ---------------------------------------------------------------
# The annotation holding a chart's source line: a page shows the line as text under the chart
# (where it wraps), an exported file keeps it in the figure.
SOURCE_LINE_NAME = "source line"

# Colours live in the figure's template, not in its layout: a page draws charts with Streamlit's
# theme, which rewrites the template's colours for the reader's light or dark mode, while an
# exported file (and a page in light mode) gets exactly these.
LIGHT_TEMPLATE: dict[str, Any] = {
    "layout": {
        "font": {"color": TEXT_COLOR},
        "paper_bgcolor": PAPER_COLOR,
        "plot_bgcolor": PAPER_COLOR,
        "hoverlabel": {"bgcolor": PAPER_COLOR, "font": {"color": TEXT_COLOR}},
        "xaxis": {"gridcolor": GRID_COLOR, "zerolinecolor": GRID_COLOR, "linecolor": MUTED_COLOR},
        "yaxis": {"gridcolor": GRID_COLOR, "zerolinecolor": GRID_COLOR, "linecolor": MUTED_COLOR},
        "legend": {"font": {"color": TEXT_COLOR}},
    }
}


def claimant_type_color(claimant_type: str | None) -> str:
    return CLAIMANT_TYPE_COLORS.get(claimant_type or "", CLAIMANT_TYPE_COLORS[""])


def claimant_type_label(claimant_type: str | None) -> str:
    return CLAIMANT_TYPE_LABELS.get(claimant_type or "", str(claimant_type))


def base_layout_dict(*, title: str, subtitle: str = "", source_line: str = "") -> dict[str, Any]:
    """Title, subtitle and source line inside the figure, so an exported chart stands alone: a
    layout dict, for charts assembled in one piece (one validation
    instead of one per update); ``annotations`` holds the source line, if any.

    The colours are in ``template`` (see ``LIGHT_TEMPLATE``); the subtitle and source line are in
    a grey that reads on a light and on a dark background."""
    title_text = f"<b>{title}</b>"
    if subtitle:
        title_text += f"<br><span style='font-size:13px;color:{MUTED_COLOR}'>{subtitle}</span>"
    notes = []
    if source_line:
        notes.append(
            {
                "name": SOURCE_LINE_NAME,
                "text": source_line,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.0,
                "yshift": -80,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "align": "left",
                "font": {"size": 11, "color": MUTED_COLOR},
            }
        )
    return {
        "template": copy.deepcopy(LIGHT_TEMPLATE),
        "title": {"text": title_text, "x": 0.01, "xanchor": "left", "y": 0.97, "yanchor": "top"},
        "font": {"family": FONT_FAMILY, "size": 13},
        "margin": {"l": 70, "r": 30, "t": 95, "b": 110 if source_line else 60},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "annotations": notes,
    }


# ---- the what-changed window on date axes ------------------------------------------------------
WINDOW_COLOR = "#F0E442"  # Okabe–Ito yellow, faint: behind the marks, never hiding them
WINDOW_OPACITY = 0.22
WINDOW_NAME = "what-changed window"

AxisSpan = tuple[str, str, tuple[Any, Any] | None]  # (x axis, its y axis, the x range shown)


def window_shapes(
    since: Any, until: Any, axes: Sequence[AxisSpan], *, latest: Any = None
) -> list[dict[str, Any]]:
    """Rectangles shading ``since``..``until`` behind the marks of each date axis in ``axes``.

    ``axes``: (x axis id, y axis id, (first, last) date shown or None), e.g. ("x2", "y2",
    (Timestamp, Timestamp)); ``window_axes(layout)`` reads them from a layout dict. Each
    rectangle is clipped to its axis's range (a broken axis gets one per panel it reaches) and
    spans its y axis's height; an open window (``until`` None) runs to the range's end, or on
    an axis with no fixed range to ``latest`` (not shaded without one). The first rectangle says
    what the band is. Dates: anything pandas reads as a timestamp.
    """
    import pandas as pd

    start = pd.Timestamp(since)
    end = pd.Timestamp(until) + pd.Timedelta(hours=23, minutes=59) if until is not None else None
    label = f"since {start.day} {start:%b %Y}"
    shapes: list[dict[str, Any]] = []
    for x_axis, y_axis, shown in axes:
        low, high = (pd.Timestamp(shown[0]), pd.Timestamp(shown[1])) if shown else (None, None)
        right = end if end is not None else high
        if right is None and latest is not None:
            right = pd.Timestamp(latest) + pd.Timedelta(hours=23, minutes=59)
        if right is None:
            continue
        left = max(start, low) if low is not None else start
        right = min(right, high) if high is not None else right
        if left >= right:
            continue
        shape: dict[str, Any] = {
            "type": "rect",
            "xref": x_axis,
            "yref": f"{y_axis} domain",
            "x0": left.isoformat(),
            "x1": right.isoformat(),
            "y0": 0,
            "y1": 1,
            "fillcolor": WINDOW_COLOR,
            "opacity": WINDOW_OPACITY,
            "line": {"width": 0},
            "layer": "below",
            "name": WINDOW_NAME,
        }
        if not shapes:
            shape["label"] = {
                "text": label,
                "textposition": "top left",
                "font": {"size": 11, "color": MUTED_COLOR},
            }
        shapes.append(shape)
    return shapes


def window_axes(layout: Mapping[str, Any]) -> list[AxisSpan]:
    """The date x axes of a layout dict (``fig.layout.to_plotly_json()`` or a builder's own),
    with their y axes and fixed ranges, for ``window_shapes``."""
    out: list[AxisSpan] = []
    for key in sorted(layout, key=lambda k: (len(k), k)):
        if not re.fullmatch(r"xaxis\d*", key):
            continue
        axis = layout[key] or {}
        if axis.get("type") not in (None, "date"):
            continue
        x_id = "x" + key[len("xaxis") :]
        y_id = str(axis.get("anchor") or "y" + key[len("xaxis") :])
        shown = axis.get("range")
        out.append((x_id, y_id, (shown[0], shown[1]) if shown else None))
    return out


def known_as_of_shapes(day: dt.date | None, axes: Sequence[str] = ("x",)) -> list[dict[str, Any]]:
    """A labelled vertical line at the known-as-of date on each of the date axes ``axes``
    ("x", "x2", ...; each spans the height of its own subplot), or nothing without a date.

    A reader of an old briefing's view sees where "what we knew then" ends; records drawn right
    of the line were reported later (the hover says so). Pass only axes whose range holds
    ``day``: a line outside its axis's range is not drawn by Plotly."""
    if day is None:
        return []
    shapes: list[dict[str, Any]] = []
    for number, axis in enumerate(axes):
        x = pd.Timestamp(day).isoformat()
        shapes.append(
            {
                "type": "line",
                "name": "known as of",
                "xref": axis,
                "yref": f"{axis.replace('x', 'y', 1)} domain",
                "x0": x,
                "x1": x,
                "y0": 0,
                "y1": 1,
                "layer": "above",
                "line": {"color": KNOWN_AS_OF_COLOR, "width": 1.5, "dash": "dash"},
                "label": {
                    "text": f"known as of {day:%-d %b %Y}" if number == 0 else "",
                    "textposition": "end",
                    "textangle": 0,
                    "xanchor": "right",
                    "yanchor": "top",
                    "padding": 4,
                    "font": {"size": 11, "color": KNOWN_AS_OF_COLOR},
                },
            }
        )
    return shapes


# ---- the page's version of a figure -------------------------------------------------------------
SCREEN_MARGIN = {"l": 8, "r": 8, "t": 36, "b": 8}  # t: room for Plotly's toolbar over the plot
TITLE_LINE_PX = 18  # a line of a panel title above a grid's top row
PANEL_TITLE_CHARS = 20  # a panel title's line on a page: about 170 px, half a phone's plot
PANEL_TITLE_PX = 14  # a panel title's bold line on a page: 20 characters then fit 170 px
PANEL_TITLE_LINE_PX = 20  # the height a panel title's line takes on a page, at most
SMALL_LINE_EXTRA_CHARS = 8  # a line set in a smaller font holds that many more
# What a page's axes need around the plot, as Chromium draws them at a laptop's width in
# Streamlit's theme (12 px ticks, 13 px titles; 32, 69 and 27 px measured). A figure that asks
# for at least this much is drawn once: Plotly's automargin (kept, for a longer label or a
# phone's slanted ticks) draws again whenever the labels need more than the margin it was given.
X_TICKS_PX = 34  # the bottom axis's dates
X_TITLE_PX = 38  # and its title under them
Y_TITLE_PX = 29  # a y axis title (the numbers sit inside the plot)


def is_panel_title(note: Mapping[str, Any]) -> bool:
    """Whether an annotation is a subplot's title as ``make_subplots`` places it: on the paper,
    resting on the top of its panel."""
    return note.get("yref") == "paper" and note.get("yanchor") == "bottom"


def screen_layout(layout: dict[str, Any]) -> dict[str, Any]:
    """A chart's layout as a page (or a slide, which sets its own title) shows it, from 1366 px
    down to a 390 px phone.

    - Title, subtitle and source line leave the figure: the page sets them as text, which wraps
      (Plotly does not wrap titles, so a phone showed a third of one and clipped the rest).
    - Margins shrink to what the axes need, given up front (``X_TICKS_PX``...) so Plotly draws
      the chart once; automargin still widens them for a longer label. Y tick labels go inside
      the plot, so a phone keeps at least 300 px of its 358 px column for the plot.
    ``layout`` is changed in place and returned.
    """
    layout["title"] = {"text": ""}
    layout["annotations"] = [
        note for note in layout.get("annotations", []) if note.get("name") != SOURCE_LINE_NAME
    ]
    before = layout.get("margin") or {}
    margin = {**SCREEN_MARGIN}
    # a grid's top panel titles sit above the plot, in the top margin: under the toolbar's
    # row, not beneath its buttons
    top_titles = [
        note for note in layout["annotations"] if is_panel_title(note) and note.get("y", 0) >= 1
    ]
    if top_titles:
        lines = max(str(note.get("text", "")).count("<br>") + 1 for note in top_titles)
        margin["t"] += TITLE_LINE_PX * lines
    # the plot keeps the export's size: the height the title, legend and source line took goes
    # (it was a blank band above a map or a grid); the axes' labels then take their room from
    # the plot, as they do in the export
    freed = sum(int(before.get(side, 0)) - margin[side] for side in ("t", "b"))
    if layout.get("height") and freed > 0:
        layout["height"] = int(layout["height"]) - freed
    margin.update(_axis_room(layout, margin))
    layout["margin"] = margin
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            axis.setdefault("automargin", True)
        if key.startswith("yaxis") and isinstance(axis, dict):
            # numbers sit inside the plot, over its left edge, and the axis title close to
            # them: the 70 px a column of "40,000" and a spaced-out title took is plot again;
            # an empty title too, or Streamlit's theme gives it a 32 px standoff, which
            # automargin counts
            axis.setdefault("ticklabelposition", "inside")
            title = axis.get("title")
            if isinstance(title, dict):
                title.setdefault("standoff", 4)
    return layout


def _axis_room(layout: Mapping[str, Any], margin: Mapping[str, int]) -> dict[str, int]:
    """The bottom and left margins the axes' labels take (``X_TICKS_PX``...), where more than
    ``margin``: the chart is then drawn once, not drawn, measured and drawn again."""
    axes = [(key, axis) for key, axis in layout.items() if isinstance(axis, Mapping)]
    shown = [
        (key, axis)
        for key, axis in axes
        if key.startswith(("xaxis", "yaxis")) and axis.get("visible", True)
    ]
    x_axes = [a for k, a in shown if k.startswith("xaxis") and a.get("showticklabels", True)]
    y_titled = [a for k, a in shown if k.startswith("yaxis") and _title_text(a)]
    room = {"b": margin["b"], "l": margin["l"]}
    if x_axes:
        titled = any(_title_text(axis) for axis in x_axes)
        room["b"] = max(room["b"], X_TICKS_PX + (X_TITLE_PX if titled else 0))
    if y_titled:
        room["l"] = max(room["l"], Y_TITLE_PX)
    return room


def _title_text(axis: Mapping[str, Any]) -> str:
    title = axis.get("title")
    return str(title.get("text") or "") if isinstance(title, Mapping) else str(title or "")


_STYLED_LINE = re.compile(r"^((?:<(?:b|i|span[^>]*)>)*)(.*?)((?:</(?:b|i|span)>)*)$")


def wrapped_title(text: str, chars: int = PANEL_TITLE_CHARS) -> str:
    """A panel title with each line longer than ``chars`` visible characters wrapped, each
    piece keeping the line's own markup (bold, a smaller grey span): Plotly does not wrap,
    and two side panels share a 390 px phone's width, where a title ran into its neighbour's.
    A line mixing markup mid-way is left as it is."""
    lines: list[str] = []
    for line in text.split("<br>"):
        match = _STYLED_LINE.match(line)
        inner = match.group(2) if match else line
        visible = html.unescape(inner)
        limit = chars + (SMALL_LINE_EXTRA_CHARS if match and "font-size" in match.group(1) else 0)
        if not match or "<" in inner or len(visible) <= limit:
            lines.append(line)
            continue
        opening, closing = match.group(1), match.group(3)
        lines += [
            f"{opening}{html.escape(piece, quote=False)}{closing}"
            for piece in textwrap.wrap(visible, limit)
        ]
    return "<br>".join(lines)


def screen_figure(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` laid out for a page (``screen_layout``), its panel titles wrapped for a
    phone (``wrapped_title``), without Plotly's legend: the page sets the chart's key as text
    (``charts/key.py``). Swatch-only traces after the last trace that draws are dropped (each
    costs the browser about a millisecond per draw, and the page draws a chart twice); one
    before it is hidden instead, so every clicked mark keeps its trace number (the URL stores
    it). ``fig`` is left as it is, for the exports."""
    import plotly.graph_objects as go

    from dashboard.charts.key import is_swatch

    figure = fig.to_dict()
    layout = figure.get("layout", {})
    for note in layout.get("annotations", []):
        if is_panel_title(note) and note.get("text"):
            note["text"] = wrapped_title(str(note["text"]))  # before the margin counts lines
            font = note.setdefault("font", {})
            font["size"] = min(font.get("size", PANEL_TITLE_PX), PANEL_TITLE_PX)
    layout = screen_layout(layout)
    layout["showlegend"] = False
    swatch = [is_swatch(trace) for trace in figure["data"]]
    drawn = len(swatch) - swatch[::-1].index(False) if False in swatch else 0
    data = [
        {**trace, "visible": False} if is_swatch else trace
        for trace, is_swatch in zip(figure["data"][:drawn], swatch, strict=False)
    ]
    return go.Figure(data=data, layout=layout, _validate=False)


def boxed_figure(fig: go.Figure) -> tuple[go.Figure, tuple[int, int]]:
    """A copy of a page figure that takes its height from the box the page draws it in (a map
    whose projection keeps its shape: the page sizes the box to the column's width), and the
    pixels its margins take across and down, which the box allows for around the plot."""
    import plotly.graph_objects as go

    figure = fig.to_dict()
    layout = figure.get("layout", {})
    layout.pop("height", None)
    layout["autosize"] = True
    margin = {side: int(value) for side, value in (layout.get("margin") or {}).items()}
    across = margin.get("l", 0) + margin.get("r", 0)
    down = margin.get("t", 0) + margin.get("b", 0)
    return go.Figure(data=figure["data"], layout=layout, _validate=False), (across, down)


# Charts are built once and shared by every reader's session (Streamlit's cache), which run in
# threads: Plotly's object API (fig.layout.annotations, fig.data[i].x) makes child objects on
# first access and is not safe to use from two threads at once (it raised "Invalid value" under
# load). The readers below read the figure as plain dicts (to_dict copies them) instead.
def source_line_text(fig: go.Figure) -> str:
    """The chart's source line as plain text (the page sets it under the chart)."""
    import html

    for note in fig.to_dict().get("layout", {}).get("annotations", ()):
        text = note.get("text")
        if note.get("name") == SOURCE_LINE_NAME and text:
            return html.unescape(re.sub(r"<br\s*/?>", " ", text))
    return ""


def points_of(fig: go.Figure, tokens: Sequence[str]) -> list[dict[str, Any]]:
    """Points of ``fig`` named ``curve.point`` (as a URL keeps a click), shaped as Streamlit
    reports a clicked point (curve_number, point_index, x, y, customdata, location); tokens
    naming no point are left out."""
    points: list[dict[str, Any]] = []
    data = fig.to_dict()["data"] if tokens else []
    for token in tokens:
        curve, _, index = token.partition(".")
        try:
            trace = data[int(curve)]
            number = int(index)
        except (ValueError, IndexError):
            continue
        point: dict[str, Any] = {"curve_number": int(curve), "point_index": number}
        for name, field in (
            ("x", "x"),
            ("y", "y"),
            ("customdata", "customdata"),
            ("location", "locations"),
        ):
            values = trace.get(field)
            if values is not None and number < len(values):
                value = values[number]
                point[name] = value.tolist() if hasattr(value, "tolist") else value
        if len(point) > 2:
            points.append(point)
    return points
