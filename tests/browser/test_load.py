"""Load: 20 readers at once, each going through every page, against one server on localhost.

One Chromium, 20 tabs (20 Streamlit sessions: each tab holds its own websocket and session
state), driven concurrently with Playwright's async API. The tabs share one browser profile, so
the frontend's scripts come from the browser's cache as for returning readers: what is measured
is the server serving 20 sessions, not 20 cold downloads and compiles of the frontend on the
same two cores. Each reader opens the first page by URL and moves through the others with the
sidebar's links, as a reader does. Every page must render (no exception box, charts drawn on
chart pages), the server log must stay clean, and the server's memory afterwards is reported
(printed and written to test-artifacts/load.json). Bounded: the whole run must finish in
LOAD_BUDGET_S, or the test fails and names the page each unfinished reader was stuck on.

Not a timed test (speed targets are the benchmark's, `python -m bench`). Here the 20 tabs run on
the same two cores as the server and take most of them: in one measured run Chromium used 187 s
of CPU, the server 36 s, and the readers, moving in near lockstep, all reach the first chart
page (where each tab also starts Plotly's bundle) together, so a visit there takes about a minute
of wall time. The time limits are therefore hang detectors, set well above what a slow machine
needs (CI's took 170 s for the run, 73 s for its slowest visit); the times themselves are
reported, not judged.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import pytest
from browser_support import PAGES, QUIET_MS, nav_link
from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright

from bench.harness import (
    APP_IDLE,
    ARTIFACTS,
    CHARTS_JS,
    EXCEPTION,
    RENDERED_JS,
    VIEWPORT,
    AppPage,
    OfflineGuard,
    StreamlitServer,
    launch_chromium,
)

pytestmark = [pytest.mark.browser, pytest.mark.load]

READERS = 20
LOAD_BUDGET_S = 280.0  # 20 readers x 6 pages on a 2-core machine: 135 to 170 s
# Readers arrive half a second apart (20 within 10 s, all overlapping: each needs far longer than
# that for its six pages), after one warm-up reader has opened every page once, as the first
# visitor of a deployed server does.
ARRIVAL_GAP_S = 0.5
PAGE_TIMEOUT_MS = 150_000  # one page under load: a stuck page, not a slow one (60-78 s seen)
CHART_GRACE_S = 20.0


@dataclass
class Visit:
    reader: int
    page: str
    seconds: float
    problem: str | None = None


@dataclass
class LoadRun:
    visits: list[Visit] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    timed_out: bool = False
    # reader -> the page it is on until its visit is recorded: where a timed-out run was stuck
    current: dict[int, str] = field(default_factory=dict)

    def unfinished(self) -> dict[int, str]:
        done = {(v.reader, v.page) for v in self.visits}
        return {n: slug for n, slug in sorted(self.current.items()) if (n, slug) not in done}


def page_problem(page: AppPage, exceptions: int, charts: list[dict[str, Any]]) -> str | None:
    if exceptions:
        return f"{exceptions} exception box(es)"
    if page.has_charts:
        if not charts:
            return "no chart rendered"
        if any(c["svg_chars"] <= 500 or not (c["traces"] or c["canvases"]) for c in charts):
            return "an empty chart"
    return None


async def wait_rendered(page: Any) -> None:
    """As Reader.wait_rendered: let a rerun start, then wait until it is idle and drawn."""
    with contextlib.suppress(PlaywrightTimeout):  # the run may already be over
        await page.wait_for_selector(
            '[data-testid="stApp"]:not([data-test-script-state="notRunning"])',
            state="attached",
            timeout=1_000,
        )
    await page.wait_for_selector(APP_IDLE, state="attached", timeout=PAGE_TIMEOUT_MS)
    await page.wait_for_function(RENDERED_JS, arg=QUIET_MS, polling=200, timeout=PAGE_TIMEOUT_MS)


async def one_reader(context: Any, server: StreamlitServer, number: int, run: LoadRun) -> None:
    page = await context.new_page()

    async def on_dialog(dialog: Any) -> None:
        run.dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: run.page_errors.append(str(error)))
    await asyncio.sleep(number * ARRIVAL_GAP_S)
    try:
        for index, app_page in enumerate(PAGES):
            run.current[number] = app_page.slug
            started = time.monotonic()
            try:
                if index == 0:
                    await page.goto(
                        server.url(app_page), wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS
                    )
                else:
                    heading = page.locator('[data-testid="stMain"] h1').first
                    before = await heading.inner_text()
                    await nav_link(page, app_page.title).click()
                    # under load the new page's run can start late: until its title is drawn,
                    # "idle and drawn" would describe the page being left
                    await page.wait_for_function(
                        """(old) => {
                          const h = document.querySelector('[data-testid="stMain"] h1');
                          return h !== null && h.innerText !== old;
                        }""",
                        arg=before,
                        timeout=PAGE_TIMEOUT_MS,
                    )
                await wait_rendered(page)
                # A chart may still be drawing (the map loads its base file first): give it up
                # to CHART_GRACE_S under load before calling it empty.
                deadline = time.monotonic() + CHART_GRACE_S
                while True:
                    exceptions = await page.locator(EXCEPTION).count()
                    charts = await page.evaluate(CHARTS_JS)
                    problem = page_problem(app_page, exceptions, charts)
                    if problem is None or exceptions or time.monotonic() > deadline:
                        break
                    await asyncio.sleep(0.5)
            except Exception as error:  # recorded as this visit's failure
                problem = f"{type(error).__name__}: {str(error).splitlines()[0]}"
            run.visits.append(
                Visit(number, app_page.slug, round(time.monotonic() - started, 2), problem)
            )
    finally:
        await page.close()


async def new_context(browser: Any, run: LoadRun) -> Any:
    context = await browser.new_context(viewport=VIEWPORT)
    OfflineGuard(run.blocked).watch(context)
    return context


async def drive(server: StreamlitServer) -> LoadRun:
    run = LoadRun()
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        warm_up = LoadRun()
        await one_reader(await new_context(browser, warm_up), server, 0, warm_up)  # not counted
        context = await new_context(browser, run)
        started = time.monotonic()
        try:
            await asyncio.wait_for(
                asyncio.gather(*(one_reader(context, server, n, run) for n in range(READERS))),
                timeout=LOAD_BUDGET_S,
            )
        except TimeoutError:
            run.timed_out = True
        finally:
            run.seconds = round(time.monotonic() - started, 1)
            await browser.close()
    return run


def in_a_thread(function: Callable[[], LoadRun]) -> LoadRun:
    """Run an asyncio program off the main thread (the sync Playwright fixtures own its loop)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = function()
        except BaseException as error:  # re-raised in the test's thread
            box["error"] = error

    thread = threading.Thread(target=target, name="load-test")
    thread.start()
    thread.join(LOAD_BUDGET_S + 60)
    if "error" in box:
        raise box["error"]
    assert "result" in box, "the load run did not finish"
    return box["result"]


