"""Militant-strength claims compared by source: how big are these groups, and according to whom?

Numbers are drawn as stated, never averaged: a point for a figure, a bar for a range or a word
like "hundreds", an open-ended arrow for "more than" (up) and "up to" (down). Claims of
different metric (fighters, militants, organisations) or scope (Afghanistan-wide, near the Tajik
border) sit in separate, labelled panels, because they are not comparable. Disagreement is
computed per group, metric and scope, as the highest claim over the lowest, "at least" when
a bound is open.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.figure_draft import FigureDraft, bar, scatter
from dashboard.charts.spec import ChartSpec, source_line
from dashboard.charts.theme import GRID_COLOR, MUTED_COLOR, affiliation_color
from dashboard.charts.theme import base_layout as themed
from dashboard.ingest.frames import plotly_array
from dashboard.view import filters
from dashboard.view.claims import claims_in_view, comparisons_in_view, stated_level
from dashboard.view.filters import FilterState
from dashboard.view.view import view_of

OPEN_STRETCH = 1.9  # how far an open-ended arrow reaches beyond its bound (a factor)
# A chart of more claims than these would bury its marks under labels, and send megabytes of
# quotes to the browser: past LABEL_LIMIT claims the marks go unlabelled (the hover names each),
# past QUOTE_LIMIT the hover leaves the quote to the records table under the chart.
LABEL_LIMIT = 60
QUOTE_LIMIT = 400


def _esc(text: object) -> str:
    return html.escape(
        "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    )


def _wrap(text: object, width: int = 80) -> str:
    return "<br>".join(_esc(line) for line in textwrap.wrap(str(text or ""), width)) or ""


HOVER_COLUMNS = (
    "claimant_name",
    "affiliation",
    "subject_name",
    "metric_label",
    "value_text",
    "as_of",
    "as_of_basis",
    "scope",
    "source_label",
)


def _each(values: pd.Series, make: Any) -> pd.Series:
    """``make`` applied once per distinct value: at scale most claims repeat a few texts."""
    made: dict[Any, str] = {}
    texts = [made[v] if v in made else made.setdefault(v, make(v)) for v in values.tolist()]
    return pd.Series(texts, index=values.index, dtype=object)


def _hovers(rows: pd.DataFrame, *, quotes: bool = True) -> pd.Series:
    """Each claim's hover text: each distinct value escaped once (``_each``), then one f-string
    per claim over plain lists (pandas string arithmetic cost more on small frames).

    Without ``quotes`` (a chart of very many claims) the hover says where the quote is instead.
    """
    esc = {column: _each(rows[column], _esc).tolist() for column in HOVER_COLUMNS}
    seed = rows["source_kind"].eq("seed").tolist()
    if quotes:
        evidence = _each(rows["quote_or_summary"], _wrap).tolist()
    else:
        evidence = [": in the records table under the chart"] * len(rows)
    texts = [
        f"<b>{claimant}</b> ({affiliation})<br>{subject} {metric}: <b>{value}</b><br>"
        f"As of {as_of} ({basis}); scope: {scope}<br>Source: {source}<br>"
        f"{'Quote' if is_seed else 'Our summary (external source)'}"
        f"{': ' + text if quotes else text}"
        for claimant, affiliation, subject, metric, value, as_of, basis, scope, source, is_seed,
        text in zip(
            *(esc[c] for c in HOVER_COLUMNS), seed, evidence, strict=True
        )
    ]  # fmt: skip
    return pd.Series(texts, index=rows.index, dtype=object)


def claim_geometry(
    rows: pd.DataFrame, top: float | np.ndarray, bottom: float | np.ndarray
) -> pd.DataFrame:
    """Where each claim is drawn, as stated: ``y0``-``y1`` its extent (a range as a bar, an open
    bound as an arrow shaft from the stated number), ``marker_y`` the stated number, ``symbol``
    its shape, ``mid``/``start``/``end`` its as-of date and the span it covers. ``top`` and
    ``bottom`` (the axis ends that open-bound arrows stop at) may differ per row (per panel)."""
    start = pd.to_datetime(rows["as_of_start"])
    end = pd.to_datetime(rows["as_of_end"])
    # numpy, not pandas: a dozen operations on a small frame cost more in pandas' bookkeeping
    low = rows["value_low"].to_numpy(dtype=float)
    high = rows["value_high"].to_numpy(dtype=float)
    qualifier = rows["qualifier"].to_numpy(dtype=object)
    more, up_to = qualifier == "more_than", qualifier == "up_to"
    ranged = ~more & ~up_to & (low != high) & ~np.isnan(low) & ~np.isnan(high)
    tops = np.broadcast_to(np.asarray(top, dtype=float), low.shape)
    bottoms = np.broadcast_to(np.asarray(bottom, dtype=float), low.shape)
    y0 = np.where(up_to, high, low)
    y1 = low.copy()
    y1[more] = np.minimum(low[more] * OPEN_STRETCH, tops[more])
    y1[up_to] = np.maximum(high[up_to] / OPEN_STRETCH, bottoms[up_to])
    y1[ranged] = high[ranged]
    symbol = np.full(len(rows), "circle", dtype=object)
    symbol[more], symbol[up_to], symbol[ranged] = "triangle-up", "triangle-down", "line-ew"
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
            "dash": np.where(open_bound, "dash", "solid").astype(object),
        },
        index=rows.index,
    )


def _pairs(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Pairs as one line trace's points: a, b, gap, a, b, gap... (one trace, many segments)."""
    points = np.full(3 * len(first), np.nan if first.dtype == float else None, dtype=first.dtype)
    points[0::3], points[1::3] = first, second
    return points


