"""What a browser test works with: the app's pages and a ``Reader`` (one browser context).

Shared by the fixtures in conftest.py and the test modules (a plain module, because test modules
should not import conftest).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.harness import (
    APP_IDLE,
    ARTIFACTS,
    CHARTS_JS,
    EXCEPTION,
    RENDERED_JS,
    TEXT_JS,
    VIEWPORT,
    AppPage,
    OfflineGuard,
    StreamlitServer,
    app_pages,
)
from dashboard.ui import MORE_FILTERS_LABEL

PAGES = app_pages()
CHART_PAGES = [page for page in PAGES if page.has_charts]
SCREENSHOTS = ARTIFACTS / "screenshots"
LOAD_TIMEOUT_MS = 45_000  # a page's first run on a cold server, on a slow CI machine
SCREENSHOT_MAX_HEIGHT = 12_000
QUIET_MS = 500  # a page counts as drawn once it has not changed for this long
ACTION_TIMEOUT_MS = 10_000  # finding a widget to click: it is drawn by then, or missing

# The geographic frame of each Plotly map on the page, and its chart's width.
GEO_SIZE_JS = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((gd) => {
  const frame = gd.querySelector('.geo.geo .layer.bg rect').getBoundingClientRect();
  const chart = gd.getBoundingClientRect();
  return {chart: chart.width, chartHeight: chart.height, left: frame.left, top: frame.top,
          width: frame.width, height: frame.height, visible: frame.width > 0};
})
"""

# The app's own environment variables: cleared for the shipped-data server, so nothing from the
# shell running the tests leaks in.
APP_ENV = ("DASHBOARD_DATA_DIR", "DASHBOARD_SEEDS_DIR")


def page_id(page: AppPage) -> str:
    return page.slug


def nav_link(page: Page, title: str) -> Any:
    """The sidebar's link to the page titled ``title`` (ui.page_links draws them, so that they
    carry the filters; works with Playwright's sync and async pages alike)."""
    links = page.get_by_test_id("stSidebar").get_by_test_id("stPageLink")
    return links.get_by_text(title, exact=True)


@dataclass
class Reader:
    """One browser context on one server: what a reader sees, and what went wrong for them."""

    server: StreamlitServer
    context: BrowserContext
    page: Page
    guard: OfflineGuard
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    # -- moving around --
    def open(self, app_page: AppPage | str = "", query: str = "") -> None:
        """Load a page by its URL; return once its run has finished and everything is drawn."""
        self.page.goto(self.server.url(app_page, query), wait_until="domcontentloaded")
        self.wait_rendered()

    def go(self, app_page: AppPage) -> None:
        """Move to another page with the sidebar's link, as a reader does (no reload: the same
        session, and none of the minutes a full page load per step costs a long test)."""
        nav_link(self.page, app_page.title).click(timeout=ACTION_TIMEOUT_MS)
        self.page.wait_for_url(lambda url: urlsplit(url).path.strip("/") == app_page.url_path)
        self.settle()

    def wait_rendered(self, timeout_ms: int = LOAD_TIMEOUT_MS) -> None:
        """Wait until the script is idle and the frontend has drawn all of it, charts included."""
        self.page.wait_for_selector(APP_IDLE, state="attached", timeout=timeout_ms)
        self.page.wait_for_function(RENDERED_JS, arg=QUIET_MS, polling=100, timeout=timeout_ms)

    def settle(self) -> None:
        """After an interaction: let the rerun start (if it has not yet), then wait for its end."""
        with contextlib.suppress(PlaywrightTimeout):  # the rerun was faster, or there was none
            self.page.wait_for_selector(
                '[data-testid="stApp"]:not([data-test-script-state="notRunning"])',
                state="attached",
                timeout=1_000,
            )
        self.wait_rendered()

    # -- what is on the page --
    def exceptions(self) -> list[str]:
        return self.page.locator(EXCEPTION).all_inner_texts()

    def charts(self) -> list[dict[str, Any]]:
        return self.page.evaluate(CHARTS_JS)

    def open_expanders(self, label: str, *, shut: bool = False) -> None:
        """Open every closed expander in the main area whose label holds ``label``, one click
        (and rerun) at a time: a lazy one (ui.lazy_expander) has its content only once opened.
        ``shut``: close every open one instead."""
        state = "[open]" if shut else ":not([open])"
        left = (
            self.page.get_by_test_id("stMain")
            .locator(f'[data-testid="stExpander"] details{state} > summary')
            .filter(has_text=label)
        )
        for _ in range(left.count()):
            left.first.click(timeout=ACTION_TIMEOUT_MS)
            self.settle()
        assert not left.count(), f"{left.count()} {label!r} expanders stayed as they were"

    def text(self) -> str:
        """All text in the page, also in collapsed expanders and hidden tabs (of a lazy one,
        only once it has been opened: ``open_expanders``)."""
        return self.page.evaluate(TEXT_JS)

    def main_text(self) -> str:
        return self.page.locator('[data-testid="stMain"]').inner_text()

    def sidebar(self) -> Any:
        return self.page.get_by_test_id("stSidebar")

    def screenshot(self, name: str) -> Path:
        """The whole page as a PNG: Streamlit scrolls inside stMain, so the viewport is made as
        tall as the content for the shot (up to a limit), then restored."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        viewport = self.page.viewport_size or VIEWPORT
        height = self.page.evaluate(
            """() => Math.max(...['stMain', 'stSidebarContent'].map((id) => {
                 const e = document.querySelector(`[data-testid="${id}"]`);
                 return e ? e.scrollHeight : 0; }))"""
        )
        tall = min(max(int(height), viewport["height"]), SCREENSHOT_MAX_HEIGHT)
        if tall > viewport["height"]:
            self.page.set_viewport_size({"width": viewport["width"], "height": tall})
            self.page.wait_for_timeout(500)  # charts resize to the new layout
        try:
            self.page.screenshot(path=str(path))
        finally:
            self.page.set_viewport_size(viewport)
        return path

    # -- sidebar filters --
    def choose_radio(self, option: str) -> None:
        radio = self.sidebar().get_by_test_id("stRadio").get_by_text(option, exact=True)
        radio.click(timeout=ACTION_TIMEOUT_MS)
        self.settle()

    def choose_in_multiselect(self, widget_label: str, option: str) -> None:
        widget = self.sidebar().get_by_test_id("stMultiSelect").filter(has_text=widget_label)
        if not widget.count():  # the lists' section is shut until opened or a list is set
            self.sidebar().get_by_text(MORE_FILTERS_LABEL).click()
            self.settle()
        field = widget.locator("input")
        field.click(timeout=ACTION_TIMEOUT_MS)
        field.fill(option)  # the dropdown is virtualised: options far down are not in the DOM
        self.page.get_by_role("option", name=option, exact=True).click(timeout=ACTION_TIMEOUT_MS)
        self.page.keyboard.press("Escape")
        self.settle()

    def wait_for_query(self, pattern: str, timeout_ms: int = 10_000) -> None:
        """Wait until the address bar's query string matches ``pattern`` (a regex)."""
        regex = re.compile(pattern)
        self.page.wait_for_url(lambda url: bool(regex.search(url)), timeout=timeout_ms)

    def wait_for_chart_change(self, before: list[str], timeout_s: float = 15.0) -> list[str]:
        """The chart fingerprints once they differ from ``before`` (or as they are at timeout)."""
        deadline = time.monotonic() + timeout_s
        current = fingerprints(self.charts())
        while current == before and time.monotonic() < deadline:
            self.page.wait_for_timeout(250)
            current = fingerprints(self.charts())
        return current

    # -- the promises every test checks --
    def assert_healthy(self) -> None:
        assert not self.guard.blocked, f"requests to other hosts: {self.guard.blocked}"
        assert not self.dialogs, f"dialogs opened: {self.dialogs}"
        assert not self.page_errors, f"uncaught errors in the page: {self.page_errors}"


