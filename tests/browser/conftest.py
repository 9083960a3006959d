"""Browser-test fixtures: real Streamlit servers and Debian's headless Chromium.

- ``server``: the app on the shipped data, one per test session.
- ``start_server(name, **env)``: another server (e.g. on a corrupted data directory), stopped at
  the end of the session; its log is test-artifacts/<name>.log.
- ``browse(server)``: a new reader (a new tab: a new Streamlit session) that can only reach
  localhost. Every request to another host fails in Chromium (no other host resolves) and is
  recorded, every alert dialog and uncaught page error is recorded, and each test fails if any
  happened.

The server and browser helpers themselves live in bench/harness.py: the benchmark uses them too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from browser_support import APP_ENV, Reader
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from bench.harness import ARTIFACTS, VIEWPORT, OfflineGuard, StreamlitServer, launch_chromium


# ---- servers ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def start_server() -> Iterator[Callable[..., StreamlitServer]]:
    """``start_server(name, **env)``: a started server; all of them stopped after the session."""
    started: list[StreamlitServer] = []

    def start(name: str, **env: str | None) -> StreamlitServer:
        overrides: dict[str, str | None] = dict.fromkeys(APP_ENV)
        overrides.update(env)
        server = StreamlitServer(log_path=ARTIFACTS / f"{name}.log", env=overrides)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def server(start_server: Callable[..., StreamlitServer]) -> StreamlitServer:
    """The app on the shipped data/ and seeds/."""
    return start_server("server")


# ---- the browser --------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def shared_context(browser: Browser) -> Iterator[BrowserContext]:
    """One browser profile for the readers of a test session, as one reader's browser keeps the
    app's scripts in its cache between visits (a fresh profile per test costs a full download
    and compile of the frontend each time). Each reader is still its own tab, so its own
    Streamlit session; ``browse(server, fresh=True)`` gives a profile of its own."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def browse(browser: Browser, shared_context: BrowserContext) -> Iterator[Callable[..., Reader]]:
    """``browse(server, fresh=False)``: a new reader (a new tab, so a new Streamlit session) on
    ``server``; ``fresh=True`` for a new profile too (no cookies, no cache: only a link).
    Fails the test on offline breaches and dialogs."""
    readers: list[Reader] = []
    fresh_contexts: list[BrowserContext] = []

    def open_reader(server: StreamlitServer, *, fresh: bool = False) -> Reader:
        context = shared_context
        if fresh:
            context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
            fresh_contexts.append(context)
        page = context.new_page()
        guard = OfflineGuard()
        guard.watch(page)
        reader = Reader(server, context, page, guard)

        def on_dialog(dialog: Any) -> None:
            reader.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: reader.page_errors.append(str(error)))
        readers.append(reader)
        return reader

    yield open_reader
    blocked = [url for reader in readers for url in reader.guard.blocked]
    dialogs = [text for reader in readers for text in reader.dialogs]
    for reader in readers:
        reader.page.close()
    for context in fresh_contexts:
        context.close()
    assert not blocked, f"the app tried to reach other hosts (it must work offline): {blocked}"
    assert not dialogs, f"dialogs opened (injected script?): {dialogs}"
