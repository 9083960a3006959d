"""AppTest: the Sources page shows every source, its metadata, highlighted text and evidence."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"
KABULNOW = "001-8b132ec3de4e0615"


def open_sources(**params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page("pages/sources.py").run()


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shown(markup: str) -> _Text:
    parser = _Text()
    parser.feed(markup)
    return parser


def test_every_source_is_listed_and_marked_seed_or_external() -> None:
    at = open_sources()
    assert not at.exception
    table = at.dataframe[0].value
    with (APP.parent / "data" / "sources.csv").open(newline="", encoding="utf-8") as handle:
        total = sum(1 for _ in csv.DictReader(handle))
    external = total - 5  # the five seed documents
    assert len(table) == total
    assert set(table["Kind"]) == {"Seed document", "External"}
    assert (table["Kind"] == "Seed document").sum() == 5
    tabs = [tab.label for tab in at.tabs]
    assert tabs == ["Seed documents (5)", f"External sources ({external})"]
    coverage = [m.value for m in at.markdown if "sources shown" in m.value]
    assert coverage and "5 seed" in coverage[0] and f"{external} external" in coverage[0]


def test_seed_text_is_shown_whole_with_marks_and_records() -> None:
    at = open_sources(source=KABULNOW)
    assert not at.exception
    bodies = [h.proto.body for h in at.html]
    texts = [b for b in bodies if 'class="source-text"' in b]
    assert len(texts) == 1
    seed = (APP.parent / "seeds" / "001_8b132ec3de4e0615.txt").read_text(encoding="utf-8")
    displayed = re.sub(r"\[\d+\]", "", "".join(shown(texts[0]).parts))
    assert displayed == seed  # the full document, every character as written
    assert "script" not in shown(texts[0]).tags
    marks = texts[0].count("<mark ")
    records = [b for b in bodies if 'class="source-records"' in b]
    assert marks > 5 and len(records) == 1
    assert records[0].count('id="src-001-8b132ec3de4e0615-r') == marks
    assert "isisk-fighters-sidorov-2023" in records[0]


def test_metadata_and_date_basis_are_shown() -> None:
    at = open_sources(source=KABULNOW)
    meta = [h.proto.body for h in at.html if 'class="source-meta"' in h.proto.body]
    assert len(meta) == 1
    text = "".join(shown(meta[0]).parts)
    assert "Jun 2024 (inferred from the source)" in text
    assert "A meeting on Monday, June 3" in text  # the notes explain the basis
    assert 'href="https://kabulnow.com/2024/06/' in meta[0]


def test_external_sources_show_link_dates_and_evidence() -> None:
    at = open_sources(source="ext-kun-uz-2024-09-06")
    assert not at.exception
    bodies = [h.proto.body for h in at.html]
    meta = next(b for b in bodies if 'class="source-meta"' in b)
    text = "".join(shown(meta).parts)
    assert "Accessed" in text and "6 Sep 2024 (from outside the source)" in text
    evidence = next(b for b in bodies if 'class="source-evidence"' in b)
    assert "kg-delisted-2024-09-02-kun-uz-2024-09-06" in evidence
    assert "Evidence:" in evidence
    assert not any('class="source-text"' in b for b in bodies)


def test_seed_only_and_known_as_of_narrow_the_sources() -> None:
    seeds = open_sources(evidence="seed")
    assert len(seeds.dataframe[0].value) == 5
    assert [tab.label for tab in seeds.tabs] == ["Seed documents (5)", "External sources (0)"]

    june = open_sources(known_as_of="2024-06-30")
    table = june.dataframe[0].value
    assert "003-d769d6b22a385456" not in set(table["Source id"])  # published Dec 2024
    assert KABULNOW in set(table["Source id"])
    coverage = next(m.value for m in june.markdown if "sources shown" in m.value)
    assert "known as of 2024" in coverage


def test_no_source_matches() -> None:
    at = open_sources(evidence="seed", source="ext-kun-uz-2024-09-06")
    assert not at.exception
    assert any("No source matches" in i.value for i in at.info)