def fingerprints(charts: list[dict[str, Any]]) -> list[str]:
    return [chart["fingerprint"] for chart in charts]


# ---- downloads ----------------------------------------------------------------------------------
def file_problem(name: str, body: bytes) -> str | None:
    """Why a downloaded file is not what its name says (None if it is)."""
    suffix = Path(name).suffix.lower()
    if not body:
        return "empty file"
    if suffix == ".png" and not body.startswith(b"\x89PNG\r\n\x1a\n"):
        return "not a PNG"
    if suffix == ".svg" and b"<svg" not in body[:2000]:
        return "not an SVG"
    if suffix in (".html", ".htm") and b"<html" not in body[:5000].lower():
        return "not an HTML document"
    if suffix == ".csv" and b"," not in body.split(b"\n", 1)[0]:
        return "no CSV header row"
    if suffix in (".pptx", ".zip", ".xlsx"):
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                if archive.testzip() is not None:
                    return "corrupt archive"
        except zipfile.BadZipFile:
            return "not a zip archive"
    if suffix == ".json":
        try:
            json.loads(body)
        except ValueError:
            return "not JSON"
    return None


def download_one_per_format(reader: Reader, out: Path) -> dict[str, Path]:
    """The download button of each format (PNG, SVG, HTML, CSV) in the page's first chart's
    Download menu, clicked and checked; returns the files by format. Every button of every
    page is built by one function (``ui.chart_downloads``), whose files the unit tests check
    one by one."""
    menu = reader.page.get_by_test_id("stMain").get_by_test_id("stPopover").first
    menu.locator("button").first.click(timeout=ACTION_TIMEOUT_MS)  # the chart's Download menu
    buttons = reader.page.get_by_test_id("stPopoverBody").get_by_test_id("stDownloadButton")
    buttons.first.wait_for(timeout=ACTION_TIMEOUT_MS)
    labels = buttons.all_inner_texts()
    files: dict[str, Path] = {}
    for kind in ("PNG", "SVG", "HTML", "CSV"):
        index = next((i for i, label in enumerate(labels) if kind in label), None)
        assert index is not None, f"no {kind} download button among {labels}"
        with reader.page.expect_download(timeout=60_000) as info:
            buttons.nth(index).locator("button").click()
        download = info.value
        assert download.failure() is None, download.failure()
        path = out / download.suggested_filename
        download.save_as(path)
        problem = file_problem(path.name, path.read_bytes())
        assert problem is None, f"{path.name} from {labels[index]!r}: {problem}"
        files[kind] = path
    assert reader.page.locator(APP_IDLE).count() == 1, "a download started a rerun"
    return files


def download_pack(reader: Reader, out: Path) -> Path:
    """The briefing pack from the sidebar's Export section, checked as an archive."""
    buttons = (
        reader.sidebar()
        .get_by_test_id("stDownloadButton")
        .filter(has_text=re.compile(r"briefing pack", re.IGNORECASE))
    )
    assert buttons.count() == 1, "the sidebar offers no briefing-pack download button"
    with reader.page.expect_download(timeout=120_000) as info:
        buttons.first.locator("button").click()
    path = out / info.value.suggested_filename
    info.value.save_as(path)
    problem = file_problem(path.name, path.read_bytes())
    assert problem is None, f"{path.name}: {problem}"
    return path
