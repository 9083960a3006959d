"""The map page in a real browser: the map fills the chart's width on a 1366 px screen, keeps at
least 300 px on a phone, and a click on the map picks a place, lists its records and puts it in
the address (and a copied address brings it back)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from browser_support import Reader

from bench.harness import StreamlitServer
from dashboard.charts import map_labels, province_map

Browse = Callable[..., Reader]

GEO_SIZE_JS = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((gd) => {
  const frame = gd.querySelector('.geo.geo .layer.bg rect').getBoundingClientRect();
  const chart = gd.getBoundingClientRect();
  return {chart: chart.width, left: frame.left, top: frame.top, width: frame.width,
          height: frame.height, visible: frame.width > 0};
})
"""


def geo(reader: Reader) -> dict:
    (found,) = reader.page.evaluate(GEO_SIZE_JS)
    return found


def test_the_map_fills_the_chart_on_a_desktop_and_keeps_300_px_on_a_phone(
    server: StreamlitServer, browse: Browse
) -> None:
    reader = browse(server)
    reader.page.set_viewport_size({"width": 1366, "height": 768})
    reader.open("map")
    desktop = geo(reader)
    assert desktop["width"] >= 0.95 * desktop["chart"]
    reader.page.set_viewport_size({"width": 390, "height": 844})
    reader.open("map")
    phone = geo(reader)
    assert phone["width"] >= 300
    legend_shown = reader.page.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot g.legend'))"
        ".some((g) => getComputedStyle(g).display !== 'none')"
    )
    assert not legend_shown  # the key gives way to the map; a note says so
    assert "On a narrow screen the map shows no names or key" in reader.main_text()
    reader.assert_healthy()


def test_a_click_on_the_map_picks_a_place_and_the_link_keeps_it(
    server: StreamlitServer, browse: Browse
) -> None:
    reader = browse(server)
    reader.page.set_viewport_size({"width": 1366, "height": 768})
    reader.open("map")
    box = geo(reader)
    canvas = map_labels.Canvas(
        "browser", box["width"], box["height"], (0, 0, 0, 0),
        province_map.VIEW_LON, province_map.VIEW_LAT,
    )  # fmt: skip
    x, y = canvas.project(68.35, 35.6)  # deep inside Baghlan, which no record names
    reader.page.mouse.click(box["left"] + x, box["top"] + y)
    reader.page.wait_for_url(lambda url: "place=baghlan" in url, timeout=20_000)
    reader.settle()
    text = reader.main_text()
    assert "Baghlan (province): no record under the current filters names it" in text
    copy = browse(server, fresh=True)
    copy.page.goto(reader.page.url, wait_until="domcontentloaded")
    copy.wait_rendered()
    assert parse_qs(urlsplit(copy.page.url).query) == {"place": ["baghlan"]}
    assert "Baghlan (province): no record" in copy.main_text()
    reader.assert_healthy()
    copy.assert_healthy()
