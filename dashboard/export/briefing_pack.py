"""The briefing pack: a PowerPoint deck for the current filters, built with python-pptx.

Laid out for a 16:9 screen on a blank layout (the default template's title layout is drawn for
4:3 and sat off-centre on a 16:9 slide):
- a title slide, centred: the pack's title, the filters, the coverage and the day it was made;
- one slide per chart: the chart's finding as the slide title, the chart as a 2x PNG without its
  own title and source line (the slide sets them as text, which the presenter can edit), a
  caption written for a slide (what a reader can hover or click on the page is left out), and a
  footer with the source line, the coverage stamp and the page number;
- source slides listing every source with only the fields it has (an undated source says
  "undated", never "Published  ()").
Text from the data is set as plain text runs (never interpreted).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from dashboard.charts import theme
from dashboard.charts.spec import ChartSpec, source_line
from dashboard.export import chart_files

SLIDE_W = Inches(13.333)
SLIDE_H = Inches(7.5)
MARGIN = Inches(0.45)
TITLE_H = Inches(1.0)  # two lines of a long finding
CAPTION_H = Inches(0.75)
FOOTER_H = Inches(0.45)
PACK_TITLE = "Threats from Afghanistan to Central Asia: briefing pack"
INK = RGBColor(0x1F, 0x23, 0x28)
MUTED = RGBColor(0x6E, 0x77, 0x81)
ACCENT = RGBColor(0x00, 0x72, 0xB2)
SOURCES_PER_SLIDE = 12  # two columns of six
SLIDE_CAPTION_CHARS = 420  # three lines at 12 pt across the slide: the caption box's height
SLIDE_LEGEND_PX = 60  # two rows of a legend across a slide's chart, above its top panel titles
CHART_PX_WIDTH = 1600  # layout pixels of a chart image (drawn at 2x): sharp on a projector

# Sentences of a page caption that speak of what only the page can do.
_PAGE_ONLY = re.compile(r"\b(hover|click|sidebar|below the chart|scroll)\b", re.IGNORECASE)


def slide_caption(caption: str, limit: int = SLIDE_CAPTION_CHARS) -> str:
    """A chart's caption for a slide: the sentences about hovering, clicking or the sidebar,
    which a slide cannot offer, left out; and whole sentences up to ``limit`` characters (at
    least the first), so it fits its box (the speaker notes keep the whole caption)."""
    sentences = re.split(r"(?<=[.!?])\s+", caption.strip())
    kept: list[str] = []
    for sentence in (s for s in sentences if s and not _PAGE_ONLY.search(s)):
        if kept and len(" ".join([*kept, sentence])) > limit:
            break
        kept.append(sentence)
    return " ".join(kept)


def _text(
    slide: Any,
    box: tuple[int, int, int, int],
    lines: Sequence[tuple[str, int, bool, RGBColor]],
    *,
    align: PP_ALIGN = PP_ALIGN.LEFT,
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
) -> Any:
    """A text box of ``lines``: (text, size in points, bold, colour) each."""
    frame = slide.shapes.add_textbox(*box).text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = 0
    for number, (text, size, bold, color) in enumerate(lines):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = color
    return frame


def _rule(slide: Any, top: int, width: int = Inches(1.2), left: int | None = None) -> None:
    """A short accent bar (the deck's one ornament)."""
    from pptx.enum.shapes import MSO_SHAPE

    bar = slide.shapes.add_shape(
        MSO_SHAPE.RECTANGLE,
        (SLIDE_W - width) // 2 if left is None else left,
        top,
        width,
        Inches(0.06),
    )
    bar.fill.solid()
    bar.fill.fore_color.rgb = ACCENT
    bar.line.fill.background()


def _title_slide(prs: Any, filters_text: str, coverage: str, made: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    width = SLIDE_W - 4 * MARGIN
    _text(
        slide,
        (2 * MARGIN, Inches(1.6), width, Inches(1.9)),
        [(PACK_TITLE, 36, True, INK)],
        align=PP_ALIGN.CENTER,
        anchor=MSO_ANCHOR.BOTTOM,
    )
    _rule(slide, Inches(3.75))
    _text(
        slide,
        (2 * MARGIN, Inches(4.05), width, Inches(2.2)),
        [
            (f"Filters: {filters_text}", 16, False, INK),
            (coverage, 14, False, MUTED),
            (f"Generated {made}", 14, False, MUTED),
        ],
        align=PP_ALIGN.CENTER,
    )


def _slide_png(spec: ChartSpec, box_w: int, box_h: int) -> bytes:
    """The chart without its own title and source line (the slide sets them), shaped to the
    slide's chart box, as a 2x PNG."""
    figure = spec.figure.to_dict()
    layout = theme.screen_layout(figure.get("layout", {}))
    layout["margin"] = {"l": 10, "r": 10, "t": 30, "b": 10}  # t: panel titles of a grid
    legend = layout.get("legend") or {}
    if legend.get("yref") == "container" and layout.get("showlegend") is not False:
        # a legend under the export's title (the strength charts): at the top of the image,
        # above the first panel's title, instead of at the export's height over it
        layout["legend"] = {**legend, "y": 1, "yanchor": "top"}
        layout["margin"]["t"] += SLIDE_LEGEND_PX
    _years_on_the_bottom_row_only(layout)
    width = CHART_PX_WIDTH
    layout["width"], layout["height"] = width, round(width * box_h / box_w)
    fig = go.Figure(data=figure["data"], layout=layout, _validate=False)
    size = (width, layout["height"])
    return chart_files.render_image(fig, "png", scale=chart_files.PNG_SCALE, size=size)


def _years_on_the_bottom_row_only(layout: dict[str, Any]) -> None:
    """In a grid whose panels share one time axis (``matches``), tick labels on the bottom row
    only: a slide gives a grid little height, and each row's years ran into the titles of
    the panels under it."""
    axes = {key: axis for key, axis in layout.items() if re.fullmatch(r"xaxis\d*", key)}
    if len(axes) < 3 or not any(axis.get("matches") for axis in axes.values()):
        return

    def bottom(key: str) -> float:
        y_key = "yaxis" + str(axes[key].get("anchor", "y"))[1:]
        return float((layout.get(y_key) or {}).get("domain", [0, 1])[0])

    lowest = min(bottom(key) for key in axes)
    for key, axis in axes.items():
        if bottom(key) > lowest + 1e-9:
            axis["showticklabels"] = False


def _picture_box(png: bytes, box_w: int, box_h: int) -> tuple[int, int]:
    """The picture's size fitted into the box, keeping its aspect ratio."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    scale = min(box_w / width, box_h / height)
    return int(width * scale), int(height * scale)


def _footer(slide: Any, left_text: str, page: int, pages: int) -> None:
    top = SLIDE_H - MARGIN - FOOTER_H
    _text(
        slide,
        (MARGIN, top, SLIDE_W - 2 * MARGIN - Inches(1.0), FOOTER_H),
        [(line, 9, False, MUTED) for line in left_text.split("\n") if line],
        anchor=MSO_ANCHOR.BOTTOM,
    )
    _text(
        slide,
        (SLIDE_W - MARGIN - Inches(0.9), top, Inches(0.9), FOOTER_H),
        [(f"{page} / {pages}", 10, False, MUTED)],
        align=PP_ALIGN.RIGHT,
        anchor=MSO_ANCHOR.BOTTOM,
    )


def _chart_slide(
    prs: Any, spec: ChartSpec, sources_text: str, stamp: str, page: int, pages: int
) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    width = SLIDE_W - 2 * MARGIN
    _text(
        slide,
        (MARGIN, MARGIN, width, TITLE_H),
        [(spec.title, 22, True, INK)],
        anchor=MSO_ANCHOR.BOTTOM,
    )
    top = MARGIN + TITLE_H
    box_h = SLIDE_H - top - CAPTION_H - FOOTER_H - 2 * MARGIN
    png = _slide_png(spec, width, box_h)
    pic_w, pic_h = _picture_box(png, width, box_h)
    slide.shapes.add_picture(
        io.BytesIO(png), Emu(MARGIN + (width - pic_w) // 2), top, Emu(pic_w), Emu(pic_h)
    )
    caption = slide_caption(spec.caption)
    _text(
        slide,
        (MARGIN, top + box_h + Inches(0.1), width, CAPTION_H),
        [(caption, 12, False, INK)],
    )
    _footer(slide, f"{sources_text}\n{stamp}", page, pages)
    slide.notes_slide.notes_text_frame.text = f"{spec.title}\n{spec.caption}\n{sources_text}"


def source_entry(row: Any) -> str:
    """One source for the sources slide, with only the fields it has."""
    label = _field(row, "label") or _field(row, "source_id")
    title = _field(row, "title")
    text = f"{label}: {title}" if title and title != label else label
    published = _field(row, "published")
    basis = _field(row, "published_basis")
    dated = f"Published {published}" + (f" ({basis})" if basis else "")
    parts = [dated if published else "Undated"]
    parts.append("seed document" if _field(row, "kind") == "seed" else "external source")
    where = _field(row, "url") or _field(row, "seed_file")
    if where:
        parts.append(where)
    return f"{text.rstrip('.')}. " + "; ".join(parts)


def _field(row: Any, name: str) -> str:
    value = getattr(row, name, "")
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _source_lines(sources: pd.DataFrame, source_ids: Sequence[str]) -> list[str]:
    shown = sources[sources["source_id"].isin(set(source_ids))]
    return [source_entry(row) for row in shown.itertuples()]


def _sources_slide(prs: Any, lines: Sequence[str], part: str, page: int, pages: int) -> None:
    """Up to ``SOURCES_PER_SLIDE`` sources in two columns, at a size a room can read."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    width = SLIDE_W - 2 * MARGIN
    _text(slide, (MARGIN, MARGIN, width, TITLE_H), [(f"Sources{part}", 24, True, INK)])
    gap = Inches(0.4)
    column_w = (width - gap) // 2
    half = -(-len(lines) // 2)
    for column, chunk in enumerate((lines[:half], lines[half:])):
        if not chunk:
            continue
        frame = _text(
            slide,
            (MARGIN + column * (column_w + gap), MARGIN + TITLE_H, column_w, SLIDE_H),
            [(line, 11, False, INK) for line in chunk],
        )
        for paragraph in frame.paragraphs:
            paragraph.space_after = Pt(6)
    _footer(slide, "", page, pages)


def source_slides(ds: Any, specs: Sequence[ChartSpec]) -> int:
    """How many source slides the pack of ``specs`` ends with."""
    ids = {i for spec in specs for i in spec.source_ids}
    return max(1, -(-int(ds.sources["source_id"].isin(ids).sum()) // SOURCES_PER_SLIDE))


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
    all_ids = list(dict.fromkeys(i for spec in specs for i in spec.source_ids))
    lines = _source_lines(ds.sources, all_ids) or ["No source matches the current filters."]
    chunks = [lines[i : i + SOURCES_PER_SLIDE] for i in range(0, len(lines), SOURCES_PER_SLIDE)]
    since = 0
    if changes is not None:
        from dashboard.export import since_slide

        since = sum(1 for _ in since_slide.pages(since_slide.slide_lines(changes)))
    pages = 1 + since + len(specs) + len(chunks)
    _title_slide(prs, filters_text, coverage, made)
    if changes is not None:
        since_slide.add_since_slides(prs, changes)
    for number, spec in enumerate(specs, start=2 + since):
        sources_text = source_line(ds, spec.source_ids, limit=12)
        _chart_slide(prs, spec, sources_text, stamp_for(spec), number, pages)
    for number, chunk in enumerate(chunks):
        part = f" ({number + 1} of {len(chunks)})" if len(chunks) > 1 else ""
        _sources_slide(prs, chunk, part, 2 + since + len(specs) + number, pages)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
