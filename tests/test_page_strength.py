"""The strength page in AppTest: charts, the disagreement headline, the log toggle, a URL filter."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_strength(query: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.switch_page("pages/strength.py")
    return app.run()


def figures(app: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in app.get("plotly_chart")]


def test_strength_page_shows_every_group_and_the_disagreement() -> None:
    app = open_strength()
    assert not app.exception
    # ISIS-K, all groups, TTP, al-Qaeda, Jamaat Ansarullah, AQIS, ETIM and the capacity panel
    assert len(figures(app)) == 8
    assert any("at least 16.6×" in md.value.replace("\\", "") for md in app.markdown)
    assert len(app.dataframe) == 2  # disagreement and all claims


def test_log_toggle_switches_the_axis() -> None:
    app = open_strength()
    assert figures(app)[0]["layout"]["yaxis"].get("type") != "log"
    app.toggle(key="strength_log_y").set_value(True).run()
    assert not app.exception
    assert figures(app)[0]["layout"]["yaxis"]["type"] == "log"


def test_a_claimant_filter_from_the_url_applies() -> None:
    app = open_strength({"claimant": "anatoly-sidorov"})
    assert not app.exception
    text = json.dumps(figures(app))
    assert "Sidorov" in text and "Serenko: more than" not in text
