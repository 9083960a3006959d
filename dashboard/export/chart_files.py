"""Files a presenter can put straight on a slide: PNG, SVG, offline HTML and the rows as CSV.

An exported chart leaves the dashboard behind, so it must carry its own context: the figure
already holds its title, the active filters as subtitle and the source line (``theme.base_layout``);
here it gains the coverage / known-as-of stamp and a slide shape (16:9, at least 1280x720 layout
pixels, PNG at 2x). Images are drawn server-side by kaleido on Debian's Chromium, on demand only,
through one browser kept warm for the life of the process (a cold start costs about 3 s, a warm
export a fraction of a second).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import threading
import warnings
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.spec import ChartSpec
from dashboard.charts.theme import FONT_FAMILY, MUTED_COLOR
from dashboard.view.filters import FilterState

SLIDE_WIDTH = 1280  # layout pixels: 16:9, the shape of a default PowerPoint slide
SLIDE_HEIGHT = 720
PNG_SCALE = 2  # 2560x1440 physical pixels: sharp on a projector and a 4K screen
STAMP_HEIGHT = 22  # extra bottom margin that holds the coverage stamp

_server_lock = threading.Lock()
_render_lock = threading.Lock()  # kaleido's sync server serves one figure at a time
_server_started = False


@dataclass(frozen=True)
class ExportedChart:
    """One chart's files, named after its ``chart_id``."""

    chart_id: str
    files: dict[str, bytes]  # extension -> content


def export_size(fig: go.Figure) -> tuple[int, int]:
    """Slide-shaped layout size: 16:9, never smaller than 1280x720, never squashing a tall chart."""
    height = max(int(fig.layout.height or SLIDE_HEIGHT), SLIDE_HEIGHT)
    width = max(SLIDE_WIDTH, round(height * 16 / 9))
    return width, height


def stamped_figure(spec: ChartSpec, stamp: str) -> go.Figure:
    """A copy of the chart at slide size with the coverage stamp under the source line.

    The stamp is what keeps an old slide honest: which period the sources cover and, when set,
    the known-as-of date, so the last record is not read as today's status.
    """
    fig = go.Figure(spec.figure)
    width, height = export_size(fig)
    margin = fig.layout.margin
    bottom = int(margin.b if margin.b is not None else 80) + STAMP_HEIGHT
    fig.update_layout(width=width, height=height, margin={"b": bottom})
    if stamp:
        fig.add_annotation(
            text=html.escape(stamp),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-(bottom - 6),
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            align="left",
            font={"family": FONT_FAMILY, "size": 11, "color": MUTED_COLOR},
        )
    return fig


def warm_up() -> None:
    """Start the one shared kaleido browser (idempotent); later images skip the browser start."""
    global _server_started
    with _server_lock:
        if not _server_started:
            import kaleido
            import plotly.io as pio

            from dashboard.charts.province_map import TOPOJSON_DIR

            # the geo subplot's base map from our copy, never from Plotly's CDN
            pio.defaults.topojson = TOPOJSON_DIR.as_uri() + "/"

            kaleido.start_sync_server(silence_warnings=True)
            _server_started = True


def render_image(
    fig: go.Figure, fmt: str, *, scale: float = 1, size: tuple[int, int] | None = None
) -> bytes:
    """PNG or SVG bytes of ``fig`` at ``size`` (default: its slide-shaped ``export_size``),
    through the warm browser."""
    warm_up()
    width, height = size or export_size(fig)
    with _render_lock, warnings.catch_warnings():
        # plotly passes kaleido options it then ignores, because the warm server is in use
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")
        # validate=False: every chart is checked against Plotly's schema by the tests
        # (tests/test_figures.py); checking again here cost a tenth of a second per image
        return fig.to_image(format=fmt, width=width, height=height, scale=scale, validate=False)


def to_png(fig: go.Figure) -> bytes:
    return render_image(fig, "png", scale=PNG_SCALE)


def to_svg(fig: go.Figure) -> bytes:
    return render_image(fig, "svg")


def to_html(fig: go.Figure, title: str) -> bytes:
    """A standalone interactive page that works offline: Plotly's JavaScript is embedded."""
    page = fig.to_html(
        include_plotlyjs=True,
        full_html=True,
        config={"displaylogo": False, "responsive": True},
    )
    head = f"<head><title>{html.escape(title)}</title>"
    if any(trace.type in ("choropleth", "scattergeo") for trace in fig.data):
        # The geo subplot would fetch its base map from Plotly's CDN: embed our copy instead.
        from dashboard.charts.province_map import TOPOJSON_DIR

        world = (TOPOJSON_DIR / "world_110m.json").read_text(encoding="utf-8")
        head += f"<script>window.PlotlyGeoAssets={{topojson:{{world_110m:{world}}}}};</script>"
    page = page.replace("<head>", head, 1)
    return page.encode("utf-8")


# How a CSV says what it holds. A spreadsheet shows no comment lines (Excel reads "# ..." as
# data, and no CSV reader agrees on a comment syntax), and a CSV has no second sheet; a sidecar
# file would be lost from a single download. So the file starts with a fixed block of
# "Name,value" rows and one blank row, then the table: a person sees the stamp above the rows in
# any spreadsheet, and a program skips STAMP_ROWS rows (pandas: ``read_csv(path,
# skiprows=STAMP_ROWS)``). UTF-8 with a byte-order mark, which Excel needs to read ’ – ×.
STAMP_FIELDS = ("Chart", "Filters", "Known as of", "Coverage", "Generated", "Sources")
STAMP_ROWS = len(STAMP_FIELDS) + 1


