"""Files a presenter can put straight on a slide: PNG, SVG, offline HTML and the rows as CSV.

An exported chart leaves the dashboard behind, so it must carry its own context: the figure
already holds its title, the active filters as subtitle and the source line (``theme.base_layout``);
here it gains the coverage / known-as-of stamp and a slide shape (16:9, at least 1280x720 layout
pixels, PNG at 2x). Images are drawn server-side by kaleido on Debian's Chromium, on demand only,
through one browser kept warm for the life of the process (a cold start costs about 3 s, a warm
export a fraction of a second).
"""

from __future__ import annotations

import html
import re
import threading
import warnings
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard.charts.spec import ChartSpec
from dashboard.charts.theme import FONT_FAMILY, MUTED_COLOR

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


def render_image(fig: go.Figure, fmt: str, *, scale: float = 1) -> bytes:
    """PNG or SVG bytes of ``fig`` at its layout size, through the warm browser."""
    warm_up()
    width, height = export_size(fig)
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


def rows_csv(spec: ChartSpec) -> bytes:
    """The records behind the chart, with their source ids and quotes (or our evidence notes)."""
    return spec.rows.to_csv(index=False).encode("utf-8")


def export_chart(spec: ChartSpec, stamp: str, formats: tuple[str, ...]) -> ExportedChart:
    """The chosen formats of one chart: any of png, svg, html, csv."""
    fig = stamped_figure(spec, stamp) if {"png", "svg", "html"} & set(formats) else None
    makers = {
        "png": lambda: to_png(fig),
        "svg": lambda: to_svg(fig),
        "html": lambda: to_html(fig, spec.title),
        "csv": lambda: rows_csv(spec),
    }
    unknown = sorted(set(formats) - set(makers))
    if unknown:
        raise ValueError(f"unknown export format(s): {', '.join(unknown)}")
    return ExportedChart(spec.chart_id, {fmt: makers[fmt]() for fmt in formats})


def file_name(chart_id: str, extension: str) -> str:
    """A safe file name (chart ids are slugs already; this guards against anything else)."""
    stem = re.sub(r"[^a-z0-9-]+", "-", chart_id.lower()).strip("-") or "chart"
    return f"{stem}.{extension}"


MIME_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "html": "text/html",
    "csv": "text/csv",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
