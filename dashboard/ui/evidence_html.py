"""The Sources page's HTML, rendered from the templates ``templates/source_*.html.j2``.

Everything a source or a record contains is data, not markup: the templates' autoescape shows a
quote containing ``<script>`` or ``<b>`` as those characters. The page sets the result with
``st.html`` (no Markdown pass, so ``*``, ``_``, ``$`` and ``:emoji:`` in a document stay as
written; DOMPurify behind it is a second line of defence, not the first).

The page draws every source on every rerun, so each view's HTML is cached per view object:
``source_views`` builds the views once per filter state (through ``ui.built``), and a rerun
with the same filters gets the same objects, hence the HTML rendered the first time.
"""

from __future__ import annotations

import functools
from typing import Any

from dashboard.charts.theme import MUTED_COLOR
from dashboard.ui.templates import render
from dashboard.view.evidence import Located, SourceView, pieces

HIGHLIGHT_COLOR = "#FFE08A"  # a pale amber mark: legible under every palette colour-vision type

# Views cached per function, a bound on memory: the page renders a document's text and records
# for the few seeds of a filter state, and the metadata of each of its ~150 sources.
_SEED_VIEWS = 1024
_ALL_VIEWS = 16384


def _render(name: str, **context: Any) -> str:
    return render(name, muted=MUTED_COLOR, highlight=HIGHLIGHT_COLOR, **context)


def highlighted_html(text: str, located: Located, prefix: str) -> str:
    """The document, each highlight a numbered ``<mark>`` linking to its records (ids
    ``<prefix>-hN``), whitespace kept as written (``pre-wrap``) so it reads as the seed file."""
    return _render("source_text.html.j2", pieces=pieces(text, located), prefix=prefix)


def record_list_html(located: Located, prefix: str) -> str:
    """The list under a document (ids ``<prefix>-rN``): for each mark, the records it supports
    and what they say; empty if no record quotes the document."""
    return _render("source_records.html.j2", located=located, prefix=prefix)


def link_html(url: object) -> str:
    """The URL as a visible plain link (the address itself the label) if it is http(s), else
    the text as written."""
    return _render("external_link.html.j2", url="" if url is None else str(url))


@functools.lru_cache(maxsize=_ALL_VIEWS)
def metadata_html(view: SourceView) -> str:
    """Title, outlet, author, publication date and its basis, URL, notes."""
    return _render("source_metadata.html.j2", rows=view.metadata_rows())


@functools.lru_cache(maxsize=_SEED_VIEWS)
def text_html(view: SourceView) -> str:
    """A seed's document with its marks; empty for an external source."""
    if view.located is None:
        return ""
    return highlighted_html(view.text, view.located, view.anchor)


@functools.lru_cache(maxsize=_SEED_VIEWS)
def records_html(view: SourceView) -> str:
    """The records quoting a seed, numbered as its marks; empty if there is none."""
    if view.located is None:
        return ""
    return record_list_html(view.located, view.anchor)


@functools.lru_cache(maxsize=_ALL_VIEWS)
def evidence_html(view: SourceView) -> str:
    """An external source's records with our summary of what the source reports."""
    return _render("source_evidence.html.j2", rows=view.evidence, more=view.more_evidence)
