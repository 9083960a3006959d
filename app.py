"""Entry point: page configuration and navigation only."""

from pathlib import Path

import streamlit as st

from dashboard import ui
from dashboard.ui.downloads import hold_made_downloads
from dashboard.ui.imports import import_app_modules

st.set_page_config(
    page_title="Afghanistan–Central Asia threat monitor",
    # A local file: an emoji or material icon favicon would be fetched from the web.
    page_icon=str(Path(__file__).parent / "dashboard" / "assets" / "favicon.png"),
    layout="wide",
)

import_app_modules()  # before any page: readers' threads must not import side by side (see it)
hold_made_downloads()  # a file made on click is kept for the reader who clicked (see the module)

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/since.py", title="What changed since", icon=":material/update:"),
    st.Page("pages/timeline.py", title="Designations timeline", icon=":material/timeline:"),
    st.Page("pages/map.py", title="Northern Afghanistan map", icon=":material/map:"),
    st.Page("pages/strength.py", title="Militant strength claims", icon=":material/groups:"),
    st.Page("pages/sources.py", title="Sources", icon=":material/description:"),
    st.Page("pages/methodology.py", title="Methodology", icon=":material/rule:"),
]

# The sidebar's page links are drawn by ui.page_links: they carry the filters (see dashboard/ui).
page = st.navigation(PAGES, position="hidden")
ui.page_links(PAGES)
page.run()
