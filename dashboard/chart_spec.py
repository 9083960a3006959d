"""What every chart builder returns, so pages, exports and the briefing pack treat charts alike.

A chart that goes on a slide must carry its own context (title, active filters, sources,
coverage) and the rows behind it (with source ids and quotes) for the CSV download.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go


@dataclass(frozen=True)
class ChartSpec:
    chart_id: str  # a slug; exported files are named after it
    title: str
    caption: str  # one or two plain sentences: what the chart shows and how to read it
    figure: go.Figure
    rows: pd.DataFrame  # the records drawn, with source_id and quote/evidence columns
    source_ids: tuple[str, ...]


def source_line(sources: pd.DataFrame, source_ids: Iterable[str], *, limit: int = 6) -> str:
    """'Sources: KabulNow, Jun 2024; Meduza ...' naming the sources behind a chart."""
    ids = list(dict.fromkeys(source_ids))
    if not ids:
        return "Sources: none match the current filters"
    by_id = sources.set_index("source_id")
    labels = [
        str(by_id.at[i, "label"]) if "label" in by_id.columns and i in by_id.index else i
        for i in ids
    ]
    shown = "; ".join(labels[:limit])
    more = len(labels) - limit
    if more > 0:
        shown += f"; and {more} more"
    return f"Sources: {shown}"


def coverage_text(
    sources: pd.DataFrame, source_ids: Iterable[str], known_as_of: object = None
) -> str:
    """Which period the shown sources were published in, so the last record isn't read as today."""
    ids = set(source_ids)
    shown = sources[sources["source_id"].isin(ids)]
    published = pd.to_datetime(shown.get("published_end", pd.Series(dtype="object")))
    published = published.dropna()
    if published.empty:
        text = "Coverage: no dated sources in view"
    else:
        first = pd.to_datetime(shown["published_start"]).dropna().min()
        text = (
            f"Coverage: sources published {first:%b %Y} to {published.max():%b %Y}"
            " (not a live feed)"
        )
    if known_as_of is not None:
        text += f"; known as of {known_as_of}"
    return text
