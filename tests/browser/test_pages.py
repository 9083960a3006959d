"""Every page in a real browser: it renders, its charts draw, filters reach the charts, a copied
link reopens the same view, and download buttons deliver real files.

AppTest (tests/test_page_*.py) runs the page scripts; these tests add what only a browser shows:
the frontend's rendering, the URL in the address bar, and the files a click downloads. Each
page's screenshot is saved under test-artifacts/screenshots/ for a reviewer to look at.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import (
    PAGES,
    Reader,
    download_all,
    download_pack,
    fingerprints,
    page_id,
)

from bench.harness import AppPage, StreamlitServer
from dashboard.charts import catalog
from dashboard.ingest.loader import load_dataset
from dashboard.view.filters import FilterState

pytestmark = pytest.mark.browser

Browse = Callable[..., Reader]

# A filter change that must change each chart page's chart on the shipped data, chosen from what
# the page shows: (kind, widget label, option, the query parameter it writes).
#  - timeline: 17 of the 23 designations come from external sources;
#  - strength: the UN bodies' claims are a third of the strength claims (the claimant-type filter);
#  - map: the events are mostly militant activity in Badakhshan, other types elsewhere.
FILTER_CHANGES: dict[str, tuple[str, str, str, str]] = {
    "timeline": ("radio", "Evidence", "Seed documents only", "evidence=seed"),
    "strength": ("multiselect", "Claimant types", "UN bodies", "claimant_type=un_body"),
    "map": ("multiselect", "Event types", "Militant activity", "event_type=militant_activity"),
}
DEFAULT_CHANGE = ("radio", "Evidence", "Seed documents only", "evidence=seed")


def change_filter(reader: Reader, slug: str) -> str:
    """Apply the page's filter change through the sidebar; return the query it writes."""
    kind, label, option, query = FILTER_CHANGES.get(slug, DEFAULT_CHANGE)
    if kind == "radio":
        reader.choose_radio(option)
    else:
        reader.choose_in_multiselect(label, option)
    reader.wait_for_query(re.escape(query))
    reader.settle()
    return query


def assert_charts_drawn(reader: Reader, page: AppPage) -> None:
    charts = reader.charts()
    assert charts, f"{page.slug}: no Plotly chart rendered (expected on a chart page)"
    for number, chart in enumerate(charts, 1):
        assert chart["svgs"] and chart["svg_chars"] > 500, f"{page.slug} chart {number}: empty"
        assert chart["traces"] or chart["canvases"], f"{page.slug} chart {number}: no traces"


# ---- every page renders, and delivers its files -------------------------------------------------
@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_page_renders_draws_its_charts_and_delivers_its_files(
    server: StreamlitServer, browse: Browse, page: AppPage, tmp_path: Path
) -> None:
    """No exception box, charts drawn; every download button (each chart as PNG, SVG, HTML and
    its rows as CSV) delivers a real file."""
    log_offset = server.log_size()
    reader = browse(server)
    reader.open(page)
    reader.screenshot(page.slug)  # before the checks: a failing page is the one to look at
    assert not reader.exceptions(), f"{page.slug} shows an exception:\n{reader.exceptions()}"
    assert "Traceback" not in reader.main_text()
    assert reader.page.locator("h1").count() >= 1, f"{page.slug} has no title"
    if page.has_charts:
        assert_charts_drawn(reader, page)
    files = download_all(reader, tmp_path)
    if page.has_charts:
        suffixes = {path.suffix.lower() for path in files}
        assert files, f"{page.slug}: no download buttons (each chart downloads as PNG/SVG/HTML)"
        assert {".png", ".svg", ".html"} <= suffixes, f"{page.slug}: only {sorted(suffixes)}"
    assert not reader.exceptions()
    reader.assert_healthy()
    assert not server.log_problems(log_offset), server.log_text(log_offset)


