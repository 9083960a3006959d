"""What every chart builder returns, so pages, exports and the briefing pack treat charts alike.

A chart that goes on a slide must carry its own context (title, active filters, sources,
coverage) and the rows behind it (with source ids and quotes) for the CSV download.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.key import KeyGroup, chart_key
from dashboard.ingest.loader import Dataset


@dataclass(frozen=True)
class ChartSpec:
    chart_id: str  # a slug; exported files are named after it
    title: str
    caption: str  # one or two plain sentences: what the chart shows and how to read it
    figure: go.Figure
    rows: pd.DataFrame  # the records drawn, with source_id and quote/evidence columns
    source_ids: tuple[str, ...]

    # A spec is built once per filter state and shared by every reader's rerun (ui.built): what
    # the page derives from its figure is worked out once with it, not on every page view.
    @functools.cached_property
    def screen_figure(self) -> go.Figure:
        """The page's version of the figure (``theme.screen_figure``); the export's stays."""
        return theme.screen_figure(self.figure)

    @functools.cached_property
    def boxed_figure(self) -> tuple[go.Figure, tuple[int, int]]:
        """The page's figure without a height of its own, and the pixels its margins take
        across and down (``theme.boxed_figure``)."""
        return theme.boxed_figure(self.screen_figure)

    @functools.cached_property
    def key(self) -> tuple[KeyGroup, ...]:
        """The figure's legend as data; a page sets it as text above the chart."""
        figure = self.figure.to_dict()
        return chart_key(figure["data"], figure.get("layout", {}))

    @functools.cached_property
    def source_text(self) -> str:
        """The source line as plain text, for the page to set under the chart."""
        return theme.source_line_text(self.figure)


def source_line(ds: Dataset, source_ids: Iterable[str], *, limit: int = 6) -> str:
    """'Sources: KabulNow, Jun 2024; Meduza ...' naming the sources behind a chart."""
    ids = list(dict.fromkeys(source_ids))
    if not ids:
        return "Sources: none match the current filters"
    known = ds.source_index
    labels = [known[i].label if i in known else i for i in ids]
    shown = "; ".join(str(label) for label in labels[:limit])
    more = len(labels) - limit
    if more > 0:
        shown += f"; and {more} more"
    return f"Sources: {shown}"


def coverage_text(ds: Dataset, source_ids: Iterable[str], known_as_of: object = None) -> str:
    """Which period the shown sources were published in, so the last record isn't read as today."""
    known = ds.source_index
    shown = [known[i] for i in set(map(str, source_ids)) if i in known]
    published = [s.end for s in shown if not pd.isna(s.end)]
    if not published:
        text = "Coverage: no dated sources in view"
    else:
        starts = [s.start for s in shown if not pd.isna(s.start)]
        first = min(starts) if starts else pd.NaT
        text = (
            f"Coverage: sources published {first:%b %Y} to {max(published):%b %Y} (not a live feed)"
        )
    if known_as_of is not None:
        text += f"; known as of {known_as_of}"
    return text
