"""Highlighting quotes in seed documents: spans, merging, links, and text that stays text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from html.parser import HTMLParser

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
from dashboard.ui.templates import http_url
from dashboard.view.evidence import (
    MAX_LISTED,
    Located,
    QuoteRef,
    format_date,
    locate,
    record_summary,
    source_views,
    sources_table,
)
from dashboard.view.filters import FilterState


class _Collector(HTMLParser):
    """What a browser would build: tags opened and the text it would display."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[dict[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(markup: str) -> _Collector:
    collector = _Collector()
    collector.feed(markup)
    collector.close()
    return collector


def visible_text(markup: str) -> str:
    """The displayed text, without the [n] reference numbers the marks add."""
    return re.sub(r"\[\d+\]", "", "".join(parse(markup).text))


# ---- locating and merging ------------------------------------------------------------------------
TEXT = "Alpha beta gamma. Delta epsilon zeta. Eta theta."


def test_each_quote_becomes_a_numbered_highlight_in_text_order() -> None:
    refs = [QuoteRef("r2", "events", "Eta theta"), QuoteRef("r1", "estimates", "beta gamma")]
    located = locate(TEXT, refs)
    assert [(h.number, TEXT[h.start : h.end], h.record_ids) for h in located.highlights] == [
        (1, "beta gamma", ("r1",)),
        (2, "Eta theta", ("r2",)),
    ]
    assert located.missing == ()


def test_overlapping_quotes_merge_into_one_mark_listing_all_records() -> None:
    refs = [
        QuoteRef("a", "events", "beta gamma. Delta"),
        QuoteRef("b", "estimates", "Delta epsilon"),
        QuoteRef("c", "designations", "gamma"),  # nested inside a
    ]
    located = locate(TEXT, refs)
    assert len(located.highlights) == 1
    light = located.highlights[0]
    assert TEXT[light.start : light.end] == "beta gamma. Delta epsilon"
    assert set(light.record_ids) == {"a", "b", "c"}


def test_identical_quotes_share_a_mark() -> None:
    refs = [QuoteRef("a", "events", "Delta epsilon"), QuoteRef("b", "estimates", "Delta epsilon")]
    located = locate(TEXT, refs)
    assert [set(h.record_ids) for h in located.highlights] == [{"a", "b"}]


def test_touching_quotes_stay_separate() -> None:
    refs = [QuoteRef("a", "events", "Alpha beta"), QuoteRef("b", "events", " gamma.")]
    located = locate(TEXT, refs)
    assert [h.record_ids for h in located.highlights] == [("a",), ("b",)]


def test_quotes_not_in_the_text_are_reported_not_dropped() -> None:
    refs = [QuoteRef("a", "events", "omega"), QuoteRef("b", "events", "  ")]
    located = locate(TEXT, refs)
    assert located.highlights == ()
    assert [r.record_id for r in located.missing] == ["a", "b"]
    assert "[not found in the text]" in record_list_html(located, "p")


def test_tolerates_typographic_quotes_and_whitespace_like_the_verifier() -> None:
    text = "He said \u201cover 1,000\nmadrassas\u201d were built."
    located = locate(text, [QuoteRef("a", "estimates", '"over 1,000 madrassas"')])
    light = located.highlights[0]
    assert text[light.start : light.end] == "\u201cover 1,000\nmadrassas\u201d"


# ---- text stays text -----------------------------------------------------------------------------
HOSTILE = (
    'Before <script>alert(1)</script> and <b>bold</b> & "quoted" <img src=x onerror=alert(2)> end.'
)


def test_markup_in_a_document_and_its_quotes_is_shown_literally() -> None:
    refs = [
        QuoteRef("rec-1", "events", "<script>alert(1)</script>", summary="<i>not italic</i>"),
        QuoteRef("rec-2", "estimates", "<b>bold</b>"),
    ]
    located = locate(HOSTILE, refs)
    assert len(located.highlights) == 2
    body = highlighted_html(HOSTILE, located, "p")
    records = record_list_html(located, "p")
    for markup in (body, records):
        parsed = parse(markup)
        assert "script" not in parsed.tags
        assert "b" not in parsed.tags and "img" not in parsed.tags and "i" not in parsed.tags
        assert "<script" not in markup and "<b>" not in markup and "<img" not in markup
    # the browser displays the characters exactly as the document has them
    assert visible_text(body) == HOSTILE
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in body
    shown_records = visible_text(records)
    assert "<script>alert(1)</script>" in shown_records
    assert "<i>not italic</i>" in shown_records


