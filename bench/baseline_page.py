"""The benchmark's yardstick: one small Plotly line chart, and one sidebar choice that redraws it.

Each page's run time is reported as a multiple of this page's, measured in the same run on the
same machine, so the ratio says how much work a page adds over the least a chart page can do,
whatever the machine's speed. The sidebar radio is the yardstick for a filter change: the time
from a click to the redrawn page.

The same page is served at ``/`` and at ``/chart`` (``st.navigation``, no menu), so a page of
the dashboard is compared with the yardstick at the same kind of address: Streamlit's frontend,
opened at any address but the root, first looks for its server under that address, is answered
404, and waits 100 ms before it tries the root. Every page of a multipage app but the first pays
that; it is not work a page adds.
"""

import plotly.express as px
import streamlit as st

SERIES = {
    "All sources": [3, 5, 4, 8, 6, 9],
    "Seed documents only": [1, 2, 2, 3, 2, 4],
}


def chart_page() -> None:
    choice = st.sidebar.radio("Evidence", list(SERIES))
    frame = {"year": [2019, 2020, 2021, 2022, 2023, 2024], "count": SERIES[choice]}
    st.title("Baseline")
    st.caption(f"Showing: {choice}")
    st.plotly_chart(px.line(frame, x="year", y="count", title="A small line chart"))


st.navigation(
    [
        st.Page(chart_page, title="Baseline", url_path="", default=True),
        st.Page(chart_page, title="Baseline at an address", url_path="chart"),
    ],
    position="hidden",
).run()
