"""The sidebar's five lists (sources, claimants, claimant types, groups, event types) and its
"known as of" live in a section built when opened (ui._more_filters); these open it as a
reader's click would."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Multiselect

SECTION = "filter_more"


def lists_shown(at: AppTest) -> dict[str, list[str]]:
    """The lists drawn in the sidebar by name ("sources", ...); none when the section is shut."""
    return {w.key.removeprefix("filter_"): w.value for w in at.sidebar.multiselect}


def open_more_filters(at: AppTest) -> None:
    """Open the section (a no-op when it is open)."""
    if "filter_known_on" not in {toggle.key for toggle in at.sidebar.toggle}:
        at.session_state[SECTION] = True
        at.run()


def filter_list(at: AppTest, name: str) -> Multiselect:
    """The sidebar's list ``name``, its section opened first if it is shut."""
    open_more_filters(at)
    return at.sidebar.multiselect(key=f"filter_{name}")
