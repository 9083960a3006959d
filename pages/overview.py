"""Overview: what the dataset holds, at a glance."""

import streamlit as st

from dashboard import ui

ds = ui.dataset()
st.title("Afghanistan–Central Asia threat monitor")
st.caption("Events, militant-strength claims and terrorist-list designations, each traced to a source.")
cols = st.columns(4)
cols[0].metric("Sources", len(ds.sources))
cols[1].metric("Events", len(ds.events))
cols[2].metric("Designation steps", len(ds.designations))
cols[3].metric("Strength and capacity claims", len(ds.estimates))
