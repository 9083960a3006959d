"""The designations timeline and the key-events timeline, as figures and ChartSpecs.

Briefing audiences ask first who has taken the Taliban off its terrorist list, and when:
- ``designation_timeline_figure``: one lane per jurisdiction, one mark per step; reports of a
  step by several sources form one mark labelled with their number ("×3"); a date known only
  to the year or month is a bar over that period; the fill shows the date's basis and a ring
  marks a step backed by a seed document's verbatim quote; rival dates stay separate marks
  joined by a dotted "dates disagree" line;
- ``event_timeline_figure``: dated key events in lanes by type, under the same rules;
- ``build_designation_timeline`` / ``build_event_timeline``: the same as ChartSpecs (title that
  states the finding, filters as subtitle, source line, rows behind the chart) for the page
  and for exports.

Grouping, status table, records and the lede are in ``dashboard.view.steps`` (no drawing);
lanes, spans and the broken axis in ``dashboard.charts.swimlanes``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.density import count_buckets, density_figure, too_many_to_draw
from dashboard.charts.spec import ChartSpec, source_line
from dashboard.charts.swimlanes import (
    DISPUTE_COLOR,
    RING_COLOR,
    LegendEntry,
    Styled,
    esc,
    hover_text,
    split_panels,
    swimlane_figure,
    wrapped,
)
from dashboard.charts.theme import (
    ACTION_LABELS,
    ACTION_SYMBOLS,
    BASIS_SYMBOL_SUFFIX,
    MUTED_COLOR,
    jurisdiction_color,
    window_axes,
    window_shapes,
)
from dashboard.ingest.vocab import DESIGNATION_ACTIONS, EVENT_TYPES
from dashboard.view import filters
from dashboard.view.filters import FilterState
from dashboard.view.marks import Mark, date_note
from dashboard.view.steps import (
    BASIS_SHORT,
    REPORTED_LATER,
    Designations,
    counted,
    designation_records,
    designation_steps,
    event_marks,
    event_records,
    evidence_text,
    headline,
    is_seed,
    row_date,
    steps_of,
    text_of,
)
from dashboard.view.view import view_of

EVENT_COLOR = "#3a4a5c"  # one neutral ink for events: lanes, not colours, tell types apart
DESIGNATION_QUESTION = "Who has taken the Taliban off its terrorist list, and when?"
SOURCE_LINE_WIDTH = 130
# Short forms of theme.BASIS_LABELS for the one-line legend ("Date: ● stated ○ inferred ...").
BASIS_LEGEND: dict[str, str] = {
    "stated": "stated in source",
    "inferred": "inferred",
    "external": "from outside the source",
}  # characters per line of the source line under a chart


# ---- hover text ----------------------------------------------------------------------------------
def _report_lines(records: Sequence[Mapping[str, Any]], *, width: int = 90) -> list[str]:
    """One block per reporting row: source, its own date and basis, quote or our summary."""
    lines: list[str] = []
    for row in records:
        source = text_of(row.get("source_label")) or str(row["source_id"])
        head = f"• {esc(source)} — {esc(row_date(row))}"
        if row.get(REPORTED_LATER):
            head += " — <i>published after the known-as-of date</i>"
        lines.append(head)
        if is_seed(row):
            body = "quote: " + wrapped(f"“{evidence_text(row)}”", width)
        else:
            body = "external source, our summary: " + wrapped(evidence_text(row), width)
        lines.append("   " + body.replace("<br>", "<br>   "))
    return lines


def _designation_hover(mark: Mark) -> str:
    first = mark.all_records[0]
    action = mark.key[2]
    jurisdiction = text_of(first.get("jurisdiction_name")) or mark.lane
    target = text_of(first.get("target_name")) or mark.key[1]
    lines = [
        f"Date: {esc(mark.label)} — {esc(BASIS_SHORT.get(mark.basis, mark.basis))}",
        f"Reported by {counted(mark.n_sources, 'source')}",
    ]
    note = date_note(mark)
    if note:
        lines.append(f"<b>{esc(note)}</b>")
    authorities = [
        a for a in dict.fromkeys(text_of(r.get("authority")) for r in mark.all_records) if a
    ]
    if authorities:
        lines.append("Authority: " + wrapped("; ".join(authorities), 80))
    if mark.undated_records:
        undated = counted(len(mark.undated_records), "undated report")
        lines.append(f"Includes {undated} of this step")
    lines.append("Reports:")
    lines += _report_lines(mark.all_records)
    title = f"{jurisdiction} — {ACTION_LABELS.get(action, action)} ({target})"
    return hover_text(title, lines)


def _event_hover(mark: Mark) -> str:
    first = mark.all_records[0]
    lines = [
        f"{esc(filters.event_type_label(mark.lane))} — {esc(mark.label)},"
        f" date {esc(BASIS_SHORT.get(mark.basis, mark.basis))}",
        f"Reported by {counted(mark.n_sources, 'source')}",
    ]
    note = date_note(mark)
    if note:
        lines.append(f"<b>{esc(note)}</b>")
    summary = text_of(first.get("summary"))
    if summary:
        lines.append(wrapped(summary, 90))
    lines.append("Reports:")
    lines += _report_lines(mark.all_records)
    return hover_text(text_of(first.get("title")) or mark.key[1], lines)


# ---- styling -------------------------------------------------------------------------------------
def _record_ids(mark: Mark, id_column: str) -> tuple[str, ...]:
    return tuple(str(r[id_column]) for r in mark.all_records)


def jurisdiction_lanes(designations: pd.DataFrame) -> list[tuple[str, str]]:
    """(id, name) of every jurisdiction the rows hold, alphabetical by name."""
    pairs = (
        designations[["jurisdiction_id", "jurisdiction_name"]]
        .drop_duplicates("jurisdiction_id")
        .itertuples(index=False)
    )
    named = [(str(i), text_of(n) or str(i)) for i, n in pairs]
    return sorted(named, key=lambda pair: pair[1].lower())


def styled_designations(marks: Sequence[Mark], lanes: Sequence[tuple[str, str]]) -> list[Styled]:
    """Colour = jurisdiction, symbol = step, fill = date basis, label = date and sources."""
    order = [lane for lane, _ in lanes]
    names = dict(lanes)
    return [
        Styled(
            mark=mark,
            group=names.get(mark.lane, mark.lane),
            color=jurisdiction_color(mark.lane, order),
            symbol=ACTION_SYMBOLS.get(mark.key[2], "circle")
            + BASIS_SYMBOL_SUFFIX.get(mark.basis, ""),
            text=f"{mark.label} ×{mark.n_sources}",
            hover=_designation_hover(mark),
            record_ids=_record_ids(mark, "designation_id"),
        )
        for mark in marks
    ]


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def styled_events(marks: Sequence[Mark]) -> list[Styled]:
    """One ink for all events; label = short title (and ×n when several sources report it)."""
    return [
        Styled(
            mark=mark,
            group="events",
            color=EVENT_COLOR,
            symbol="circle" + BASIS_SYMBOL_SUFFIX.get(mark.basis, ""),
            text=_short(mark.key[1]) + (f" ×{mark.n_sources}" if mark.n_sources > 1 else ""),
            hover=_event_hover(mark),
            record_ids=_record_ids(mark, "event_id"),
        )
        for mark in marks
    ]


def _common_legend(marks: Sequence[Mark]) -> list[LegendEntry]:
    """Fill, bar, ring and dotted-line entries, only for what the chart shows."""
    entries = [
        LegendEntry("Date", BASIS_LEGEND[basis], symbol="circle" + BASIS_SYMBOL_SUFFIX[basis])
        for basis in BASIS_SYMBOL_SUFFIX
        if any(m.basis == basis for m in marks)
    ]
    if any(m.precision != "day" for m in marks):
        entries.append(LegendEntry("Date", "year or month only", line="solid", width=9))
    if any(m.disputed for m in marks):
        entries.append(LegendEntry("Date", "sources disagree", line="dot", color=DISPUTE_COLOR))
    if any(m.has_seed for m in marks):
        entries.append(
            LegendEntry(
                "Evidence",
                "seed quote (ring)",
                symbol="circle-open",
                color=RING_COLOR,
                size=17,
            )
        )
    if any(not m.has_seed for m in marks):
        entries.append(LegendEntry("Evidence", "external summary only", size=10))
    return entries


def designation_legend(marks: Sequence[Mark]) -> list[LegendEntry]:
    actions = [a for a in DESIGNATION_ACTIONS if any(m.key[2] == a for m in marks)]
    steps = [LegendEntry("Step", ACTION_LABELS[a], symbol=ACTION_SYMBOLS[a]) for a in actions]
    return steps + _common_legend(marks)


def _empty_note(fig: go.Figure, text: str) -> None:
    fig.add_annotation(
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        text=esc(text),
        showarrow=False,
        font={"size": 14, "color": MUTED_COLOR},
    )


# ---- figures -------------------------------------------------------------------------------------
def designation_timeline_figure(
    designations: Designations,
    *,
    title: str = DESIGNATION_QUESTION,
    subtitle: str = "",
    source_text: str = "",
    known_as_of: dt.date | None = None,
) -> go.Figure:
    """Swimlanes per jurisdiction: each step a mark, its span, its sources and their quotes;
    a dashed line at ``known_as_of`` when a past date's view is shown.

    ``subtitle`` and ``source_text`` are shown as given (Plotly reads them as HTML): escape
    data text before passing it.
    """
    steps = steps_of(designations)
    designations = steps.rows
    lanes = jurisdiction_lanes(designations)
    if too_many_to_draw(int(designations["date_start"].notna().sum())):
        order = [lane for lane, _ in lanes]
        return density_figure(
            count_buckets(
                designations, lane="jurisdiction_id", series="action", id_column="designation_id"
            ),
            lanes,
            series_names={a: ACTION_LABELS[a] for a in DESIGNATION_ACTIONS},
            symbol=lambda action: ACTION_SYMBOLS.get(action, "circle"),
            color=lambda lane, _: jurisdiction_color(lane, order),
            noun="report",
            title=esc(title),
            subtitle=subtitle,
            source_text=source_text,
            known_as_of=known_as_of,
        )
    marks, undated = steps.marks
    notes = {}
    for lane, _ in lanes:
        loose = int(undated["jurisdiction_id"].eq(lane).sum()) if not undated.empty else 0
        if loose and not any(m.lane == lane for m in marks):
            notes[lane] = f"{counted(loose, 'undated report')} only (no date to draw it at)"
    fig = swimlane_figure(
        styled_designations(marks, lanes),
        lanes,
        legend=designation_legend(marks),
        lane_notes=notes,
        row_px=44,
        title=esc(title),
        subtitle=subtitle,
        source_text=source_text,
        known_as_of=known_as_of,
    )
    if not marks:
        _empty_note(fig, "No dated designation step under the current filters.")
    return fig


def event_lanes(marks: Sequence[Mark]) -> list[tuple[str, str]]:
    """Event types in the vocabulary's order (the takeover first), only those with marks."""
    present = {m.lane for m in marks}
    ordered = [t for t in EVENT_TYPES if t in present] + sorted(present - set(EVENT_TYPES))
    return [(t, filters.event_type_label(t)) for t in ordered]


