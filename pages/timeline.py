"""Designations timeline: who has taken the Taliban off its terrorist list, and when.

The answer in one sentence, then two tabs: one swimlane per jurisdiction with every reported
step (listed, delisting considered, delisted, ban suspended, relisted), and the key events
around the delistings (only the chosen tab is built: ui.lazy_tabs; a link to a clicked event
opens its tab); then a plain status table for readers who skip charts and the period the
sources cover. Every mark leads to its rows: hover for sources and quotes, click for the
records, or open the tables (built only when opened: ui.lazy_table).
Answers come from dashboard/view/steps.py; data text is shown as text, never as markup.
"""

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.charts import timeline
from dashboard.charts.spec import ChartSpec
from dashboard.view import steps as data
from dashboard.view.view import view_of

Undated = tuple[str, pd.DataFrame]  # a heading, and the rows a chart could not place in time

ds = ui.dataset()
state = ui.filters(ds)

st.title("Who has taken the Taliban off its terrorist list?")
view = view_of(ds, state)
designations = data.designation_steps(view)
st.markdown(f"**{ui.plain(data.lede(designations))}**")
st.caption(ui.plain(data.coverage(view)))
ui.filter_notice(ds, state)


steps = ui.built(timeline.build_designation_timeline, ds, state)
events = ui.built(timeline.build_event_timeline, ds, state)
designations_tab, events_tab = ui.lazy_tabs(
    [
        f"Designations and delistings ({len(steps.rows)} records)",
        f"Key events around them ({len(events.rows)} records)",
    ],
    key="timeline_chart",
    first=1 if ui.page_param("event") and not ui.page_param("mark") else 0,
    param="chart",
)


def chart_and_its_records(
    spec: ChartSpec, key: str, *, param: str, what: str, records: str, undated: Undated
) -> None:
    """The chart; under it the records of the ``what`` clicked (kept in the link as
    ``param``), all its records in a table built when opened (``records`` is its key), and
    those it could not draw for want of a date (``undated``: a heading and its rows)."""
    clicked = ui.show_chart(spec, key, url_param=param)
    picked = data.selected_records(spec.rows, clicked)
    if not picked.empty:
        st.markdown(f"**Records of the selected {what}**")
        ui.table(data.for_display(picked))
    ui.lazy_table(
        f"Records behind this chart ({len(spec.rows)})",
        key=records,
        rows=lambda: data.for_display(spec.rows),
    )
    heading, rows = undated
    if not rows.empty:
        st.markdown(heading)
        ui.short_table(rows)


with designations_tab:
    if designations_tab.open:
        chart_and_its_records(
            steps, "timeline_designations", param="mark", what="mark",
            records="timeline_designation_records",
            undated=(
                "**Undated reports** (counted in the status table, not drawn at an invented date)",
                data.undated_designations(designations),
            ),
        )  # fmt: skip
with events_tab:
    if events_tab.open:
        st.caption(
            "The takeover, meetings, attacks, arrests and prosecutions, diplomatic steps and "
            "infrastructure around the delistings. Choose event types in the sidebar, under "
            f"Filters › {ui.MORE_FILTERS_LABEL}."
        )
        chart_and_its_records(
            events, "timeline_events", param="event", what="event",
            records="timeline_event_records",
            undated=(
                "**Undated events** (reported without a date, so not drawn)",
                data.undated_events(view),
            ),
        )  # fmt: skip

st.subheader("Status by jurisdiction")
st.caption(
    "The latest step each jurisdiction took in the records in view, with every date the "
    "sources give for it. Russia and the five Central Asian states are always listed; a state "
    "with no listing in the records reads 'no listing found in the sources checked'. The last "
    "record is not today's status: see the coverage line under the page's title."
)
ui.short_table(data.status_by_jurisdiction(designations))
