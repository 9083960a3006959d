"""Sources: every document behind the data, and every quoted passage in its place.

Seed documents are shown in full with each quoted passage highlighted and numbered; the list
under each text says which records the passage supports. External sources (no text in the
repo) show their link, dates and our summary of what each of their records reports. Only the
chosen tab, and of a seed only a full text the reader opens, is built (ui.lazy_tabs and
ui.lazy_expander): most readers open none. All text is escaped (the templates of
dashboard/ui/evidence_html.py): a document or quote is shown as written, never as markup.
"""

import streamlit as st

from dashboard import ui
from dashboard.ui import evidence_html
from dashboard.view.evidence import coverage_line, source_views, sources_table

ds = ui.dataset()
state = ui.filters(ds)

st.title("Sources")
ui.filter_notice(ds, state)
st.caption(
    "Each record is backed by a verbatim quote from a seed document or, for external sources, "
    "by our summary of what the source reports. Highlights and counts follow the filters."
)
views = ui.built(source_views, ds, state)
st.markdown(ui.plain(coverage_line(ds, views, state.known_as_of)))
if not views:
    st.info("No source matches the current filters.", icon=":material/filter_alt_off:")
    st.stop()

st.dataframe(sources_table(views), hide_index=True, width="stretch")

seeds = [view for view in views if view.kind == "seed"]
external = [view for view in views if view.kind != "seed"]
seed_tab, external_tab = ui.lazy_tabs(
    [f"Seed documents ({len(seeds)})", f"External sources ({len(external)})"], key="sources_kind"
)

if seed_tab.open:
    with seed_tab:
        if not seeds:
            st.info("No seed document matches the current filters.")
        for view in seeds:
            ui.source_heading(view)
            # the marks link to the records list and back: both in the one container
            with ui.lazy_expander(view.full_text_label(), key=f"{view.anchor}-text") as text:
                if text.open:
                    st.html(evidence_html.text_html(view))
                    if view.quoted:
                        st.markdown(
                            "**Records quoting this document** (numbers match the marks above)"
                        )
                        st.html(evidence_html.records_html(view))
                    else:
                        st.caption("No record of this document passes the current filters.")

if external_tab.open:
    with external_tab:
        if not external:
            st.info("No external source matches the current filters.")
        for view in external:
            ui.source_heading(view)
            if view.evidence:
                st.html(evidence_html.evidence_html(view))
            else:
                st.caption("No record of this source passes the current filters.")
