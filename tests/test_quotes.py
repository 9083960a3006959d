"""The quote verifier tolerates whitespace, typographic quotes and dashes, and nothing else."""

from __future__ import annotations

import pytest

from dashboard.ingest.quotes import find_quote, index_text, normalise, quote_in

TEXT = (
    "KABUL \u2013 On Monday, June\u00a03, the CSTO chief said that \u201cover 1,000 religious\n"
    "madrassas\u201d have been built.\r\n  Serenko: \u2018It\u2019s the \u00abAfghan hub\u00bb"
    " \u2014 a 4,000-strong force.\u2019"
)

TOLERATED = {
    "straight double quotes": '"over 1,000 religious madrassas"',
    "newline and NBSP as spaces": "On Monday, June 3, the CSTO chief",
    "hyphen for en dash": "KABUL - On Monday",
    "extra spaces": "said   that  \u201cover 1,000",
    "CRLF and indent": "have been built. Serenko:",
    "straight single quotes": "'It's the",
    "guillemets as double quotes": '"Afghan hub" - a 4,000-strong force.',
    "em dash as hyphen": "hub\u00bb - a",
    "minus sign as hyphen": "a 4,000\u2212strong force",
    "leading and trailing space": "  the CSTO chief  ",
    "NFKC (fullwidth digits)": "\uff11,000 religious",
}

REFUSED = {
    "paraphrase": "the CSTO chief said that over a thousand madrassas were built",
    "changed number": "over 1,001 religious madrassas",
    "dropped thousands separator": "over 1000 religious madrassas",
    "changed word": "have been constructed",
    "case": "kabul - on monday",
    "missing space": "religiousmadrassas",
    "ellipsis inside": "On Monday ... the CSTO chief",
    "empty": "",
    "whitespace only": "   ",
}


@pytest.mark.parametrize("quote", TOLERATED.values(), ids=TOLERATED.keys())
def test_tolerated_differences(quote: str) -> None:
    assert quote_in(quote, TEXT)
    assert find_quote(quote, TEXT) is not None


@pytest.mark.parametrize("quote", REFUSED.values(), ids=REFUSED.keys())
def test_refused_differences(quote: str) -> None:
    assert not quote_in(quote, TEXT)
    assert find_quote(quote, TEXT) is None


@pytest.mark.parametrize(
    ("quote", "original"),
    [
        ('"over 1,000 religious madrassas"', "\u201cover 1,000 religious\nmadrassas\u201d"),
        ("June 3, the", "June\u00a03, the"),
        ("built. Serenko", "built.\r\n  Serenko"),
        ("KABUL", "KABUL"),
        ("force.'", "force.\u2019"),
    ],
)
def test_find_quote_span_is_in_the_original_text(quote: str, original: str) -> None:
    span = find_quote(quote, TEXT)
    assert span is not None
    assert TEXT[span[0] : span[1]] == original


def test_span_with_characters_nfkc_expands_or_composes() -> None:
    text = "The \ufb01rst caf\u0065\u0301 \u2014 fine."  # "ﬁ" ligature, decomposed é
    start, end = find_quote("first café - fine", text)  # type: ignore[misc]
    assert text[start:end] == "\ufb01rst caf\u0065\u0301 \u2014 fine"


def test_index_agrees_with_fast_normalise() -> None:
    """The validator (normalise) and the highlighter (index_text) see the same text."""
    assert index_text(TEXT).text == normalise(TEXT)


def test_normalise_is_the_documented_pipeline() -> None:
    assert normalise("  \u201cA\u2014B\u2019s\u201d\n\t x \u2033 ") == '"A-B\'s" x "'


def test_matched_prefix_points_at_the_departure() -> None:
    index = index_text(TEXT)
    assert index.matched_prefix("over 1,001 religious") == len("over 1,00")
