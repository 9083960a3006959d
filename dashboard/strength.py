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

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import filters
from dashboard.chart_spec import ChartSpec, source_line
from dashboard.filters import FilterState
from dashboard.theme import AFFILIATION_LABELS, GRID_COLOR, MUTED_COLOR, affiliation_color
from dashboard.theme import base_layout as themed

METRIC_LABELS = {
    "fighters": "fighters",
    "militants": "militants",
    "organizations": "organisations",
    "madrassas": "madrassas",
    "madrassa_students": "madrassa students",
    "budget_share_pct": "share of the state budget (%)",
}
OPEN_STRETCH = 1.9  # how far an open-ended arrow reaches beyond its bound (a factor)
APPROX_TOLERANCE = 0.1  # "around 6,500" is read as 6,500 ± 10% when comparing claims
TABLE_COLUMNS = {
    "claimant_name": "claimant",
    "affiliation": "affiliation",
    "subject_name": "group",
    "metric_label": "metric",
    "scope": "scope",
    "value_text": "number as stated",
    "as_of": "as of",
    "as_of_basis": "as-of basis",
    "source_label": "source",
    "evidence_type": "evidence type",
    "quote_or_summary": "quote or our summary",
    "estimate_id": "record id",
}


def _esc(text: object) -> str:
    return html.escape(
        "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    )


def _wrap(text: object, width: int = 80) -> str:
    return "<br>".join(_esc(line) for line in textwrap.wrap(str(text or ""), width)) or ""


def claims(ds: Any, state: FilterState, category: str = "strength") -> pd.DataFrame:
    """Filtered estimates of one category, with the columns charts and tables need."""
    frame = filters.apply(ds.estimates, state, filters.ESTIMATE_COLUMNS)
    frame = frame[frame["category"] == category].copy()
    if category == "strength":  # a country as subject means every group counted together
        frame["subject_name"] = [
            "All groups in Afghanistan" if sid == "afghanistan" else name
            for sid, name in zip(frame["subject_id"], frame["subject_name"], strict=True)
        ]
    frame["metric_label"] = [METRIC_LABELS.get(m, m.replace("_", " ")) for m in frame["metric"]]
    frame["affiliation"] = [
        AFFILIATION_LABELS.get(a or "", a) for a in frame["claimant_affiliation_type"].fillna("")
    ]
    frame["evidence_type"] = [
        "seed quote" if k == "seed" else "external summary" for k in frame["source_kind"]
    ]
    frame["quote_or_summary"] = [
        q if isinstance(q, str) and q else (e if isinstance(e, str) else "")
        for q, e in zip(frame["quote"], frame["evidence"], strict=True)
    ]
    frame["low_bound"], frame["high_bound"] = (
        zip(*map(bounds, frame.itertuples()), strict=True) if len(frame) else ([], [])
    )
    return frame


def bounds(row: Any) -> tuple[float, float]:
    """What the words allow: "more than 25,000" is [25,000, ∞), "up to 400,000" is [0, 400,000]."""
    low, high = row.value_low, row.value_high
    if row.qualifier == "more_than":
        return float(low), math.inf
    if row.qualifier == "up_to":
        return 0.0, float(high)
    if row.qualifier == "approximately":
        return float(low) * (1 - APPROX_TOLERANCE), float(high) * (1 + APPROX_TOLERANCE)
    return float(low), float(high)


def _short_number(value: float) -> str:
    return f"{value:,.0f}"


def disagreement(frame: pd.DataFrame) -> pd.DataFrame:
    """Per group, metric and scope: the highest claim over the lowest, who made each, agreement.

    The ratio is conservative: the highest claim's lower bound over the lowest claim's upper
    bound ("at least" when the high claim is open-ended or the words are approximate).
    """
    rows = []
    for (subject, metric, scope), group in frame.groupby(
        ["subject_name", "metric_label", "scope"], sort=True
    ):
        if len(group) < 2:
            continue
        stated = group.assign(
            level=[
                r.value_low if not pd.isna(r.value_low) else r.value_high
                for r in group.itertuples()
            ]
        )
        high = stated.loc[stated["level"].idxmax()]
        low = stated.loc[stated["level"].idxmin()]
        low_top = low["value_high"] if not pd.isna(low["value_high"]) else low["value_low"]
        high_bottom = high["value_low"] if not pd.isna(high["value_low"]) else 0
        ratio = high_bottom / low_top if low_top else math.nan
        # the ratio of lower to upper bounds is a floor unless both numbers are single figures
        open_ended = bool(
            {high["qualifier"], low["qualifier"]}
            & {"more_than", "up_to", "order_of_magnitude", "range"}
        )
        overlap = max(group["low_bound"]) <= min(group["high_bound"])
        one_claimant = group["claimant_id"].nunique() == 1
        factor = f"{math.floor(ratio * 10) / 10:.1f}×" if not math.isnan(ratio) else "n/a"
        ratio_text = (
            (f"at least {factor}" if open_ended else f"about {factor}") if ratio >= 1 else factor
        )
        rows.append(
            {
                "group": subject,
                "metric": metric,
                "scope": scope,
                "claims": len(group),
                "highest": f"{high['value_text']} ({high['claimant_name']}, {high['as_of']})",
                "lowest": f"{low['value_text']} ({low['claimant_name']}, {low['as_of']})",
                "ratio": ratio,
                "high over low": ratio_text,
                "claims agree": (
                    "one claimant at different dates"
                    if one_claimant
                    else "yes (ranges overlap)"
                    if overlap
                    else "no"
                ),
                "sentence": (
                    f"{subject} {metric} ({scope}): "
                    + (
                        f"{high['claimant_name']} gives {low['value_text']} ({low['as_of']}) "
                        f"and {high['value_text']} ({high['as_of']}), {ratio_text}"
                        if one_claimant
                        else f"{high['claimant_name']}'s {high['value_text']} against "
                        f"{low['claimant_name']}'s {low['value_text']} is {ratio_text}"
                        + ("; the claims overlap" if overlap else "; the claims do not agree")
                    )
                ),
            }
        )
    return pd.DataFrame(rows)


def claims_table(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[list(TABLE_COLUMNS)].rename(columns=TABLE_COLUMNS).reset_index(drop=True)


def _span(row: Any) -> tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]:
    start, end = pd.Timestamp(row.as_of_start), pd.Timestamp(row.as_of_end)
    return start, end, start + (end - start) / 2


def _hover(row: Any) -> str:
    evidence = row.quote_or_summary
    kind = "Quote" if row.source_kind == "seed" else "Our summary (external source)"
    return (
        f"<b>{_esc(row.claimant_name)}</b> ({_esc(row.affiliation)})<br>"
        f"{_esc(row.subject_name)} {_esc(row.metric_label)}: <b>{_esc(row.value_text)}</b><br>"
        f"As of {_esc(row.as_of)} ({_esc(row.as_of_basis)}); scope: {_esc(row.scope)}<br>"
        f"Source: {_esc(row.source_label)}<br>{kind}: {_wrap(evidence)}"
    )


def _add_claim(fig: go.Figure, row: Any, panel: int, top: float, bottom: float) -> None:
    """One claim, drawn as stated, in subplot row ``panel``."""
    colour = affiliation_color(row.claimant_affiliation_type)
    start, end, mid = _span(row)
    seed = row.source_kind == "seed"
    hover = _hover(row)
    common = {"legendgroup": row.affiliation, "hoverinfo": "text", "hovertext": hover}
    label = f"{row.claimant_name}: {row.value_text}"
    if row.qualifier == "more_than":
        y0, y1, symbol = row.value_low, min(row.value_low * OPEN_STRETCH, top), "triangle-up"
    elif row.qualifier == "up_to":
        y0, y1, symbol = row.value_high, max(row.value_high / OPEN_STRETCH, bottom), "triangle-down"
    elif row.value_low != row.value_high:
        y0, y1, symbol = row.value_low, row.value_high, "line-ew"
    else:
        y0 = y1 = row.value_low
        symbol = "circle"
    if y0 != y1:  # a range as a bar, an open bound as a dashed arrow shaft
        dash = "dash" if row.qualifier in ("more_than", "up_to") else "solid"
        width = 2 if dash == "dash" else 9
        fig.add_trace(
            go.Scatter(
                x=[mid, mid],
                y=[y0, y1],
                mode="lines",
                line={"color": colour, "width": width, "dash": dash},
                opacity=0.8 if dash == "solid" else 1,
                showlegend=False,
                meta={"role": "claim-extent", "estimate_id": row.estimate_id},
                **common,
            ),
            row=panel,
            col=1,
        )
    if start != end:  # an as-of date known to the year or month spans it
        fig.add_trace(
            go.Scatter(
                x=[start, end],
                y=[y0, y0],
                mode="lines",
                line={"color": colour, "width": 2},
                opacity=0.45,
                showlegend=False,
                meta={"role": "date-span", "estimate_id": row.estimate_id},
                **common,
            ),
            row=panel,
            col=1,
        )
    # the mark sits on the stated number (an open bound's own value), the arrow leaves from it
    marker_y = y0 if y0 == y1 or row.qualifier in ("more_than", "up_to") else (y0 + y1) / 2
    fig.add_trace(
        go.Scatter(
            x=[mid],
            y=[marker_y],
            mode="markers+text",
            marker={
                "symbol": symbol if seed else f"{symbol}-open",
                "size": 14 if symbol != "line-ew" else 1,
                "color": colour,
                "line": {"color": colour, "width": 2},
            },
            text=[_esc(label)],
            textposition="top right",  # above the as-of span line, never struck through
            textfont={"size": 12, "color": colour},
            name=row.affiliation,
            showlegend=False,
            meta={"role": "claim", "estimate_id": row.estimate_id, "qualifier": row.qualifier},
            **common,
        ),
        row=panel,
        col=1,
    )


def _legend(fig: go.Figure, frame: pd.DataFrame) -> None:
    """Colours by affiliation; mark shapes by how the number is stated; fill by evidence."""
    seen = dict.fromkeys(zip(frame["affiliation"], frame["claimant_affiliation_type"], strict=True))
    for label, kind in seen:
        fig.add_trace(
            go.Scatter(
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
            go.Scatter(
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
    return list(dict.fromkeys(zip(frame["metric_label"], frame["scope"], strict=True)))


def claims_figure(
    frame: pd.DataFrame, *, title: str, subtitle: str, source_text: str, log_y: bool
) -> go.Figure:
    """One panel per metric and scope for one group, every claim in it drawn as stated."""
    panels = _panels(frame) or [("", "")]
    fig = make_subplots(
        rows=len(panels),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.16 if len(panels) > 1 else 0.1,
        subplot_titles=[f"<b>{_esc(m.capitalize())}</b> · {_esc(s)}" for m, s in panels],
    )
    for number, (metric, scope) in enumerate(panels, start=1):
        rows = frame[(frame["metric_label"] == metric) & (frame["scope"] == scope)]
        values = pd.concat([rows["value_low"], rows["value_high"]]).dropna()
        top = float(values.max()) * (OPEN_STRETCH + 0.3) if len(values) else 1
        bottom = float(values[values > 0].min()) / 3 if (values > 0).any() else 1
        for row in rows.itertuples():
            _add_claim(fig, row, number, top, bottom)
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
    return fig


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


def build_strength_charts(ds: Any, state: FilterState, *, log_y: bool = False) -> list[ChartSpec]:
    """One chart per group (ISIS-K, Jamaat Ansarullah, all groups), panels by metric and scope."""
    frame = claims(ds, state)
    gaps = disagreement(frame)
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
            source_text=_wrap(source_line(ds.sources, source_ids), 130),
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
                    "an as-of date known only to the year or month."
                ),
                figure=fig,
                rows=rows.drop(columns=["low_bound", "high_bound"]),
                source_ids=source_ids,
            )
        )
    return specs


def build_capacity_chart(ds: Any, state: FilterState) -> ChartSpec:
    """Capacity indicators that are not fighters, each in its own small panel with its unit."""
    frame = claims(ds, state, "capacity")
    metrics = list(dict.fromkeys(frame["metric_label"])) or ["no indicator"]
    fig = make_subplots(
        rows=1,
        cols=len(metrics),
        subplot_titles=[f"<b>{_esc(m.capitalize())}</b>" for m in metrics],
        horizontal_spacing=0.12,
    )
    for number, metric in enumerate(metrics, start=1):
        rows = frame[frame["metric_label"] == metric]
        for row in rows.itertuples():
            value = row.value_low if not pd.isna(row.value_low) else row.value_high
            colour = affiliation_color(row.claimant_affiliation_type)
            symbol = {"more_than": "triangle-up", "up_to": "triangle-down"}.get(
                row.qualifier, "circle"
            )
            fig.add_trace(
                go.Bar(
                    x=[_esc(row.claimant_name)],
                    y=[value],
                    marker={"color": colour, "opacity": 0.35},
                    hoverinfo="text",
                    hovertext=_hover(row),
                    showlegend=False,
                    meta={"role": "capacity", "estimate_id": row.estimate_id},
                ),
                row=1,
                col=number,
            )
            fig.add_trace(
                go.Scatter(
                    x=[_esc(row.claimant_name)],
                    y=[value],
                    mode="markers+text",
                    marker={
                        "symbol": symbol if row.source_kind == "seed" else f"{symbol}-open",
                        "size": 14,
                        "color": colour,
                    },
                    text=[_esc(f"{row.value_text} ({row.as_of})")],
                    textposition="top center",
                    hoverinfo="text",
                    hovertext=_hover(row),
                    showlegend=False,
                    meta={"role": "capacity-mark", "qualifier": row.qualifier},
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
        source_line=_wrap(source_line(ds.sources, source_ids), 130),
    )
    return ChartSpec(
        chart_id="capacity-indicators",
        title="Capacity behind the groups: madrassas, students and the security budget",
        caption=(
            "Indicators that are not fighters, each in its own panel with its own unit, so none "
            "is read as a head count. ▲ marks 'more than', ▼ 'up to'; the label gives the number "
            "as stated and its as-of date."
        ),
        figure=fig,
        rows=frame.drop(columns=["low_bound", "high_bound"]),
        source_ids=source_ids,
    )
