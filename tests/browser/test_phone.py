"""A phone (390x844) with the system in dark mode: what only a browser can show.

One test, one browser context, every page: each chart keeps at least ``MIN_PLOT_PX`` of plot
width (the plotting area Plotly lays out, without margins and legend: a right-hand legend left
the designations timeline 60 px and the map a 45 px thumbnail), nothing makes the page wider
than the screen (wide tables scroll inside their own box), and the charts take the dark
theme's background and light text (exports keep the light look: tests/test_export.py). The map
itself keeps 300 px and gives way to its key.
"""

from __future__ import annotations

import pytest
from browser_support import GEO_SIZE_JS, PAGES, Reader
from playwright.sync_api import Browser

from bench.harness import OfflineGuard, StreamlitServer

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MIN_PLOT_PX = 300

# Per chart: the plotting area's width, the paper's colour and the main font colour as drawn.
CHART_LOOK_JS = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((gd) => {
  const full = gd._fullLayout || {};
  return {
    title: ((gd.closest('[data-testid="stElementContainer"]') || {}).id || ''),
    plot_px: full._size ? full._size.w : 0,
    paper: full.paper_bgcolor || '',
    font: (full.font || {}).color || '',
  };
})
"""
# How far the page reaches past the screen's right edge (0 when nothing overflows).
OVERFLOW_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return Math.max(document.documentElement.scrollWidth, main.scrollWidth) - window.innerWidth;
}
"""


def luminance(color: str) -> float:
    """Relative lightness 0..1 of a CSS rgb()/rgba()/#rrggbb colour."""
    color = color.strip()
    if color.startswith("#"):
        r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    else:
        r, g, b = (float(part) for part in color[color.index("(") + 1 : -1].split(",")[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def map_problems(reader: Reader) -> list[str]:
    """On a phone the map keeps 300 px and gives up its key (a note says so)."""
    problems = []
    (frame,) = reader.page.evaluate(GEO_SIZE_JS)
    if frame["width"] < MIN_PLOT_PX:
        problems.append(f"map: the map itself is {frame['width']:.0f} px wide")
    legend_shown = reader.page.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot g.legend'))"
        ".some((g) => getComputedStyle(g).display !== 'none')"
    )
    if legend_shown:
        problems.append("map: the key is drawn on a phone")
    if "On a narrow screen the map shows no names or key" not in reader.main_text():
        problems.append("map: no note that the narrow map shows no names or key")
    return problems


def test_on_a_phone_in_dark_mode_every_chart_has_room_and_the_page_fits(
    server: StreamlitServer, browser: Browser
) -> None:
    context = browser.new_context(viewport=PHONE, color_scheme="dark", is_mobile=True)
    page = context.new_page()
    guard = OfflineGuard()
    guard.watch(page)
    reader = Reader(server, context, page, guard)
    page.on("pageerror", lambda error: reader.page_errors.append(str(error)))
    try:
        problems: list[str] = []
        charts_seen = 0
        for app_page in PAGES:
            reader.open(app_page)
            reader.screenshot(f"phone-dark-{app_page.slug}")
            assert not reader.exceptions(), app_page.slug
            charts = page.evaluate(CHART_LOOK_JS)
            if app_page.has_charts:
                assert charts, f"{app_page.slug}: no chart drawn"
            for number, chart in enumerate(charts, 1):
                charts_seen += 1
                name = f"{app_page.slug} chart {number}"
                if chart["plot_px"] < MIN_PLOT_PX:
                    problems.append(f"{name}: {chart['plot_px']:.0f} px of plot")
                if luminance(chart["paper"]) > 0.3 or luminance(chart["font"]) < 0.6:
                    problems.append(f"{name}: {chart['paper']} paper, {chart['font']} text")
            if app_page.slug == "map":
                problems += map_problems(reader)
            overflow = page.evaluate(OVERFLOW_JS)
            if overflow > 1:
                problems.append(f"{app_page.slug}: the page is {overflow} px wider than the phone")
        assert charts_seen >= 4
        assert not problems, "\n".join(problems)
        reader.assert_healthy()
    finally:
        context.close()