def test_twenty_concurrent_readers_through_every_page(
    start_server: Callable[..., StreamlitServer],
) -> None:
    server = start_server("server-load")
    before = server.memory()
    run = in_a_thread(lambda: asyncio.run(drive(server)))
    after = server.memory()

    per_page = {
        page.slug: sorted(v.seconds for v in run.visits if v.page == page.slug) for page in PAGES
    }
    summary = {
        "readers": READERS,
        "pages": [page.slug for page in PAGES],
        "wall_seconds": run.seconds,
        "timed_out": run.timed_out,
        "visits_done": len(run.visits),
        "unfinished": {str(n): slug for n, slug in run.unfinished().items()},
        "seconds_per_page": {
            slug: {"median": statistics.median(times), "max": times[-1]}
            for slug, times in per_page.items()
            if times
        },
        "server_memory_before_mb": before,
        "server_memory_after_mb": after,
        "failures": [asdict(v) for v in run.visits if v.problem],
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(
        f"\nload: {READERS} readers x {len(PAGES)} pages in {run.seconds} s; server RSS "
        f"{before['rss_mb']} -> {after['rss_mb']} MB, peak {after['peak_rss_mb']} MB "
        f"(+{after['children_rss_mb']} MB in child processes)"
    )
    for slug, times in summary["seconds_per_page"].items():
        print(f"  {slug:<12} median {times['median']:5.2f} s  max {times['max']:5.2f} s")

    assert not run.timed_out, (
        f"{READERS} readers did not get through in {LOAD_BUDGET_S} s; "
        f"stuck (reader: page): {run.unfinished()}"
    )
    assert len(run.visits) == READERS * len(PAGES), "some readers did not visit every page"
    assert not summary["failures"], summary["failures"]
    assert not run.blocked, f"requests to other hosts: {run.blocked}"
    assert not run.dialogs and not run.page_errors, (run.dialogs, run.page_errors)
    assert not server.log_problems(), server.log_text()
