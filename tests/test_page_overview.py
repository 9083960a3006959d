"""AppTest: the Overview page shows the headline findings, with sources and links, filtered."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.ingest.loader import load_dataset
from dashboard.ui import plain
from dashboard.view.filters import FilterState
from dashboard.view.findings import headline_findings

APP = Path(__file__).resolve().parent.parent / "app.py"


def open_overview(**params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page("pages/overview.py").run()


def page_links(at: AppTest) -> list[tuple[str, str]]:
    return [(el.proto.page, el.proto.label) for el in at.get("page_link")]


def test_overview_shows_five_findings_with_sources_and_links() -> None:
    at = open_overview()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # more than 25,000 (2024) against 2,000-3,500 (other Member States in a UN report, Jul 2024)
    assert metrics["ISIS-K strength: how far the claims differ"] == "at least 7.1×"
    assert metrics["Figures said again, not new"].startswith("5 figures")
    assert metrics["Border province named most"] == "Badakhshan"
    assert metrics["Delisted the Taliban or suspended the ban"] == "3 states"
    assert len(metrics) == 5
    captions = [c.value for c in at.caption]
    assert sum("Sources" in c for c in captions) == 5
    links = page_links(at)
    assert {label for _, label in links} >= {
        "Open Designations timeline",
        "Open Militant strength claims",
        "Open Northern Afghanistan map",
        "Open Sources",
    }
    assert not at.warning


def test_overview_follows_the_filters_and_says_so() -> None:
    at = open_overview(evidence="seed", known_as_of="2024-06-30")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Delisted the Taliban or suspended the ban"] != "3 states"
    assert any("known as of 2024" in i.value for i in at.info)
    assert any("seed documents only" in i.value for i in at.info)


def test_detail_links_carry_the_filters() -> None:
    at = open_overview(source="001-8b132ec3de4e0615")
    links = [el for el in at.get("page_link") if "timeline" in el.proto.page]
    assert links
    assert "source=001-8b132ec3de4e0615" in links[0].proto.query_string


def test_the_evidence_behind_a_finding_is_built_only_when_opened() -> None:
    at = open_overview()
    findings = [f for f in headline_findings(load_dataset(), FilterState()) if f.details]
    boxes = [box for box in at.expander if box.label == "Evidence behind this finding"]
    assert len(boxes) == len(findings) > 1
    assert not any(box.proto.expanded or box.children for box in boxes)
    lists = {"\n".join(f"- {plain(line)}" for line in f.details) for f in findings}
    assert not lists & {m.value for m in at.markdown}

    first, second = findings[:2]
    at.session_state[f"evidence_{first.key}"] = True  # as the reader's click sets it
    at.run()
    assert not at.exception
    (box,) = [box for box in at.expander if box.proto.id.endswith(f"evidence_{first.key}")]
    assert box.proto.expanded
    assert [m.value for m in box.markdown] == ["\n".join(f"- {plain(d)}" for d in first.details)]
    assert len(lists & {m.value for m in at.markdown}) == 1
    (closed,) = [box for box in at.expander if box.proto.id.endswith(f"evidence_{second.key}")]
    assert not closed.children
