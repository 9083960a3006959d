"""What changed since the last briefing: steps, claims, events and corrections first reported
in a window, in sentences, each with its sources and a link to its record.

The list is ``dashboard.view.changes.changes_since`` (the same as the Overview's count, the
briefing pack's "Since" slide and ``python -m dashboard changes``); the window lives in the
reader's filters, so the address carries it (``?since=2024-06-30``) and the timelines shade it.
"""

import streamlit as st

from dashboard import ui
from dashboard.view.changes import SECTIONS, item_markdown
from dashboard.view.filters import EARLIEST_DATE, LATEST_DATE

ds = ui.dataset()
state = ui.filters(ds)

st.title("What changed since the last briefing")
changes = ui.changes(ds, state)
window = changes.window


def _picked() -> None:
    ui.set_window(st.session_state["since_pick"], st.session_state["until_pick"])


st.session_state["since_pick"] = window.since
st.session_state["until_pick"] = state.until
since_column, until_column, default_column = st.columns([2, 2, 3], vertical_alignment="bottom")
since_column.date_input(
    "Last briefing (since)",
    value=None,
    min_value=EARLIEST_DATE,
    max_value=LATEST_DATE,
    format="YYYY-MM-DD",
    key="since_pick",
    on_change=_picked,
    help="Rows first reported after this day are new: their source was published after it.",
)
until_column.date_input(
    "Until (optional)",
    value=None,
    min_value=EARLIEST_DATE,
    max_value=LATEST_DATE,
    format="YYYY-MM-DD",
    key="until_pick",
    on_change=_picked,
)
if state.since is not None:
    default_column.button(
        "Back to the default window",
        on_click=ui.set_window,
        args=(None, state.until),
        icon=":material/restart_alt:",
    )
st.caption(ui.plain(window.describe()))
if changes.filters_text:
    st.info(f"Filtered: {ui.plain(changes.filters_text)}", icon=":material/filter_alt:")
st.markdown(f"**{ui.plain(changes.summary())}**")
for note in changes.notes.get("general", ()):
    st.caption(ui.plain(note))

with st.container(horizontal=True):
    stamp = window.since.isoformat()
    st.download_button(
        "Markdown",
        data=changes.to_markdown(),
        file_name=f"changes-since-{stamp}.md",
        mime="text/markdown",
        icon=":material/download:",
        on_click="ignore",
    )
    st.download_button(
        "CSV",
        data=changes.to_csv(),
        file_name=f"changes-since-{stamp}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    ui.filter_page_link("pages/timeline.py", "The window on the timeline", ":material/timeline:")

for name, heading in SECTIONS.items():
    st.subheader(heading, divider="gray")
    groups = changes.groups(name)
    if not groups and not changes.notes.get(name):
        st.caption("Nothing in the window.")
    for group, items in groups:
        lines = [item_markdown(item, ui.plain) for item in items]
        if name != "corrections":
            st.markdown(f"**{ui.plain(group)}**")
        st.markdown("\n".join(lines))
    for note in changes.notes.get(name, ()):
        st.caption(ui.plain(note))
