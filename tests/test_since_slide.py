"""The briefing pack's "Since <date>" slide: the whole list, continued rather than cut."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pptx import Presentation

from dashboard.export import briefing_pack
from dashboard.export.since_slide import (
    LINE_BUDGET,
    add_since_slides,
    item_line,
    pages,
    slide_lines,
)
from dashboard.ingest.loader import load_dataset
from dashboard.view.changes import Change, Changes, Window, changes_since
from dashboard.view.filters import FilterState

D = dt.date


def slide_text(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def test_the_pack_carries_the_since_slide_after_the_title(ds) -> None:
    changes = changes_since(ds, FilterState(since=D(2024, 6, 30)))
    deck = briefing_pack.build_pack(
        ds, [], filters_text="none", coverage="", stamp_for=lambda _: "", changes=changes
    )
    slides = list(Presentation(io.BytesIO(deck)).slides)
    since = [s for s in slides if slide_text(s).startswith("Since 30 Jun 2024")]
    assert since and slides.index(since[0]) == 1
    text = "\n".join(slide_text(s) for s in since)
    for item in changes.items:
        assert item_line(item) in text
    assert changes.summary() in text
    notes = since[0].notes_slide.notes_text_frame.text
    assert "sources?source=" in notes


def test_without_changes_the_pack_is_unchanged(ds) -> None:
    deck = briefing_pack.build_pack(
        ds, [], filters_text="none", coverage="", stamp_for=lambda _: ""
    )
    slides = list(Presentation(io.BytesIO(deck)).slides)
    assert len(slides) == 2  # title and sources
    assert not any("Since" in slide_text(s) for s in slides)


def test_a_long_list_continues_on_more_slides_and_loses_nothing() -> None:
    window = Window(D(2024, 6, 30), None, False, D(2025, 7, 4))
    items = tuple(
        Change("events", f"Attack — Province {n // 5}", "new event", f"Event number {n}. " * 6)
        for n in range(60)
    )
    changes = Changes(window, items)
    lines = slide_lines(changes)
    split = list(pages(lines))
    assert len(split) > 1
    assert sum(len(page) for page in split) >= len(lines)
    assert all(sum(line.height for line in page) <= LINE_BUDGET for page in split)
    assert all(page[-1].style not in ("section", "group") for page in split)
    prs = Presentation()
    assert add_since_slides(prs, changes) == len(split)
    texts = [slide_text(s) for s in prs.slides]
    assert texts[0].startswith("Since 30 Jun 2024\n")
    assert texts[1].startswith("Since 30 Jun 2024 (continued)")
    joined = "\n".join(texts)
    assert all(item_line(item) in joined for item in items)


def test_an_empty_window_still_makes_a_slide_that_says_so() -> None:
    changes = Changes(Window(D(2025, 7, 4), None, False, D(2025, 7, 4)), ())
    prs = Presentation()
    assert add_since_slides(prs, changes) == 1
    assert "Nothing first reported since 4 Jul 2025." in slide_text(prs.slides[0])
