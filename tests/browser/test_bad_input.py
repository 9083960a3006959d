"""Bad input in a real browser: broken data, junk links and hostile text.

- A corrupted data directory: every page shows the validator's report (file:row:column lines)
  instead of a traceback.
- Junk URL parameters: named in one notice, dropped from the address bar, the page still renders.
- A quote containing ``<script>`` and other HTML (valid: the seed document contains it too): it
  shows as text on every page and in every export, never as markup, and no script runs.
"""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from browser_support import PAGES, Reader, download_all, download_pack, page_id

from bench.harness import REPO_ROOT, AppPage, StreamlitServer
from dashboard.ingest.validate import validate_dataset

pytestmark = pytest.mark.browser

Browse = Callable[[StreamlitServer], Reader]
StartServer = Callable[..., StreamlitServer]

REPORT_HEADLINE = "did not pass validation"


# ---- corrupted data -----------------------------------------------------------------------------
def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def ragged_row(data: Path) -> str:
    """events.csv row 4 gets one cell too many (an unquoted comma, as a hand edit makes)."""
    rows = read_rows(data / "events.csv")
    rows[3].append("stray cell")
    write_rows(data / "events.csv", rows)
    return r"events\.csv:4:-: row has \d+ cells but the header has \d+"


def changed_quote(data: Path) -> str:
    """A quote "tidied" by one digit no longer matches its seed document."""
    rows = read_rows(data / "estimates.csv")
    column = rows[0].index("quote")
    assert "25,000" in rows[1][column]
    rows[1][column] = rows[1][column].replace("25,000", "35,000")
    write_rows(data / "estimates.csv", rows)
    return r"estimates\.csv:2:quote: quote not found verbatim"


def missing_file(data: Path) -> str:
    (data / "designations.csv").unlink()
    return r"designations\.csv:-:-: .+"


CORRUPTIONS = {
    "ragged_row": ragged_row,
    "changed_quote": changed_quote,
    "missing_file": missing_file,
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_corrupted_data_shows_the_validation_report_on_every_page(
    start_server: StartServer, browse: Browse, tmp_path: Path, corruption: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    expected_line = CORRUPTIONS[corruption](data)
    assert not validate_dataset(data).ok  # the corruption is one the validator catches
    server = start_server(f"server-{corruption.replace('_', '-')}", DASHBOARD_DATA_DIR=str(data))
    reader = browse(server)
    reader.open(PAGES[0])
    for page in PAGES:
        if page is not PAGES[0]:
            reader.go(page)
        if page is PAGES[0]:
            reader.screenshot(f"bad-data-{corruption}")
        assert not reader.exceptions(), f"{page.slug}: exception box instead of the report"
        text = reader.main_text()
        assert "Traceback" not in text, page.slug
        assert REPORT_HEADLINE in text, f"{page.slug} does not say the data failed validation"
        report = "\n".join(reader.page.get_by_test_id("stCode").all_inner_texts())
        assert re.search(expected_line, report), f"{page.slug}: no {expected_line!r} in\n{report}"
        assert not reader.charts(), f"{page.slug} draws charts from data that failed validation"
    reader.assert_healthy()
    assert not re.search(r"Traceback", server.log_text()), server.log_text()


# ---- junk links ---------------------------------------------------------------------------------
JUNK = "utm_campaign=x&from=not-a-date&source=no-such-source&group=taliban&evidence=verbatim"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_junk_url_parameters_are_named_in_a_notice_and_dropped(
    server: StreamlitServer, browse: Browse, page: AppPage
) -> None:
    reader = browse(server)
    reader.open(page, JUNK)
    assert not reader.exceptions(), page.slug
    notices = reader.page.get_by_test_id("stAlert").all_inner_texts()
    junk_notice = [text for text in notices if "utm_campaign" in text]
    assert len(junk_notice) == 1, f"{page.slug}: no single notice naming the junk: {notices}"
    for named in ("utm_campaign=x", "from=not-a-date", "source=no-such-source", "evidence="):
        assert named in junk_notice[0], f"{page.slug}: {named!r} not named"
    # the address bar keeps only what was understood
    assert parse_qs(urlsplit(reader.page.url).query) == {"group": ["taliban"]}, reader.page.url
    reader.assert_healthy()


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


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_html_in_a_quote_stays_literal_on_the_page_and_in_every_export(
    hostile_server: StreamlitServer, browse: Browse, page: AppPage, tmp_path: Path
) -> None:
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
    if page is PAGES[0]:  # the briefing pack, from the sidebar, once
        files.append(download_pack(reader, tmp_path))
    if page.has_charts:
        assert files, f"{page.slug}: no exports to check (download buttons expected)"
    viewer = browse(hostile_server)  # a separate tab to open HTML exports in
    problems = [problem for path in files for problem in check_export(viewer, path)]
    assert not problems, problems
    assert not reader.exceptions(), page.slug  # an injected handler would have fired by now
    reader.assert_healthy()
    viewer.assert_healthy()
