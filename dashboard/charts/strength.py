"""Militant-strength claims over time, by claimant: how big are these groups, and says who?

One chart per group. x is the date a claim was made (a year or month known only as such spans
it); y is the number as stated, never averaged: a point for a figure, a bar for a range, a
paler bar for a word band ("hundreds"), a dashed open arrow for "more than" (up) and "up to"
(down). Colour says who is speaking (UN, Russian state, CSTO/CIS, US, experts...). A figure
said again is drawn hollow and joined to its first statement by a dotted line: an echo, not a
second source.

Claims are compared only under the rule in dashboard/view/claims.py, and the chart keeps to it:
the first, large panel holds the group's main comparable set (fighters over the area most
claims cover); a figure that counts something else (with family members, a forecast, a share)
or covers another area (a border strip, a wider region) gets its own smaller panel, titled
with what makes it different, never the main panel's scale.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from typing import Any

import numpy as np
import pandas as pd

from dashboard.charts.figure import Trace, assemble, axis_key, grid_layout, panel_axes
from dashboard.charts.spec import ChartSpec, source_line
from dashboard.charts.theme import (
    CLAIMANT_TYPE_LABELS,
    GRID_COLOR,
    MUTED_COLOR,
    PANEL_TITLE_LINE_PX,
    base_layout_dict,
    claimant_type_color,
    wrapped_title,
)
from dashboard.ingest.frames import plotly_array
from dashboard.ingest.vocab import CLAIMANT_TYPES
from dashboard.view import claims as rule
from dashboard.view import filters
from dashboard.view.filters import FilterState
from dashboard.view.view import view_of

OPEN_STRETCH = 1.5  # how far an open-ended arrow reaches beyond its bound (a factor)
# A chart of more claims than these would bury its marks under labels, and send megabytes of
# quotes to the browser: past LABEL_LIMIT claims the marks go unlabelled (the hover names each),
# past QUOTE_LIMIT the hover leaves the quote to the records table under the chart.
LABEL_LIMIT = 60
QUOTE_LIMIT = 400
MAIN_PANEL_PX = 480
SIDE_PANEL_PX = 210
PANEL_GAP_PX = 120  # room for a side panel's wrapped title and the axis ticks above it


def _esc(text: object) -> str:
    return html.escape(
        "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    )


def _wrap(text: object, width: int = 80) -> str:
    return "<br>".join(_esc(line) for line in textwrap.wrap(str(text or ""), width)) or ""


def _each(values: pd.Series, make: Any) -> pd.Series:
    """``make`` applied once per distinct value: at scale most claims repeat a few texts."""
    made: dict[Any, str] = {}
    texts = [made[v] if v in made else made.setdefault(v, make(v)) for v in values.tolist()]
    return pd.Series(texts, index=values.index, dtype=object)


HOVER_COLUMNS = (
    "claimant_name",
    "claimant_type_label",
    "subject_name",
    "measure_label",
    "metric",
    "value_text",
    "when",
    "as_of_basis",
    "area_label",
    "first_stated",
    "restated_by",
    "reported_by_all",
)


def _hovers(rows: pd.DataFrame, *, quotes: bool = True) -> pd.Series:
    """Each claim's hover text: each distinct value escaped once (``_each``), then one f-string
    per claim over plain lists (pandas string arithmetic cost more on small frames).

    Without ``quotes`` (a chart of very many claims) the hover says where the quote is instead.
    """
    esc = {column: _each(rows[column].astype(str), _esc).tolist() for column in HOVER_COLUMNS}
    seed = rows["source_kind"].eq("seed").tolist()
    again = rows["is_repeat"].tolist()
    if quotes:
        evidence = _each(rows["quote_or_summary"], _wrap).tolist()
    else:
        evidence = [": in the records table under the chart"] * len(rows)
    texts = [
        f"<b>{claimant}</b> ({kind})<br>{subject}, {measure}: <b>{value}</b> (“{word}”)<br>"
        f"Said {when} ({basis} date); covers {area}<br>"
        + (f"Said again: first stated by {first}<br>" if is_again
           else f"First statement{'; said again by ' + later if later else ''}<br>")
        + f"As reported by {source}<br>"
        f"{'Quote' if is_seed else 'Our summary (external source)'}"
        f"{': ' + text if quotes else text}"
        for claimant, kind, subject, measure, word, value, when, basis, area, first, later,
        source, is_seed, is_again, text in zip(
            *(esc[c] for c in HOVER_COLUMNS), seed, again, evidence, strict=True
        )
    ]  # fmt: skip
    return pd.Series(texts, index=rows.index, dtype=object)


def claim_geometry(
    rows: pd.DataFrame, top: float | np.ndarray, bottom: float | np.ndarray
) -> pd.DataFrame:
    """Where each claim is drawn, as stated: ``y0``-``y1`` its extent (a range or band as a bar,
    an open bound as an arrow shaft from the stated number), ``marker_y`` the stated number,
    ``symbol`` its shape, ``style`` how its extent is drawn ("range", "band", "open" or ""),
    ``mid``/``start``/``end`` its as-of date and the span it covers. ``top`` and ``bottom`` (the
    axis ends open arrows stop at) may differ per row (per panel)."""
    start = pd.to_datetime(rows["as_of_start"])
    end = pd.to_datetime(rows["as_of_end"])
    # numpy, not pandas: a dozen operations on a small frame cost more in pandas' bookkeeping
    low = rows["value_low"].to_numpy(dtype=float)
    high = rows["value_high"].to_numpy(dtype=float)
    qualifier = rows["qualifier"].to_numpy(dtype=object)
    more, up_to = qualifier == "more_than", qualifier == "up_to"
    ranged = ~more & ~up_to & (low != high) & ~np.isnan(low) & ~np.isnan(high)
    band = ranged & (qualifier == "order_of_magnitude")
    tops = np.broadcast_to(np.asarray(top, dtype=float), low.shape)
    bottoms = np.broadcast_to(np.asarray(bottom, dtype=float), low.shape)
    y0 = np.where(up_to, high, low)
    y1 = y0.copy()
    y1[more] = np.minimum(low[more] * OPEN_STRETCH, tops[more])
    y1[up_to] = np.maximum(high[up_to] / OPEN_STRETCH, bottoms[up_to])
    y1[ranged] = high[ranged]
    symbol = np.full(len(rows), "circle", dtype=object)
    symbol[more], symbol[up_to], symbol[ranged] = "triangle-up", "triangle-down", "line-ew"
    style = np.full(len(rows), "", dtype=object)
    style[more | up_to], style[ranged], style[band] = "open", "range", "band"
    open_bound = more | up_to
    return pd.DataFrame(
        {
            "start": start,
            "end": end,
            "mid": start + (end - start) / 2,
            "y0": y0,
            "y1": y1,
            "marker_y": np.where((y0 == y1) | open_bound, y0, (y0 + y1) / 2),
            "symbol": symbol,
            "style": style,
        },
        index=rows.index,
    )


def _pairs(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Pairs as one line trace's points: a, b, gap, a, b, gap... (one trace, many segments)."""
    points = np.full(3 * len(first), np.nan if first.dtype == float else None, dtype=first.dtype)
    points[0::3], points[1::3] = first, second
    return points