def event_title(marks: Sequence[Mark] | pd.DataFrame) -> str:
    """The title with the years the dated events span (``marks``, or the dated rows)."""
    if len(marks) == 0:
        return "Key events around the delistings"
    if isinstance(marks, pd.DataFrame):
        first = pd.Timestamp(marks["date_start"].min()).year
        last = pd.Timestamp(marks["date_end"].max()).year
    else:
        first = min(m.start for m in marks).year
        last = max(m.end for m in marks).year
    span = f"{first}" if first == last else f"{first}–{last}"
    return f"Key events around the delistings, {span}"


def event_timeline_figure(
    events: pd.DataFrame,
    *,
    subtitle: str = "",
    source_text: str = "",
    known_as_of: dt.date | None = None,
) -> go.Figure:
    """Dated key events in lanes by type; undated ones belong in a table (``undated_events``).
    A dashed line at ``known_as_of`` when a past date's view is shown."""
    dated = events["date_start"].notna()
    if too_many_to_draw(int(dated.sum())):
        shown = events[dated]
        present = {str(kind) for kind in shown["event_type"].unique()}
        ordered = [t for t in EVENT_TYPES if t in present] + sorted(present - set(EVENT_TYPES))
        return density_figure(
            count_buckets(shown, lane="event_type", series=None, id_column="event_id"),
            [(t, filters.event_type_label(t)) for t in ordered],
            series_names={"": ""},
            symbol=lambda _: "circle",
            color=lambda *_: EVENT_COLOR,
            noun="report",
            title=esc(event_title(shown)),
            subtitle=subtitle,
            source_text=source_text,
            known_as_of=known_as_of,
        )
    # the same frame object as the caller's when all are dated: the marks are grouped once
    marks, _ = event_marks(events if dated.all() else events[dated])
    fig = swimlane_figure(
        styled_events(marks),
        event_lanes(marks),
        legend=[
            LegendEntry("Mark (×n: n sources)", "event", color=EVENT_COLOR),
            *_common_legend(marks),
        ],
        row_px=24,
        span_opacity=0.25,
        marker_px=11,
        title=esc(event_title(marks)),
        subtitle=subtitle,
        source_text=source_text,
        known_as_of=known_as_of,
    )
    if not marks:
        _empty_note(fig, "No dated event under the current filters.")
    return fig


