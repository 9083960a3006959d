"""The map page in a real browser: the map fills the chart's width on a 1366 px screen, and a
click on the map picks a place, lists its records and puts it in the address (and a copied
address brings it back). On a phone: tests/browser/phone.py."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from browser_support import GEO_SIZE_JS, Reader

from bench.harness import StreamlitServer
from dashboard.charts import map_labels, province_map

Browse = Callable[..., Reader]


def geo(reader: Reader) -> dict:
    """The map's frame on the page, and the chart's width."""
    (found,) = reader.page.evaluate(GEO_SIZE_JS)
    return found


def test_the_map_fills_the_chart_and_a_click_picks_a_place_that_the_link_keeps(
    server: StreamlitServer, browse: Browse
) -> None:
    """On a 1366 px screen the map fills the chart's width; a click inside a province picks it
    (the phone's 300 px: tests/browser/phone.py)."""
    reader = browse(server)
    reader.page.set_viewport_size({"width": 1366, "height": 768})
    reader.open("map")
    # the reader scrolls the map into view (its key and the year control sit above it)
    reader.page.locator('[data-testid="stPlotlyChart"]').first.evaluate(
        "(el) => el.scrollIntoView({block: 'center'})"
    )
    box = geo(reader)
    assert box["width"] >= 0.95 * box["chart"]
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
    copy = browse(server)  # a new tab: a new session, which only the link can tell the place
    copy.page.goto(reader.page.url, wait_until="domcontentloaded")
    copy.wait_rendered()
    assert parse_qs(urlsplit(copy.page.url).query) == {"place": ["baghlan"]}
    assert "Baghlan (province): no record" in copy.main_text()
    reader.assert_healthy()
    copy.assert_healthy()