# ---- panels --------------------------------------------------------------------------------------
def panel_sets(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """The (measure, area_key) panels of one group's chart: the main comparable set first
    (``claims.main_set``), then the same measure over other areas, then other measures, each
    by how many figures it holds."""
    main = rule.main_set(frame)
    if main is None:
        return []
    counts = rule.set_sizes(frame)
    others = [key for key in counts if key != main]
    others.sort(key=lambda key: (key[0] != main[0], -counts[key], key))
    return [main, *others]


def difference(panel: tuple[str, str], main: tuple[str, str], places: pd.DataFrame) -> str:
    """Why a side panel is not on the main panel's scale, in a few words."""
    if panel[0] != main[0]:
        return "counts something else, not comparable"
    relation = rule.area_relation(panel[1], main[1], places)
    return {
        "wider": "a wider area, not comparable",
        "part": "part of the main area, not comparable",
    }.get(relation, "another area, not comparable")


def _panel_title(measure: str, area: str, note: str, width: int = 120) -> str:
    """A panel's title: what it counts, and on a second, smaller line the area (and for a side
    panel what sets it apart, shortened to ``width`` characters: the hover gives the area in
    full). A page wraps the lines further for a phone (``theme.screen_layout``)."""
    measure = _esc(measure[:1].upper() + measure[1:])
    if not note:
        return f"<b>{measure}</b><br><span style='font-size:12px'>{_esc(area)}</span>"
    room = max(width - len(note) - 3, 12)
    area = textwrap.shorten(area, room, placeholder="…") if len(area) > room else area
    style = f"font-size:11px;color:{MUTED_COLOR}"
    return f"<b>{measure}</b><br><span style='{style}'>{_esc(area)} · {_esc(note)}</span>"


class _Claims:
    """One chart's claims as plain arrays, read once (``claim_geometry`` included), which each
    panel and claimant type index by position: pandas' per-selection overhead, not the drawing,
    was most of a small chart's cost."""

    def __init__(self, frame: pd.DataFrame, geometry: pd.DataFrame, *, labelled: bool) -> None:
        self.kinds = frame["claimant_type"].to_numpy(dtype=object)
        self.ids = frame["estimate_id"].to_numpy(dtype=object)
        self.reports = self.ids  # every record a mark stands for, space-separated
        self.qualifiers = frame["qualifier"].to_numpy(dtype=object)
        self.again = frame["is_repeat"].to_numpy(dtype=bool)
        self.lineage = frame["lineage_id"].to_numpy(dtype=object)
        self.hover = plotly_array(_hovers(frame, quotes=len(frame) <= QUOTE_LIMIT))
        self.mid, self.start, self.end = (
            plotly_array(geometry[c]) for c in ("mid", "start", "end")
        )
        self.y0, self.y1, self.marker_y = (
            geometry[c].to_numpy(dtype=float) for c in ("y0", "y1", "marker_y")
        )
        shape = geometry["symbol"].to_numpy(dtype=object)
        self.symbols = np.where(self.again, shape + "-open", shape)
        self.styles = geometry["style"].to_numpy(dtype=object)
        self.spanned = geometry["start"].ne(geometry["end"]).to_numpy()
        self.labelled = labelled
        self.labels = None
        self.label_lengths = np.zeros(len(frame))
        if labelled:
            said = frame["claimant_short"].astype(str) + ": " + frame["value_text"].astype(str)
            said = said.where(~frame["is_repeat"], said + " (again)")
            self.labels = plotly_array(_each(said, _esc))
            self.label_lengths = said.str.len().to_numpy()
        self.positions = np.full(len(frame), "top right", dtype=object)


LABEL_CHAR_PX = 5.9  # width of a character of a 10 px label
LABEL_LINE_PX = 15
MARKER_HALF_PX = 8
# a panel's plot area in pixels, in a 1280 px export (a browser column is about as wide)
PLOT_PX = {"main": (880, 400), "side": (400, 170)}
LEGEND_PX = 60  # the legend's rows between the title and the first panel
TITLE_CHARS = 90  # a title wraps at this many characters (a page column is about 950 px)


Box = tuple[float, float, float, float]  # x0, x1, y0, y1 in panel fractions


def place_labels(
    x: np.ndarray, y: np.ndarray, lengths: np.ndarray, size: tuple[int, int]
) -> np.ndarray:
    """A text position per mark ("top right", "middle left"...): left to right, the first that
    overlaps no label placed before it and no other mark, inside the panel; when none is free
    (a crowded stretch), the one overlapping least. ``x`` and ``y`` are positions in the panel
    (0-1), ``size`` its plot area in pixels."""
    width, height = size
    mx, my = MARKER_HALF_PX / width, MARKER_HALF_PX / height
    marks = [(xi - mx, xi + mx, yi - my, yi + my) for xi, yi in zip(x, y, strict=True)]
    placed: list[Box] = []
    positions = np.full(len(x), "top right", dtype=object)

    def overlap(box: Box, own: int) -> float:
        """Area shared with the others; outside the panel counts as fully covered."""
        if box[0] < 0 or box[1] > 1 or box[2] < 0 or box[3] > 1:
            return math.inf
        others = placed + [m for j, m in enumerate(marks) if j != own]
        return sum(
            max(0.0, min(box[1], o[1]) - max(box[0], o[0]))
            * max(0.0, min(box[3], o[3]) - max(box[2], o[2]))
            for o in others
        )

    for i in np.argsort(x, kind="stable"):
        w, h = lengths[i] * LABEL_CHAR_PX / width, LABEL_LINE_PX / height
        xi, yi = x[i], y[i]
        options: dict[str, Box] = {
            "top right": (xi, xi + w, yi + my * 0.3, yi + my * 0.3 + h),
            "middle right": (xi + mx, xi + mx + w, yi - h / 2, yi + h / 2),
            "bottom right": (xi, xi + w, yi - my * 0.3 - h, yi - my * 0.3),
            "top left": (xi - w, xi, yi + my * 0.3, yi + my * 0.3 + h),
            "middle left": (xi - mx - w, xi - mx, yi - h / 2, yi + h / 2),
            "bottom left": (xi - w, xi, yi - my * 0.3 - h, yi - my * 0.3),
        }
        costs = {name: overlap(box, i) for name, box in options.items()}
        chosen = min(costs, key=lambda name: costs[name])  # the first of equal costs
        if math.isinf(costs[chosen]):  # no room inside: towards the middle of the panel
            chosen = "top left" if xi > 0.5 else "top right"
        positions[i] = chosen
        placed.append(options[chosen])
    return positions


EXTENT_LOOK = {  # how a claim's extent is drawn: a range bar, a paler band, a dashed arrow
    "range": ({"width": 9}, 0.8),
    "band": ({"width": 14}, 0.3),
    "open": ({"width": 2, "dash": "dash"}, 1.0),
}


def _claim_traces(claims: _Claims, rows: np.ndarray, panel: int) -> list[Trace]:
    """The claims at positions ``rows`` in one panel, drawn as stated: a few traces per
    claimant type, not per claim (a trace each made a chart of thousands of claims take a
    minute to build)."""
    c = claims
    axes = panel_axes(panel)
    traces: list[Trace] = []
    for kind in dict.fromkeys(c.kinds[rows].tolist()):
        mine = rows[c.kinds[rows] == kind]
        colour = claimant_type_color(kind)
        common = {"legendgroup": kind, "hoverinfo": "text", "showlegend": False, **axes}

        def segments(chosen: np.ndarray, ends: tuple, *, role: str, line: dict, opacity: float,
                     common: dict = common, colour: str = colour) -> None:  # fmt: skip
            """One line trace, a segment per claim in ``chosen``, from (x0, y0) to (x1, y1);
            crowded, the segments leave the hover to the claim's mark."""
            if not len(chosen):
                return
            x0, from_y, x1, to_y = (values[chosen] for values in ends)
            traces.append(
                {
                    "type": "scatter",
                    "x": _pairs(x0, x1),
                    "y": _pairs(from_y, to_y),
                    "mode": "lines",
                    "line": {"color": colour, **line},
                    "opacity": opacity,
                    "hovertext": _pairs(c.hover[chosen], c.hover[chosen]) if c.labelled else None,
                    "meta": {"role": role, "estimate_ids": list(c.ids[chosen])},
                    **(common if c.labelled else {**common, "hoverinfo": "skip"}),
                }
            )

        for style, (line, opacity) in EXTENT_LOOK.items():
            for said_again in (False, True):  # a figure said again: paler
                chosen = mine[(c.styles[mine] == style) & (c.again[mine] == said_again)]
                segments(chosen, (c.mid, c.y0, c.mid, c.y1), role="claim-extent", line=line,
                         opacity=opacity * (0.45 if said_again else 1))  # fmt: skip
        segments(  # an as-of date known to the year or month spans it
            mine[c.spanned[mine]],
            (c.start, c.y0, c.end, c.y0),
            role="date-span",
            line={"width": 2},
            opacity=0.45,
        )
        # one marker trace per claimant type, the shape per mark (the figure skips Plotly's
        # per-point checks, which made a per-point list slow at scale)
        ranged = np.char.startswith(c.symbols[mine].astype(str), "line-ew")
        traces.append(
            {
                "type": "scatter",
                "x": c.mid[mine],
                "y": c.marker_y[mine],
                "mode": "markers+text" if c.labelled else "markers",
                "marker": {
                    "symbol": c.symbols[mine],
                    "size": np.where(ranged, 16.0, 13.0),
                    "opacity": 1,  # (a size per mark makes Plotly default to 0.7)
                    "color": colour,
                    "line": {"color": colour, "width": 2},
                },
                # the label sits beside the mark, never struck through by the span line
                "text": c.labels[mine] if c.labels is not None else None,
                "textposition": c.positions[mine] if c.labelled else None,
                "textfont": {"size": 10, "color": colour},
                "name": CLAIMANT_TYPE_LABELS.get(kind, kind),
                "hovertext": c.hover[mine],
                "meta": {
                    "role": "claim",
                    "estimate_ids": list(c.ids[mine]),
                    "report_ids": list(c.reports[mine]),
                    "qualifiers": list(c.qualifiers[mine]),
                },
                **common,
            }
        )
    return traces


def _restatement_links(claims: _Claims, rows: np.ndarray, panel: int) -> list[Trace]:
    """A dotted line from each first statement to each time it was said again (in view)."""
    c = claims
    again = rows[c.again[rows]]
    position = {eid: i for i, eid in enumerate(c.ids.tolist())}
    pairs = [(position[c.lineage[i]], i) for i in again if c.lineage[i] in position]
    if not pairs:
        return []
    first, later = (np.array(side) for side in zip(*pairs, strict=True))
    traces = []
    for kind in dict.fromkeys(c.kinds[later].tolist()):
        mine = c.kinds[later] == kind
        traces.append(
            {
                "type": "scatter",
                "x": _pairs(c.mid[first[mine]], c.mid[later[mine]]),
                "y": _pairs(c.marker_y[first[mine]], c.marker_y[later[mine]]),
                "mode": "lines",
                "line": {"color": claimant_type_color(kind), "width": 1.5, "dash": "dot"},
                "hoverinfo": "skip",
                "showlegend": False,
                "meta": {"role": "restatement-link", "estimate_ids": list(c.ids[later[mine]])},
                **panel_axes(panel),
            }
        )
    return traces


def _kinds_in_order(kinds: pd.Series) -> list[str]:
    """Claimant types present, in the vocabulary's order (UN first), so every chart's legend
    reads alike."""
    present = set(kinds.tolist())
    order = [k for k in CLAIMANT_TYPES if k in present]
    return order + sorted(present - set(order))


def _legend(frame: pd.DataFrame) -> list[Trace]:
    """Colours by claimant type; mark shapes by how the number is stated and whether it is new."""
    traces: list[Trace] = []
    for kind in _kinds_in_order(frame["claimant_type"]):
        traces.append(
            {
                "type": "scatter", "x": [None], "y": [None], "mode": "markers",
                "name": CLAIMANT_TYPE_LABELS.get(kind, kind), "legendgroup": kind,
                # each colour is its own group: a click on it hides that claimant type's marks
                "marker": {"symbol": "circle", "size": 11, "color": claimant_type_color(kind)},
            }
        )  # fmt: skip
    for name, symbol, line in (
        ("shapes: a figure", "circle", None),
        ("more than (dashed arrow up)", "triangle-up", None),
        ("up to (dashed arrow down)", "triangle-down", None),
        ("a range (bar)", "line-ns", None),
        ("a word such as 'hundreds' (pale bar)", "line-ns", 0.35),
        ("said again (hollow, dotted to its first statement)", "circle-open", None),
    ):
        traces.append(
            {
                "type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": name,
                "legendgroup": f"how: {name}",
                "opacity": line, "marker": {
                    "symbol": symbol, "size": 11, "color": MUTED_COLOR,
                    "line": {"color": MUTED_COLOR, "width": 3 if symbol == "line-ns" else 2},
                },
            }
        )  # fmt: skip
    return traces


def _grid(panels: int, *, main: bool = True) -> tuple[int, int, dict[str, Any]]:
    """Rows, columns and make_subplots options: the main panel across the top, the others two
    to a row below it; subplots are numbered in ``panels`` order (``panel_sets``). Without
    ``main`` (the side panels on their own) every panel is a side panel."""
    if not main:
        cols = min(panels, 2)
        side_rows = math.ceil(panels / cols)
        grid = [[{} if row * cols + col < panels else None for col in range(cols)]
                for row in range(side_rows)]  # fmt: skip
        return side_rows, cols, {"specs": grid, "row_heights": [SIDE_PANEL_PX + 40] * side_rows}
    if panels <= 2:
        heights = [MAIN_PANEL_PX] + [SIDE_PANEL_PX + 60] * (panels - 1)
        return panels, 1, {"row_heights": heights}
    sides = panels - 1
    cols = 2  # a page column is about 950 px: three side panels would not fit beside another
    side_rows = math.ceil(sides / cols)
    specs: list[list[dict | None]] = [[{"colspan": cols}] + [None] * (cols - 1)]
    for row in range(side_rows):
        left = sides - row * cols
        specs.append([{} if col < left else None for col in range(cols)])
    heights = [MAIN_PANEL_PX] + [SIDE_PANEL_PX] * side_rows
    return 1 + side_rows, cols, {"specs": specs, "row_heights": heights}


def part_of(
    frame: pd.DataFrame, part: str
) -> tuple[pd.DataFrame, list[tuple[str, str]], list[tuple[str, str]]]:
    """The claims of one group that ``part`` (``PARTS``) draws, its panels, and all the
    group's panels (the first is the main set, which side panels are told apart from)."""
    every = panel_sets(frame)
    sets = {"all": every, "comparable": every[:1], "others": every[1:]}[part]
    if part != "all":
        frame = frame.loc[pd.MultiIndex.from_frame(frame[["measure", "area_key"]]).isin(sets)]
    return frame, sets, every


def claims_figure(
    frame: pd.DataFrame,
    places: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source_text: str,
    log_y: bool,
    part: str = "all",
) -> Any:
    """One group's claims over time: the main comparable set large, what counts something
    else in side panels, every claim drawn as stated. ``part`` (``PARTS``) draws all the
    panels, the main one alone, or the side panels alone."""
    frame, sets, every = part_of(frame, part)
    with_main = part != "others"
    # one mark per statement: outlets reporting the same words of the same day share it
    keys = frame[["statement_id", "estimate_id", "is_restatement", "as_reported_by"]]
    outlets = rule.all_reports(keys)
    reports = keys.groupby("statement_id", sort=False)["estimate_id"].agg(" ".join)
    first = keys.sort_values("is_restatement", kind="stable").drop_duplicates("statement_id")
    kept = frame.index.isin(first.index)
    frame = frame.loc[kept].assign(reported_by_all=outlets[kept].to_numpy())
    measures = frame["measure"].to_numpy(dtype=object)
    areas = frame["area_key"].to_numpy(dtype=object)
    low = frame["stated_low"].to_numpy(dtype=float)
    high = frame["value_high"].to_numpy(dtype=float)
    tops, bottoms = np.ones(len(frame)), np.ones(len(frame))
    positions, titles = [], []
    area_labels = dict(zip(frame["area_key"].tolist(), frame["area_label"].tolist(), strict=True))
    for number, (measure, area) in enumerate(sets):
        rows = np.flatnonzero((measures == measure) & (areas == area))
        values = np.concatenate([low[rows], high[rows]])
        values = values[np.isfinite(values)]
        top = float(values.max()) * (OPEN_STRETCH + 0.2) if len(values) else 1.0
        bottom = float(values[values > 0].min()) / 3 if (values > 0).any() else 1.0
        tops[rows], bottoms[rows] = top, bottom
        positions.append((rows, top, bottom))
        is_main = with_main and number == 0
        note = "" if is_main else difference((measure, area), every[0], places)
        label = rule.measure_label(measure)
        width = 120 if is_main else 72
        titles.append(_panel_title(label, area_labels[area], note, width))
    n_rows, n_cols, options = _grid(len(sets), main=with_main)
    numbers = list(range(1, len(sets) + 1))
    gap_px = PANEL_GAP_PX
    if not with_main:  # only a page draws the side panels alone: room for its wrapped titles
        lines = max(wrapped_title(t).count("<br>") + 1 for t in titles)
        gap_px = max(PANEL_GAP_PX, 40 + PANEL_TITLE_LINE_PX * lines)
    gap = gap_px / (sum(options["row_heights"]) + gap_px * (n_rows - 1))
    layout = grid_layout(
        n_rows, n_cols, subplot_titles=titles, vertical_spacing=gap,
        horizontal_spacing=0.07 if n_cols == 3 else 0.08, **options,
    )  # fmt: skip
    geometry = claim_geometry(frame, tops, bottoms)
    claims = _Claims(frame, geometry, labelled=len(frame) <= LABEL_LIMIT)
    claims.reports = frame["statement_id"].map(reports).to_numpy(dtype=object)
    data: list[Trace] = []
    first = pd.to_datetime(frame["as_of_start"]).min() - pd.DateOffset(months=4)
    last = pd.to_datetime(frame["as_of_end"]).max() + pd.DateOffset(months=10)
    x_range = [first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d")]
    for number, (rows, top, bottom), (measure, _) in zip(numbers, positions, sets, strict=True):
        if claims.labelled:
            x = (geometry["mid"].to_numpy()[rows] - first.to_datetime64()) / (
                last.to_datetime64() - first.to_datetime64()
            )
            y = claims.marker_y[rows]
            y = (
                (np.log10(np.maximum(y, bottom)) - math.log10(bottom))
                / (math.log10(top) - math.log10(bottom))
                if log_y
                else y / (top * 1.05)
            )
            size = PLOT_PX["main" if with_main and number == 1 else "side"]
            claims.positions[rows] = place_labels(
                x.astype(float), y, claims.label_lengths[rows], size
            )
        data += _claim_traces(claims, rows, number)
        data += _restatement_links(claims, rows, number)
        percent = measure.endswith("_pct")
        y_axis: dict[str, Any] = {
            # a side panel's title says what it counts; its width goes to the plot
            "title": {
                "text": "Percent"
                if percent
                else "Number as stated"
                if with_main and number == 1
                else ""
            },
            "gridcolor": GRID_COLOR,
            "zeroline": False,
        }
        if log_y and not percent:
            y_axis.update(type="log", range=[math.log10(bottom), math.log10(top)])
        else:
            y_axis.update(range=[0, top * 1.05], tickformat=",~r", rangemode="tozero")
        layout.setdefault(axis_key("y", number), {}).update(y_axis)
        x_axis = {"gridcolor": GRID_COLOR, "range": x_range, "type": "date"}
        if number > 1:
            x_axis["matches"] = "x"
        layout.setdefault(axis_key("x", number), {}).update(x_axis)
    data += _legend(frame)
    title_lines = title.count("<br>") + (1 if subtitle else 0)
    if with_main:
        panels_px = MAIN_PANEL_PX + (n_rows - 1) * (SIDE_PANEL_PX + PANEL_GAP_PX + 10)
    else:
        panels_px = sum(options["row_heights"]) + (n_rows - 1) * (gap_px + 10)
    height = max(560 if with_main else 380, 130 + LEGEND_PX + panels_px + 150)
    # the theme puts the title 3% of the height down; the legend goes under its lines
    legend_top = 0.03 * height + 28 + 20 * title_lines
    themed = base_layout_dict(title=title, subtitle=subtitle, source_line=source_text)
    notes = themed.pop("annotations")
    layout.update(themed)
    layout["annotations"] = list(layout.get("annotations", [])) + notes
    layout["height"] = height
    # the legend in rows under the title, so the panels take the page column's whole width
    layout["legend"] = {
        "font": {"size": 12}, "orientation": "h", "x": 0, "xanchor": "left",
        "yref": "container", "y": 1 - legend_top / height, "yanchor": "top",
        "tracegroupgap": 4,
    }  # fmt: skip
    layout["margin"].update(r=30, t=round(legend_top + LEGEND_PX + 40))
    return assemble(data, layout)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "group"


def _crowded_note(claims: int) -> str:
    """What a chart of very many claims leaves out of the drawing, and where it is instead."""
    if claims <= LABEL_LIMIT:
        return ""
    note = f" With {claims:,} claims in view the marks are not labelled: hover one to name it"
    if claims > QUOTE_LIMIT:
        note += ", and each claim's quote or summary is in the records table, not the hover"
    return note + ". Narrow the filters to label the marks again."


CAPTION = (
    "One mark per claim at the date it was made, coloured by who made it and labelled with "
    "the claimant. A bar is a range, a pale bar a word such as 'hundreds'; a dashed arrow up is "
    "'more than', down is 'up to'. A hollow mark is a figure said again, joined by a dotted "
    "line to its first statement: an echo, not a second source. {panels} "
    "A faint horizontal line spans a date known only to the year or month."
)
# What a chart's panels hold, by the part of a group's chart drawn (``PARTS``).
PANELS = {
    "all": "The first panel holds the claims that can be compared; the smaller panels count "
    "something else or another area.",
    "comparable": "The chart holds the claims that can be compared; what counts something "
    "else or another area is drawn apart.",
    "others": "Each panel counts something else or another area than the claims that can be "
    "compared, so none is read on another's scale.",
}
PARTS = tuple(PANELS)


def group_order(frame: pd.DataFrame) -> list[str]:
    """Groups by how many claims they hold, the all-groups counts last."""
    frame = frame[["subject_id", "subject_name", "estimate_id"]]
    counts = frame.groupby("subject_id")["estimate_id"].count()
    overall = frame.drop_duplicates("subject_id").set_index("subject_id")["subject_name"]
    together = overall.str.startswith("All groups")
    return sorted(counts.index, key=lambda s: (bool(together[s]), -counts[s], overall[s]))


def caption_for(row: dict | None, frame: pd.DataFrame, subject_id: str, part: str = "all") -> str:
    """The chart's caption: the comparison in words and what it compared (or why there is
    none), then how to read the chart."""
    how = CAPTION.format(panels=PANELS[part])
    if row is None:
        return f"{rule.why_not_compared(frame, subject_id)}. {how}"
    return f"{_capitalised(row['sentence'])}. {row['compared']} {how}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def build_strength_charts(ds: Any, state: FilterState, *, log_y: bool = False) -> list[ChartSpec]:
    """One chart per group (ISIS-K, TTP, al-Qaeda, ... and all groups together), for exports
    and the briefing pack; none when the filters leave no claim."""
    frame = rule.claims_in_view(view_of(ds, state))
    return [
        spec
        for subject_id in group_order(frame)
        for spec in build_strength_chart(ds, state, subject_id=subject_id, log_y=log_y)
    ]


def strength_groups(ds: Any, state: FilterState) -> list[tuple[str, str]]:
    """(subject id, name) of each group with claims in view, in the charts' order."""
    frame = rule.claims_in_view(view_of(ds, state))
    names = dict(zip(frame["subject_id"].tolist(), frame["subject_name"].tolist(), strict=True))
    return [(subject_id, names[subject_id]) for subject_id in group_order(frame)]


def _group_rows(ds: Any, state: FilterState, subject_id: str) -> pd.DataFrame:
    frame = rule.claims_in_view(view_of(ds, state))
    return frame[frame["subject_id"] == subject_id]


def side_panels(ds: Any, state: FilterState, *, subject_id: str) -> int:
    """How many side panels a group's chart has (what counts something else or another area):
    the page names the number before the reader asks for them."""
    return max(len(panel_sets(_group_rows(ds, state, subject_id))) - 1, 0)


# A chart's id and title by the part of a group's chart drawn: the page draws the comparable
# panel and, when the reader asks, the side panels; exports and the briefing pack draw all.
_PART_ID = {"all": "", "comparable": "-comparable", "others": "-other-panels"}


def build_strength_chart(
    ds: Any, state: FilterState, *, subject_id: str, log_y: bool = False, part: str = "all"
) -> list[ChartSpec]:
    """One group's chart (the page draws the group the reader picks; building all seven for
    every first view cost five times a plain page), or ``part`` of it (``PARTS``); none when
    the group (or the part) has no claim in view."""
    view = view_of(ds, state)
    frame = rule.claims_in_view(view)
    group = _group_rows(ds, state, subject_id)
    rows, _, _ = part_of(group, part)
    if rows.empty:
        return []
    comparisons = rule.comparisons_in_view(view)
    subtitle = _esc(state.describe(filters.filter_options(ds).labels()))
    subject = str(rows["subject_name"].iloc[0])
    source_ids = tuple(dict.fromkeys(rows["source_id"].astype(str)))
    top = rule.headline(frame, comparisons, subject_id)
    title = rule.group_title(subject, top)
    if part == "others":
        title = f"{subject}: what counts something else or covers another area"
    fig = claims_figure(
        group,
        ds.places,
        title="<br>".join(_esc(line) for line in textwrap.wrap(title, TITLE_CHARS)),
        subtitle=subtitle + (" · log scale" if log_y else ""),
        source_text=_wrap(source_line(ds, source_ids), 130),
        log_y=log_y,
        part=part,
    )
    return [
        ChartSpec(
            chart_id=f"strength-{_slug(subject)}{_PART_ID[part]}",
            title=title,
            caption=caption_for(top, frame, subject_id, part)
            + _crowded_note(rows["statement_id"].nunique()),
            figure=fig,
            rows=_export_rows(rows),
            source_ids=source_ids,
        )
    ]


def _export_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows a chart's CSV carries: every loaded column, plus the lineage and the area."""
    return rows.drop(columns=["low_bound", "high_bound", "is_point"])


# ---- capacity ------------------------------------------------------------------------------------
def _capacity_traces(rows: pd.DataFrame, panel: int, labelled: bool) -> list[Trace]:
    """One capacity measure's claims, one column per claimant: a count drawn as a bar from
    zero only when stated as a figure; a range as a bar between its bounds; "more than" a mark
    at the bound with a dashed arrow up, "up to" one with a dashed line down, never a bar."""
    axes = panel_axes(panel)
    x = plotly_array(_each(rows["claimant_short"], _esc))
    qualifier = rows["qualifier"].to_numpy(dtype=object)
    low = rows["stated_low"].to_numpy(dtype=float)
    high = rows["value_high"].to_numpy(dtype=float)
    rows = rows.assign(reported_by_all=rule.all_reports(rows).to_numpy())
    hover = plotly_array(_hovers(rows, quotes=len(rows) <= QUOTE_LIMIT))
    labels = plotly_array(_each(rows["value_text"] + " (" + rows["when"] + ")", _esc))
    kinds = rows["claimant_type"].to_numpy(dtype=object)
    ids = rows["estimate_id"].to_numpy(dtype=object)
    more, up_to = qualifier == "more_than", qualifier == "up_to"
    ranged = ~more & ~up_to & (low != high) & ~np.isnan(high)
    top = np.nanmax(np.concatenate([low, high])) if len(rows) else 1.0
    traces: list[Trace] = []
    for kind in dict.fromkeys(kinds.tolist()):
        colour = claimant_type_color(kind)
        mine = kinds == kind
        bars = mine & ~more & ~up_to
        if bars.any():
            base = np.where(ranged[bars], low[bars], 0.0)
            tops = np.where(ranged[bars], high[bars], low[bars])
            traces.append(
                {
                    "type": "bar", "x": x[bars], "y": tops - base,
                    "base": base, "marker": {"color": colour, "opacity": 0.45},
                    "hoverinfo": "text", "hovertext": hover[bars] if labelled else None,
                    "showlegend": False, "width": 0.5,
                    "meta": {"role": "capacity", "estimate_ids": list(ids[bars])}, **axes,
                }
            )  # fmt: skip
        for flag, symbol, far in (
            (more, "triangle-up", np.minimum(low * OPEN_STRETCH, top * 1.25)),
            (up_to, "triangle-down", high / OPEN_STRETCH),
        ):
            chosen = mine & flag
            if not chosen.any():
                continue
            bound = (low if symbol == "triangle-up" else high)[chosen]
            traces.append(
                {
                    "type": "scatter", "x": _pairs(x[chosen], x[chosen]),
                    "y": _pairs(bound, far[chosen]), "mode": "lines",
                    "line": {"color": colour, "width": 2, "dash": "dash"},
                    "hoverinfo": "skip", "showlegend": False,
                    "meta": {"role": "capacity-extent", "estimate_ids": list(ids[chosen])},
                    **axes,
                }
            )  # fmt: skip
        shown = np.where(more, low, np.where(up_to, high, np.where(ranged, high, low)))
        for symbol in ("circle", "triangle-up", "triangle-down"):
            chosen = mine & (
                more if symbol == "triangle-up" else up_to if symbol == "triangle-down"
                else ~more & ~up_to
            )  # fmt: skip
            if not chosen.any():
                continue
            traces.append(
                {
                    "type": "scatter", "x": x[chosen], "y": shown[chosen],
                    "mode": "markers+text" if labelled else "markers",
                    "marker": {"symbol": symbol, "size": 13, "color": colour},
                    "text": labels[chosen], "textposition": "top center",
                    "textfont": {"size": 11, "color": colour},
                    "hoverinfo": "text", "hovertext": hover[chosen], "showlegend": False,
                    "meta": {"role": "capacity-mark", "estimate_ids": list(ids[chosen]),
                             "qualifiers": list(qualifier[chosen])},
                    **axes,
                }
            )  # fmt: skip
    return traces


def build_capacity_chart(ds: Any, state: FilterState) -> list[ChartSpec]:
    """Capacity indicators that are not fighters, each in its own small panel with its unit;
    none when the filters leave no indicator (the page says so in words)."""
    frame = rule.claims_in_view(view_of(ds, state), "capacity")
    if frame.empty:
        return []
    measures = list(dict.fromkeys(frame["measure"].tolist()))
    titles = [f"<b>{_esc(rule.measure_label(m).capitalize())}</b>" for m in measures]
    layout = grid_layout(1, len(measures), subplot_titles=titles, horizontal_spacing=0.12)
    data: list[Trace] = []
    labelled = len(frame) <= LABEL_LIMIT
    for number, measure in enumerate(measures, start=1):
        rows = frame[frame["measure"] == measure]
        data += _capacity_traces(rows, number, labelled)
        values = pd.concat([rows["stated_low"], rows["value_high"]])
        top = float(values[np.isfinite(values)].max()) if len(rows) else 1.0
        layout.setdefault(axis_key("y", number), {}).update(
            {
                "range": [0, top * 1.45],
                "title": {"text": "Percent" if measure.endswith("_pct") else "Number as stated"},
                "gridcolor": GRID_COLOR,
                "tickformat": ",~r",
            }
        )
    source_ids = tuple(dict.fromkeys(frame["source_id"].astype(str)))
    title = "Capacity behind the groups: madrassas, students and the security budget"
    themed = base_layout_dict(
        title=title,
        subtitle=_esc(state.describe(filters.filter_options(ds).labels())),
        source_line=_wrap(source_line(ds, source_ids), 130),
    )
    notes = themed.pop("annotations")
    layout.update(themed)
    layout["annotations"] = list(layout.get("annotations", [])) + notes
    layout.update(height=560, bargap=0.5, showlegend=False)
    return [
        ChartSpec(
            chart_id="capacity-indicators",
            title=title,
            caption=(
                "Indicators that are not fighters, each in its own panel with its own unit, so "
                "none is read as a head count. A bar is a number stated as a figure or a range; "
                "▲ with a dashed arrow up is 'more than', ▼ with a dashed line down is 'up to' "
                "(not a full bar: the words give only one bound). The label gives the number as "
                "stated and when it was said; the colour, who said it."
            ),
            figure=assemble(data, layout),
            rows=_export_rows(frame),
            source_ids=source_ids,
        )
    ]
