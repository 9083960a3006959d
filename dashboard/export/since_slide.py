"""The briefing pack's "Since <date>" slide: what changed since the last briefing.

The slide shows the same list as the Since page and ``python -m dashboard changes``
(``dashboard.view.changes.Changes``): section headings, one line per change with its kind,
sentence, first-reported date and sources. A long list continues on further slides ("Since
30 Jun 2024 (continued)") rather than shrinking to an unreadable size or being cut; the notes
of each slide carry the record ids and their links, for whoever presents it. Text from the data
is set as plain text runs (never interpreted).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pptx.util import Inches, Pt

from dashboard.view.changes import SECTIONS, Change, Changes

SLIDE_W = Inches(13.333)
SLIDE_H = Inches(7.5)
MARGIN = Inches(0.35)
BODY_PT = 12
HEADING_PT = 14
LINE_BUDGET = 26  # lines of BODY_PT text the body holds below the title
CHARS_PER_LINE = 150  # at BODY_PT across the slide's width


@dataclass(frozen=True)
class Line:
    """One paragraph of the slide body: a section heading, a group, a change or a note."""

    text: str
    style: str  # "section" | "group" | "item" | "note"
    change: Change | None = None

    @property
    def height(self) -> int:
        """Lines it takes on the slide (headings take one and a bit)."""
        if self.style == "section":
            return 2
        return max(1, math.ceil(len(self.text) / CHARS_PER_LINE))


def item_line(change: Change) -> str:
    """ "New step: Sentence. First reported 6 Sep 2024. Sources: A; B." """
    text = f"{change.kind_label}: {change.sentence}"
    if change.first_reported:
        text += f" First reported {change.first_reported}."
    if change.sources:
        text += f" Sources: {change.source_text()}."
    return text


def slide_lines(changes: Changes) -> list[Line]:
    """The list in the slide's order: the summary, then each section with its groups."""
    lines = [Line(changes.summary(), "note")]
    lines += [Line(note, "note") for note in changes.notes.get("general", ())]
    for name, heading in SECTIONS.items():
        groups = changes.groups(name)
        notes = changes.notes.get(name, ())
        if not groups and not notes:
            continue
        lines.append(Line(heading, "section"))
        for group, items in groups:
            if name != "corrections":
                lines.append(Line(group, "group"))
            lines += [Line(item_line(item), "item", item) for item in items]
        lines += [Line(note, "note") for note in notes]
    return lines


def pages(lines: list[Line], budget: int = LINE_BUDGET) -> Iterator[list[Line]]:
    """Lines split into slides of at most ``budget`` lines; a heading never ends a slide."""
    page: list[Line] = []
    used = 0
    for line in lines:
        if page and used + line.height > budget:
            carried = []
            while page and page[-1].style in ("section", "group"):
                carried.insert(0, page.pop())
            yield page
            page, used = carried, sum(c.height for c in carried)
        page.append(line)
        used += line.height
    if page:
        yield page


def add_since_slides(prs: Any, changes: Changes) -> int:
    """Append the "Since <date>" slide(s) to ``prs``; returns how many were added."""
    title = changes.window.title
    count = 0
    for number, page in enumerate(pages(slide_lines(changes))):
        slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
        heading = slide.shapes.add_textbox(MARGIN, MARGIN, SLIDE_W - 2 * MARGIN, Inches(0.9))
        frame = heading.text_frame
        frame.word_wrap = True
        _run(frame.paragraphs[0], title + (" (continued)" if number else ""), 26, bold=True)
        _run(frame.add_paragraph(), changes.window.describe(), 11)
        body = slide.shapes.add_textbox(
            MARGIN, MARGIN + Inches(1.0), SLIDE_W - 2 * MARGIN, SLIDE_H - 2 * MARGIN - Inches(1.0)
        ).text_frame
        body.word_wrap = True
        for index, line in enumerate(page):
            paragraph = body.paragraphs[0] if index == 0 else body.add_paragraph()
            if line.style == "section":
                _run(paragraph, line.text, HEADING_PT, bold=True)
                paragraph.space_before = Pt(6)
            elif line.style == "group":
                _run(paragraph, line.text, BODY_PT, bold=True)
            elif line.style == "item":
                paragraph.level = 1
                _run(paragraph, "• " + line.text, BODY_PT)
            else:
                _run(paragraph, line.text, BODY_PT - 1, italic=True)
        slide.notes_slide.notes_text_frame.text = _notes(page)
        count += 1
    return count


def _run(paragraph: Any, text: str, size: int, *, bold: bool = False, italic: bool = False):
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    return run


def _notes(page: list[Line]) -> str:
    """Record ids and where to find them (the Sources page of the dashboard)."""
    out = []
    for line in page:
        if line.change is None or not line.change.records:
            continue
        records = ", ".join(f"{r.record_id} ({r.link})" for r in line.change.records)
        out.append(f"{line.change.sentence}\nRecords: {records}")
    return "\n\n".join(out) or "No record behind this slide's lines."
