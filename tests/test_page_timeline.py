"""AppTest: the timeline page answers who delisted the Taliban, shows both charts, the status
table, the coverage line and every record, follows the filters, and shows data as text.

The two charts are tabs of which only the chosen one is built (ui.lazy_tabs), and the records
behind each chart are built only once the reader opens their expander (ui.lazy_expander):
``events_tab`` and ``open_records`` set their keys as the browser's click sets the widget."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Expander

from tests.page_tables import page_tables
from tests.sidebar_filters import filter_list

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"


def open_timeline(**params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page("pages/timeline.py").run()


RECORDS = {"designations": "timeline_designation_records", "events": "timeline_event_records"}


def events_tab(at: AppTest) -> AppTest:
    """Choose the key events tab, as a reader's click does."""
    (label,) = [tab.label for tab in at.tabs if tab.label.startswith("Key events")]
    at.session_state["timeline_chart"] = label
    at.run()
    assert not at.exception
    return at


def open_records(at: AppTest, *charts: str) -> AppTest:
    """Open the "Records behind this chart" expander of each chart named ("designations",
    "events"), as a reader's click does (the events tab first)."""
    if "events" in charts:
        events_tab(at)
    for chart in charts:
        at.session_state[RECORDS[chart]] = True
    at.run()
    assert not at.exception
    return at


def records_box(at: AppTest, chart: str) -> Expander:
    (box,) = [box for box in at.expander if box.proto.id.endswith(RECORDS[chart])]
    return box


def _walk(node: object):
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield child
            yield from _walk(child)


def charts(at: AppTest) -> list[dict]:
    """The Plotly figures on the page, as {"data": [...], "layout": {...}}."""
    found = []
    for element in _walk(at._tree):
        spec = getattr(getattr(element, "proto", None), "spec", None)
        if isinstance(spec, str) and spec.startswith("{"):
            found.append(json.loads(spec))
    return found


def marks(figure: dict) -> list[tuple[str, str]]:
    """(group, label) of every drawn mark."""
    out = []
    for trace in figure["data"]:
        meta = trace.get("meta") or {}
        if meta.get("role") == "mark":
            out += [(meta["group"], text.strip()) for text in trace["text"]]
    return out


def frame(at: AppTest | Block, first_column: str, *must_have: str):
    """The first table (on the page, or in a container) with these columns."""
    for value in page_tables(at):
        if list(value.columns)[:1] == [first_column] and set(must_have) <= set(value.columns):
            return value
    raise AssertionError(f"no table starting with {first_column!r} and {must_have}")


def test_the_page_answers_and_shows_both_charts_the_status_and_the_records() -> None:
    at = open_timeline()
    assert not at.exception
    assert not at.warning and not at.error
    assert at.title[0].value == "Who has taken the Taliban off its terrorist list?"
    lede = at.markdown[0].value
    for words in ("Kazakhstan", "Kyrgyzstan", "Sep 2024", "Russia", "Apr 2025", "suspended"):
        assert words in lede, words
    (designations,) = charts(at)  # the key events tab is built when chosen
    assert [tab.label for tab in at.tabs] == [
        "Designations and delistings (24 records)",
        "Key events around them (74 records)",
    ]
    titles = [m.value for m in at.markdown if m.value.startswith("**")]
    assert any("Kazakhstan and Kyrgyzstan delisted the Taliban" in t for t in titles)
    assert designations["layout"]["title"]["text"] == ""  # page text instead (it wraps)
    assert ("Russia", "17 Apr 2025 ×5") in marks(designations)
    assert ("Kazakhstan", "29 Dec 2023 ×4") in marks(designations)
    assert not any(t.startswith("**Key events") for t in titles)
    status = frame(at, "Jurisdiction", "Latest step").set_index("Jurisdiction")
    assert status.loc["Russia", "Latest step"] == "Ban suspended"
    assert status.loc["Russia", "Date"] == "17 Apr 2025"
    assert status.loc["Kyrgyzstan", "Latest step"] == "Delisted"
    assert status.loc["Turkmenistan", "Latest step"] == "no listing found in the sources checked"
    open_records(at, "designations")
    records = frame(records_box(at, "designations"), "Jurisdiction", "Quote or summary", "Drawn at")
    assert len(records) == 24
    assert set(records["Evidence"]) == {"Seed quote", "External summary"}
    coverage = [c.value for c in at.caption if "Coverage" in c.value]
    assert coverage and "Jul 2025" in coverage[0] and "not a live feed" in coverage[0]
    (events,) = charts(events_tab(at))  # the designations tab is not built now
    assert events["layout"]["title"]["text"] == ""
    titles = [m.value for m in at.markdown if m.value.startswith("**")]
    assert any(t.startswith("**Key events") for t in titles)
    undated_events = frame(at, "Event", "Quote or summary")
    assert (undated_events["Date (as stated)"] == "undated").any()


