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
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.charts import theme
from dashboard.charts.key import KeyGroup
from dashboard.charts.spec import ChartSpec
from dashboard.ingest.loader import DataInvalid, Dataset, load_dataset
from dashboard.ui import templates
from dashboard.view import filters as fl
from dashboard.view.filters import FilterState

REPO_ROOT = Path(__file__).resolve().parents[2]


# ---- dataset -----------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _cached_dataset(data_dir: str | None, seeds_dir: str | None = None) -> Dataset:
    return load_dataset(
        Path(data_dir) if data_dir else None, Path(seeds_dir) if seeds_dir else None
    )


def run_through_app() -> None:
    """Make a page that Streamlit ran on its own run again through app.py.

    Streamlit (1.67) takes an app with a ``pages/`` folder for an old-style multipage app from
    start-up until a script calls ``st.navigation``. Until then a request for ``/strength``
    runs ``pages/strength.py`` alone: no page configuration, Streamlit's list of the folder's
    files as navigation (with "app"), none of app.py's page links. After a restart every deep
    link was served that way until a reader opened the Overview, which runs app.py. A page run
    like that turns the flag off and reruns; the rerun goes through app.py, whose navigation
    finds the same page (a page's script hash is its file's in both)."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def dataset() -> Dataset:
    """The validated dataset, loaded once per process; a readable report if it does not validate.

    Every page asks for it first, so it also makes sure the page runs through app.py
    (``run_through_app``)."""
    import os

    run_through_app()
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
# stored state before drawing them, and widget callbacks write changes back into it.
#
# History: Back undoes a filter change (and Forward redoes it). Streamlit adds a history entry
# whenever a run changes the query string, and on Back it reruns the page with the older query
# string. So the address bar is the reader's state: every run compares it with the query this
# session last wrote or read, and when they differ the reader has gone Back or Forward (or
# edited the address), and the page takes its filters from the URL. The alternative, one
# history entry per page (filter changes replacing it), cannot be had from Python (Streamlit
# pushes an entry for each change) and would make Back leave the page after a wrong click
# instead of undoing it. The sidebar's page links carry the filters, so moving to another page
# adds one entry that already holds them (Streamlit's own navigation dropped the query string,
# and putting it back added a second entry that Back then landed on).
_FILTER_STATE = "filter_state"
_FILTER_NOTICE = "filter_url_rejections"
_FILTER_MESSAGE = "filter_widget_message"
_URL_SEEN = "url_seen"  # the query string (dict) this session last wrote or took from the URL
_PAGE_PARAMS = "url_page_params"  # the current page's own parameters (log scale, clicked mark)
_CURRENT_PAGE = "url_current_page"  # the page script this run shows ("timeline")
# Each drawn chart's clicked marks on this run and on the run before (key -> tokens): a chart
# not drawn on the run before (another tab, another page) has no memory, so its widget's empty
# selection, which Streamlit gives a chart it draws afresh, is not read as the reader clearing
# the marks the URL keeps (``_points_in_url``).
_SELECTIONS = "url_selections"
_SELECTIONS_BEFORE = "url_selections_before"
_NAV_SLOT = "_nav_slot"
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


@dataclass(frozen=True)
class PageParam:
    """A URL parameter that belongs to one page: a switch, or the marks clicked in a chart."""

    page: str  # the page's file name without .py ("timeline" for pages/timeline.py)
    kind: str  # "toggle" (value 1), "points" (trace.point indices, comma-separated) or "tab"
    what: str  # for messages: what it holds
    values: tuple[str, ...] = ()  # a "tab": the name of each tab, in order


# Every page's own parameters, by name; a link's parameter of another page is named and dropped.
PAGE_PARAMS: dict[str, PageParam] = {
    "log": PageParam("strength", "toggle", "the strength charts' log scale"),
    "mark": PageParam("timeline", "points", "the designation mark clicked"),
    "event": PageParam("timeline", "points", "the event clicked"),
    "chart": PageParam("timeline", "tab", "the chart shown", ("designations", "events")),
}
_TOGGLE_VALUES = {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}
_POINT = re.compile(r"^(\d{1,4})\.(\d{1,7})$")


# Page-wide style, for what Streamlit's own elements do not cover: the Sources page's HTML (a
# long URL or word in a metadata table, a quote) wraps instead of widening a phone's page past
# its screen, and a wide table scrolls inside its box. A chart's key (``chart_key_html``) wraps
# like text, a group to a line, in the page's own text colour (light or dark). Each page's run
# draws it (``filters``), so it is there whichever page a session opens first.
PAGE_STYLE = """<style>
.source-meta, .source-text, .source-records, .source-evidence { overflow-wrap: anywhere; }
table.source-meta { display: block; max-width: 100%; overflow-x: auto; }
.chart-key { font-size: 0.875rem; line-height: 1.5; }
.chart-key-group { display: flex; flex-wrap: wrap; align-items: center; column-gap: 0.9rem; }
.chart-key-title { font-weight: 600; }
.chart-key-entry { display: inline-flex; align-items: center; gap: 0.3rem; white-space: nowrap; }
.chart-key-swatch { flex: none; font-size: 1.05rem; line-height: 1; text-shadow: 0 0 1px #8888; }
.short-table-box { max-width: 100%; overflow-x: auto; }
table.short-table { border-collapse: collapse; font-size: 0.875rem; line-height: 1.4; }
table.short-table th, table.short-table td {
  text-align: left; vertical-align: top; padding: 0.3rem 0.75rem 0.3rem 0;
  border-bottom: 1px solid rgba(128, 128, 128, 0.3); min-width: 4.5rem;
}
table.short-table th { font-weight: 600; white-space: nowrap; }
ul.plain-list { margin: 0; padding-left: 1.4rem; }
ul.plain-list li { margin: 0.2rem 0; }
</style>"""


def page_links(pages: list[Any]) -> None:
    """The sidebar's links to every page, drawn by app.py (``st.navigation`` is hidden), that
    carry the filters (see the History note above)."""
    st.session_state[_NAV_SLOT] = st.sidebar.empty()
    st.session_state["_nav_pages"] = pages
    query = {
        key: value for key, value in _url_query().items() if key not in PAGE_PARAMS
    }  # before a page has read its filters (and if it never gets to): the link's own filters
    _draw_navigation(query)


def _draw_navigation(query: dict[str, str]) -> None:
    slot = st.session_state.get(_NAV_SLOT)
    pages = st.session_state.get("_nav_pages")
    if slot is None or not pages:
        return
    with slot.container():
        for page in pages:
            st.page_link(
                page, label=page.title, icon=page.icon, query_params=query, width="stretch"
            )
        st.divider()


def _url_query() -> dict[str, str]:
    """The address bar's query string, one value per name (the last, as the parser reads it)."""
    return {key: st.query_params.get_all(key)[-1] for key in st.query_params}


def _read_url(options: fl.FilterOptions) -> None:
    """Take the filters and the page's parameters from the URL; note what was not understood."""
    session = st.session_state
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    filter_params = {key: value for key, value in params.items() if key not in PAGE_PARAMS}
    state, rejections = FilterState.from_query(filter_params, options.vocabulary())
    page_params, page_rejections = _page_params(params, session.get(_CURRENT_PAGE))
    session[_FILTER_STATE] = state
    session[_PAGE_PARAMS] = page_params
    session[_FILTER_NOTICE] = [*rejections, *page_rejections]
    session[_URL_SEEN] = _url_query()


def _page_params(
    params: dict[str, list[str]], page: str | None
) -> tuple[dict[str, str], list[fl.Rejection]]:
    kept: dict[str, str] = {}
    rejections: list[fl.Rejection] = []
    for name, values in params.items():
        spec = PAGE_PARAMS.get(name)
        if spec is None or not values:
            continue
        value = values[-1].strip()
        if page is not None and spec.page != page:
            rejections.append(fl.Rejection(name, value, f"{spec.what} belongs to another page"))
        elif spec.kind == "toggle" and value.lower() not in _TOGGLE_VALUES:
            rejections.append(fl.Rejection(name, value, "use 1 (on) or 0 (off)"))
        elif spec.kind == "toggle":
            if _TOGGLE_VALUES[value.lower()]:
                kept[name] = "1"
        elif spec.kind == "tab":
            if value.lower() in spec.values:
                kept[name] = value.lower()
            else:
                rejections.append(fl.Rejection(name, value, f"use {' or '.join(spec.values)}"))
        elif not all(_POINT.match(part) for part in value.split(",")):
            rejections.append(fl.Rejection(name, value, "not a mark of this page's chart"))
        else:
            kept[name] = value
    return kept, rejections


def _sync_url() -> None:
    """Write the filters and the page's parameters to the address bar when they differ from it
    (a new history entry: Back undoes the change)."""
    session = st.session_state
    state: FilterState = session.get(_FILTER_STATE, FilterState())
    wanted = {**state.to_query(), **session.get(_PAGE_PARAMS, {})}
    # the map's place and year (fl.PAGE_PARAMS) are read and written by the map page itself
    wanted.update({k: v for k, v in _url_query().items() if k in fl.PAGE_PARAMS})
    if wanted != _url_query():
        st.query_params.from_dict(wanted)
    session[_URL_SEEN] = wanted


def page_param(name: str) -> str | None:
    """The current page's own URL parameter ``name`` (``PAGE_PARAMS``), if the link has it."""
    return st.session_state.get(_PAGE_PARAMS, {}).get(name)


def filters(ds: Dataset) -> FilterState:
    """The reader's filter state for this run: sidebar widgets, mirrored in the URL.

    Call once per page, before drawing anything that depends on the filters.
    """
    st.html(PAGE_STYLE)
    options = fl.filter_options(ds)
    session = st.session_state
    session[_SELECTIONS_BEFORE] = session.pop(_SELECTIONS, {})
    # the page is the script calling us (pages/<name>.py): the same under st.navigation and in
    # AppTest, which runs a page's script without app.py
    session[_CURRENT_PAGE] = Path(sys._getframe(1).f_code.co_filename).stem
    if _FILTER_STATE not in session or _url_query() != session.get(_URL_SEEN):
        _read_url(options)  # a new session, Back or Forward, or a hand-edited address
    elif session.get("_filters_before") != session[_FILTER_STATE]:
        # the reader changed a filter: marks clicked in the old charts mean nothing in the new
        pages = session.setdefault(_PAGE_PARAMS, {})
        for name in [n for n in pages if PAGE_PARAMS[n].kind == "points"]:
            del pages[name]
    _seed_filter_widgets(session[_FILTER_STATE], options)
    state: FilterState = session[_FILTER_STATE]
    session["_filters_before"] = state
    _draw_navigation(state.to_query())
    _filter_sidebar(options)
    _sync_url()
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


def filter_notice(ds: Dataset, state: FilterState, *, applies: bool = True) -> None:
    """The active filters, said the same way on every page (nothing when none is set).

    ``applies=False`` for a page the filters do not change (Methodology): it says they are kept
    for the other pages."""
    if state.is_default():
        return
    described = plain(state.describe(filter_labels(ds)))
    if applies:
        st.info(f"**Filtered:** {described}", icon=":material/filter_alt:")
    else:
        st.caption(f"Filters kept for the other pages (this page is not filtered): {described}")


def url_toggle(param: str, label: str, *, help: str | None = None) -> bool:
    """A switch whose position is in the URL (``PAGE_PARAMS[param]``, a "toggle"), so a shared
    link or Back brings it back; returns whether it is on."""
    session = st.session_state
    key = f"url_toggle_{param}"
    pages: dict[str, str] = session.setdefault(_PAGE_PARAMS, {})
    session[key] = pages.get(param) == "1"

    def changed() -> None:
        if session.get(key):
            session.setdefault(_PAGE_PARAMS, {})[param] = "1"
        else:
            session.setdefault(_PAGE_PARAMS, {}).pop(param, None)

    st.toggle(label, key=key, help=help, on_change=changed)
    return bool(session[key])


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


SHORT_TABLE_ROWS = 30  # up to this many rows a table is set as text (short_table)


def short_table(frame: pd.DataFrame, *, complete_in: str = CHART_CSV) -> None:
    """A table of a few rows that the reader reads rather than searches (a status by
    jurisdiction, the comparisons, the undated reports), set as text: its cells wrap at words
    (a phone scrolls it sideways only when its columns need more), it prints and copies, and
    the browser draws it at once, where the grid's component costs a tenth of a second on a
    page that has no other. A longer table is the grid (``table``), for sorting and scrolling."""
    if len(frame) > SHORT_TABLE_ROWS:
        table(frame, complete_in=complete_in)
        return
    st.html(short_table_html(frame))


def short_table_html(frame: pd.DataFrame) -> str:
    """``frame`` as the HTML of ``templates/short_table.html.j2``: every cell as text (a
    missing value empty, never "nan"), escaped by the template."""
    cells = frame.astype(object).where(frame.notna(), "")
    return templates.render(
        "short_table.html.j2",
        columns=[str(column) for column in frame.columns],
        rows=[[str(value) for value in row] for row in cells.itertuples(index=False)],
    )


def plain_list(items: Sequence[str]) -> None:
    """Sentences of data text as a bulleted list, shown as written (a template, autoescaped):
    the same list as Markdown, without Markdown's rendering of every item or its escapes."""
    st.html(templates.render("plain_list.html.j2", items=list(items)))


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
        since=current.since,  # the Since page's window (set there, see set_window)
        until=current.until,
    )


