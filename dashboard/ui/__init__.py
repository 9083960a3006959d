"""The one module besides pages/ that imports Streamlit: shared page furniture.

Pages stay thin descriptions of what they show; anything they share (loading the dataset once,
showing the validator's report instead of a traceback, the sidebar filters, download buttons)
lives here.

Sections are owned by different parts of the work; add functions inside the section you own.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from dashboard.charts.spec import ChartSpec
from dashboard.ingest.loader import DataInvalid, Dataset, load_dataset
from dashboard.view import filters as fl
from dashboard.view.filters import FilterState

REPO_ROOT = Path(__file__).resolve().parents[2]


# ---- dataset -----------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _cached_dataset(data_dir: str | None, seeds_dir: str | None = None) -> Dataset:
    return load_dataset(
        Path(data_dir) if data_dir else None, Path(seeds_dir) if seeds_dir else None
    )


def dataset() -> Dataset:
    """The validated dataset, loaded once per process; a readable report if it does not validate."""
    import os

    data_dir = os.environ.get("DASHBOARD_DATA_DIR") or None
    seeds_dir = os.environ.get("DASHBOARD_SEEDS_DIR") or None  # default: the repo's seeds/
    try:
        return _cached_dataset(data_dir, seeds_dir)
    except DataInvalid as invalid:
        st.error(
            "The dataset did not pass validation, so the dashboard is not showing it. "
            "Fix the problems below (file:row:column) and reload."
        )
        st.code(invalid.report.format(), language=None)
        st.stop()
        raise  # unreachable: st.stop() ends the script run


# ---- filters (sidebar and URL) ----------------------------------------------------------------
# The reader's FilterState lives in session_state under a plain (non-widget) key, so it survives
# page changes: Streamlit forgets the state of widgets a page does not draw, and gives a widget
# on another page a different identity. Each run therefore seeds the sidebar widgets from the
# stored state before drawing them, and widget callbacks write changes back into it. The URL
# is read once per session (a copied link opens a new session) and rewritten on every run,
# because st.navigation clears the query string when the reader moves to another page.
_FILTER_STATE = "filter_state"
_FILTER_NOTICE = "filter_url_rejections"
_FILTER_MESSAGE = "filter_widget_message"
_FILTER_KEYS = {
    "date_from": "filter_date_from",
    "date_to": "filter_date_to",
    "sources": "filter_sources",
    "claimants": "filter_claimants",
    "claimant_types": "filter_claimant_types",
    "groups": "filter_groups",
    "event_types": "filter_event_types",
    "known_on": "filter_known_on",
    "known_as_of": "filter_known_as_of",
    "evidence": "filter_evidence",
}
_EVIDENCE_CHOICES = ("All sources", "Seed documents only")


def filters(ds: Dataset) -> FilterState:
    """The reader's filter state for this run: sidebar widgets, mirrored in the URL.

    Call once per page, before drawing anything that depends on the filters.
    """
    options = fl.filter_options(ds)
    session = st.session_state
    if _FILTER_STATE not in session:
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        state, rejections = FilterState.from_query(params, options.vocabulary())
        session[_FILTER_STATE] = state
        session[_FILTER_NOTICE] = rejections
    _seed_filter_widgets(session[_FILTER_STATE], options)
    _filter_sidebar(options)
    state: FilterState = session[_FILTER_STATE]
    _write_filter_url(state)
    with st.sidebar:
        st.header("Export", divider="gray")
        briefing_pack_button(ds, state)
    rejections = session.pop(_FILTER_NOTICE, None)
    if rejections:
        lines = "\n".join(f"- {rejection}" for rejection in rejections)
        st.warning(
            "Some link parameters were not understood and are ignored; the page shows the "
            f"rest.\n\n{lines}",
            icon=":material/link_off:",
        )
    return state


def filter_labels(ds: Dataset) -> dict[str, str]:
    """Every filterable id's label, for ``FilterState.describe``."""
    return fl.filter_options(ds).labels()


def filter_page_link(page: str, label: str, icon: str | None = None) -> None:
    """A link to another page that carries the current filters (also when opened in a new tab)."""
    state: FilterState = st.session_state.get(_FILTER_STATE, FilterState())
    st.page_link(page, label=label, icon=icon, query_params=state.to_query())