# ---- chart specs for pages and exports -----------------------------------------------------------
def _counted_caption(dated: int, lane: str) -> str:
    return (
        f"{dated:,} dated reports are in view: too many to draw one by one, so each mark counts "
        f"the reports of one {lane} in one month, sized by their number (a bar: reports dated "
        "only to the year, counted over that year). Narrow the dates, sources or groups in the "
        "sidebar to see each report with its date basis and quote; click a mark for its "
        "records."
    )


def _subtitle(ds: Any, state: FilterState) -> str:
    return esc(state.describe(filters.filter_options(ds).labels()))


def _source_text(ds: Any, source_ids: Sequence[str]) -> str:
    return wrapped(source_line(ds, source_ids), SOURCE_LINE_WIDTH)


def build_designation_timeline(ds: Any, state: FilterState) -> ChartSpec:
    """The swimlane chart of designation steps, titled with its finding, and its rows."""
    steps = designation_steps(view_of(ds, state))
    rows = steps.rows
    source_ids = tuple(dict.fromkeys(rows["source_id"].astype(str).tolist()))
    title = headline(steps)
    fig = designation_timeline_figure(
        steps,
        title=title,
        subtitle=_subtitle(ds, state),
        source_text=_source_text(ds, source_ids),
        known_as_of=state.known_as_of,
    )
    marks, undated = steps.marks
    dated = int(rows["date_start"].notna().sum())
    if too_many_to_draw(dated):
        caption = _counted_caption(dated, "step of a jurisdiction")
    else:
        caption = (
            "Each mark is one step of a jurisdiction, labelled with its date and the number of "
            "sources reporting it (×n); a bar spans a date known only to the year or month. "
            "Solid: date stated in the source; hollow: inferred; hollow with a dot: from "
            "outside the source. A ring marks a step backed by a verbatim quote from a seed "
            "document."
        )
        if len(split_panels(marks)) > 1:
            caption += " The date axis is broken (//) across years with no record."
    if not undated.empty:
        caption += (
            f" {counted(len(undated), 'undated report')} not drawn (no date to place"
            " them at); they count in the status by jurisdiction."
        )
    if state.known_as_of is not None:
        caption += f" The dashed line marks the known-as-of date, {state.known_as_of:%-d %b %Y}."
    if rows[REPORTED_LATER].any():
        caption += (
            " Listings dated before the known-as-of date are shown even where our sources for"
            " them were published later (a matter of record by then; the hover says so)."
        )
    caption += shade_window(fig, ds, state)
    return ChartSpec(
        chart_id="designations-timeline",
        title=title,
        caption=caption,
        figure=fig,
        rows=designation_records(steps),
        source_ids=source_ids,
    )


