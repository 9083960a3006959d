"""A timeline too full to draw report by report: reports counted per lane, step and month.

The swimlane charts draw one mark per step with every report's quote in its hover. That is
what a reader wants for the tens of records the curated data holds, but a view of thousands of
rows (a larger dataset, or a wide filter on one) would be an unreadable smear of overlapping
marks and send megabytes of hover text to the browser. Past ``DRAW_LIMIT`` dated rows the
charts count instead, without hiding anything:
- each mark is the reports of one lane and step in one month, sized by their number;
- a report dated only to the year (or month) is counted in a bucket spanning that year (or
  month), drawn as a bar over it, never pushed into a month it does not state;
- the hover gives the period, the number of reports and of sources, and how to see each report
  (narrow the filters); a click lists the bucket's records under the chart, as for a mark.

Pure functions, frames in and figures out; no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.figure import assemble
from dashboard.charts.swimlanes import LANE_HEADER, SIDE_MARGIN_PX, TITLE_GAP_PX, esc
from dashboard.charts.theme import MUTED_COLOR, base_layout_dict, known_as_of_shapes
from dashboard.ingest.frames import plotly_array

DRAW_LIMIT = 600  # dated rows in view above which a timeline counts instead of drawing marks
SERIES_SPREAD = 0.5  # share of a lane the series of one lane are spread over
ROW_PX = 46
MIN_MARKER_PX, MAX_MARKER_PX = 7.0, 30.0

# ids: the bucket's record ids, space-separated
BUCKET_COLUMNS = ["lane", "series", "start", "end", "precision", "reports", "sources", "ids"]


def too_many_to_draw(rows: int) -> bool:
    return rows > DRAW_LIMIT


def count_buckets(
    frame: pd.DataFrame, *, lane: str, series: str | None, id_column: str
) -> pd.DataFrame:
    """Dated rows counted per lane, series and period: the month for rows dated to the day or
    month, the year for rows dated only to the year (spans are kept, never narrowed)."""
    dated = frame[frame["date_start"].notna()]
    if dated.empty:
        return pd.DataFrame(columns=BUCKET_COLUMNS)
    starts = pd.to_datetime(dated["date_start"])
    precision = dated["date_precision"].astype(str)
    by_year = precision.eq("year")
    period_start = starts.dt.to_period("M").dt.start_time.where(
        ~by_year, starts.dt.to_period("Y").dt.start_time
    )
    period_end = (period_start + pd.offsets.MonthEnd(0)).where(
        ~by_year, period_start + pd.offsets.YearEnd(0)
    )
    keyed = pd.DataFrame(
        {
            "lane": dated[lane].astype(str),
            "series": dated[series].astype(str) if series else "",
            "start": period_start,
            "end": period_end,
            "precision": np.where(by_year, "year", "month"),
            "source_id": dated["source_id"].astype(str),
            "id": dated[id_column].astype(str),
        }
    )
    grouped = keyed.groupby(["lane", "series", "start", "end", "precision"], sort=True)
    out = grouped.agg(reports=("id", "size"), sources=("source_id", "nunique")).reset_index()
    # each bucket's ids as one space-separated text (ids are slugs): a click lists its records,
    # and one string per mark is far lighter to build and send than a list of ids
    ids = keyed["id"].to_numpy(dtype=object)
    joined = {key: " ".join(ids[rows]) for key, rows in grouped.indices.items()}
    columns = [out[c].tolist() for c in ("lane", "series", "start", "end", "precision")]
    keys = zip(*columns, strict=True)
    out["ids"] = [joined[key] for key in keys]
    return out[BUCKET_COLUMNS]


def _period(start: pd.Timestamp, precision: str) -> str:
    return f"{start.year}" if precision == "year" else f"{start:%b %Y}"


def _sizes(reports: pd.Series) -> np.ndarray:
    scaled = MIN_MARKER_PX + 3.0 * np.sqrt(reports.to_numpy(dtype=float) - 1)
    return np.minimum(scaled, MAX_MARKER_PX).round(1)


def density_figure(
    buckets: pd.DataFrame,
    lanes: Sequence[tuple[str, str]],
    *,
    series_names: Mapping[str, str],
    symbol: Callable[[str], str],
    color: Callable[[str, str], str],
    noun: str,
    title: str,
    subtitle: str = "",
    source_text: str = "",
    known_as_of: dt.date | None = None,
) -> go.Figure:
    """Lanes top to bottom, each named above its row; one marker per lane, series and period,
    sized by its reports.

    ``series_names`` orders and names the series (steps) present; ``symbol(series)`` and
    ``color(lane, series)`` style them; ``noun`` names what is counted ("report", "event").
    ``title``, ``subtitle`` and ``source_text`` are shown as given (escape data text first).
    ``known_as_of``: a dashed line at that date. Trace ``meta`` (role "count") carries each
    marker's record ids for tests and exports.
    """
    lane_ids = [lane for lane, _ in lanes]
    names = dict(lanes)
    order = [s for s in series_names if s in set(buckets["series"])]
    step = SERIES_SPREAD / max(len(order), 1)
    offsets = {s: (n - (len(order) - 1) / 2) * step for n, s in enumerate(order)}
    pitch = 1 + LANE_HEADER  # a lane's row and the band above it that holds its name
    rank = {lane: n for n, lane in enumerate(lane_ids)}
    data: list[dict[str, Any]] = []
    for (lane_id, series), part in buckets.groupby(["lane", "series"], sort=False):
        y = LANE_HEADER + rank.get(str(lane_id), len(rank)) * pitch + offsets.get(str(series), 0.0)
        mids = part["start"] + (part["end"] - part["start"]) / 2
        heading = esc(names.get(str(lane_id), str(lane_id)))
        if series_names.get(str(series)):
            heading += f" — {esc(series_names[str(series)])}"
        hovers = [
            f"<b>{heading}</b><br>{_period(start, precision)}"
            + (" (dates known to the year only)" if precision == "year" else "")
            + f": {reports} {noun}{'' if reports == 1 else 's'} from {sources} "
            + f"source{'' if sources == 1 else 's'}<br><i>Click for the records; narrow the "
            + "dates or sources to see each one with its quote.</i>"
            for start, precision, reports, sources in zip(
                part["start"], part["precision"], part["reports"], part["sources"], strict=True
            )
        ]
        ink = color(str(lane_id), str(series))
        spans = part[part["precision"].eq("year")]
        if not spans.empty:  # a year-dated bucket is a bar over its year
            xs: list[object] = []
            for start, end in zip(spans["start"], spans["end"], strict=True):
                xs += [start, end, None]
            data.append(
                {
                    "type": "scatter",
                    "x": xs,
                    "y": [y, y, None] * len(spans),
                    "mode": "lines",
                    "line": {"color": ink, "width": 8},
                    "opacity": 0.3,
                    "hoverinfo": "skip",
                    "showlegend": False,
                    "meta": {"role": "span"},
                }
            )
        data.append(
            {
                "type": "scatter",
                "x": plotly_array(mids),
                "y": np.full(len(part), y),
                "mode": "markers",
                "marker": {
                    "symbol": symbol(str(series)),
                    "size": _sizes(part["reports"]),
                    "color": ink,
                    "line": {"color": "white", "width": 1},
                    "opacity": 0.85,
                },
                "customdata": plotly_array(part["ids"]),
                "hovertext": np.array(hovers, dtype=object),
                "hovertemplate": "%{hovertext}<extra></extra>",
                "showlegend": False,
                "meta": {"role": "count", "lane": str(lane_id), "series": str(series)},
            }
        )
    for series in order:  # legend: what each symbol is, then what size means
        if not series_names.get(series):
            continue
        data.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "markers",
                "name": esc(series_names[series]),
                "marker": {"symbol": symbol(series), "size": 12, "color": MUTED_COLOR},
                "legendgroup": "series",
                "meta": {"role": "legend"},
            }
        )
    data.append(  # a size scale would not read in a legend (Plotly draws one marker size)
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "name": f"larger: more {noun}s in the month<br>(hover a mark for its count)",
            "marker": {"size": 12, "color": MUTED_COLOR, "symbol": "circle-open"},
            "legendgroup": "size",
            "legendgrouptitle": {"text": "Mark size"},
            "meta": {"role": "legend"},
        }
    )
    layout = base_layout_dict(title=title, subtitle=subtitle, source_line=source_text)
    margin = layout["margin"]
    margin["l"] = margin["r"] = SIDE_MARGIN_PX
    extent = LANE_HEADER + pitch * max(len(lanes), 1) - LANE_HEADER
    lane_names = [
        {
            "x": 0,
            "y": rank[lane] * pitch + LANE_HEADER / 2 - 0.1,
            "xref": "paper",
            "yref": "y",
            "xanchor": "left",
            "text": f"<b>{esc(names[lane])}</b>",
            "showarrow": False,
            "font": {"size": 13},
            "name": "lane",
        }
        for lane in lane_ids
    ]
    layout.update(
        height=int(margin["t"] + margin["b"] + ROW_PX * pitch * max(len(lanes), 2)),
        title={**layout["title"], "y": 1, "yanchor": "top", "pad": {"t": TITLE_GAP_PX}},
        annotations=[*lane_names, *layout["annotations"]],
        shapes=known_as_of_shapes(known_as_of, ["x"]),
        legend={"x": 1.01, "xanchor": "left", "y": 1.0, "yanchor": "top", "font": {"size": 12}},
        hoverlabel={"align": "left", "font": {"size": 12}},
        hovermode="closest",
        xaxis={
            "type": "date",
            "title": {"text": "Date (month of the reports)"},
            "showgrid": True,
            "showline": True,
            "ticks": "outside",
        },
        yaxis={
            "showticklabels": False,
            "range": [extent + 0.5, -0.2],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
    )
    return assemble(data, layout)
