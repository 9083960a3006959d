"""AppTest: a page's own state in the URL (a switch, a clicked mark) comes back from a link and
follows Back; the filter notice reads the same on every page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"

# A page (named like the strength page, whose parameter "log" is) with one URL switch.
SWITCH_PAGE = """
import streamlit as st
from dashboard import ui

ds = ui.dataset()
state = ui.filters(ds)
st.title("Switch")
on = ui.url_toggle("log", "Log scale")
st.markdown(f"log is {'on' if on else 'off'}")
"""


@pytest.fixture
def switch_page(tmp_path: Path) -> Path:
    page = tmp_path / "strength.py"
    page.write_text(SWITCH_PAGE, encoding="utf-8")
    return page


def query(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def test_a_url_switch_comes_from_the_link_and_writes_the_link(switch_page: Path) -> None:
    at = AppTest.from_file(str(switch_page), default_timeout=60)
    at.query_params["log"] = "1"
    at.query_params["evidence"] = "seed"
    at.run()
    assert not at.exception and not at.warning
    assert at.toggle(key="url_toggle_log").value is True
    assert "log is on" in at.markdown[-1].value
    at.toggle(key="url_toggle_log").set_value(False).run()
    assert query(at) == {"evidence": "seed"}
    at.toggle(key="url_toggle_log").set_value(True).run()
    assert query(at) == {"evidence": "seed", "log": "1"}
    at.query_params.clear()  # Back, twice: the plain page
    at.run()
    assert at.toggle(key="url_toggle_log").value is False and "log is off" in at.markdown[-1].value


def test_a_url_switch_with_a_bad_value_is_named_and_dropped(switch_page: Path) -> None:
    at = AppTest.from_file(str(switch_page), default_timeout=60)
    at.query_params["log"] = "maybe"
    at.run()
    assert "use 1 (on) or 0 (off)" in at.warning[0].value
    assert query(at) == {} and at.toggle(key="url_toggle_log").value is False


def open_timeline(**params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page("pages/timeline.py").run()


def designation_chart(at: AppTest) -> dict:
    specs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    return specs[0]


def test_a_clicked_mark_in_the_link_lists_its_records() -> None:
    at = open_timeline()
    traces = designation_chart(at)["data"]
    number = next(n for n, t in enumerate(traces) if (t.get("meta") or {}).get("role") == "mark")
    records = traces[number]["customdata"][0]
    linked = open_timeline(mark=f"{number}.0")
    assert not linked.exception and not linked.warning
    assert any(m.value == "**Records of the selected mark**" for m in linked.markdown)
    shown = next(t.value for t in linked.dataframe if "Quote or summary" in t.value.columns)
    assert len(shown) == len(records)
    assert query(linked)["mark"] == f"{number}.0"


def test_a_mark_that_is_not_in_the_chart_says_so() -> None:
    at = open_timeline(mark="999.0")
    assert not at.exception
    assert any("not in this chart" in c.value for c in at.caption)
    assert not any(m.value == "**Records of the selected mark**" for m in at.markdown)


def test_a_filter_change_forgets_the_clicked_mark() -> None:
    at = open_timeline(mark="3.0")
    at.sidebar.radio(key="filter_evidence").set_value("Seed documents only").run()
    assert query(at) == {"evidence": "seed"}


@pytest.mark.parametrize(
    "page",
    ["pages/overview.py", "pages/timeline.py", "pages/sources.py", "pages/methodology.py"],
)
def test_every_page_says_which_filters_are_active_the_same_way(page: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["evidence"] = "seed"
    at.switch_page(page).run()
    assert not at.exception
    said = [i.value for i in at.info] + [c.value for c in at.caption]
    assert any("seed documents only" in text for text in said), page
