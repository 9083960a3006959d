"""The tables a page shows, as DataFrames, whichever way it sets them: the grid
(``st.dataframe``) or a short table as text (``ui.short_table``, an ``st.html`` block)."""

from __future__ import annotations

import io

import pandas as pd
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block


def short_tables(at: AppTest | Block) -> list[pd.DataFrame]:
    """Every ``ui.short_table`` under ``at``, its cells read back as text."""
    out: list[pd.DataFrame] = []
    for block in at.get("html"):
        body = block.proto.body
        if 'class="short-table"' in body:
            out += pd.read_html(io.StringIO(body), flavor="lxml", keep_default_na=False)
    return [table.astype(str) for table in out]


def page_tables(at: AppTest | Block) -> list[pd.DataFrame]:
    """The grids, then the short tables."""
    return [table.value for table in at.dataframe] + short_tables(at)