def _reset_filters() -> None:
    st.session_state[_FILTER_STATE] = FilterState()
    st.session_state.pop(_FILTER_NOTICE, None)


_MORE_FILTERS = "filter_more"  # the expander holding the five lists
# the lists: (FilterState field, label, placeholder, help)
_LISTS = (
    ("sources", "Sources", "All sources", None),
    (
        "claimants",
        "Claimants",
        "All claimants",
        "Who made a strength or capacity claim (applies to estimates).",
    ),
    (
        "claimant_types",
        "Claimant types",
        "All claimant types",
        "UN bodies, Russian state, regional blocs, US... (applies to estimates).",
    ),
    (
        "groups",
        "Groups",
        "All groups",
        "The group an estimate counts, a designation lists or an event involves.",
    ),
    ("event_types", "Event types", "All event types", None),
)


MORE_FILTERS_LABEL = "Sources, claimants, groups, event types, known as of"


def _more_filters(state: FilterState) -> Any:
    """The sidebar's section for sources, claimants, claimant types, groups, event types and
    "known as of": built when the reader opens it, and open whenever one of them is set (a link
    or an earlier choice), so a filter in force is always in view. The dates and the evidence
    stay out of it.

    Why a section: these controls cost about 0.09 s of drawing on every page and every filter
    change, for every reader, most of whom filter by date and evidence or not at all."""
    if any(getattr(state, name) for name, *_ in _LISTS) or state.known_as_of is not None:
        st.session_state[_MORE_FILTERS] = True
    return lazy_expander(MORE_FILTERS_LABEL, key=_MORE_FILTERS)


