"""``python -m dashboard export``: every chart's rows, the briefing pack, and refused options."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pptx import Presentation

from dashboard.__main__ import main
from dashboard.charts import catalog
from dashboard.export import briefing_pack
from dashboard.ingest.loader import load_dataset
from dashboard.view.filters import FilterState


# In-process, the command's own main as ``python -m dashboard`` calls it (the shell's route to it
# is tested by tests/test_changes_cli.py and test_validate.py). The images are made for the pack;
# PNG files themselves are tested in tests/test_export.py.
def test_every_chart_and_the_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--out", str(tmp_path), "--pack", "--formats", "csv", "--known-as-of", "2024-06-30"]
    code = main(["export", *args])
    err = capsys.readouterr().err
    assert code == 0, err
    ds = load_dataset()
    specs = catalog.chart_specs(ds, FilterState())
    ids = {spec.chart_id for spec in specs}
    assert {"designations-timeline", "province-map", "capacity-indicators"} <= ids
    for chart_id in ids:
        assert (tmp_path / f"{chart_id}.csv").exists(), chart_id
    deck = Presentation(io.BytesIO((tmp_path / "briefing-pack.pptx").read_bytes()))
    slides = list(deck.slides)
    shown = catalog.chart_specs(ds, FilterState(known_as_of=dt.date(2024, 6, 30)))
    sources = briefing_pack.source_slides(ds, shown)
    assert len(shown) >= 5
    assert len(slides) == 1 + 1 + len(shown) + sources  # title, "Since" (empty here), sources
    since = " ".join(s.text_frame.text for s in slides[1].shapes if s.has_text_frame)
    assert since.startswith("Since ")
    title = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "known as of 2024-06-30" in title
    assert "Traceback" not in err


def test_an_unknown_source_is_refused_by_name(tmp_path: Path, capsys) -> None:
    code = main(
        ["export", "--out", str(tmp_path), "--source", "no-such-source", "--formats", "csv"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "--source 'no-such-source': unknown source id" in err
    assert "Traceback" not in err and not list(tmp_path.iterdir())


def test_a_bad_date_and_format_are_refused(tmp_path: Path, capsys) -> None:
    assert main(["export", "--out", str(tmp_path), "--from", "2024-13-45"]) == 2
    assert "--from '2024-13-45'" in capsys.readouterr().err
    assert main(["export", "--out", str(tmp_path), "--formats", "gif"]) == 2
    assert "gif" in capsys.readouterr().err