class _Claims:
    """One chart's claims as plain arrays, read once (``claim_geometry`` included), which each
    panel and affiliation index by position: pandas' per-selection overhead, not the drawing,
    was most of a small chart's cost."""

    def __init__(self, frame: pd.DataFrame, geometry: pd.DataFrame, *, labelled: bool) -> None:
        self.affiliations = frame["affiliation"].to_numpy(dtype=object)
        self.kinds = frame["claimant_affiliation_type"].to_numpy(dtype=object)
        self.ids = frame["estimate_id"].to_numpy(dtype=object)
        self.qualifiers = frame["qualifier"].to_numpy(dtype=object)
        self.hover = plotly_array(_hovers(frame, quotes=len(frame) <= QUOTE_LIMIT))
        self.mid, self.start, self.end = (
            plotly_array(geometry[c]) for c in ("mid", "start", "end")
        )
        self.y0, self.y1, self.marker_y = (
            geometry[c].to_numpy(dtype=float) for c in ("y0", "y1", "marker_y")
        )
        shape = geometry["symbol"].to_numpy(dtype=object)
        seed = frame["source_kind"].eq("seed").to_numpy()
        self.symbols = np.where(seed, shape, shape + "-open")
        self.dashes = geometry["dash"].to_numpy(dtype=object)
        self.extent = geometry["y0"].ne(geometry["y1"]).to_numpy()
        self.spanned = geometry["start"].ne(geometry["end"]).to_numpy()
        self.labelled = labelled
        self.labels = (
            plotly_array(
                _each(
                    frame["claimant_name"].astype(str) + ": " + frame["value_text"].astype(str),
                    _esc,
                )
            )
            if labelled
            else None
        )


def _add_claims(fig: FigureDraft, claims: _Claims, rows: np.ndarray, panel: int) -> None:
    """The claims at positions ``rows`` in one panel, drawn as stated: a few traces per
    affiliation, not per claim (a trace each made a chart of thousands of claims take a minute
    to build)."""
    c = claims
    affiliations, kinds, ids, qualifiers = c.affiliations, c.kinds, c.ids, c.qualifiers
    hover, mid, start, end = c.hover, c.mid, c.start, c.end
    y0, y1, marker_y, symbols, dashes = c.y0, c.y1, c.marker_y, c.symbols, c.dashes
    extent, spanned, labels, labelled = c.extent, c.spanned, c.labels, c.labelled
    for affiliation in dict.fromkeys(affiliations[rows].tolist()):
        mine = rows[affiliations[rows] == affiliation]
        colour = affiliation_color(kinds[mine[0]])
        common = {"legendgroup": affiliation, "hoverinfo": "text", "showlegend": False}

        def segments(
            chosen: np.ndarray,
            ends: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
            *,
            role: str,
            line: dict[str, Any],
            opacity: float,
            common: dict[str, Any] = common,
        ) -> None:
            """One line trace, a segment per claim in ``chosen``, from (x0, y0) to (x1, y1);
            crowded, the segments leave the hover to the claim's mark."""
            if not len(chosen):
                return
            x0, from_y, x1, to_y = (values[chosen] for values in ends)
            fig.add_trace(
                scatter(
                    x=_pairs(x0, x1),
                    y=_pairs(from_y, to_y),
                    mode="lines",
                    line=line,
                    opacity=opacity,
                    hovertext=_pairs(hover[chosen], hover[chosen]) if labelled else None,
                    meta={"role": role, "estimate_ids": list(ids[chosen])},
                    **(common if labelled else {**common, "hoverinfo": "skip"}),
                ),
                row=panel,
                col=1,
            )

        for dash in ("solid", "dash"):  # ranges as bars, open bounds as dashed arrow shafts
            segments(
                mine[extent[mine] & (dashes[mine] == dash)],
                (mid, y0, mid, y1),
                role="claim-extent",
                line={"color": colour, "width": 2 if dash == "dash" else 9, "dash": dash},
                opacity=0.8 if dash == "solid" else 1,
            )
        segments(  # an as-of date known to the year or month spans it
            mine[spanned[mine]],
            (start, y0, end, y0),
            role="date-span",
            line={"color": colour, "width": 2},
            opacity=0.45,
        )
        # one marker trace per symbol: Plotly checks a per-point symbol list point by point,
        # which at scale cost more than the rest of the chart
        for symbol in dict.fromkeys(symbols[mine].tolist()):
            part = mine[symbols[mine] == symbol]
            fig.add_trace(
                scatter(
                    x=mid[part],
                    y=marker_y[part],
                    mode="markers+text" if labelled else "markers",
                    marker={
                        "symbol": symbol,
                        "size": 1.0 if symbol.startswith("line-ew") else 14.0,
                        "color": colour,
                        "line": {"color": colour, "width": 2},
                    },
                    # the label sits above the as-of span line, never struck through by it
                    text=labels[part] if labels is not None else None,
                    textposition="top right",
                    textfont={"size": 12, "color": colour},
                    name=affiliation,
                    hovertext=hover[part],
                    meta={
                        "role": "claim",
                        "estimate_ids": list(ids[part]),
                        "qualifiers": list(qualifiers[part]),
                    },
                    **common,
                ),
                row=panel,
                col=1,
            )