def _filter_sidebar(options: fl.FilterOptions) -> None:
    keys = _FILTER_KEYS
    state: FilterState = st.session_state[_FILTER_STATE]
    low, high = _date_bounds(options, state)
    labels = options.labels()

    def on_change(name: str) -> dict[str, object]:
        return {"on_change": _state_from_filter_widgets, "args": (name,)}

    def date_field(label: str, name: str, help: str | None = None) -> None:
        """A day within the data's span (empty until chosen), written as the URL writes it."""
        st.date_input(
            label,
            value=None,
            min_value=low,
            max_value=high,
            format="YYYY-MM-DD",
            key=keys[name],
            help=help,
            **on_change(name),
        )

    with st.sidebar:
        st.header("Filters", divider="gray")
        st.caption("They apply on every page, and the link in the address bar carries them.")
        date_field(
            "From",
            "date_from",
            help="Records whose date (or date span, for a year or month) reaches this day.",
        )
        date_field("To", "date_to")
        message = st.session_state.pop(_FILTER_MESSAGE, None)
        if message:
            st.caption(f":orange[{message}]")
        st.radio(
            "Evidence",
            _EVIDENCE_CHOICES,
            key=keys["evidence"],
            horizontal=True,
            help="Seed documents are quoted verbatim; external sources carry our summary.",
            **on_change("evidence"),
        )
        with _more_filters(state) as more:
            if more.open:
                for name, label, placeholder, help in _LISTS:
                    st.multiselect(
                        label,
                        [i for i, _ in getattr(options, name)],
                        format_func=lambda i: labels.get(i, i),
                        key=keys[name],
                        placeholder=placeholder,
                        help=help,
                        **on_change(name),
                    )
                st.toggle(
                    "Known as of a past date",
                    key=keys["known_on"],
                    help="Show only what had been published by a date, e.g. a past briefing's.",
                    **on_change("known_on"),
                )
                if st.session_state[keys["known_on"]]:
                    date_field("Known as of", "known_as_of")
        # always drawn (disabled when nothing is set): a button appearing on the first filter
        # change moved the sidebar and cost that change about 0.02 s
        st.button(
            "Reset filters",
            key="filter_reset",
            on_click=_reset_filters,
            icon=":material/restart_alt:",
            disabled=state.is_default(),
        )


