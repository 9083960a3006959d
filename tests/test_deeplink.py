"""Deep links: a copied URL opens the same page with the same filters, junk is named and dropped,
and the filters follow the reader from page to page (AppTest, no browser)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.ingest.loader import load_dataset
from dashboard.view.filters import filter_options
from tests.sidebar_filters import filter_list, lists_shown, open_more_filters

APP = Path(__file__).resolve().parent.parent / "app.py"
KABULNOW = "001-8b132ec3de4e0615"
ALL_PAGES = (
    "pages/overview.py",
    "pages/timeline.py",
    "pages/map.py",
    "pages/strength.py",
    "pages/sources.py",
    "pages/methodology.py",
)
# Pages that draw the filter sidebar (every finished page does; a placeholder may not yet).
PAGES = tuple(p for p in ALL_PAGES if "ui.filters(" in (APP.parent / p).read_text(encoding="utf-8"))


def test_the_evidence_pages_draw_the_filters() -> None:
    assert {"pages/overview.py", "pages/sources.py", "pages/methodology.py"} <= set(PAGES)


def open_link(page: str, **params: str) -> AppTest:
    """What opening ``/<page>?<params>`` in a new tab does: a new session on that page."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page(page).run()


def query(at: AppTest) -> dict[str, str]:
    """The URL's query string after the run, one value per name."""
    out: dict[str, str] = {}
    for key, value in at.query_params.items():
        out[key] = value[-1] if isinstance(value, list) else value
    return out


LISTS = ("sources", "claimants", "claimant_types", "groups", "event_types")


def widgets(at: AppTest) -> dict[str, object]:
    side = at.sidebar
    lists = lists_shown(at)
    return {
        "from": side.date_input(key="filter_date_from").value,
        "to": side.date_input(key="filter_date_to").value,
        # a list is in view whenever it is set; the section is shut only when none is
        **{name: lists.get(name, []) for name in LISTS},
        "evidence": side.radio(key="filter_evidence").value,
        # "known as of" is in the same section: off whenever it is not drawn
        "known_on": {t.key: t.value for t in side.toggle}.get("filter_known_on", False),
    }


def test_a_deep_link_lands_on_its_page_with_its_filters() -> None:
    at = open_link("pages/sources.py", source=KABULNOW, **{"from": "2024-01-01"})
    assert not at.exception
    assert at.title[0].value == "Sources"
    shown = widgets(at)
    assert shown["sources"] == [KABULNOW]
    assert shown["from"] == dt.date(2024, 1, 1)
    assert shown["to"] is None and shown["evidence"] == "All sources"
    assert query(at) == {"source": KABULNOW, "from": "2024-01-01"}
    assert not at.warning
    assert [tab.label for tab in at.tabs] == ["Seed documents (1)", "External sources (0)"]


def test_every_page_opens_from_a_link_with_every_filter() -> None:
    params = {
        "from": "2023-01-01",
        "to": "2024-12-31",
        "source": f"{KABULNOW},ext-kun-uz-2024-09-06",
        "claimant": "anatoly-sidorov",
        "claimant_type": "regional_bloc",
        "group": "isis-k,taliban",
        "event_type": "meeting",
        "known_as_of": "2024-12-31",
        "evidence": "all",
    }
    for page in PAGES:
        at = open_link(page, **params)
        assert not at.exception, page
        assert not at.warning, page
        shown = widgets(at)
        assert shown["groups"] == ["isis-k", "taliban"], page
        assert shown["claimant_types"] == ["regional_bloc"], page
        assert shown["known_on"] is True, page
        assert at.sidebar.date_input(key="filter_known_as_of").value == dt.date(2024, 12, 31)
        expected = {k: v for k, v in params.items() if k != "evidence"}  # "all" is the default
        assert query(at) == expected, page


def test_junk_is_named_in_one_warning_and_dropped_from_the_url() -> None:
    at = open_link(
        "pages/overview.py",
        source=f"{KABULNOW},no-such-source",
        to="2024-02-30",
        group="taliban",
        utm_campaign="x",
        evidence="verbatim",
    )
    assert not at.exception
    assert len(at.warning) == 1
    notice = at.warning[0].value
    for named in (
        "source=no-such-source",
        "unknown source id",
        "to=2024-02-30",
        "not a date",
        "utm_campaign=x",
        "unknown parameter",
        "evidence=verbatim",
    ):
        assert named in notice, named
    assert query(at) == {"source": KABULNOW, "group": "taliban"}
    assert widgets(at)["sources"] == [KABULNOW]
    assert len(at.metric) == 5  # the page still renders
    # shown once: the next run (any interaction) no longer repeats it
    at.run()
    assert not at.warning


def test_from_after_to_in_a_link_keeps_the_to_date() -> None:
    at = open_link("pages/overview.py", **{"from": "2025-01-01", "to": "2024-01-01"})
    assert "after the to-date" in at.warning[0].value
    assert widgets(at)["from"] is None and widgets(at)["to"] == dt.date(2024, 1, 1)
    assert query(at) == {"to": "2024-01-01"}


def test_filters_follow_the_reader_across_pages() -> None:
    at = open_link("pages/overview.py")
    filter_list(at, "claimants").set_value(["andrey-serenko"]).run()
    at.sidebar.radio(key="filter_evidence").set_value("Seed documents only").run()
    assert query(at) == {"claimant": "andrey-serenko", "evidence": "seed"}
    for page in PAGES[1:]:
        # the sidebar's page links carry the filters (ui.page_links), as AppTest keeps them
        at.switch_page(page).run()
        assert not at.exception, page
        assert widgets(at)["claimants"] == ["andrey-serenko"], page
        assert widgets(at)["evidence"] == "Seed documents only", page
        assert query(at) == {"claimant": "andrey-serenko", "evidence": "seed"}, page
    at.switch_page("pages/sources.py").run()
    assert [tab.label for tab in at.tabs][1] == "External sources (0)"