TABLE_ROWS = 1000  # rows a page table sends to the browser; the full rows are in the CSV
CHART_CSV = "the chart's “Rows as CSV” download"


def table(frame: Any, *, complete_in: str = CHART_CSV, limit: int = TABLE_ROWS) -> None:
    """A plain table of at most ``limit`` rows, saying so when there are more and where the
    rest are (``complete_in``): tens of thousands of rows in a page would be sent to every
    reader and read by none, but none may go missing without a word."""
    if len(frame) > limit:
        st.caption(
            f"The first {limit:,} of {len(frame):,} rows, in the order below; every row is in "
            f"{complete_in}."
        )
        frame = frame.head(limit)
    st.dataframe(frame, hide_index=True, width="stretch")


def plain(text: object) -> str:
    """Data text made safe for st.markdown/st.caption: shown literally, never as markup.

    Every ASCII punctuation mark is backslash-escaped (CommonMark allows it for all of them),
    which also disarms Streamlit's extras: ``$`` maths, ``:emoji:`` and ``:red[...]``.
    """
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", str(text))


def _date_bounds(options: fl.FilterOptions, state: FilterState) -> tuple[dt.date, dt.date]:
    """Picker bounds: the data's span, widened to any date the state holds (from a link)."""
    low = options.first_date or dt.date(2000, 1, 1)
    high = max(options.last_date or dt.date.today(), dt.date.today())
    held = [d for d in (state.date_from, state.date_to, state.known_as_of) if d is not None]
    return min([low, *held]), max([high, *held])


def _seed_filter_widgets(state: FilterState, options: fl.FilterOptions) -> None:
    """Write the stored state into the widget keys, before the widgets are drawn."""
    session = st.session_state
    keys = _FILTER_KEYS
    session[keys["date_from"]] = state.date_from
    session[keys["date_to"]] = state.date_to
    session[keys["sources"]] = list(state.sources)
    session[keys["claimants"]] = list(state.claimants)
    session[keys["claimant_types"]] = list(state.claimant_types)
    session[keys["groups"]] = list(state.groups)
    session[keys["event_types"]] = list(state.event_types)
    session[keys["known_on"]] = state.known_as_of is not None
    session[keys["known_as_of"]] = state.known_as_of or options.last_published or dt.date.today()
    session[keys["evidence"]] = _EVIDENCE_CHOICES[1 if state.seed_only else 0]


def _state_from_filter_widgets(changed: str) -> None:
    """Widget callback: rebuild the stored state from the widgets (runs before the rerun)."""
    session = st.session_state
    keys = _FILTER_KEYS
    current: FilterState = session.get(_FILTER_STATE, FilterState())
    date_from = session.get(keys["date_from"], current.date_from)
    date_to = session.get(keys["date_to"], current.date_to)
    if date_from is not None and date_to is not None and date_from > date_to:
        if changed == "date_from":
            date_to = None
            session[_FILTER_MESSAGE] = "The to-date was before the new from-date; it was cleared."
        else:
            date_from = None
            session[_FILTER_MESSAGE] = "The from-date was after the new to-date; it was cleared."
    known_on = bool(session.get(keys["known_on"], current.known_as_of is not None))
    known = session.get(keys["known_as_of"], current.known_as_of) if known_on else None
    session[_FILTER_STATE] = FilterState(
        date_from=date_from,
        date_to=date_to,
        sources=tuple(session.get(keys["sources"], current.sources)),
        claimants=tuple(session.get(keys["claimants"], current.claimants)),
        claimant_types=tuple(session.get(keys["claimant_types"], current.claimant_types)),
        groups=tuple(session.get(keys["groups"], current.groups)),
        event_types=tuple(session.get(keys["event_types"], current.event_types)),
        known_as_of=known,
        seed_only=session.get(keys["evidence"]) == _EVIDENCE_CHOICES[1],
    )


def _reset_filters() -> None:
    st.session_state[_FILTER_STATE] = FilterState()
    st.session_state.pop(_FILTER_NOTICE, None)


