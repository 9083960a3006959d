"""The one module besides pages/ that imports Streamlit: shared page furniture.

Pages stay thin descriptions of what they show; anything they share (loading the dataset once,
showing the validator's report instead of a traceback, the sidebar filters, download buttons)
lives here.

Sections are owned by different parts of the work; add functions inside the section you own.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.filters import FilterState
from dashboard.loader import Dataset, DataInvalid, load_dataset

REPO_ROOT = Path(__file__).resolve().parent.parent


# ---- dataset -----------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _cached_dataset(data_dir: str | None) -> Dataset:
    return load_dataset(Path(data_dir) if data_dir else None)


def dataset() -> Dataset:
    """The validated dataset, loaded once per process; a readable report if it does not validate."""
    import os

    data_dir = os.environ.get("DASHBOARD_DATA_DIR") or None
    try:
        return _cached_dataset(data_dir)
    except DataInvalid as invalid:
        st.error(
            "The dataset did not pass validation, so the dashboard is not showing it. "
            "Fix the problems below (file:row:column) and reload."
        )
        st.code(invalid.report.format(), language=None)
        st.stop()
        raise  # unreachable: st.stop() ends the script run


# ---- filters (sidebar and URL) ----------------------------------------------------------------
def filters(ds: Dataset) -> FilterState:
    """The reader's filter state for this run (placeholder until the sidebar lands)."""
    del ds
    return FilterState()
