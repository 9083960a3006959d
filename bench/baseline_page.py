"""The benchmark's yardstick: one small Plotly line chart and nothing else.

Each page's run time is reported as a multiple of this page's, measured in the same run on the
same machine, so the ratio says how much work a page adds over the least a chart page can do,
whatever the machine's speed.
"""

import plotly.express as px
import streamlit as st

frame = {"year": [2019, 2020, 2021, 2022, 2023, 2024], "count": [3, 5, 4, 8, 6, 9]}
st.title("Baseline")
st.plotly_chart(px.line(frame, x="year", y="count", title="A small line chart"))