def _filter_sidebar(options: fl.FilterOptions) -> None:
    keys = _FILTER_KEYS
    state: FilterState = st.session_state[_FILTER_STATE]
    low, high = _date_bounds(options, state)
    labels = options.labels()

    def on_change(name: str) -> dict[str, object]:
        return {"on_change": _state_from_filter_widgets, "args": (name,)}

    with st.sidebar:
        st.header("Filters", divider="gray")
        st.caption("They apply on every page, and the link in the address bar carries them.")
        st.date_input(
            "From",
            value=None,
            min_value=low,
            max_value=high,
            format="YYYY-MM-DD",
            key=keys["date_from"],
            help="Records whose date (or date span, for a year or month) reaches this day.",
            **on_change("date_from"),
        )
        st.date_input(
            "To",
            value=None,
            min_value=low,
            max_value=high,
            format="YYYY-MM-DD",
            key=keys["date_to"],
            **on_change("date_to"),
        )
        message = st.session_state.pop(_FILTER_MESSAGE, None)
        if message:
            st.caption(f":orange[{message}]")
        st.multiselect(
            "Sources",
            [i for i, _ in options.sources],
            format_func=lambda i: labels.get(i, i),
            key=keys["sources"],
            placeholder="All sources",
            **on_change("sources"),
        )
        st.multiselect(
            "Claimants",
            [i for i, _ in options.claimants],
            format_func=lambda i: labels.get(i, i),
            key=keys["claimants"],
            placeholder="All claimants",
            help="Who made a strength or capacity claim (applies to estimates).",
            **on_change("claimants"),
        )
        st.multiselect(
            "Claimant types",
            [i for i, _ in options.claimant_types],
            format_func=lambda i: labels.get(i, i),
            key=keys["claimant_types"],
            placeholder="All claimant types",
            help="UN bodies, Russian state, regional blocs, US... (applies to estimates).",
            **on_change("claimant_types"),
        )
        st.multiselect(
            "Groups",
            [i for i, _ in options.groups],
            format_func=lambda i: labels.get(i, i),
            key=keys["groups"],
            placeholder="All groups",
            help="The group an estimate counts, a designation lists or an event involves.",
            **on_change("groups"),
        )
        st.multiselect(
            "Event types",
            [i for i, _ in options.event_types],
            format_func=lambda i: labels.get(i, i),
            key=keys["event_types"],
            placeholder="All event types",
            **on_change("event_types"),
        )
        st.radio(
            "Evidence",
            _EVIDENCE_CHOICES,
            key=keys["evidence"],
            horizontal=True,
            help="Seed documents are quoted verbatim; external sources carry our summary.",
            **on_change("evidence"),
        )
        st.toggle(
            "Known as of a past date",
            key=keys["known_on"],
            help="Show only what had been published by a date, e.g. a past briefing's.",
            **on_change("known_on"),
        )
        if st.session_state[keys["known_on"]]:
            st.date_input(
                "Known as of",
                value=None,
                min_value=low,
                max_value=high,
                format="YYYY-MM-DD",
                key=keys["known_as_of"],
                **on_change("known_as_of"),
            )
        st.button(
            "Reset filters",
            key="filter_reset",
            on_click=_reset_filters,
            icon=":material/restart_alt:",
            disabled=state.is_default(),
        )


def _write_filter_url(state: FilterState) -> None:
    """Mirror the state in the query string, touching it only when it differs."""
    wanted = state.to_query()
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != {key: [value] for key, value in wanted.items()}:
        st.query_params.from_dict(wanted)


# ---- charts --------------------------------------------------------------------------------------
@st.cache_resource(max_entries=256, show_spinner=False)
def _cached_build(
    name: str, _builder: Callable[..., Any], _ds: Dataset, ds_key: int, state_key: str, _state: Any
) -> Any:
    return _builder(_ds, _state)


