"""A dataset whose quotes carry HTML and script, and the checks that it stays text.

The seed document gets the injected sentence appended, so the quotes that carry it are still
verbatim: the dataset validates and the app shows it (a seed document may contain markup). Used
by the unit test of every chart's exports (tests/test_export_injection.py) and the browser test
of the page and one download of each format (tests/browser/test_bad_input.py).
"""

from __future__ import annotations

import io
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from dashboard import REPO_ROOT
from tests.test_page_bad_data import _rows as read_rows
from tests.test_page_bad_data import _write as write_rows

SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>qzbold</b>"
IMAGE = "<img src=x onerror=alert(2)>"
INJECTED = f"Injected {SCRIPT} {BOLD} {IMAGE} end."
SEED_SOURCE = "000-35de1b5f2ce09a87"


def hostile_dataset(root: Path) -> tuple[Path, Path]:
    """data/ and seeds/ copies under ``root`` where seed 000 and one quote per fact table
    contain HTML."""
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


class _Elements(HTMLParser):
    """What an HTML parser (as a browser's) makes of a document: elements made from the
    injection, and the text outside scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.made: list[str] = []
        self.text: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img" and ("src", "x") in attrs:
            self.made.append("an <img src=x>")
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        inside = self._open[-1] if self._open else ""
        if inside == "script" and data.strip() == "alert(1)":
            self.made.append("a <script> running alert(1)")
        elif inside in ("b", "strong") and "qzbold" in data:
            self.made.append("a <b> made from the quote")
        elif inside not in ("script", "style"):
            self.text.append(data)


def export_problems(name: str, body: bytes) -> list[str]:
    """Problems with how an export file carries the injected text (PNG: pixels, not checked
    here; what they show is checked through the SVG of the same chart)."""
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".txt", ".json", ".md"):
        return literal_problems(body.decode("utf-8-sig"))
    if suffix == ".pptx":
        with zipfile.ZipFile(io.BytesIO(body)) as deck:
            texts = [
                "".join(ElementTree.fromstring(deck.read(part)).itertext())
                for part in deck.namelist()
                if part.startswith("ppt/") and part.endswith(".xml")
            ]
        return literal_problems("".join(texts))
    if suffix == ".svg":
        root = ElementTree.fromstring(body)
        tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
        problems = [f"{name} contains a <{tag}>" for tag in ("script", "foreignObject")
                    if tag in tags]  # fmt: skip
        return problems + literal_problems("".join(root.itertext()))
    if suffix in (".html", ".htm"):
        parser = _Elements()
        parser.feed(body.decode("utf-8"))
        parser.close()
        return [f"{name}: {made}" for made in parser.made] + literal_problems("".join(parser.text))
    return []