def test_the_only_tags_are_our_own() -> None:
    located = locate(HOSTILE, [QuoteRef("r", "events", "<b>bold</b>")])
    tags = set(parse(highlighted_html(HOSTILE, located, "p")).tags)
    assert tags <= {"div", "mark", "sup", "a"}


def test_record_ids_cannot_escape_their_attribute() -> None:
    evil = 'x" onmouseover="alert(1)'
    located = locate(TEXT, [QuoteRef(evil, "events", "beta")])
    body = highlighted_html(TEXT, located, "p")
    marks = [a for t, a in zip(parse(body).tags, parse(body).attrs, strict=True) if t == "mark"]
    assert marks[0]["title"] == evil  # the whole id, as one attribute value
    assert "onmouseover" not in marks[0]


def test_whitespace_and_markdown_characters_are_kept() -> None:
    text = "Line one *not bold* $5 and :smile: _x_\n\n  indented line"
    body = highlighted_html(text, locate(text, []), "p")
    assert visible_text(body) == text
    assert "white-space:pre-wrap" in body


def test_marks_and_records_link_to_each_other() -> None:
    located = locate(TEXT, [QuoteRef("r1", "events", "beta"), QuoteRef("r2", "events", "Eta")])
    body = highlighted_html(TEXT, located, "src-x")
    records = record_list_html(located, "src-x")
    body_ids = {a.get("id") for a in parse(body).attrs if a.get("id")}
    record_ids = {a.get("id") for a in parse(records).attrs if a.get("id")}
    body_links = {a["href"] for a in parse(body).attrs if a.get("href")}
    record_links = {a["href"] for a in parse(records).attrs if a.get("href")}
    assert body_links == {f"#{i}" for i in record_ids}
    assert record_links == {f"#{i}" for i in body_ids}
    assert body_ids == {"src-x-h1", "src-x-h2"}


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://kabulnow.com/2024/06/x/", True),
        ("HTTP://example.org", True),
        ("javascript:alert(1)", False),
        (" data:text/html,<b>x</b>", False),
        ("", False),
    ],
)
def test_only_http_links_become_links(url: str, safe: bool) -> None:
    assert (http_url(url) is not None) is safe
    markup = link_html(url)
    tags = parse(markup).tags
    assert ("a" in tags) is safe
    assert "<b>" not in markup


# ---- summaries -----------------------------------------------------------------------------------
def test_format_date_keeps_precision() -> None:
    assert format_date("2023") == "2023"
    assert format_date("2024-06") == "Jun 2024"
    assert format_date("2024-06-03") == "3 Jun 2024"
    assert format_date("soon") == "soon"


def test_record_summaries() -> None:
    assert record_summary("events", {"title": "CSTO meeting", "date": "2024-06-03"}) == (
        "CSTO meeting (3 Jun 2024)"
    )
    assert record_summary(
        "designations",
        {"jurisdiction_name": "Kazakhstan", "target_name": "Taliban", "action": "delisted"},
    ) == ("Kazakhstan: Taliban delisted, undated")
    text = record_summary(
        "estimates",
        {
            "claimant_name": "Andrey Serenko",
            "value_text": "more than 25,000",
            "metric": "fighters",
            "subject_name": "ISIS-K",
            "as_of": "2024",
        },
    )
    assert text == "Andrey Serenko: more than 25,000 fighters (ISIS-K), as of 2024"


# ---- the real dataset ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dataset():
    from dashboard.ingest.loader import load_dataset

    return load_dataset()


def test_every_seed_quote_is_highlighted(dataset) -> None:
    views = source_views(dataset, FilterState())
    seeds = [v for v in views if v.kind == "seed"]
    assert len(seeds) == len(dataset.seed_texts)
    for view in seeds:
        assert view.located is not None
        assert view.located.missing == (), view.source_id
        highlighted = {i for h in view.located.highlights for i in h.record_ids}
        for table, id_column in (
            ("events", "event_id"),
            ("designations", "designation_id"),
            ("estimates", "estimate_id"),
        ):
            frame = getattr(dataset, table)
            assert set(frame.loc[frame["source_id"] == view.source_id, id_column]) <= highlighted
        # the page shows the document exactly as written
        assert visible_text(text_html(view)) == dataset.seed_texts[view.source_id]


