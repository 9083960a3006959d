"""AppTest: the Methodology page renders docs/methodology.md and docs/data-changes.md."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"


def test_methodology_renders_the_document() -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page("pages/methodology.py").run()
    assert not at.exception
    document = (APP.parent / "docs" / "methodology.md").read_text(encoding="utf-8")
    shown = "\n".join(m.value for m in at.markdown)
    assert document.strip() in shown
    assert "# Methodology" in shown


def test_methodology_shows_what_changed_in_the_data() -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page("pages/methodology.py").run()
    assert not at.exception
    changes = (APP.parent / "docs" / "data-changes.md").read_text(encoding="utf-8")
    shown = "\n".join(m.value for m in at.markdown)
    assert changes.strip() in shown
    assert "## What changed in the data" in shown


def test_methodology_keeps_the_filters() -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["evidence"] = "seed"
    at.switch_page("pages/methodology.py").run()
    assert not at.exception
    assert at.sidebar.radio(key="filter_evidence").value == "Seed documents only"
    assert at.query_params["evidence"] == ["seed"] or at.query_params["evidence"] == "seed"


def test_the_limits_the_document_states_are_the_ones_the_code_uses() -> None:
    from dashboard.charts.density import DRAW_LIMIT
    from dashboard.charts.strength import LABEL_LIMIT, QUOTE_LIMIT
    from dashboard.view.evidence import MAX_LISTED

    section = (APP.parent / "docs" / "methodology.md").read_text(encoding="utf-8")
    section = section.split("## Views too full to draw one record at a time")[1].split("\n## ")[0]
    assert f"more than {DRAW_LIMIT} dated reports" in section
    assert f"more than {LABEL_LIMIT} claims" in section
    assert f"above {QUOTE_LIMIT} the hover" in section
    assert f"the first {MAX_LISTED} records" in section


def test_the_no_listing_wording_is_the_one_the_status_table_uses() -> None:
    from dashboard.view.steps import NO_LISTING

    document = (APP.parent / "docs" / "coding-rules.md").read_text(encoding="utf-8")
    assert NO_LISTING == "no listing found in the sources checked"
    assert f'reads exactly "{NO_LISTING}"' in " ".join(document.split())


def test_the_document_speaks_to_readers_and_the_developer_details_are_in_docs() -> None:
    """Column names, file paths and validator commands belong in docs/developer-notes.md."""
    docs = APP.parent / "docs"
    reader = (docs / "methodology.md").read_text(encoding="utf-8")
    for developer_only in ("python -m", "(checked)", "data/", "seeds/", "estimates.csv", "_id`"):
        assert developer_only not in reader, developer_only
    rules = (docs / "coding-rules.md").read_text(encoding="utf-8")
    assert "python -m dashboard validate" in rules and "`value_low`" in rules
    notes = (docs / "developer-notes.md").read_text(encoding="utf-8")
    assert "skiprows=chart_files.STAMP_ROWS" in notes