@dataclass(frozen=True)
class CsvStamp:
    """What a CSV download says about itself, above its rows (see ``STAMP_FIELDS``)."""

    filters: str
    known_as_of: str  # a date, or a sentence saying there is none
    coverage: str
    generated: str  # the day the file was made (YYYY-MM-DD)
    sources: str  # the chart's source line


def rows_csv(spec: ChartSpec, stamp: CsvStamp | None = None) -> bytes:
    """The records behind the chart, with their source ids and quotes (or our evidence notes),
    under the stamp block when a ``stamp`` is given; whole numbers written as whole numbers."""
    out = io.StringIO()
    if stamp is not None:
        values = (
            spec.title,
            stamp.filters,
            stamp.known_as_of,
            stamp.coverage,
            stamp.generated,
            stamp.sources,
        )
        writer = csv.writer(out, lineterminator="\n")
        writer.writerows(zip(STAMP_FIELDS, values, strict=True))
        writer.writerow([])
    whole_numbers(spec.rows).to_csv(out, index=False, lineterminator="\n")
    return out.getvalue().encode("utf-8-sig")


def csv_stamp(
    ds: Any, state: FilterState, spec: ChartSpec, coverage: str, day: dt.date | None = None
) -> CsvStamp:
    """The stamp of ``spec``'s CSV for the reader's filters (``coverage``: catalog.stamp)."""
    from dashboard.charts.spec import source_line
    from dashboard.view.filters import filter_options

    known = state.known_as_of.isoformat() if state.known_as_of else "latest: no known-as-of date"
    return CsvStamp(
        filters=state.describe(filter_options(ds).labels()),
        known_as_of=known,
        coverage=coverage,
        generated=(day or dt.date.today()).isoformat(),
        sources=source_line(ds, spec.source_ids, limit=1000),
    )


def whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with whole numbers in float columns written as whole numbers: a column with a
    gap is float in pandas, and would be written 1000.0 for 1000. A column of whole numbers
    becomes nullable integers; one that also holds fractions (a bound of "around 6,500" read as
    6,500 +- 10%) keeps them, its whole values written without ".0"."""
    changed = {}
    for column in frame.columns:
        values = frame[column]
        if not pd.api.types.is_float_dtype(values):
            continue
        present = values.dropna()
        whole = (present == present.round()) & (present.abs() < 2**53)
        if len(present) and whole.all():
            changed[column] = values.astype("Int64")
        elif whole.any():
            changed[column] = pd.Series(
                [v if pd.isna(v) or not float(v).is_integer() else int(v) for v in values],
                index=values.index,
                dtype=object,
            )
    return frame.assign(**changed) if changed else frame


def export_chart(
    spec: ChartSpec, stamp: str, formats: tuple[str, ...], csv_stamp: CsvStamp | None = None
) -> ExportedChart:
    """The chosen formats of one chart: any of png, svg, html, csv (stamped with
    ``csv_stamp``)."""
    fig = stamped_figure(spec, stamp) if {"png", "svg", "html"} & set(formats) else None
    makers = {
        "png": lambda: to_png(fig),
        "svg": lambda: to_svg(fig),
        "html": lambda: to_html(fig, spec.title),
        "csv": lambda: rows_csv(spec, csv_stamp),
    }
    unknown = sorted(set(formats) - set(makers))
    if unknown:
        raise ValueError(f"unknown export format(s): {', '.join(unknown)}")
    return ExportedChart(spec.chart_id, {fmt: makers[fmt]() for fmt in formats})


def file_name(
    chart_id: str,
    extension: str,
    state: FilterState | None = None,
    day: dt.date | None = None,
) -> str:
    """A safe file name: the chart, then (when given) a short form of the filters and the day
    the file was made, so a filtered download never overwrites the full one, and a folder of
    downloads sorts by chart: ``designations-timeline_seed-only_2026-12-03.png``."""
    parts = [_slug(chart_id) or "chart"]
    if state is not None:
        parts.append(filters_slug(state))
    if day is not None:
        parts.append(day.isoformat())
    return "_".join(parts) + f".{extension}"


def filters_slug(state: FilterState, limit: int = 120) -> str:
    """The filters in a few words for a file name ("all" when none is set): dates, known-as-of
    and seed-only as written, one chosen id by name, several by their number."""
    parts: list[str] = []
    if state.date_from or state.date_to:
        start = state.date_from.isoformat() if state.date_from else "start"
        end = state.date_to.isoformat() if state.date_to else "latest"
        parts.append(f"{start}-to-{end}")
    for noun, chosen in (
        ("source", state.sources),
        ("claimant", state.claimants),
        ("group", state.groups),
        ("event-type", state.event_types),
    ):
        if len(chosen) == 1:
            parts.append(f"{noun}-{_slug(chosen[0])}")
        elif chosen:
            parts.append(f"{len(chosen)}-{noun}s")
    if state.known_as_of:
        parts.append(f"known-{state.known_as_of.isoformat()}")
    if state.seed_only:
        parts.append("seed-only")
    text = "_".join(parts) or "all"
    return text if len(text) <= limit else text[:limit].rstrip("-_")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")


MIME_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "html": "text/html",
    "csv": "text/csv",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
