"""AppTest: the Sources page shows every source, its metadata, highlighted text and evidence.

A seed's full text and its records list, and the tab not chosen, are built only once the reader
opens them (ui.lazy_expander, ui.lazy_tabs): AppTest opens one by setting its key in
``session_state`` before a run, as the browser's click sets the widget's state."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Expander

from dashboard.view.evidence import anchor_prefix
from tests.sidebar_filters import filter_list

APP = Path(__file__).resolve().parent.parent / "app.py"
KABULNOW = "001-8b132ec3de4e0615"


def open_sources(**params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page("pages/sources.py").run()


def full_text(at: AppTest, source_id: str) -> Expander:
    """The expander holding a seed's full text (open or not)."""
    key = f"{anchor_prefix(source_id)}-text"
    (box,) = [box for box in at.expander if box.proto.id.endswith(key)]
    return box


def open_full_text(at: AppTest, source_id: str) -> Expander:
    """Open a seed's full text as a reader's click does, and return its expander."""
    at.session_state[f"{anchor_prefix(source_id)}-text"] = True
    at.run()
    assert not at.exception
    return full_text(at, source_id)


def choose_tab(at: AppTest, starts_with: str) -> AppTest:
    """Select the tab whose label starts with ``starts_with``, as a reader's click does."""
    (label,) = [tab.label for tab in at.tabs if tab.label.startswith(starts_with)]
    at.session_state["sources_kind"] = label
    return at.run()


def bodies(node: object) -> list[str]:
    """The HTML of every st.html under ``node`` (the page or a container)."""
    return [h.proto.body for h in node.html]  # type: ignore[attr-defined]


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


def test_seed_texts_and_the_other_tab_are_built_only_when_opened() -> None:
    at = open_sources()
    assert not at.exception
    shown = bodies(at)
    assert sum('class="source-meta"' in b for b in shown) == 5  # every seed's metadata
    assert not any('class="source-text"' in b or 'class="source-records"' in b for b in shown)
    assert not any('class="source-evidence"' in b for b in shown)  # the closed external tab
    assert not any("Records quoting this document" in m.value for m in at.markdown)
    boxes = [box for box in at.expander if box.label.startswith("Full text")]
    assert len(boxes) == 5 and not any(box.proto.expanded or box.children for box in boxes)
    anchors = {h.proto.anchor for h in at.subheader}
    assert anchor_prefix(KABULNOW) in anchors  # a link to a source still finds its heading

    box = open_full_text(at, KABULNOW)
    assert box.proto.expanded
    assert sum('class="source-text"' in b for b in bodies(at)) == 1  # only the opened one
    assert sum('class="source-text"' in b for b in bodies(box)) == 1
    others = [b for b in at.expander if b.label.startswith("Full text") and b.proto != box.proto]
    assert len(others) == 4 and not any(b.children for b in others)


def test_seed_text_is_shown_whole_with_marks_and_records() -> None:
    at = open_sources(source=KABULNOW)
    assert not at.exception
    label = full_text(at, KABULNOW).label
    box = open_full_text(at, KABULNOW)
    assert box.label == label
    inside = bodies(box)
    texts = [b for b in inside if 'class="source-text"' in b]
    assert len(texts) == 1
    seed = (APP.parent / "seeds" / "001_8b132ec3de4e0615.txt").read_text(encoding="utf-8")
    displayed = re.sub(r"\[\d+\]", "", "".join(shown(texts[0]).parts))
    assert displayed == seed  # the full document, every character as written
    assert "script" not in shown(texts[0]).tags
    marks = texts[0].count("<mark ")
    # the records list sits with the text it links to and from (#…-rN, #…-hN)
    records = [b for b in inside if 'class="source-records"' in b]
    assert marks > 5 and len(records) == 1
    assert label == f"Full text, with the {marks} quoted passages marked"
    assert records[0].count('id="src-001-8b132ec3de4e0615-r') == marks
    assert texts[0].count('id="src-001-8b132ec3de4e0615-h') == marks
    assert "isisk-fighters-sidorov-2023" in records[0]
    assert any("Records quoting this document" in m.value for m in box.markdown)


def test_what_the_reader_opened_stays_open_when_the_filters_change_it_or_it_is_away() -> None:
    """The labels carry counts that change with the filters (a new widget identity), and a run
    that does not draw a container (the other tab, another page) drops its widget state."""
    at = open_sources()
    before = open_full_text(at, KABULNOW).label
    filter_list(at, "event_types").set_value(["meeting"]).run()
    after = full_text(at, KABULNOW)
    assert after.label != before  # fewer passages marked: a new label, the same expander
    assert after.proto.expanded and sum('class="source-text"' in b for b in bodies(after)) == 1

    external = [tab.label for tab in at.tabs][1]
    choose_tab(at, "External sources")
    assert any('class="source-evidence"' in b for b in bodies(at))
    assert not any('class="source-text"' in b for b in bodies(at))  # the seed tab: not built
    at.sidebar.radio(key="filter_evidence").set_value("Seed documents only").run()
    assert [tab.label for tab in at.tabs][1] == "External sources (0)" != external
    assert any("No external source matches" in i.value for i in at.info)  # still chosen

    at.switch_page("pages/overview.py").run()
    at.switch_page("pages/sources.py").run()
    assert any("No external source matches" in i.value for i in at.info)
    choose_tab(at, "Seed documents")
    back = full_text(at, KABULNOW)
    assert back.proto.expanded and sum('class="source-text"' in b for b in bodies(back)) == 1


def test_metadata_and_date_basis_are_shown() -> None:
    at = open_sources(source=KABULNOW)
    meta = [h.proto.body for h in at.html if 'class="source-meta"' in h.proto.body]
    assert len(meta) == 1
    text = "".join(shown(meta[0]).parts)
    assert "Jun 2024 (inferred from the source's context)" in text  # the contract's label
    assert "A meeting on Monday, June 3" in text  # the notes explain the basis
    assert 'href="https://kabulnow.com/2024/06/' in meta[0]


def test_external_sources_show_link_dates_and_evidence() -> None:
    at = open_sources(source="ext-kun-uz-2024-09-06")
    assert not at.exception
    assert any("No seed document matches" in i.value for i in at.info)  # the first tab
    assert not any('class="source-meta"' in b for b in bodies(at))  # the other tab: not built
    choose_tab(at, "External sources")
    assert not at.exception
    meta = next(b for b in bodies(at) if 'class="source-meta"' in b)
    text = "".join(shown(meta).parts)
    assert "Accessed" in text and "6 Sep 2024 (from outside the source)" in text
    evidence = next(b for b in bodies(at) if 'class="source-evidence"' in b)
    assert "kg-delisted-2024-09-02-kun-uz-2024-09-06" in evidence
    assert "Evidence:" in evidence
    assert not any('class="source-text"' in b for b in bodies(at))
    assert not any("No seed document matches" in i.value for i in at.info)


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
