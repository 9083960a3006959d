"""The map page in AppTest: it runs, draws the map, and lists the records behind it."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_map(query: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.switch_page("pages/map.py")
    return app.run()


def plotly_specs(app: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in app.get("plotly_chart")]


def test_map_page_runs_and_draws_the_province_map() -> None:
    app = open_map()
    assert not app.exception
    (spec,) = plotly_specs(app)
    types = {trace["type"] for trace in spec["data"]}
    assert types == {"choropleth", "scattergeo"}
    assert "Badakhshan" in app.markdown[0].value  # the chart's title, as page text
    assert app.dataframe, "the records table is missing"


def test_map_page_follows_a_filter_from_the_url() -> None:
    app = open_map({"source": "004-d3846a0bdc6f5d90"})
    assert not app.exception
    assert len(plotly_specs(app)) == 1
    title = app.markdown[0].value  # the chart's title and source line, as page text
    assert title.startswith("**Records name")
    assert "bne IntelliNews" in " ".join(caption.value for caption in app.caption)
