"""Bad input in a real browser: broken data and hostile text, one page each.

- A corrupted data directory: the page shows the validator's report (file:row:column lines)
  instead of a traceback (every corruption on every page: tests/test_page_bad_data.py).
- A quote containing ``<script>`` and other HTML (valid: the seed document contains it too): it
  shows as text on the page and in one download of each format, never as markup, and no script
  runs (every chart's exports: tests/test_export_injection.py). Junk URL parameters are tested
  in AppTest (tests/test_deeplink.py).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from browser_support import PAGES, Reader, download_one_per_format, download_pack

from bench.harness import REPO_ROOT, StreamlitServer
from dashboard.charts import catalog
from dashboard.export import briefing_pack, since_slide
from dashboard.ingest.loader import load_dataset
from dashboard.ingest.validate import validate_dataset
from dashboard.view.changes import changes_since
from dashboard.view.filters import FilterState
from tests.hostile_text import INJECTED, export_problems, hostile_dataset, literal_problems
from tests.test_page_bad_data import changed_quote

pytestmark = pytest.mark.browser

Browse = Callable[[StreamlitServer], Reader]
StartServer = Callable[..., StreamlitServer]

REPORT_HEADLINE = "did not pass validation"


# ---- corrupted data -----------------------------------------------------------------------------
def test_corrupted_data_shows_the_validation_report_in_the_browser(
    start_server: StartServer, browse: Browse, tmp_path: Path
) -> None:
    """One corruption on one page, as a reader sees it; every corruption on every page runs in
    AppTest (tests/test_page_bad_data.py)."""
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    expected_line = changed_quote(data)
    assert not validate_dataset(data).ok  # the corruption is one the validator catches
    server = start_server("server-changed-quote", DASHBOARD_DATA_DIR=str(data))
    reader = browse(server)
    reader.open(PAGES[0])
    reader.screenshot("bad-data-changed-quote")
    assert not reader.exceptions(), "exception box instead of the report"
    text = reader.main_text()
    assert "Traceback" not in text
    assert REPORT_HEADLINE in text, "the page does not say the data failed validation"
    report = "\n".join(reader.page.get_by_test_id("stCode").all_inner_texts())
    assert re.search(expected_line, report), f"no {expected_line!r} in\n{report}"
    assert not reader.charts(), "charts drawn from data that failed validation"
    reader.assert_healthy()
    assert not re.search(r"Traceback", server.log_text()), server.log_text()


# ---- hostile text -------------------------------------------------------------------------------
# In the page every fragment of the injection comes with its tags around it, i.e. it was shown as
# written; and no element was made from it. (A script *made from* the text holds exactly
# ``alert(1)``; Plotly's own script in an HTML export carries the escaped text as data.)
INJECTED_ELEMENTS_JS = """
() => ({
  scripts: Array.from(document.querySelectorAll('script'))
    .filter((s) => s.textContent.trim() === 'alert(1)').length,
  bold: Array.from(document.querySelectorAll('b, strong'))
    .filter((b) => b.textContent.includes('qzbold')).length,
  images: document.querySelectorAll('img[src="x"], image[href="x"]').length,
})
"""
NOTHING_MADE = {"scripts": 0, "bold": 0, "images": 0}


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    data, seeds = hostile_dataset(tmp_path_factory.mktemp("hostile"))
    report = validate_dataset(data, seeds)
    assert report.ok, report.format()
    return data, seeds


def test_html_in_a_quote_stays_literal_on_the_page_and_in_one_download_of_each_format(
    start_server: StartServer, browse: Browse, hostile_data: tuple[Path, Path], tmp_path: Path
) -> None:
    """On data whose quotes carry HTML, the Sources page (the seed document in full) and the
    timeline (quotes in hovers; its download buttons) show it as text and run nothing; one
    download of each format and the briefing pack are real files that keep it as text, and the
    HTML export opened in the browser runs nothing. Every chart's exports are checked in
    tests/test_export_injection.py, the other pages' text in AppTest."""
    data, seeds = hostile_data
    server = start_server(
        "server-hostile", DASHBOARD_DATA_DIR=str(data), DASHBOARD_SEEDS_DIR=str(seeds)
    )
    reader = browse(server)
    reader.open(next(p for p in PAGES if p.slug == "sources"))
    reader.open_expanders("Full text")  # every seed document in full, with its records
    assert reader.page.locator(".source-text").count() == 5
    text = reader.text()
    assert INJECTED in text, "the injected quote is not on the page: the test would check nothing"
    assert not literal_problems(text), literal_problems(text)
    assert reader.page.evaluate(INJECTED_ELEMENTS_JS) == NOTHING_MADE
    page = next(p for p in PAGES if p.slug == "timeline")  # charts with the quote in hovers
    reader.open(page)
    assert not reader.exceptions(), page.slug
    assert not literal_problems(reader.text()), literal_problems(reader.text())
    assert reader.page.evaluate(INJECTED_ELEMENTS_JS) == NOTHING_MADE

    files = download_one_per_format(reader, tmp_path)
    assert set(files) == {"PNG", "SVG", "HTML", "CSV"}
    pack = download_pack(reader, tmp_path)
    problems = [
        problem
        for path in [*files.values(), pack]
        for problem in export_problems(path.name, path.read_bytes())
    ]
    assert not problems, problems
    with zipfile.ZipFile(pack) as deck:
        slides = [n for n in deck.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
    ds = load_dataset(data, seeds)
    specs = catalog.chart_specs(ds, FilterState())
    window = changes_since(ds, FilterState(), data)  # the pack carries "Since <date>" slides
    since = sum(1 for _ in since_slide.pages(since_slide.slide_lines(window)))
    expected = 1 + since + len(specs) + briefing_pack.source_slides(ds, specs)
    assert len(slides) == expected, f"{len(slides)} slides for {len(specs)} charts"

    viewer = browse(server)  # the HTML export opened as a reader would open it
    viewer.page.goto(files["HTML"].as_uri(), wait_until="load")
    viewer.page.wait_for_function("() => document.querySelector('.js-plotly-plot .main-svg')")
    assert viewer.page.evaluate(INJECTED_ELEMENTS_JS) == NOTHING_MADE
    assert not literal_problems(viewer.text()), literal_problems(viewer.text())
    assert not reader.exceptions(), page.slug  # an injected handler would have fired by now
    reader.assert_healthy()
    viewer.assert_healthy()
