"""HTML and script in a quote stay text in every chart's exports (the browser test opens the
page and one download of each format; this checks the SVG, HTML and CSV of every chart whose
rows carry the quote).

The HTML check parses each file as a browser would (tests/hostile_text.py): a quote that closed
Plotly's embedded script early would make a <script> or <b> element of its own there.
"""

from __future__ import annotations

import pytest

from dashboard.charts import catalog
from dashboard.export import chart_files
from dashboard.ingest.loader import Dataset, load_dataset
from dashboard.view.filters import FilterState
from tests.hostile_text import INJECTED, export_problems, hostile_dataset, literal_problems


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    data, seeds = hostile_dataset(tmp_path_factory.mktemp("hostile"))
    return load_dataset(data, seeds)


def test_the_checks_see_markup_made_from_the_text() -> None:
    """The checks themselves: an export that let the injection through is caught."""
    assert literal_problems("alert(1)")
    assert export_problems("x.html", f"<p>{INJECTED}</p>".encode())
    assert export_problems("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')
    assert not export_problems("x.csv", INJECTED.encode())


def test_every_chart_keeps_the_injected_quote_as_text_in_every_format(hostile: Dataset) -> None:
    specs = catalog.chart_specs(hostile, FilterState())
    carrying = [spec for spec in specs if INJECTED in spec.rows.to_csv()]
    assert carrying, "no chart carries the injected quote: the test would check nothing"
    problems: list[str] = []
    for spec in carrying:  # a chart without the quote in its rows has nothing to show of it
        stamp = catalog.stamp(hostile, FilterState(), spec.source_ids)
        exported = chart_files.export_chart(spec, stamp, ("svg", "html", "csv"))
        for fmt, body in exported.files.items():
            problems += export_problems(f"{spec.chart_id}.{fmt}", body)
    assert not problems, problems


def test_the_seed_text_stays_in_the_copy(hostile: Dataset) -> None:
    """The hostile dataset is what the tests think it is: it validates with the quote in it."""
    quotes = hostile.estimates["quote"].tolist() + hostile.events["quote"].tolist()
    assert INJECTED in quotes