def build_event_timeline(ds: Any, state: FilterState) -> ChartSpec:
    """The key-events chart (dated events by type), with every event row behind it."""
    rows = view_of(ds, state).events
    dated = rows[rows["date_start"].notna()]
    source_ids = tuple(dict.fromkeys(dated["source_id"].astype(str).tolist()))
    fig = event_timeline_figure(
        dated,
        subtitle=_subtitle(ds, state),
        source_text=_source_text(ds, source_ids),
        known_as_of=state.known_as_of,
    )
    if too_many_to_draw(len(dated)):
        title = event_title(dated)
        caption = _counted_caption(len(dated), "event type")
    else:
        marks, _ = event_marks(dated)
        title = event_title(marks)
        caption = (
            "Dated events by type; a bar spans a date known only to the year or month, and the "
            "fill and ring follow the designations chart. Hover a mark for its sources and "
            "their quotes or our summary."
        )
        if len(split_panels(marks)) > 1:
            caption += " The date axis is broken (//) across years with no record."
    if state.known_as_of is not None:
        caption += f" The dashed line marks the known-as-of date, {state.known_as_of:%-d %b %Y}."
    undated = len(rows) - len(dated)
    if undated:
        caption += f" {counted(undated, 'undated event')} not drawn (no date to place them at)."
    caption += shade_window(fig, ds, state)
    return ChartSpec(
        chart_id="key-events-timeline",
        title=title,
        caption=caption,
        figure=fig,
        rows=event_records(rows),
        source_ids=source_ids,
    )


def shade_window(fig: go.Figure, ds: Any, state: FilterState) -> str:
    """Shade the reader's what-changed window (``state.since``/``until``) on ``fig``'s date
    axes; returns the caption's sentence about it ("" when no window is chosen)."""
    if state.since is None and state.until is None:
        return ""
    from dashboard.view.changes import day_text, window_of

    window = window_of(ds, state)
    options = filters.filter_options(ds)
    shapes = window_shapes(
        window.since,
        window.until,
        window_axes(fig.layout.to_plotly_json()),
        latest=max(d for d in (options.last_date, options.last_published, window.since) if d),
    )
    if not shapes:
        return ""
    fig.layout.shapes = (*fig.layout.shapes, *shapes)
    end = f" to {day_text(window.until)}" if window.until else ""
    return (
        f" The shaded band is the window since {day_text(window.since)}{end} (dates in it); "
        "what was first reported in it is listed on the What changed page."
    )
