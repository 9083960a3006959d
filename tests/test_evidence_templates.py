"""The Sources page's templates: hostile titles, quotes, ids and URLs render as text, and the
layout of the template files adds nothing a reader sees."""

from __future__ import annotations

import pytest

from dashboard.ui.evidence_html import (
    evidence_html,
    highlighted_html,
    link_html,
    metadata_html,
    record_list_html,
    records_html,
    text_html,
)
from dashboard.ui.templates import environment
from dashboard.view.evidence import EvidenceRow, QuoteRef, SourceView, locate
from tests.test_source_text import parse, visible_text

EVIL = "<script>alert(1)</script> <b>bold</b> \"quoted\" & 'single' <img src=x onerror=alert(2)>"
EVIL_ID = 'x" onmouseover="alert(1)'
DOCUMENT = f"  Opening line.\n\n{EVIL}\n\tTabbed *not bold* $5 :smile:\n"


def source(**fields: object) -> SourceView:
    base: dict[str, object] = {
        "source_id": "ext-x",
        "kind": "external",
        "label": "X",
        "title": EVIL,
        "outlet": EVIL,
        "author": EVIL,
        "url": "https://example.org/a?b=1&c=2",
        "accessed": "2024-06-03",
        "language": EVIL,
        "published": "2024-06",
        "published_basis": "explicit",
        "notes": EVIL,
        "counts": {"events": 2},
        "hidden": 0,
    }
    return SourceView(**{**base, **fields})  # type: ignore[arg-type]


def assert_only_tags(markup: str, allowed: set[str]) -> None:
    tags = set(parse(markup).tags)
    assert tags <= allowed, tags - allowed
    for literal in ("<script", "<b>", "<img"):
        assert literal not in markup


def test_hostile_metadata_is_shown_as_written() -> None:
    markup = metadata_html(source())
    assert_only_tags(markup, {"table", "tr", "th", "td", "code", "a"})
    shown = "".join(parse(markup).text)
    assert shown.count(EVIL) == 5  # title, outlet, author, language, notes: every character
    links = [a["href"] for a in parse(markup).attrs if "href" in a]
    assert links == ["https://example.org/a?b=1&c=2"]  # the & decoded back by the parser


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", " data:text/html,<b>x</b>", "vbscript:x", f"ftp://x/{EVIL}"],
)
def test_a_url_that_is_not_http_is_text_not_a_link(url: str) -> None:
    for markup in (metadata_html(source(url=url)), link_html(url)):
        assert_only_tags(markup, {"table", "tr", "th", "td", "code"})
        assert url in "".join(parse(markup).text)


def test_a_hostile_http_url_stays_inside_its_attribute() -> None:
    url = f'https://example.org/?q="><script>alert(1)</script>&x={EVIL_ID}'
    markup = link_html(url)
    assert_only_tags(markup, {"a"})
    (attrs,) = parse(markup).attrs
    assert attrs == {"href": url, "target": "_blank", "rel": "noopener noreferrer"}
    assert "".join(parse(markup).text) == url


def test_hostile_evidence_rows_are_shown_as_written() -> None:
    rows = (EvidenceRow(EVIL_ID, "events", EVIL, EVIL), EvidenceRow("r2", "estimates", "s", EVIL))
    markup = evidence_html(source(evidence=rows, more_evidence=1))
    assert_only_tags(markup, {"ul", "li", "code", "span", "i"})
    shown = "".join(parse(markup).text)
    assert shown.count(EVIL) == 3 and EVIL_ID in shown
    assert "(event)" in shown and "(estimate)" in shown
    assert "and 1 more record of this source" in shown
    assert evidence_html(source()) == ""


def test_hostile_quotes_and_ids_in_a_seed_are_shown_as_written() -> None:
    refs = [QuoteRef(EVIL_ID, "events", EVIL, summary=EVIL), QuoteRef("ok", "estimates", "Tabbed")]
    located = locate(DOCUMENT, refs)
    assert len(located.highlights) == 2
    body = highlighted_html(DOCUMENT, located, "src-x")
    listed = record_list_html(located, "src-x")
    assert_only_tags(body, {"div", "mark", "sup", "a"})
    assert_only_tags(listed, {"ol", "li", "a", "strong", "ul", "code", "span"})
    # the document exactly as written, its layout included: the template adds no whitespace
    assert visible_text(body) == DOCUMENT
    titles = [a["title"] for a in parse(body).attrs if "title" in a]
    assert titles == [EVIL_ID, EVIL_ID, "ok", "ok"]  # mark and link, each id one whole value
    shown = "".join(parse(listed).text)
    assert shown.count(EVIL) == 2 and EVIL_ID in shown


def test_a_document_without_marks_is_its_text() -> None:
    body = highlighted_html(DOCUMENT, locate(DOCUMENT, []), "p")
    assert parse(body).tags == ["div"]
    assert visible_text(body) == DOCUMENT
    assert record_list_html(locate(DOCUMENT, []), "p") == ""


def test_each_view_is_rendered_once() -> None:
    located = locate(DOCUMENT, [QuoteRef("r", "events", "Opening")])
    seed = source(kind="seed", text=DOCUMENT, located=located)
    assert seed.quoted
    assert text_html(seed) is text_html(seed)
    assert records_html(seed) is records_html(seed)
    assert metadata_html(seed) is metadata_html(seed)
    # an equal view built again (another filter state) is another view: rendered for itself
    again = source(kind="seed", text=DOCUMENT, located=located)
    assert again != seed and text_html(again) == text_html(seed)
    external = source()
    assert not external.quoted and text_html(external) == "" and records_html(external) == ""


def test_every_template_compiles() -> None:
    env = environment()
    names = env.list_templates()
    assert {"source_text.html.j2", "source_records.html.j2", "source_metadata.html.j2"} <= set(
        names
    )
    for name in names:
        env.get_template(name)


def test_a_short_table_sets_every_cell_as_text() -> None:
    import io

    import pandas as pd

    from dashboard.ui import short_table_html

    frame = pd.DataFrame(
        {EVIL: [EVIL, None], "Sources": [3, 8], "Date": ["29 Dec 2023", float("nan")]}
    )
    body = short_table_html(frame)
    assert "<script" not in body and "<img" not in body and "nan" not in body
    assert visible_text(body).count(EVIL) == 2  # the heading and the cell, as written
    (read,) = pd.read_html(io.StringIO(body), flavor="lxml", keep_default_na=False)
    assert read.columns.tolist() == [EVIL, "Sources", "Date"]
    assert read.astype(str).values.tolist() == [[EVIL, "3", "29 Dec 2023"], ["", "8", ""]]


def test_a_plain_list_sets_each_sentence_as_text() -> None:
    from dashboard.ui import templates

    body = templates.render("plain_list.html.j2", items=[EVIL, "Said again in 2024."])
    assert "<script" not in body and "<img" not in body
    assert visible_text(body).split("\n").count(EVIL) == 1 and body.count("<li>") == 2