def test_the_records_behind_each_chart_are_built_only_when_opened() -> None:
    at = open_timeline()
    assert not at.exception
    tables = len(at.dataframe)
    box = records_box(at, "designations")
    assert box.label.startswith("Records behind this chart (")
    assert not box.proto.expanded and not box.children

    open_records(at, "designations")
    designations = records_box(at, "designations")
    assert designations.proto.expanded and len(at.dataframe) == tables + 1
    records = frame(designations, "Jurisdiction", "Quote or summary", "Drawn at")
    assert designations.label == f"Records behind this chart ({len(records)})"

    events_tab(at)
    box = records_box(at, "events")
    assert not box.proto.expanded and not box.children
    open_records(at, "events")
    events = records_box(at, "events")
    assert len(events.dataframe) == 1
    assert events.label == f"Records behind this chart ({len(events.dataframe[0].value)})"
    assert "Quote or summary" in events.dataframe[0].value.columns

    at.sidebar.radio(key="filter_evidence").set_value("Seed documents only").run()
    assert records_box(at, "events").label != events.label  # fewer: still open
    assert len(records_box(at, "events").dataframe) == 1
    at.session_state["timeline_chart"] = at.tabs[0].label  # back to the designations
    at.run()
    seed_only = frame(records_box(at, "designations"), "Jurisdiction", "Quote or summary")
    assert set(seed_only["Evidence"]) == {"Seed quote"}


def test_a_link_to_a_clicked_event_opens_the_key_events_tab() -> None:
    """A shared link with an event selection (``event=``) shows that event's records, and
    choosing the other tab and back keeps it in the link."""
    at = open_timeline(event="2.0")
    assert not at.exception
    (events,) = charts(at)
    assert any(t.get("meta", {}).get("role") == "mark" for t in events["data"])  # the events'
    assert any(m.value == "**Records of the selected event**" for m in at.markdown)
    at.session_state["url_selections"] = {"timeline_events": "2.0"}  # as the reader's click
    at.session_state["timeline_chart"] = at.tabs[0].label
    at.run()
    events_tab(at)
    assert at.query_params["event"] == "2.0"
    assert any(m.value == "**Records of the selected event**" for m in at.markdown)


def test_back_to_a_clicked_mark_from_another_page_keeps_the_mark() -> None:
    """A chart drawn afresh (after another page) has an empty selection; that is not the
    reader clearing the mark the link holds."""
    at = open_timeline(mark="1.0")
    assert any(m.value == "**Records of the selected mark**" for m in at.markdown)
    at.session_state["url_selections"] = {"timeline_designations": "1.0"}  # the reader's click
    at.switch_page("pages/map.py").run()
    at.query_params["mark"] = "1.0"  # Back, to the timeline's address
    at.switch_page("pages/timeline.py").run()
    assert at.query_params["mark"] == "1.0"
    assert any(m.value == "**Records of the selected mark**" for m in at.markdown)


def test_the_chosen_chart_is_in_the_link_and_back_brings_the_other_back() -> None:
    at = open_timeline()
    assert "chart" not in at.query_params
    events_tab(at)
    assert at.query_params["chart"] == "events"  # a new history entry, a link to share
    (events,) = charts(at)
    assert any(t.startswith("**Key events") for t in (m.value for m in at.markdown))
    at.query_params["chart"] = "designations"  # Back, or a link
    at.run()
    (designations,) = charts(at)
    assert designations != events
    assert ("Russia", "17 Apr 2025 ×5") in marks(designations)
    shared = open_timeline(chart="events")
    assert [m.value for m in shared.markdown if m.value.startswith("**Key events")]
    wrong = open_timeline(chart="map")
    assert "use designations or events" in wrong.warning[0].value
    assert ("Russia", "17 Apr 2025 ×5") in marks(charts(wrong)[0])