# ---- content built only when the reader opens it ---------------------------------------------
# Most readers never open a page's record tables or a seed document's full text, yet a plain
# st.expander or st.tabs builds and sends all of it, and the browser draws it on every load and
# filter change. These track their open state (``on_change="rerun"``): opening one reruns the
# page, and the page builds the content only under ``if box.open:``. The state is not bound to
# the URL (``bind="query-params"``): ``_sync_url`` writes the whole query string and would drop it.
#
# What the reader opened is kept under a plain key, as the filters are, and written into the
# widget's key before it is drawn: Streamlit forgets a widget's state on a run that does not
# draw it (an expander in the tab not chosen, another page), and a stateful container's identity
# includes its label, whose counts change with the filters (a new identity starts closed, or on
# the first tab). Tabs are remembered by position, since their labels change.
_OPENED = "lazy_opened"  # key -> an expander's open state, or (tab labels, chosen position)


# A source's badge on the Sources page, by kind: (icon, colour).
_SOURCE_BADGES = {
    "seed": (":material/format_quote:", "blue"),
    "external": (":material/link:", "gray"),
}


def source_heading(view: Any) -> None:
    """A source's heading on the Sources page (its anchor for links), its kind, its counts and
    its metadata table: the same for a seed document and an external source."""
    from dashboard.charts.theme import SOURCE_KIND_LABELS
    from dashboard.ui import evidence_html

    kind = "seed" if view.kind == "seed" else "external"
    icon, color = _SOURCE_BADGES[kind]
    st.subheader(plain(view.label), anchor=view.anchor, divider="gray")
    st.badge(SOURCE_KIND_LABELS[kind], icon=icon, color=color)
    st.caption(plain(view.counts_text()))
    st.html(evidence_html.metadata_html(view))


