"""Bad input in a real browser: broken data and hostile text, one page each.

- A corrupted data directory: the page shows the validator's report (file:row:column lines)
  instead of a traceback (every corruption on every page: tests/test_page_bad_data.py).
- A quote containing ``<script>`` and other HTML (valid: the seed document contains it too): it
  shows as text on the page and in every export, never as markup, and no script runs. Junk URL
  parameters are tested in AppTest (tests/test_deeplink.py).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from browser_support import PAGES, Reader, download_all, download_pack

from bench.harness import REPO_ROOT, StreamlitServer
from dashboard.ingest.validate import validate_dataset
from tests.test_page_bad_data import _rows as read_rows
from tests.test_page_bad_data import _write as write_rows
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
SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>qzbold</b>"
IMAGE = "<img src=x onerror=alert(2)>"
INJECTED = f"Injected {SCRIPT} {BOLD} {IMAGE} end."
SEED_SOURCE = "000-35de1b5f2ce09a87"

# In the page's text every fragment of the injection comes with its tags around it, i.e. it
# was shown as written; and no element was made from it. (A script *made from* the text holds
# exactly ``alert(1)``; Plotly's own script in an HTML export carries the escaped text as data.)
INJECTED_ELEMENTS_JS = """
() => ({
  scripts: Array.from(document.querySelectorAll('script'))
    .filter((s) => s.textContent.trim() === 'alert(1)').length,
  bold: Array.from(document.querySelectorAll('b, strong'))
    .filter((b) => b.textContent.includes('qzbold')).length,
  images: document.querySelectorAll('img[src="x"], image[href="x"]').length,
})
"""


def hostile_dataset(root: Path) -> tuple[Path, Path]:
    """data/ and seeds/ copies where seed 000 and one quote per fact table contain HTML.

    The seed document gets the injected sentence appended, so the quotes that carry it are still
    verbatim: the dataset validates and the app shows it.
    """
    data, seeds = root / "data", root / "seeds"
    shutil.copytree(REPO_ROOT / "data", data)
    shutil.copytree(REPO_ROOT / "seeds", seeds)
    seed = seeds / "000_35de1b5f2ce09a87.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + f"\n{INJECTED}\n", encoding="utf-8")
    for table in ("events", "designations", "estimates"):
        rows = read_rows(data / f"{table}.csv")
        header = rows[0]
        source, quote = header.index("source_id"), header.index("quote")
        row = next(r for r in rows[1:] if r[source] == SEED_SOURCE)
        row[quote] = INJECTED
        write_rows(data / f"{table}.csv", rows)
    return data, seeds


def literal_problems(text: str) -> list[str]:
    """Fragments of the injection that appear without their tags (i.e. were parsed as HTML)."""
    problems = []
    for fragment, whole in (("alert(1)", SCRIPT), ("qzbold", BOLD), ("alert(2)", IMAGE)):
        if text.count(fragment) != text.count(whole):
            problems.append(f"{fragment!r} shown {text.count(fragment)}x, as {whole!r} only "
                            f"{text.count(whole)}x")  # fmt: skip
    return problems


@pytest.fixture(scope="module")
def hostile_server(
    start_server: StartServer, tmp_path_factory: pytest.TempPathFactory
) -> StreamlitServer:
    data, seeds = hostile_dataset(tmp_path_factory.mktemp("hostile"))
    report = validate_dataset(data, seeds)
    assert report.ok, report.format()
    return start_server(
        "server-hostile", DASHBOARD_DATA_DIR=str(data), DASHBOARD_SEEDS_DIR=str(seeds)
    )


def check_export(reader: Reader, path: Path) -> list[str]:
    """Problems with how ``path`` (a downloaded export) carries the injected text."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".json", ".md"):
        body = path.read_text(encoding="utf-8-sig")
        return literal_problems(body)
    if suffix == ".pptx":
        with zipfile.ZipFile(path) as deck:
            texts = [
                "".join(ElementTree.fromstring(deck.read(name)).itertext())
                for name in deck.namelist()
                if name.startswith("ppt/") and name.endswith(".xml")
            ]
        return literal_problems("".join(texts))
    if suffix == ".svg":
        tree = ElementTree.parse(path)
        tags = {element.tag.rsplit("}", 1)[-1] for element in tree.iter()}
        problems = [f"{path.name} contains a <{tag}>" for tag in ("script", "foreignObject")
                    if tag in tags]  # fmt: skip
        return problems + literal_problems("".join(tree.getroot().itertext()))
    if suffix in (".html", ".htm"):
        # Opened as a reader would open it: no dialog, no injected element, text literal.
        # Plotly keeps the figure as JSON in a script, which the text check does not read.
        reader.page.goto(path.as_uri(), wait_until="load")
        reader.page.wait_for_timeout(500)
        found = reader.page.evaluate(INJECTED_ELEMENTS_JS)
        problems = [f"{path.name}: {name} made from the text" for name, n in found.items() if n]
        return problems + literal_problems(reader.text())
    return []  # PNG: pixels; what they show is checked through the SVG of the same chart


def test_html_in_a_quote_stays_literal_on_the_page_and_in_every_export(
    hostile_server: StreamlitServer, browse: Browse, tmp_path: Path
) -> None:
    """One page in the browser (the timeline: hovers, tables and every export of its charts,
    and the briefing pack); the other pages' text is checked in AppTest and unit tests."""
    page = next(p for p in PAGES if p.slug == "timeline")
    reader = browse(hostile_server)
    reader.open(page)
    assert not reader.exceptions(), page.slug
    text = reader.text()
    assert not literal_problems(text), f"{page.slug}: {literal_problems(text)}"
    assert reader.page.evaluate(INJECTED_ELEMENTS_JS) == {"scripts": 0, "bold": 0, "images": 0}
    if page.slug == "sources":  # shows every seed document in full, with its quotes
        assert INJECTED in text

    # PNGs are pixels: what they show is checked through the SVG of the same chart
    files = download_all(reader, tmp_path, skip=lambda label: "PNG" in label)
    files.append(download_pack(reader, tmp_path))
    if page.has_charts:
        assert files, f"{page.slug}: no exports to check (download buttons expected)"
    viewer = browse(hostile_server)  # a separate tab to open HTML exports in
    problems = [problem for path in files for problem in check_export(viewer, path)]
    assert not problems, problems
    assert not reader.exceptions(), page.slug  # an injected handler would have fired by now
    reader.assert_healthy()
    viewer.assert_healthy()