def test_the_navigation_lists_every_page_and_each_opens_from_it(
    server: StreamlitServer, browse: Browse
) -> None:
    """The sidebar's links (client-side navigation, as a reader moves) reach every page."""
    reader = browse(server)
    reader.open(PAGES[0])
    nav = reader.page.get_by_test_id("stSidebarNav")
    # each link's text is its icon's ligature name, then the title
    links = [text.split("\n")[-1] for text in nav.get_by_role("link").all_inner_texts()]
    assert links == [page.title for page in PAGES]
    for page in PAGES[1:]:
        nav.get_by_role("link", name=page.title, exact=True).click()
        reader.page.wait_for_url(re.compile(rf"/{page.url_path}(\?|$)"))
        reader.settle()
        assert not reader.exceptions(), page.slug
        if page.has_charts:
            assert_charts_drawn(reader, page)
    reader.assert_healthy()


# ---- filters reach the charts, and links carry them --------------------------------------------
@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_a_filter_changes_the_view_and_a_copied_url_reopens_it(
    server: StreamlitServer, browse: Browse, page: AppPage
) -> None:
    """Filter on one page (on a chart page the chart must change), copy the address bar into a
    new session: the same view comes back."""
    reader = browse(server)
    reader.open(page)
    before = fingerprints(reader.charts())
    if page.has_charts:
        assert_charts_drawn(reader, page)
    query = change_filter(reader, page.slug)
    if page.has_charts:
        after = reader.wait_for_chart_change(before)
        assert after != before, f"{page.slug}: the chart did not change with the filter"
    url = reader.page.url
    assert query in urlsplit(url).query
    shown_text, shown_charts = reader.main_text(), fingerprints(reader.charts())

    copy = browse(server, fresh=True)  # a new profile: no cookies, no session state; the link
    copy.page.goto(url, wait_until="domcontentloaded")
    copy.wait_rendered()
    assert urlsplit(copy.page.url).path == urlsplit(url).path
    assert parse_qs(urlsplit(copy.page.url).query) == parse_qs(urlsplit(url).query)
    assert copy.main_text() == shown_text
    assert fingerprints(copy.charts()) == shown_charts
    kind, label, option, _ = FILTER_CHANGES.get(page.slug, DEFAULT_CHANGE)
    sidebar = copy.sidebar()
    if kind == "radio":
        assert sidebar.get_by_role("radio", name=option).is_checked()
    else:
        assert option in sidebar.get_by_test_id("stMultiSelect").filter(has_text=label).inner_text()
    reader.assert_healthy()
    copy.assert_healthy()


# ---- downloads ----------------------------------------------------------------------------------
def test_the_briefing_pack_downloads_as_a_deck(
    server: StreamlitServer, browse: Browse, tmp_path: Path
) -> None:
    """The sidebar offers the briefing pack: a PowerPoint deck with a slide per chart."""
    reader = browse(server)
    reader.open(PAGES[0])
    pack = download_pack(reader, tmp_path)
    assert pack.suffix == ".pptx"
    with zipfile.ZipFile(pack) as deck:
        slides = [n for n in deck.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
    charts = len(catalog.chart_specs(load_dataset(), FilterState()))
    assert len(slides) == charts + 2, f"{len(slides)} slides for {charts} charts (+ title, sources)"
    reader.assert_healthy()


def test_the_offline_guard_sees_a_request_to_another_host(
    server: StreamlitServer, browse: Browse
) -> None:
    """The offline promise is only as good as its check: a request to another host fails in the
    browser and is recorded (the fixture fails any test that records one)."""
    reader = browse(server)
    reader.open(PAGES[-1])
    outcome = reader.page.evaluate(
        "() => fetch('http://example.com/probe').then(() => 'loaded', () => 'failed')"
    )
    assert outcome == "failed"
    assert reader.guard.blocked == ["http://example.com/probe"]
    reader.guard.blocked.clear()  # expected here; any other test that records one fails
