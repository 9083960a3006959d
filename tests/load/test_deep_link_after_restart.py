"""A deep link opened first on a freshly started server is served through app.py.

Streamlit takes an app with a ``pages/`` folder for an old-style multipage app until a script
calls ``st.navigation``; a page requested before that ran on its own, without app.py's page
configuration and page links (``ui.run_through_app``). Each test starts its own server: the
first request is the point.
"""

from __future__ import annotations

import pytest

from bench.harness import ARTIFACTS, StreamlitServer, app_pages
from bench.load import APP_ENV, run_coroutine
from bench.protocol import PageRun, StreamlitSession

pytestmark = pytest.mark.protocol_load


async def _first_run(base_url: str, path: str) -> PageRun:
    session = StreamlitSession(base_url, timeout=60)
    try:
        await session.open(path)
        return await session.run(path=path)
    finally:
        await session.close()


def test_a_deep_link_first_after_a_restart_runs_through_app_py() -> None:
    pages = {page.slug: page for page in app_pages()}
    strength = pages["strength"]
    with StreamlitServer(log_path=ARTIFACTS / "deep-link-after-restart.log", env=APP_ENV) as server:
        run = run_coroutine(_first_run(server.base_url, strength.url_path))
        assert not run.problems, run.problems
        links = [e.page_link.label for e in run.elements if e.WhichOneof("type") == "page_link"]
        # app.py's own page links, by their titles (Streamlit's file list would say "strength");
        # the sidebar draws them once, then again with the filters the page read
        assert links and links[-len(pages) :] == [page.title for page in pages.values()]
        headings = [e.heading.body for e in run.elements if e.WhichOneof("type") == "heading"]
        assert "How big are the militant groups, and according to whom?" in headings
        assert not server.log_problems()
