"""Overview: the headline findings for a briefing, in plain words, each with its sources.

Each card is one finding computed from the filtered data (dashboard/view/findings.py): a big value,
one sentence, the sources it rests on (the evidence in short lines, built only when opened), and
a link to the page with the detail.
"""

import streamlit as st

from dashboard import ui
from dashboard.charts.spec import source_line
from dashboard.view.findings import headline_findings

ds = ui.dataset()
state = ui.filters(ds)

st.title("Afghanistan–Central Asia threat monitor")
st.caption(
    "Terrorist-list designations of the Taliban, militant-strength claims, and events in "
    "northern Afghanistan, each traced to a source and a verbatim quote or an evidence note."
)
ui.filter_notice(ds, state)

findings = headline_findings(ds, state)
columns = st.columns(2, gap="medium")
for number, finding in enumerate(findings):
    with columns[number % 2].container(border=True):
        st.metric(finding.title, finding.value)
        st.markdown(ui.plain(finding.statement))
        st.caption(ui.plain(source_line(ds, finding.source_ids)))
        if finding.details:
            with ui.lazy_expander(
                "Evidence behind this finding", key=f"evidence_{finding.key}"
            ) as box:
                if box.open:
                    st.markdown("\n".join(f"- {ui.plain(line)}" for line in finding.details))
        ui.filter_page_link(finding.page, f"Open {finding.page_label}", ":material/arrow_forward:")

changes = ui.changes(ds, state)
st.subheader(changes.window.title.replace("Since", "What changed since", 1), divider="gray")
st.markdown(ui.plain(changes.summary()))
ui.filter_page_link("pages/since.py", "Open What changed since", ":material/update:")
