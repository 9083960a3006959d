"""A dataset that fails validation: every page shows the validator's report, never a traceback
and never a chart (AppTest, every corruption on every page; the browser checks one of them).

The report names file, row and column, so the analyst who broke the file can fix it.
"""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ingest.validate import validate_dataset

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
PAGES = ["pages/timeline.py", "pages/map.py", "pages/strength.py", "pages/sources.py"]
REPORT_HEADLINE = "did not pass validation"


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def ragged_row(data: Path) -> str:
    rows = _rows(data / "events.csv")
    rows[3] = [*rows[3], "one cell too many"]
    _write(data / "events.csv", rows)
    return r"events\.csv:4:-: .*cell"


def changed_quote(data: Path) -> str:
    rows = _rows(data / "estimates.csv")
    quote = rows[0].index("quote")
    row = next(n for n, r in enumerate(rows) if n and r[quote])
    rows[row][quote] = rows[row][quote] + " and a word the source never said"
    _write(data / "estimates.csv", rows)
    return rf"estimates\.csv:{row + 1}:quote: quote not found verbatim"


def missing_file(data: Path) -> str:
    (data / "designations.csv").unlink()
    return r"designations\.csv:-:-: .+"


CORRUPTIONS: dict[str, Callable[[Path], str]] = {
    "ragged_row": ragged_row,
    "changed_quote": changed_quote,
    "missing_file": missing_file,
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_every_page_shows_the_report_instead_of_charts(
    corruption: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    expected = CORRUPTIONS[corruption](data)
    assert not validate_dataset(data).ok  # a corruption the validator catches
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data))
    at = AppTest.from_file(APP, default_timeout=60).run()
    for page in [None, *PAGES]:
        if page:
            at.switch_page(page).run()
        where = page or "overview"
        assert not at.exception, f"{where}: {at.exception}"
        assert any(REPORT_HEADLINE in e.value for e in at.error), f"{where}: no report headline"
        report = "\n".join(code.value for code in at.code)
        assert re.search(expected, report), f"{where}: no {expected!r} in\n{report}"
        assert not at.get("plotly_chart"), f"{where} draws charts from data that failed"