def lazy_expander(label: str, *, key: str) -> Any:
    """A collapsed expander whose ``.open`` says whether to build its content: use as
    ``with ui.lazy_expander(label, key=...) as box:`` then ``if box.open: ...``. ``key`` must be
    unique in the app and the same on every run."""
    session = st.session_state
    opened: dict[str, Any] = session.setdefault(_OPENED, {})
    if key in session:  # the reader's click since the last run (or the state it left)
        opened[key] = bool(session[key])
    session[key] = opened.get(key, False)
    return st.expander(label, key=key, on_change="rerun")


def lazy_table(label: str, *, key: str, rows: Callable[[], Any]) -> None:
    """A collapsed expander holding a table (``table``) whose rows are made only when the
    reader opens it: ``rows`` is called then, not on every run."""
    with lazy_expander(label, key=key) as box:
        if box.open:
            table(rows())


def lazy_tabs(
    labels: list[str], *, key: str, first: int = 0, param: str | None = None
) -> Sequence[Any]:
    """Tabs of which only the chosen one has ``.open`` true: the page builds only its content.
    ``key`` must be unique in the app and the same on every run; ``first`` is the tab chosen
    until the reader chooses one (e.g. the one a link's clicked mark is in). With ``param``
    (a "tab" of ``PAGE_PARAMS``) the choice is in the URL: a shared link or Back shows the
    same tab."""
    session = st.session_state
    opened: dict[str, Any] = session.setdefault(_OPENED, {})
    drawn, position = opened.get(key, (list(labels), first))
    clicked = session.get(key) in drawn and drawn.index(session[key]) != position
    if clicked:  # the reader's click since the last run
        position = drawn.index(session[key])
    if param is not None:
        names = PAGE_PARAMS[param].values
        pages: dict[str, str] = session.setdefault(_PAGE_PARAMS, {})
        if clicked:
            pages[param] = names[position]
            _sync_url()
        position = names.index(pages[param]) if param in pages else first
    position = min(position, len(labels) - 1)
    opened[key] = (list(labels), position)
    session[key] = labels[position]
    return st.tabs(labels, key=key, on_change="rerun")


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


