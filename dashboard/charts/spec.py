"""What every chart builder returns, so pages, exports and the briefing pack treat charts alike.

A chart that goes on a slide must carry its own context (title, active filters, sources,
coverage) and the rows behind it (with source ids and quotes) for the CSV download.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.view.memo import IdentityMemo


@dataclass(frozen=True)
class ChartSpec:
    chart_id: str  # a slug; exported files are named after it
    title: str
    caption: str  # one or two plain sentences: what the chart shows and how to read it
    figure: go.Figure
    rows: pd.DataFrame  # the records drawn, with source_id and quote/evidence columns
    source_ids: tuple[str, ...]


@dataclass(frozen=True)
class _Source:
    label: str | None  # None: the table has no label column
    start: pd.Timestamp  # published_start (NaT if unknown)
    end: pd.Timestamp  # published_end (NaT if unknown)


# Every chart names its sources twice (source line, export stamp): the sources table is read
# into a dict once per loaded table instead of filtered with pandas each time.
_SOURCES = IdentityMemo(2, per_dataset=True)


def _sources(sources: pd.DataFrame) -> dict[str, _Source]:
    return _SOURCES.get(sources, lambda: _read_sources(sources))


def _read_sources(sources: pd.DataFrame) -> dict[str, _Source]:
    def dates(column: str) -> list[pd.Timestamp]:
        if column not in sources.columns:
            return [pd.NaT] * len(sources)
        return list(pd.to_datetime(sources[column]))

    labels = sources["label"].tolist() if "label" in sources.columns else [None] * len(sources)
    return {
        str(source_id): _Source(None if label is None else str(label), start, end)
        for source_id, label, start, end in zip(
            sources["source_id"].tolist(),
            labels,
            dates("published_start"),
            dates("published_end"),
            strict=True,
        )
    }


def source_line(sources: pd.DataFrame, source_ids: Iterable[str], *, limit: int = 6) -> str:
    """'Sources: KabulNow, Jun 2024; Meduza ...' naming the sources behind a chart."""
    ids = list(dict.fromkeys(source_ids))
    if not ids:
        return "Sources: none match the current filters"
    known = _sources(sources)
    labels = [known[i].label if i in known and known[i].label is not None else i for i in ids]
    shown = "; ".join(str(label) for label in labels[:limit])
    more = len(labels) - limit
    if more > 0:
        shown += f"; and {more} more"
    return f"Sources: {shown}"


def coverage_text(
    sources: pd.DataFrame, source_ids: Iterable[str], known_as_of: object = None
) -> str:
    """Which period the shown sources were published in, so the last record isn't read as today."""
    known = _sources(sources)
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