def test_external_sources_carry_evidence_and_plain_links(dataset) -> None:
    views = source_views(dataset, FilterState())
    external = [v for v in views if v.kind == "external"]
    assert len(external) == int((dataset.sources["kind"] == "external").sum())
    for view in external:
        assert text_html(view) == ""
        assert all(row.evidence for row in view.evidence), view.source_id
        assert len(view.evidence) == view.shown
        meta = parse(metadata_html(view))
        links = [a["href"] for a in meta.attrs if a.get("href")]
        assert links == [view.url]
        assert view.url in "".join(meta.text)  # the address itself is the link text


def test_views_follow_the_filters(dataset) -> None:
    everything = source_views(dataset, FilterState())
    assert [v.kind for v in everything] == sorted((v.kind for v in everything), key="seed".__ne__)
    total = sum(v.shown for v in everything)
    assert total == len(dataset.events) + len(dataset.designations) + len(dataset.estimates)

    seed_only = source_views(dataset, FilterState(seed_only=True))
    assert {v.kind for v in seed_only} == {"seed"}

    june = source_views(dataset, FilterState(known_as_of=dt.date(2024, 6, 30)))
    published = dataset.sources.set_index("source_id")["published_end"]
    assert june and all(published[v.source_id] <= dt.datetime(2024, 6, 30) for v in june)
    assert "003-d769d6b22a385456" not in {v.source_id for v in june}  # Dec 2024

    dated = source_views(dataset, FilterState(date_from=dt.date(2024, 1, 1)))
    kabulnow = next(v for v in dated if v.source_id == "001-8b132ec3de4e0615")
    assert kabulnow.hidden > 0
    assert kabulnow.located is not None
    assert len({i for h in kabulnow.located.highlights for i in h.record_ids}) == kabulnow.shown

    table = sources_table(everything)
    assert list(table["Source id"]) == [v.source_id for v in everything]


def test_a_passage_quoted_by_many_records_lists_some_and_counts_the_rest(dataset, tmp_path) -> None:
    """At 30x rows every passage is quoted 30 times: 25 records listed, the rest counted, and
    every record still counted under its source (nothing dropped silently)."""
    from bench.synthetic import scale_dataset
    from dashboard.ingest.loader import load_dataset

    factor = 30
    scaled = load_dataset(scale_dataset(factor, tmp_path))
    views = source_views(scaled, FilterState())
    seed = next(v for v in views if v.kind == "seed")
    original = next(v for v in source_views(dataset, FilterState()) if v.kind == "seed")
    assert seed.located is not None and original.located is not None
    assert len(seed.located.highlights) == len(original.located.highlights) > 0
    for light, one in zip(seed.located.highlights, original.located.highlights, strict=True):
        assert len(light.refs) == MAX_LISTED < factor
        assert len(light.refs) + light.more == factor * len(one.record_ids)
        assert f"and {light.more} more records quote this passage" in records_html(seed)
    external = next(v for v in views if v.kind == "external")
    assert len(external.evidence) + external.more_evidence == external.shown
    assert len(external.evidence) == MAX_LISTED
    assert f"and {external.more_evidence} more records of this source" in evidence_html(external)


def test_a_closed_full_text_says_how_many_passages_it_marks(dataset) -> None:
    """The page builds a seed's text only when opened, so its label says what is in it."""
    seed = next(v for v in source_views(dataset, FilterState()) if v.kind == "seed")
    assert seed.located is not None
    marks = text_html(seed).count("<mark ")
    assert marks > 1
    assert seed.full_text_label() == f"Full text, with the {marks} quoted passages marked"
    one = replace(seed, located=Located(seed.located.highlights[:1], ()))
    assert one.full_text_label() == "Full text, with the 1 quoted passage marked"
    none = replace(seed, located=Located((), ()))
    assert none.full_text_label() == "Full text (no record under the current filters quotes it)"
    lost = replace(seed, located=Located((), (QuoteRef("r1", "events", "never said"),)))
    assert lost.full_text_label() == "Full text (no quoted passage found in it)"