# Plotly's toolbar, trimmed to zooming and panning: the rest (box and lasso select, spike lines,
# an image of the page's version without its title and sources) only crowded a phone's chart.
# The Download menu under each chart gives the stamped files.
_MODEBAR_REMOVE = [
    "toImage",
    "select2d",
    "lasso2d",
    "autoScale2d",
    "zoomIn2d",
    "zoomOut2d",
    "toggleSpikelines",
    "hoverClosestCartesian",
    "hoverCompareCartesian",
    "hoverClosestGeo",
]


def show_chart(
    spec: ChartSpec,
    key: str,
    *,
    selectable: bool = True,
    url_param: str | None = None,
    aspect: float | None = None,
) -> list[dict]:
    """A chart with its title, caption, source line and downloads; returns the points the
    reader clicked.

    Shared by every page so charts look, export and select alike. The title and source line
    are page text (they wrap on a phone); the figure is drawn with Streamlit's theme, which
    follows the reader's light or dark mode. ``url_param`` (a "points" entry of
    ``PAGE_PARAMS``) keeps the clicked marks in the URL: a shared link or Back shows the same
    records. Images are made only when the reader asks for one (a button), never at page load.
    The caption and the source line are one block of two lines, and the four files are in a
    "Download" menu: a chart page draws some 25 elements besides its chart, and each one drawn
    delays the chart (five fewer per chart: about 0.05 s on every view and filter change).
    ``aspect`` (width over height of the plot area) makes the chart's height follow the page
    column's width, for a map whose projection keeps its shape: with the figure's fixed height
    a phone drew the map 145 px tall in a 430 px chart, blank above and below.
    """
    config = {
        "displaylogo": False,
        "modeBarButtonsToRemove": _MODEBAR_REMOVE,
        "responsive": True,
        # the map's base file from this server (static/), never from Plotly's CDN
        "topojsonURL": "/app/static/topojson/",
    }
    figure = spec.screen_figure
    st.markdown(f"**{plain(spec.title)}**")
    if spec.key:
        st.html(chart_key_html(spec.key))
    options: dict[str, Any] = {"width": "stretch", "theme": "streamlit", "config": config}
    if selectable:
        options.update(on_select="rerun", selection_mode="points")
    if aspect is None:
        event = st.plotly_chart(figure, key=key, **options)
    else:
        event = _chart_of_aspect(spec, key, aspect, options)
    if not selectable:
        event = None
    source = spec.source_text
    st.caption(plain(spec.caption) + (f"  \n{plain(source)}" if source else ""))
    with st.popover("Download", icon=":material/download:"):
        chart_downloads(spec, key)
    live = list(event.selection.points) if event is not None and event.selection else []
    if url_param is None:
        return live
    return _points_in_url(spec, key, url_param, live)


def _chart_of_aspect(spec: ChartSpec, key: str, aspect: float, options: dict[str, Any]) -> Any:
    """``st.plotly_chart`` whose plot is as tall as its width over ``aspect``: a CSS container
    query sizes the box from the column's width (and the figure's margins), and the figure,
    without a height of its own, fills it (``height="stretch"``)."""
    figure, (across, down) = spec.boxed_figure
    height = f"calc((100cqw - {across}px) / {aspect:.4f} + {down}px)"
    st.html(
        f"<style>.st-key-{key}_frame {{ container-type: inline-size; }}"
        f" .st-key-{key}_plot {{ flex: none !important; height: {height} !important; }}</style>"
    )
    with st.container(key=f"{key}_frame"), st.container(key=f"{key}_plot"):
        return st.plotly_chart(figure, key=key, height="stretch", **options)


@functools.lru_cache(maxsize=256)
def chart_key_html(key: tuple[KeyGroup, ...]) -> str:
    """A chart's key as HTML (``templates/chart_key.html.j2``), made once per key."""
    return templates.render("chart_key.html.j2", groups=key)


