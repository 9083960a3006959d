"""Methodology: how the dataset is coded, rendered from docs/methodology.md (our own file)."""

from pathlib import Path

import streamlit as st

from dashboard import ui

ds = ui.dataset()
state = ui.filters(ds)  # keeps the sidebar and the link's filters while the reader is here

METHODOLOGY = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"
ui.filter_notice(ds, state, applies=False)
st.markdown(METHODOLOGY.read_text(encoding="utf-8"))
