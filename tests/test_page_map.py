"""The map page in AppTest: it draws the map, says in words what a picked place holds (never a
heading over an empty table), and keeps the place and the year in the URL, both ways."""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_map(query: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.switch_page("pages/map.py")
    return app.run()


def plotly_specs(app: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in app.get("plotly_chart")]


def _bold(app: AppTest) -> list[str]:
    """Bold page text (Markdown-escaped, unescaped here): the chart's title first (a chart's
    title and source line are page text on the page: ui.show_chart), then the picked place."""
    return [m.value.strip("*").replace("\\", "") for m in app.markdown if m.value.startswith("**")]


def chart_title(app: AppTest) -> str:
    return _bold(app)[0]


def headline(app: AppTest) -> str:
    """The bold sentence about the picked place."""
    bold = _bold(app)
    return bold[1] if len(bold) > 1 else ""


def url(app: AppTest) -> dict[str, str]:
    return {key: app.query_params[key][-1] if isinstance(app.query_params[key], list)
            else app.query_params[key] for key in app.query_params}  # fmt: skip


def test_map_page_runs_and_draws_the_map() -> None:
    app = open_map()
    assert not app.exception
    (spec,) = plotly_specs(app)
    assert {trace["type"] for trace in spec["data"]} == {"choropleth", "scattergeo"}
    assert "Badakhshan" in chart_title(app)
    assert not headline(app)  # nothing picked yet: no heading at all
    assert not app.dataframe  # no table until a place is picked or the records are opened


def test_the_records_behind_the_map_are_built_only_when_opened() -> None:
    app = open_map()
    (box,) = app.main.expander
    pairs = re.fullmatch(r"Records behind this map \((\d+) record–province pairs\)", box.label)
    assert pairs and int(pairs[1]) > 0
    assert not box.proto.expanded and not box.children and not app.dataframe
    app.session_state["map_records"] = True  # as the reader's click sets it
    app.run()
    assert not app.exception
    (box,) = app.main.expander
    assert box.proto.expanded
    (table,) = box.dataframe
    assert len(table.value) == int(pairs[1]) and "named as" in table.value.columns
    assert len(app.dataframe) == 1


def test_map_page_follows_a_filter_from_the_url() -> None:
    app = open_map({"source": "004-d3846a0bdc6f5d90"})
    assert not app.exception
    assert len(plotly_specs(app)) == 1
    assert chart_title(app).startswith("Records name")
    assert "bne IntelliNews" in " ".join(caption.value for caption in app.caption)


def test_a_province_without_records_says_so_in_words() -> None:
    app = open_map({"place": "baghlan"})
    assert not app.exception
    assert headline(app) == (
        "Baghlan (province): no record under the current filters names it or a place in it."
    )
    assert not app.dataframe  # no table for Baghlan (the map's own rows: only when opened)
    assert url(app) == {"place": "baghlan"}


def test_a_district_lists_as_many_records_as_it_counts() -> None:
    # the Tajik border officer's 2021 count for five Badakhshan districts (Nusay's 2023 madrassa
    # report is undated since the data re-check: "recently" is no date)
    app = open_map({"place": "nusay", "year": "2021"})
    assert not app.exception
    assert headline(app) == "Nusay (district): 1 record names it, in 2021."
    picked = app.dataframe[0].value
    assert len(picked) == 1 and set(picked["named as"]) == {"Nusay"}
    assert chart_title(app).startswith("In 2021, records name")
    assert url(app) == {"place": "nusay", "year": "2021"}


def test_a_district_without_coordinates_says_why_it_has_no_marker() -> None:
    app = open_map({"place": "kuf-ab"})
    assert headline(app).startswith("Kuf Ab (district): no record")
    assert any("no marker on the map" in caption.value for caption in app.caption)


def test_an_unknown_place_or_year_in_the_link_is_named_and_dropped() -> None:
    app = open_map({"place": "atlantis", "year": "1999", "evidence": "seed"})
    assert not app.exception
    (warning,) = app.warning
    assert "`place=atlantis` ignored" in warning.value and "`year=1999` ignored" in warning.value
    assert url(app) == {"evidence": "seed"}  # the filters stay; the bad values are gone
    assert not headline(app)


def test_picking_a_place_and_a_year_writes_them_to_the_url() -> None:
    app = open_map({"evidence": "seed"})
    app.selectbox(key="map_place").select("kunduz").run()
    assert not app.exception
    assert url(app) == {"evidence": "seed", "place": "kunduz"}
    assert headline(app).startswith("Kunduz (province): 1 record names it or a place in it")
    app.button_group(key="map_year").set_value(2023).run()
    assert url(app) == {"evidence": "seed", "place": "kunduz", "year": "2023"}
    assert headline(app).endswith(", in 2023.")
    app.button_group(key="map_year").set_value("all").run()
    assert url(app) == {"evidence": "seed", "place": "kunduz"}
    app.selectbox(key="map_place").select(None).run()
    assert url(app) == {"evidence": "seed"} and not headline(app)


def test_a_year_outside_the_filters_dates_says_the_map_is_empty() -> None:
    app = open_map({"to": "2022-06-30", "year": "2023"})
    assert not app.exception
    assert any("leave nothing of 2023" in info.value for info in app.info)