def _points_in_url(spec: ChartSpec, key: str, param: str, live: list[dict]) -> list[dict]:
    """The clicked points, kept in the URL as ``curve.point`` indices: a click (or clearing it)
    writes them; a link or Back brings them back, as points of this chart's figure."""
    session = st.session_state
    pages: dict[str, str] = session.setdefault(_PAGE_PARAMS, {})
    tokens = ",".join(
        f"{point.get('curve_number')}.{point.get('point_index', point.get('point_number'))}"
        for point in live
    )
    remembered = session.get(_SELECTIONS_BEFORE, {}).get(key)
    session.setdefault(_SELECTIONS, {})[key] = tokens
    if remembered is not None and tokens != remembered:  # the reader clicked or cleared
        if tokens:
            pages[param] = tokens
        else:
            pages.pop(param, None)
        _sync_url()
    value = pages.get(param)
    if not value:
        return []
    points = theme.points_of(spec.figure, value.split(","))
    if len(points) < len(value.split(",")):
        st.caption(":orange[A mark in the link is not in this chart (the data changed?).]")
    return points


def chart_downloads(spec: ChartSpec, key: str) -> None:
    """PNG, SVG, offline HTML and the rows as CSV; each file is made only when clicked. Names
    carry the chart, the filters in short and the day (``chart_files.file_name``); the CSV
    starts with what it holds (``chart_files.rows_csv``)."""
    from dashboard.charts import catalog
    from dashboard.export import chart_files

    ds = dataset()
    state: FilterState = st.session_state.get(_FILTER_STATE, FilterState())
    stamp = catalog.stamp(ds, state, spec.source_ids)
    today = dt.date.today()
    figure = functools.cache(lambda: chart_files.stamped_figure(spec, stamp))
    makers = {
        "png": ("PNG (slide, 2x)", lambda: chart_files.to_png(figure())),
        "svg": ("SVG", lambda: chart_files.to_svg(figure())),
        "html": ("Interactive HTML", lambda: chart_files.to_html(figure(), spec.title)),
        "csv": (
            "Rows as CSV",
            lambda: chart_files.rows_csv(
                spec, chart_files.csv_stamp(ds, state, spec, stamp, today)
            ),
        ),
    }
    for extension, (label, make) in makers.items():
        st.download_button(
            label,
            data=make,
            file_name=chart_files.file_name(spec.chart_id, extension, state, today),
            mime=chart_files.MIME_TYPES[extension],
            key=f"{key}_download_{extension}",
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
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
            changes=changes(ds, state),
        )

    st.download_button(
        "Briefing pack (.pptx)",
        data=make,
        file_name=chart_files.file_name("briefing-pack", "pptx", state, dt.date.today()),
        mime=chart_files.MIME_TYPES["pptx"],
        key="briefing_pack",
        icon=":material/slideshow:",
        on_click="ignore",
    )
    # (a caption, not the button's help: a tooltip makes Streamlit draw the button twice)
    st.caption("Every chart for the current filters, one per slide, with captions and sources.")


# ---- what changed since the last briefing (pages/since.py, the Overview's count) ---------------
def data_dir() -> str | None:
    """The CSV folder the dataset was loaded from (its git history gives the corrections)."""
    import os

    return os.environ.get("DASHBOARD_DATA_DIR") or None


def changes(ds: Dataset, state: FilterState) -> Any:
    """The what-changed list for the reader's filters and window (one function everywhere)."""
    from dashboard.view.changes import changes_since

    return changes_since(ds, state, data_dir())


def set_window(since: dt.date | None, until: dt.date | None) -> None:
    """Store a new window in the reader's filter state; the URL follows on the next run."""
    current: FilterState = st.session_state.get(_FILTER_STATE, FilterState())
    if since is not None and until is not None and since > until:
        until = None
        st.session_state[_FILTER_MESSAGE] = "The until-date was before the since-date; cleared."
    st.session_state[_FILTER_STATE] = current.with_(since=since, until=until)


# ---- the map: the year it shows and the place picked, in the URL (year=, place=) ----------------
# The URL is the truth for both: each run parses it (a shared link opens on the same place and
# year), the controls are seeded from it, and their callbacks and clicks on the map write it.
_MAP_YEAR = "map_year"
_MAP_PLACE = "map_place"
_MAP_LAST_CLICK = "map_last_click"
_MAP_CHART_GEN = "map_chart_generation"
_ALL_YEARS = "all"


def _map_url(**changes: object) -> None:
    """Set (or, with None, remove) the map's own query parameters."""
    for name, value in changes.items():
        if value is None or value == "":
            if name in st.query_params:
                del st.query_params[name]
        else:
            st.query_params[name] = str(value)


