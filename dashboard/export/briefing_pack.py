"""The briefing pack: a PowerPoint deck for the current filters, built with python-pptx.

A title slide saying what is shown (filters, coverage), one slide per chart with the chart as a
2x PNG, its caption and its sources, and a closing slide listing every source with its date and
where to find it. Text from the data is set as plain text runs (never interpreted).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import pandas as pd
from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from dashboard.charts.spec import ChartSpec, source_line
from dashboard.export import chart_files

SLIDE_W = Inches(13.333)
SLIDE_H = Inches(7.5)
MARGIN = Inches(0.35)
TEXT_BOX_H = Inches(0.95)
PACK_TITLE = "Threats from Afghanistan to Central Asia: briefing pack"


def _text_box(slide: Any, left: int, top: int, width: int, height: int) -> Any:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    return frame


def _paragraph(frame: Any, text: str, *, size: int, bold: bool = False, first: bool = False):
    paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    return paragraph


def _title_slide(prs: Any, subtitle_lines: Sequence[str]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = PACK_TITLE
    body = slide.placeholders[1].text_frame
    body.text = subtitle_lines[0]
    for line in subtitle_lines[1:]:
        body.add_paragraph().text = line
    for paragraph in body.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(16)


def _picture_box(png: bytes, box_w: int, box_h: int) -> tuple[int, int]:
    """The picture's size fitted into the box, keeping its aspect ratio."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    scale = min(box_w / width, box_h / height)
    return int(width * scale), int(height * scale)


def _chart_slide(prs: Any, spec: ChartSpec, png: bytes, sources_text: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    box_w = SLIDE_W - 2 * MARGIN
    box_h = SLIDE_H - 2 * MARGIN - TEXT_BOX_H
    pic_w, pic_h = _picture_box(png, box_w, box_h)
    left = MARGIN + (box_w - pic_w) // 2
    slide.shapes.add_picture(io.BytesIO(png), Emu(left), MARGIN, Emu(pic_w), Emu(pic_h))
    frame = _text_box(slide, MARGIN, MARGIN + pic_h + Inches(0.05), box_w, TEXT_BOX_H)
    _paragraph(frame, spec.caption, size=11, first=True)
    _paragraph(frame, sources_text, size=10)
    slide.notes_slide.notes_text_frame.text = f"{spec.title}\n{spec.caption}\n{sources_text}"


def _source_lines(sources: pd.DataFrame, source_ids: Sequence[str]) -> list[str]:
    shown = sources[sources["source_id"].isin(set(source_ids))]
    lines = []
    for row in shown.itertuples():
        where = row.url if isinstance(row.url, str) and row.url else str(row.seed_file)
        basis = f"{row.published} ({row.published_basis})"
        kind = "seed document" if row.kind == "seed" else "external source"
        lines.append(f"{row.label}: {row.title}. Published {basis}; {kind}; {where}")
    return lines


def _sources_slide(prs: Any, lines: Sequence[str]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    frame = _text_box(slide, MARGIN, MARGIN, SLIDE_W - 2 * MARGIN, SLIDE_H - 2 * MARGIN)
    _paragraph(frame, "Sources", size=24, bold=True, first=True)
    size = 12 if len(lines) <= 12 else 9
    for line in lines or ["No source matches the current filters."]:
        _paragraph(frame, line, size=size)


def build_pack(
    ds: Any,
    specs: Sequence[ChartSpec],
    *,
    filters_text: str,
    coverage: str,
    stamp_for: Any,
    today: dt.date | None = None,
    changes: Any = None,
) -> bytes:
    """The deck as bytes. ``stamp_for(spec)`` gives each chart's coverage stamp; ``changes``
    (``dashboard.view.changes.Changes``) adds the "Since <date>" slide after the title."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    made = (today or dt.date.today()).isoformat()
    _title_slide(prs, [f"Filters: {filters_text}", coverage, f"Generated {made}"])
    if changes is not None:
        from dashboard.export.since_slide import add_since_slides

        add_since_slides(prs, changes)
    all_ids: list[str] = []
    for spec in specs:
        png = chart_files.to_png(chart_files.stamped_figure(spec, stamp_for(spec)))
        _chart_slide(prs, spec, png, source_line(ds, spec.source_ids, limit=12))
        all_ids.extend(spec.source_ids)
    _sources_slide(prs, _source_lines(ds.sources, list(dict.fromkeys(all_ids))))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
