"""AppTest: the What-changed page, its window in the URL, and the same list everywhere."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

from pptx import Presentation
from streamlit.testing.v1 import AppTest

from dashboard import ui
from dashboard.export import briefing_pack
from dashboard.export.since_slide import item_line
from dashboard.ingest.loader import load_dataset
from dashboard.view.changes import changes_since, item_markdown
from dashboard.view.filters import FilterState

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"


def open_page(page: str = "pages/since.py", **params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page(page).run()


def markdown_of(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_same_list_on_the_page_the_overview_the_slide_and_the_command() -> None:
    ds = load_dataset()
    changes = changes_since(ds, FilterState(since=dt.date(2024, 6, 30)))
    assert len(changes) > 0
    page = open_page(since="2024-06-30")
    assert not page.exception
    shown = markdown_of(page)
    for item in changes.items:
        assert item_markdown(item, ui.plain) in shown
    assert ui.plain(changes.summary()) in shown
    overview = open_page("pages/overview.py", since="2024-06-30")
    assert not overview.exception
    assert ui.plain(changes.summary()) in markdown_of(overview)
    assert any(el.proto.page == "since" for el in overview.get("page_link"))
    deck = briefing_pack.build_pack(
        ds, [], filters_text="", coverage="", stamp_for=lambda _: "", changes=changes
    )
    slides = "\n".join(
        shape.text_frame.text
        for slide in Presentation(io.BytesIO(deck)).slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    command = subprocess.run(
        [sys.executable, "-m", "dashboard", "changes", "--since", "2024-06-30"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    for item in changes.items:
        assert item_line(item) in slides
        assert item_markdown(item) in command


def test_default_window_and_downloads() -> None:
    at = open_page()
    assert not at.exception
    captions = "\n".join(c.value for c in at.caption)
    assert "90 days before the newest source" in captions
    labels = {d.proto.label for d in at.get("download_button")}
    assert {"Markdown", "CSV"} <= labels
    assert "since" not in at.query_params  # the default is not written into the address


def test_picking_a_date_puts_the_window_in_the_address() -> None:
    at = open_page()
    at.date_input(key="since_pick").set_value(dt.date(2024, 6, 30)).run()
    assert not at.exception
    assert at.query_params["since"] == "2024-06-30"
    assert "since 30 Jun 2024" in markdown_of(at)
    at.button[0].click().run()  # back to the default window
    assert "since" not in at.query_params


def test_a_bad_date_in_the_link_is_named() -> None:
    at = open_page(since="2024-02-30")
    assert not at.exception
    warning = "\n".join(w.value for w in at.warning)
    assert "since=2024-02-30" in warning
    assert "90 days before the newest source" in "\n".join(c.value for c in at.caption)