def built(builder: Callable[..., Any], ds: Dataset, state: FilterState, **options: Any) -> Any:
    """``builder(ds, state, **options)``, computed once per dataset, filters and options.

    Chart builders are pure, so every reader with the same filters (a briefing room opening the
    same link) shares one result instead of rebuilding Plotly figures on every rerun.
    """
    name = f"{builder.__module__}.{builder.__qualname__}"
    bound = functools.partial(builder, **options) if options else builder
    state_key = f"{state!r}|{sorted(options.items())!r}"
    return _cached_build(name, bound, ds, id(ds), state_key, state)


def clear_chart_cache() -> None:
    """For the benchmark: measure a first view, not a cached one (charts and the memos of
    frames and marks behind them; the loaded dataset and its filter choices stay)."""
    from dashboard.view.view import view_of

    _cached_build.clear()
    view_of.cache_clear()


def show_chart(spec: ChartSpec, key: str, *, selectable: bool = True) -> list[dict]:
    """A chart with its caption and downloads; returns the points the reader clicked.

    Shared by every page so charts look, export and select alike. Images are made only when the
    reader asks for one (a button), never at page load.
    """
    config = {
        "displaylogo": False,
        # the map's base file from this server (static/), never from Plotly's CDN
        "topojsonURL": "/app/static/topojson/",
        "toImageButtonOptions": {
            "format": "png",
            "filename": spec.chart_id,
            "width": 1280,
            "height": spec.figure.layout.height or 720,
            "scale": 2,
        },
    }
    if selectable:
        event = st.plotly_chart(
            spec.figure,
            width="stretch",
            theme=None,
            config=config,
            key=key,
            on_select="rerun",
            selection_mode="points",
        )
    else:
        event = None
        st.plotly_chart(spec.figure, width="stretch", theme=None, config=config, key=key)
    st.caption(plain(spec.caption))
    chart_downloads(spec, key)
    if event is None or not getattr(event, "selection", None):
        return []
    return list(event.selection.points)


def _stamp(source_ids: tuple[str, ...]) -> str:
    from dashboard.charts import catalog

    state: FilterState = st.session_state.get(_FILTER_STATE, FilterState())
    return catalog.stamp(dataset(), state, source_ids)


def chart_downloads(spec: ChartSpec, key: str) -> None:
    """PNG, SVG, offline HTML and the rows as CSV; each file is made only when clicked."""
    from dashboard.export import chart_files

    stamp = _stamp(spec.source_ids)
    figure = functools.cache(lambda: chart_files.stamped_figure(spec, stamp))
    makers = {
        "png": ("PNG (slide, 2x)", lambda: chart_files.to_png(figure())),
        "svg": ("SVG", lambda: chart_files.to_svg(figure())),
        "html": ("Interactive HTML", lambda: chart_files.to_html(figure(), spec.title)),
        "csv": ("Rows as CSV", lambda: chart_files.rows_csv(spec)),
    }
    with st.container(horizontal=True, key=f"{key}_downloads"):
        for extension, (label, make) in makers.items():
            st.download_button(
                label,
                data=make,
                file_name=chart_files.file_name(spec.chart_id, extension),
                mime=chart_files.MIME_TYPES[extension],
                key=f"{key}_download_{extension}",
                icon=":material/download:",
                on_click="ignore",
            )


def briefing_pack_button(ds: Dataset, state: FilterState) -> None:
    """One click: a PowerPoint deck of every chart for the current filters (built on click)."""
    from dashboard.charts import catalog
    from dashboard.export import briefing_pack, chart_files

    def make() -> bytes:
        specs = catalog.chart_specs(ds, state)
        all_ids = tuple(dict.fromkeys(i for spec in specs for i in spec.source_ids))
        return briefing_pack.build_pack(
            ds,
            specs,
            filters_text=state.describe(filter_labels(ds)),
            coverage=catalog.stamp(ds, state, all_ids),
            stamp_for=lambda spec: catalog.stamp(ds, state, spec.source_ids),
        )

    st.download_button(
        "Briefing pack (.pptx)",
        data=make,
        file_name="briefing-pack.pptx",
        mime=chart_files.MIME_TYPES["pptx"],
        key="briefing_pack",
        icon=":material/slideshow:",
        on_click="ignore",
    )
    # (a caption, not the button's help: a tooltip makes Streamlit draw the button twice)
    st.caption("Every chart for the current filters, one per slide, with captions and sources.")
