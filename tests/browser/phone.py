"""A phone (390x844) with the system in dark mode: what only a browser can show.

Each page's smoke test (test_pages.py), after its checks on a laptop screen, turns the same tab
into a phone-sized one with the system's colour scheme dark (the app follows it live) and runs
these: each chart keeps at least ``MIN_PLOT_PX`` of plot width (the plotting area Plotly lays
out, without margins and legend: a right-hand legend left the designations timeline 60 px and
the map a 45 px thumbnail), nothing makes the page wider than the screen (wide tables scroll
inside their own box), the charts take the dark theme's background and light text (exports keep
the light look: tests/test_export.py), and the map keeps 300 px and gives way to its key.
The same tab rather than a new one with mobile emulation: a page load per page doubled the
browser suite's time, and the layout depends on the width and the colour scheme only.
"""

from __future__ import annotations

from browser_support import GEO_SIZE_JS, Reader

from bench.harness import AppPage

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
    """On a phone the map keeps 300 px and its chart is no taller than the map and the
    toolbar's row, its key is text above it (Plotly draws no legend), and a note says the names
    give way."""
    problems = []
    (frame,) = reader.page.evaluate(GEO_SIZE_JS)
    if frame["width"] < MIN_PLOT_PX:
        problems.append(f"map: the map itself is {frame['width']:.0f} px wide")
    if frame["chartHeight"] > frame["height"] + 60:  # (it was 145 px in 430 px)
        problems.append(
            f"map: a {frame['height']:.0f} px map in a {frame['chartHeight']:.0f} px chart"
        )
    legend_entries = reader.page.evaluate(
        "() => document.querySelectorAll('.js-plotly-plot g.legend g.traces').length"
    )
    if legend_entries:
        problems.append(f"map: Plotly draws {legend_entries} legend entries on the page")
    key = reader.page.evaluate(
        "() => Array.from(document.querySelectorAll('.chart-key')).map((k) => k.innerText)"
    )
    if not any("No record" in text and "Border crossing" in text for text in key):
        problems.append("map: no key above the map")
    if "On a narrow screen the map shows no names" not in reader.main_text():
        problems.append("map: no note that the narrow map shows no names")
    return problems


def as_phone_in_dark_mode(reader: Reader) -> None:
    """The tab at a phone's size with the system in dark mode, once the page has redrawn."""
    reader.page.set_viewport_size(PHONE)
    reader.page.emulate_media(color_scheme="dark")
    reader.page.wait_for_timeout(500)  # Streamlit re-themes and Plotly re-lays out on resize
    reader.wait_rendered()


def phone_problems(reader: Reader, app_page: AppPage) -> list[str]:
    """What does not fit or is not dark on a phone in dark mode (``as_phone_in_dark_mode``)."""
    problems: list[str] = []
    charts = reader.page.evaluate(CHART_LOOK_JS)
    if app_page.has_charts and not charts:
        problems.append(f"{app_page.slug}: no chart drawn on a phone")
    for number, chart in enumerate(charts, 1):
        name = f"{app_page.slug} chart {number}"
        if chart["plot_px"] < MIN_PLOT_PX:
            problems.append(f"{name}: {chart['plot_px']:.0f} px of plot")
        if luminance(chart["paper"]) > 0.3 or luminance(chart["font"]) < 0.6:
            problems.append(f"{name}: {chart['paper']} paper, {chart['font']} text")
    if app_page.slug == "map":
        problems += map_problems(reader)
    overflow = reader.page.evaluate(OVERFLOW_JS)
    if overflow > 1:
        problems.append(f"{app_page.slug}: the page is {overflow} px wider than the phone")
    return problems