def _map_year_changed() -> None:
    value = st.session_state.get(_MAP_YEAR)
    _map_url(year=None if value in (None, _ALL_YEARS) else value)


def _map_place_changed() -> None:
    _map_url(place=st.session_state.get(_MAP_PLACE))
    # a new chart widget: the old click's highlight must not stay on another place
    st.session_state[_MAP_CHART_GEN] = st.session_state.get(_MAP_CHART_GEN, 0) + 1


def map_choice(ds: Dataset, state: FilterState) -> Any:
    """The year and place the map page shows, parsed from the URL (with a notice for what is
    not understood, which is then dropped from it); draws the year control."""
    from dashboard.charts import province_map
    from dashboard.view.places import PLACE_PARAM, YEAR_PARAM, MapChoice

    params = {key: st.query_params.get_all(key) for key in (PLACE_PARAM, YEAR_PARAM)}
    params = {key: values for key, values in params.items() if values}
    years = province_map.map_years(ds)
    choice, rejections = MapChoice.from_query(params, province_map.selectable_places(ds), years)
    if rejections:
        lines = "\n".join(f"- {rejection}" for rejection in rejections)
        st.warning(
            f"Some map parameters in the link were not understood and are ignored.\n\n{lines}",
            icon=":material/link_off:",
        )
        _map_url(place=choice.place_id, year=choice.year)
    counts = province_map.year_counts(ds, state)
    st.session_state[_MAP_YEAR] = choice.year if choice.year is not None else _ALL_YEARS

    def year_label(option: object) -> str:
        year = None if option == _ALL_YEARS else option
        found = counts.get(year, 0)  # type: ignore[call-overload]
        return f"{'All years' if year is None else year} · {found}"

    st.segmented_control(
        "Year (records placed in a province)",
        [_ALL_YEARS, *years],
        format_func=year_label,
        key=_MAP_YEAR,
        on_change=_map_year_changed,
        help="A record counts in every year its date reaches; undated records only under "
        "All years.",
    )
    return choice


def map_chart(spec: ChartSpec, choice: Any) -> Any:
    """The map with its downloads; a click picks a place (written to the URL). Returns the
    choice after the click. On narrow screens the names give way to the map (the key above it
    says what the shading means)."""
    from dashboard.charts.province_map import VIEW_ASPECT
    from dashboard.view.places import MapChoice, selected_place

    # On a phone (the map about 350 px wide) the names and the inset would cover the map: they
    # give way, and a note says where they are (a tap shows a place's name and count).
    st.html(
        "<style>@media (max-width: 640px) {"
        " .st-key-province_map_box .geo .scatterlayer text,"
        " .st-key-province_map_box .geo2 { display: none; } }"
        " @media (min-width: 641px) { .st-key-map_narrow_note { display: none; } }</style>"
    )
    generation = st.session_state.get(_MAP_CHART_GEN, 0)
    with st.container(key="map_narrow_note"):
        st.caption(
            "On a narrow screen the map shows no names: tap a province or a marker for "
            "its name and records, or choose a place in the list below the map."
        )
    with st.container(key="province_map_box"):
        points = show_chart(spec, f"province_map_{generation}", aspect=VIEW_ASPECT)
    clicked = tuple(sorted(str(p.get("customdata", [""])[0]) for p in points))
    last = st.session_state.get(_MAP_LAST_CLICK, {}).get(generation, ())
    if clicked != last:  # a new click (or a cleared selection) on this chart
        st.session_state.setdefault(_MAP_LAST_CLICK, {})[generation] = clicked
        place = selected_place(points)
        _map_url(place=place)
        choice = MapChoice(place, choice.year)
    return choice


def map_place_picker(ds: Dataset, choice: Any) -> Any:
    """A list of the map's places (for keyboards and small screens, where a click is hard),
    in step with the URL. Returns the choice."""
    from dashboard.charts import province_map
    from dashboard.view.places import MapChoice

    options = province_map.selectable_places(ds)
    st.session_state[_MAP_PLACE] = choice.place_id
    st.selectbox(
        "Records of a place",
        list(options),
        format_func=lambda pid: options.get(pid, pid),
        index=None,
        key=_MAP_PLACE,
        placeholder="Click the map, or choose a province, district, crossing or river",
        on_change=_map_place_changed,
    )
    return MapChoice(st.session_state.get(_MAP_PLACE), choice.year)