def test_a_past_briefing_date_turns_the_status_back() -> None:
    at = open_timeline(known_as_of="2024-06-30")
    assert not at.exception and not at.warning
    status = frame(at, "Jurisdiction", "Latest step").set_index("Jurisdiction")
    assert status.loc["Russia", "Latest step"] == "Delisting considered"
    assert status.loc["Kazakhstan", "Latest step"] == "Delisted"
    assert status.loc["Kyrgyzstan", "Latest step"] == "Listed as terrorist"
    designations = charts(at)[0]
    assert "known as of 2024-06-30" in at.info[0].value.replace("\\", "")  # filter notice
    (line,) = [s for s in designations["layout"]["shapes"] if s.get("name") == "known as of"]
    assert line["x0"].startswith("2024-06-30")
    assert not any(label.startswith("17 Apr 2025") for _, label in marks(designations))
    assert "was considering it" in at.markdown[0].value


def test_seed_documents_only_shows_only_quoted_records() -> None:
    at = open_records(open_timeline(evidence="seed"), "designations")
    records = frame(at, "Jurisdiction", "Quote or summary", "Drawn at")
    assert set(records["Evidence"]) == {"Seed quote"}
    status = frame(at, "Jurisdiction", "Latest step").set_index("Jurisdiction")
    assert status.loc["Kyrgyzstan", "Date"] == "undated"
    assert "seed documents only" in at.info[0].value
    # the key above the designations chart (the page's legend, set as text)
    (key,) = [h.proto.body for h in at.get("html") if 'class="chart-key"' in h.proto.body][:1]
    assert "external summary only" not in key and "seed quote (ring)" in key


def test_the_event_type_filter_narrows_the_events_chart() -> None:
    at = events_tab(open_timeline(event_type="meeting,attack"))
    events = charts(at)[-1]
    notes = events["layout"]["annotations"]
    lanes = [
        n["text"].replace("<b>", "").replace("</b>", "") for n in notes if n.get("name") == "lane"
    ]
    assert lanes == ["Attack", "Meeting"]
    assert filter_list(at, "event_types").value == ["meeting", "attack"]


def test_a_filter_that_empties_the_page_says_so() -> None:
    at = open_timeline(source="002-5f8a10b12b0b7e41")  # Meduza 2021: events, no designations
    assert not at.exception
    assert "No designation step" in at.markdown[0].value
    assert len(charts(at)) == 1
    assert len(charts(events_tab(at))) >= 1


@pytest.fixture
def hostile_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped data with markup in an external row's summary and an authority."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    path = data / "designations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["designation_id"] == "ru-suspended-2025-04-17-anews-2025-04-17":
            row["evidence"] = "<script>alert(1)</script> **bold** $x$ :red[red] <b>tag</b>"
            row["authority"] = "<img src=x onerror=alert(1)>"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data))
    return data


def test_data_text_is_shown_as_text_never_as_markup(hostile_data: Path) -> None:
    at = open_records(open_timeline(), "designations")
    assert not at.error
    records = frame(at, "Jurisdiction", "Quote or summary", "Drawn at")
    assert (records["Quote or summary"].str.startswith("<script>alert(1)</script>")).any()
    assert all("<script>" not in m.value for m in at.markdown)
    hover = " ".join(
        text
        for trace in charts(at)[0]["data"]
        for text in (trace.get("hovertext") or [])
        if isinstance(text, str)
    )
    assert "&lt;script&gt;" in hover and "<script>" not in hover
    assert "&lt;img src=x" in hover and "<img" not in hover


def test_a_large_dataset_is_counted_and_its_tables_bounded(tmp_path, monkeypatch) -> None:
    """At 30x rows the events chart counts reports per month and the record tables send the
    first 1,000 rows with a line saying how many there are and where all of them are."""
    from bench.synthetic import scale_dataset

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(scale_dataset(30, tmp_path)))
    at = open_records(open_timeline(), "events")
    captions = " ".join(c.value for c in at.caption)
    assert "too many to draw one by one" in captions
    assert "The first 1,000 of 2,220 rows" in captions  # the 74 event rows, 30 times
    assert "every row is in the chart's “Rows as CSV” download" in captions
    assert max(len(frame.value) for frame in at.dataframe) == 1000