def _legend(fig: FigureDraft, frame: pd.DataFrame) -> None:
    """Colours by affiliation; mark shapes by how the number is stated; fill by evidence."""
    seen = dict.fromkeys(zip(frame["affiliation"], frame["claimant_affiliation_type"], strict=True))
    for label, kind in seen:
        fig.add_trace(
            scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=label,
                legendgroup=label,
                marker={"symbol": "circle", "size": 11, "color": affiliation_color(kind)},
            )
        )
    for name, symbol in (
        ("a figure (●)", "circle"),
        ("more than (▲ with dashed arrow up)", "triangle-up"),
        ("up to (▼ with dashed arrow down)", "triangle-down"),
        ("a range or 'hundreds' (bar)", "line-ns"),
        ("external source (hollow)", "circle-open"),
    ):
        fig.add_trace(
            scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=name,
                legendgroup="how",
                legendgrouptitle={"text": "How the number is stated"},
                marker={
                    "symbol": symbol,
                    "size": 11,
                    "color": MUTED_COLOR,
                    "line": {"color": MUTED_COLOR, "width": 2},
                },
            )
        )


def _panels(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return list(
        dict.fromkeys(zip(frame["metric_label"].tolist(), frame["scope"].tolist(), strict=True))
    )


def claims_figure(
    frame: pd.DataFrame, *, title: str, subtitle: str, source_text: str, log_y: bool
) -> go.Figure:
    """One panel per metric and scope for one group, every claim in it drawn as stated."""
    panels = _panels(frame) or [("", "")]
    fig = FigureDraft.grid(
        len(panels),
        1,
        shared_xaxes=True,
        # the gap between panels stays about the same in pixels as panels are added (the height
        # grows with them): 0.16 of the height for up to four, less beyond
        vertical_spacing=min(0.16, 0.5 / (len(panels) - 1)) if len(panels) > 1 else 0.1,
        titles=[f"<b>{_esc(m.capitalize())}</b> · {_esc(s)}" for m, s in panels],
    )
    # each panel its own scale; the geometry once per chart, each row with its panel's ends
    metrics = frame["metric_label"].to_numpy(dtype=object)
    scopes = frame["scope"].to_numpy(dtype=object)
    low = frame["value_low"].to_numpy(dtype=float)
    high = frame["value_high"].to_numpy(dtype=float)
    tops, bottoms = np.ones(len(frame)), np.ones(len(frame))
    scales: list[tuple[np.ndarray, float, float]] = []
    for metric, scope in panels:
        rows = np.flatnonzero((metrics == metric) & (scopes == scope))
        values = np.concatenate([low[rows], high[rows]])
        values = values[~np.isnan(values)]
        top = float(values.max()) * (OPEN_STRETCH + 0.3) if len(values) else 1
        bottom = float(values[values > 0].min()) / 3 if (values > 0).any() else 1
        tops[rows], bottoms[rows] = top, bottom
        scales.append((rows, top, bottom))
    claims = _Claims(
        frame, claim_geometry(frame, tops, bottoms), labelled=len(frame) <= LABEL_LIMIT
    )
    for number, ((metric, _), (rows, top, bottom)) in enumerate(
        zip(panels, scales, strict=True), start=1
    ):
        _add_claims(fig, claims, rows, number)
        axis = {
            "title": {"text": f"Number of {metric}" if "%" not in metric else metric},
            "gridcolor": GRID_COLOR,
            "tickformat": ",~r" if not log_y else None,
            "rangemode": "tozero" if not log_y else None,
        }
        if log_y:
            axis.update(type="log", range=[math.log10(bottom), math.log10(top)])
        else:
            axis.update(range=[0, top * 1.05])
        fig.update_yaxes(row=number, col=1, **axis)
    fig.update_xaxes(
        gridcolor=GRID_COLOR, title={"text": "As-of date of the claim"}, row=len(panels), col=1
    )
    fig.update_xaxes(gridcolor=GRID_COLOR)
    if len(frame):
        first = pd.to_datetime(frame["as_of_start"]).min() - pd.DateOffset(months=6)
        last = pd.to_datetime(frame["as_of_end"]).max() + pd.DateOffset(months=14)
        fig.update_xaxes(range=[first, last])
    _legend(fig, frame)
    fig.update_layout(height=max(520, 250 * len(panels) + 200), legend={"font": {"size": 12}})
    themed(fig, title=title, subtitle=subtitle, source_line=source_text)
    fig.update_layout(margin={"r": 30})
    if frame.empty:
        fig.add_annotation(
            text="No claim under the current filters",
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": 16, "color": MUTED_COLOR},
        )
    return fig.build()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "group"


def group_title(subject: str, gaps: pd.DataFrame) -> str:
    mine = gaps[gaps["group"] == subject] if len(gaps) else gaps
    if len(mine):
        top = mine.sort_values("ratio", ascending=False).iloc[0]
        if top["claims agree"] == "one claimant at different dates":
            return f"{subject} {top['metric']}: one claimant's figure rose {top['high over low']}"
        spread = top["high over low"]
        return f"{subject} {top['metric']}: highest claim {spread} the lowest"
    return f"{subject}: strength claims by source"


def _crowded_note(claims: int) -> str:
    """What a chart of very many claims leaves out of the drawing, and where it is instead."""
    if claims <= LABEL_LIMIT:
        return ""
    note = f" With {claims:,} claims in view the marks are not labelled: hover one to name it"
    if claims > QUOTE_LIMIT:
        note += ", and each claim's quote or summary is in the records table, not the hover"
    return note + ". Narrow the filters to label the marks again."


def build_strength_charts(ds: Any, state: FilterState, *, log_y: bool = False) -> list[ChartSpec]:
    """One chart per group (ISIS-K, Jamaat Ansarullah, all groups), panels by metric and scope."""
    view = view_of(ds, state)
    frame = claims_in_view(view)
    gaps = comparisons_in_view(view)
    subtitle = _esc(state.describe(filters.filter_options(ds).labels()))
    specs = []
    order = frame.groupby("subject_name")["estimate_id"].count().sort_values(ascending=False)
    for subject in order.index:
        rows = frame[frame["subject_name"] == subject]
        source_ids = tuple(dict.fromkeys(rows["source_id"].astype(str)))
        title = group_title(subject, gaps)
        fig = claims_figure(
            rows,
            title=_esc(title),
            subtitle=subtitle + (" · log scale" if log_y else ""),
            source_text=_wrap(source_line(ds, source_ids), 130),
            log_y=log_y,
        )
        specs.append(
            ChartSpec(
                chart_id=f"strength-{_slug(subject)}",
                title=title,
                caption=(
                    "One mark per claim, coloured by the claimant's affiliation and labelled with "
                    "the claimant. A bar is a range or a word such as 'hundreds'; a dashed arrow "
                    "up is 'more than', down is 'up to'. Different metrics and scopes are in "
                    "separate panels: compare within a panel only. A faint horizontal line spans "
                    "an as-of date known only to the year or month." + _crowded_note(len(rows))
                ),
                figure=fig,
                rows=rows.drop(columns=["low_bound", "high_bound"]),
                source_ids=source_ids,
            )
        )
    return specs


def _colour_codes(kinds: pd.Series) -> dict[str, Any]:
    """Marker colours by affiliation as codes on a stepped colour scale: exactly the same
    colours as a list of them, which Plotly would check one by one."""
    palette = list(dict.fromkeys(affiliation_color(kind) for kind in kinds.tolist()))
    index = {colour: n for n, colour in enumerate(palette)}
    codes = np.array([index[affiliation_color(kind)] for kind in kinds.tolist()], dtype=float)
    steps = max(len(palette) - 1, 1)
    scale = [[n / steps, colour] for n, colour in enumerate(palette)]
    if len(palette) == 1:
        scale.append([1.0, palette[0]])
    return {"color": codes, "colorscale": scale or [[0, MUTED_COLOR], [1, MUTED_COLOR]],
            "cmin": 0, "cmax": steps, "showscale": False}  # fmt: skip


def build_capacity_chart(ds: Any, state: FilterState) -> ChartSpec:
    """Capacity indicators that are not fighters, each in its own small panel with its unit."""
    frame = claims_in_view(view_of(ds, state), "capacity")
    metrics = list(dict.fromkeys(frame["metric_label"])) or ["no indicator"]
    fig = FigureDraft.grid(
        1,
        len(metrics),
        titles=[f"<b>{_esc(m.capitalize())}</b>" for m in metrics],
        horizontal_spacing=0.12,
    )
    for number, metric in enumerate(metrics, start=1):
        rows = frame[frame["metric_label"] == metric]
        # one bar trace per panel and a mark trace per symbol, each claim a point in them;
        # colours by code on a stepped scale (Plotly checks a list of colours point by point)
        value = stated_level(rows)
        colours = _colour_codes(rows["claimant_affiliation_type"])
        symbols = rows["qualifier"].map({"more_than": "triangle-up", "up_to": "triangle-down"})
        symbols = symbols.fillna("circle")
        symbols = symbols.where(rows["source_kind"].eq("seed"), symbols + "-open").to_numpy()
        x = plotly_array(_each(rows["claimant_name"], _esc))
        y = plotly_array(value)
        hover = plotly_array(_hovers(rows, quotes=len(rows) <= QUOTE_LIMIT))
        labels = plotly_array(
            _each(rows["value_text"].astype(str) + " (" + rows["as_of"].astype(str) + ")", _esc)
        )
        qualifiers = rows["qualifier"].to_numpy(dtype=object)
        fig.add_trace(
            bar(
                x=x,
                y=y,
                marker={**colours, "opacity": 0.35},
                # crowded: the hover is on the marks only, not twice per claim
                hoverinfo="text",
                hovertext=hover if len(rows) <= LABEL_LIMIT else None,
                showlegend=False,
                meta={"role": "capacity", "estimate_ids": list(rows["estimate_id"])},
            ),
            row=1,
            col=number,
        )
        for symbol in dict.fromkeys(symbols.tolist()):
            part = np.flatnonzero(symbols == symbol)
            fig.add_trace(
                scatter(
                    x=x[part],
                    y=y[part],
                    mode="markers+text" if len(rows) <= LABEL_LIMIT else "markers",
                    marker={
                        "symbol": symbol,
                        "size": 14,
                        **{k: v[part] if k == "color" else v for k, v in colours.items()},
                    },
                    text=labels[part],
                    textposition="top center",
                    hoverinfo="text",
                    hovertext=hover[part],
                    showlegend=False,
                    meta={"role": "capacity-mark", "qualifiers": list(qualifiers[part])},
                ),
                row=1,
                col=number,
            )
        top = float(pd.concat([rows["value_low"], rows["value_high"]]).max()) if len(rows) else 1
        fig.update_yaxes(
            range=[0, top * 1.35],
            title={"text": metric},
            gridcolor=GRID_COLOR,
            tickformat=",~r",
            row=1,
            col=number,
        )
    source_ids = tuple(dict.fromkeys(frame["source_id"].astype(str)))
    fig.update_layout(height=560, bargap=0.5)
    themed(
        fig,
        title="Capacity behind the groups: madrassas, students and the security budget",
        subtitle=_esc(state.describe(filters.filter_options(ds).labels())),
        source_line=_wrap(source_line(ds, source_ids), 130),
    )
    return ChartSpec(
        chart_id="capacity-indicators",
        title="Capacity behind the groups: madrassas, students and the security budget",
        caption=(
            "Indicators that are not fighters, each in its own panel with its own unit, so none "
            "is read as a head count. ▲ marks 'more than', ▼ 'up to'; the label gives the number "
            "as stated and its as-of date."
        ),
        figure=fig.build(),
        rows=frame.drop(columns=["low_bound", "high_bound"]),
        source_ids=source_ids,
    )