def test_a_later_change_on_another_page_replaces_the_link_state() -> None:
    at = open_link("pages/sources.py", source=KABULNOW)
    filter_list(at, "sources").set_value([]).run()
    assert query(at) == {}
    at.switch_page("pages/overview.py").run()
    assert widgets(at)["sources"] == []
    assert query(at) == {}


def test_reset_clears_every_filter_and_the_url() -> None:
    at = open_link("pages/sources.py", source=KABULNOW, evidence="seed", group="taliban")
    assert at.sidebar.button(key="filter_reset").disabled is False
    at.sidebar.button(key="filter_reset").click().run()
    assert query(at) == {}
    shown = widgets(at)
    assert shown["sources"] == [] and shown["groups"] == []
    assert shown["evidence"] == "All sources"
    assert at.sidebar.button(key="filter_reset").disabled is True  # nothing left to reset


def test_known_as_of_toggle_and_date() -> None:
    at = open_link("pages/sources.py")
    assert "filter_known_on" not in {t.key for t in at.sidebar.toggle}  # in the shut section
    open_more_filters(at)
    assert "filter_known_as_of" not in {d.key for d in at.sidebar.date_input}
    at.sidebar.toggle(key="filter_known_on").set_value(True).run()
    picker = at.sidebar.date_input(key="filter_known_as_of")
    newest = filter_options(load_dataset()).last_published
    assert picker.value == newest  # the newest source's date: everything is still known
    picker.set_value(dt.date(2024, 6, 30)).run()
    assert query(at) == {"known_as_of": "2024-06-30"}
    ids = set(at.dataframe[0].value["Source id"])
    assert "003-d769d6b22a385456" not in ids and KABULNOW in ids
    at.sidebar.toggle(key="filter_known_on").set_value(False).run()
    assert query(at) == {}


def test_a_from_date_after_the_to_date_in_the_sidebar_clears_the_other() -> None:
    at = open_link("pages/overview.py", to="2024-01-01")
    at.sidebar.date_input(key="filter_date_from").set_value(dt.date(2024, 6, 1)).run()
    assert widgets(at)["from"] == dt.date(2024, 6, 1)
    assert widgets(at)["to"] is None
    assert query(at) == {"from": "2024-06-01"}
    assert any("cleared" in c.value for c in at.sidebar.caption)


def test_the_sidebar_links_carry_the_filters() -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)  # app.py draws them
    at.query_params["claimant"] = "andrey-serenko"
    at.query_params["evidence"] = "seed"
    at.run()
    assert not at.exception
    links = {link.proto.label: link.proto.page for link in at.sidebar.get("page_link")}
    assert set(links) == {
        "Overview",
        "What changed since",
        "Designations timeline",
        "Northern Afghanistan map",
        "Militant strength claims",
        "Sources",
        "Methodology",
    }
    queries = {link.proto.query_string for link in at.sidebar.get("page_link")}
    assert queries == {"claimant=andrey-serenko&evidence=seed"}


def test_back_returns_to_the_previous_filters_and_the_page_shows_them() -> None:
    """Streamlit reruns the page with the older query string on Back: the page takes it."""
    at = open_link("pages/timeline.py")
    at.sidebar.radio(key="filter_evidence").set_value("Seed documents only").run()
    filter_list(at, "claimants").set_value(["andrey-serenko"]).run()
    assert query(at) == {"claimant": "andrey-serenko", "evidence": "seed"}
    at.query_params.clear()
    at.query_params["evidence"] = "seed"  # Back: the entry before the claimant was chosen
    at.run()
    assert not at.exception and not at.warning
    assert widgets(at)["claimants"] == [] and widgets(at)["evidence"] == "Seed documents only"
    assert query(at) == {"evidence": "seed"}
    at.query_params.clear()  # Back again: the unfiltered page
    at.run()
    assert widgets(at)["evidence"] == "All sources" and query(at) == {}
    at.query_params["evidence"] = "seed"  # Forward
    at.query_params["claimant"] = "andrey-serenko"
    at.run()
    assert widgets(at)["claimants"] == ["andrey-serenko"]
    # and a filter change after going back starts from what the page shows
    at.sidebar.radio(key="filter_evidence").set_value("All sources").run()
    assert query(at) == {"claimant": "andrey-serenko"}


def test_a_page_parameter_of_another_page_is_named_and_dropped() -> None:
    at = open_link("pages/overview.py", log="1", evidence="seed")
    assert "belongs to another page" in at.warning[0].value
    assert query(at) == {"evidence": "seed"}


def test_the_five_lists_are_in_a_section_that_a_list_in_force_keeps_open() -> None:
    plain = open_link("pages/timeline.py")
    (section,) = [e for e in plain.sidebar.expander if e.label.startswith("Sources, claimants")]
    assert not section.proto.expanded and not lists_shown(plain)  # built when opened
    assert not filter_list(plain, "groups").value  # the reader opens it: all five are there
    assert set(lists_shown(plain)) == set(LISTS)

    linked = open_link("pages/timeline.py", claimant="andrey-serenko")
    (section,) = [e for e in linked.sidebar.expander if e.label.startswith("Sources, claimants")]
    assert section.proto.expanded and lists_shown(linked)["claimants"] == ["andrey-serenko"]
    linked.switch_page("pages/methodology.py").run()  # on every page, not only the first
    assert lists_shown(linked)["claimants"] == ["andrey-serenko"]
