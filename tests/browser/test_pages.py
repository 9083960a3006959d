"""A small real-browser smoke set: what only a browser shows.

Every page renders and draws offline, on a laptop screen and then as a phone in dark mode; one
filter change reaches a chart and its copied link reopens the same view; the sidebar's links
move the reader with the filters, and Back undoes a filter change. One download of each format
runs on the hostile-text server (test_bad_input.py), where the files are checked too. Behaviour
(every page's filters and links, every export's content, bad input) is tested in AppTest and
unit tests (tests/test_*.py), which run in a fraction of the time. Each page's screenshots
(laptop and phone) are saved under test-artifacts/screenshots/ for a reviewer to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import (
    PAGES,
    Reader,
    fingerprints,
    nav_link,
    page_id,
)
from phone import as_phone_in_dark_mode, phone_problems

from bench.harness import AppPage, StreamlitServer

pytestmark = pytest.mark.browser

Browse = Callable[..., Reader]

# A filter change that must change the timeline's chart on the shipped data: most designations
# come from external sources. (kind, widget label, option, the query parameter it writes)
FILTER_CHANGE = ("radio", "Evidence", "Seed documents only", "evidence=seed")


def change_filter(reader: Reader) -> str:
    """Apply the filter change through the sidebar; return the query it writes."""
    kind, label, option, query = FILTER_CHANGE
    if kind == "radio":
        reader.choose_radio(option)
    else:
        reader.choose_in_multiselect(label, option)
    reader.wait_for_query(re.escape(query))
    reader.settle()
    return query


# Per chart: the margins the figure asks for, and those Plotly drew it with.
MARGINS_JS = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((gd) => {
  const asked = gd.layout.margin || {}, drawn = gd._fullLayout._size;
  return {asked: [asked.l, asked.r, asked.t, asked.b], drawn: [drawn.l, drawn.r, drawn.t, drawn.b]};
})
"""


def assert_charts_drawn(reader: Reader, page: AppPage) -> None:
    charts = reader.charts()
    assert charts, f"{page.slug}: no Plotly chart rendered (expected on a chart page)"
    for number, chart in enumerate(charts, 1):
        assert chart["svgs"] and chart["svg_chars"] > 500, f"{page.slug} chart {number}: empty"
        assert chart["traces"] or chart["canvases"], f"{page.slug} chart {number}: no traces"


def assert_drawn_once(reader: Reader, page: AppPage) -> None:
    """At a laptop's width every chart's margins already hold its axes' labels, so Plotly
    draws it once: automargin draws a chart again whenever the labels need more
    (theme.X_TICKS_PX and its neighbours)."""
    for number, chart in enumerate(reader.page.evaluate(MARGINS_JS), 1):
        assert chart["drawn"] == chart["asked"], (
            f"{page.slug} chart {number}: asked for margins (l, r, t, b) {chart['asked']}, "
            f"drawn with {chart['drawn']}: see theme.X_TICKS_PX"
        )


# ---- every page renders, drawn and offline ------------------------------------------------------
@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_page_renders_and_draws_its_charts_offline(
    server: StreamlitServer, browse: Browse, page: AppPage
) -> None:
    """No exception box, a title, every chart drawn; no request leaves the machine (the
    ``browse`` fixture fails the test on any); a clean server log. Then the same tab as a phone
    in dark mode: every chart has room and the dark look, nothing is wider than the screen
    (tests/browser/phone.py)."""
    log_offset = server.log_size()
    reader = browse(server)
    reader.open(page)
    reader.screenshot(page.slug)  # before the checks: a failing page is the one to look at
    assert not reader.exceptions(), f"{page.slug} shows an exception:\n{reader.exceptions()}"
    assert "Traceback" not in reader.main_text()
    assert reader.page.locator("h1").count() >= 1, f"{page.slug} has no title"
    if page.has_charts:
        assert_charts_drawn(reader, page)
        assert_drawn_once(reader, page)
        if page.slug == "strength":  # the panels and the capacity chart drawn on demand too
            on_demand = ("What counts something else", "Madrassas, students and budgets")
            for label in on_demand:
                reader.open_expanders(label)
            assert_drawn_once(reader, page)
            for label in on_demand:  # the phone check below is of the first view
                reader.open_expanders(label, shut=True)

    if page.slug == "sources":  # the phone check then covers every seed's text and records
        reader.open_expanders("Full text")
        assert reader.page.locator(".source-text").count() == 5
    as_phone_in_dark_mode(reader)
    reader.screenshot(f"phone-dark-{page.slug}")
    assert not reader.exceptions(), f"{page.slug} on a phone shows an exception"
    problems = phone_problems(reader, page)
    assert not problems, "\n".join(problems)
    reader.assert_healthy()
    assert not server.log_problems(log_offset), server.log_text(log_offset)


# ---- filters reach the charts, and links carry them --------------------------------------------
def test_a_filter_changes_the_chart_and_a_copied_url_reopens_it(
    server: StreamlitServer, browse: Browse
) -> None:
    """Filter on the timeline (its chart must change), copy the address bar into a new session:
    the same view comes back. Every page's link round trip runs in AppTest (test_deeplink.py)."""
    page = next(p for p in PAGES if p.slug == "timeline")
    reader = browse(server)
    reader.open(page)
    before = fingerprints(reader.charts())
    if page.has_charts:
        assert_charts_drawn(reader, page)
    query = change_filter(reader)
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
    kind, label, option, _ = FILTER_CHANGE
    sidebar = copy.sidebar()
    if kind == "radio":
        assert sidebar.get_by_role("radio", name=option).is_checked()
    else:
        assert option in sidebar.get_by_test_id("stMultiSelect").filter(has_text=label).inner_text()
    reader.assert_healthy()
    copy.assert_healthy()


# ---- offline ------------------------------------------------------------------------------------
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


def test_the_sidebar_moves_with_the_filters_and_back_undoes_a_filter_change(
    server: StreamlitServer, browse: Browse
) -> None:
    """The sidebar lists every page in order and its links move the reader without a reload,
    carrying the filters. Only a browser has a Back button: Streamlit reruns the page with the
    older address, and the page must show that address's filters (not write the newer ones
    back). Every page's own run is the smoke test above."""
    reader = browse(server)
    reader.open(PAGES[0])
    nav = reader.sidebar().get_by_test_id("stPageLink")
    # each link's text is its icon's ligature name, then the title
    assert [text.split("\n")[-1] for text in nav.all_inner_texts()] == [p.title for p in PAGES]
    reader.choose_radio("Seed documents only")
    reader.wait_for_query(r"evidence=seed")
    reader.page.evaluate("() => { window.__sameDocument = true; }")
    nav_link(reader.page, PAGES[1].title).click()
    reader.wait_for_query(rf"/{PAGES[1].url_path}\?evidence=seed")  # one entry, with the filters
    reader.settle()
    assert reader.page.evaluate("() => window.__sameDocument === true"), "the link reloaded"
    assert not reader.exceptions(), PAGES[1].slug
    reader.page.go_back()
    reader.wait_for_query(r"/\?evidence=seed$")
    reader.settle()
    reader.page.go_back()  # before the filter change
    reader.page.wait_for_url(lambda url: urlsplit(url).query == "")
    reader.settle()
    assert reader.sidebar().get_by_role("radio", name="All sources").is_checked()
    reader.page.wait_for_timeout(1_000)  # nothing writes the newer filters back
    assert urlsplit(reader.page.url).query == ""
    reader.assert_healthy()
