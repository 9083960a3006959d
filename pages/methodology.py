"""Methodology: how the dataset is coded, and what the latest revision changed.

Rendered from docs/methodology.md and docs/data-changes.md (our own files), so the page and the
repository say the same thing.
"""

from pathlib import Path

import streamlit as st

from dashboard import ui

ds = ui.dataset()
state = ui.filters(ds)  # keeps the sidebar and the link's filters while the reader is here

DOCS = Path(__file__).resolve().parent.parent / "docs"
ui.filter_notice(ds, state, applies=False)
st.markdown((DOCS / "methodology.md").read_text(encoding="utf-8"))
st.divider()
st.markdown((DOCS / "data-changes.md").read_text(encoding="utf-8"))
