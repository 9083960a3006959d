"""Verbatim quote checking: is a row's ``quote`` really in its seed document, and where.

The contract tolerates differences of whitespace, typographic quotes and dashes only, because
those are what copying from a web page or a spreadsheet changes without anyone noticing. Case,
words and numbers must match: a quote that was "tidied" is no longer evidence.

Normalisation, applied identically to quote and text:
  typographic quotes and dashes mapped to ASCII, Unicode NFKC, the mapping again (NFKC turns
  some characters into ones the mapping covers, and mapping first keeps e.g. the double prime
  a double quote rather than two primes), every whitespace run to one space, strip.

``find_quote`` gives the span in the *original* text, because the Sources page highlights
quoted passages in the document as written, not in its normalised form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_QUOTE_MAP = {
    **dict.fromkeys("‘’‚‛′", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
}
_TRANSLATION = str.maketrans(_QUOTE_MAP)
_WHITESPACE = re.compile(r"\s+")


def _canonical(text: str) -> str:
    """The character-level part: quote/dash mapping and NFKC (no whitespace handling)."""
    return unicodedata.normalize("NFKC", text.translate(_TRANSLATION)).translate(_TRANSLATION)


def normalise(text: str) -> str:
    """The text as the verifier compares it (fast: whole-string C operations)."""
    return _WHITESPACE.sub(" ", _canonical(text)).strip()


@dataclass(frozen=True)
class NormalisedText:
    """A document in normalised form plus, for each normalised character, where it came from.

    ``starts[i]``/``ends[i]`` are the original offsets of the character cluster that produced
    normalised character ``i``; a quote found at ``[i, j)`` is ``[starts[i], ends[j-1])`` in the
    original.
    """

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def contains(self, quote: str) -> bool:
        needle = normalise(quote)
        return bool(needle) and needle in self.text

    def find(self, quote: str) -> tuple[int, int] | None:
        """Span of the first occurrence of ``quote`` in the original text, or None."""
        needle = normalise(quote)
        if not needle:
            return None
        at = self.text.find(needle)
        if at < 0:
            return None
        return self.starts[at], self.ends[at + len(needle) - 1]

    def matched_prefix(self, quote: str) -> int:
        """How many leading characters of the normalised quote occur in the text.

        Used to tell the analyst where a failing quote departs from the document.
        """
        needle = normalise(quote)
        low, high = 0, len(needle)  # invariant: needle[:low] is found, needle[:high+1] is not
        while low < high:
            middle = (low + high + 1) // 2
            if needle[:middle] in self.text:
                low = middle
            else:
                high = middle - 1
        return low


def _clusters(text: str) -> list[tuple[int, int]]:
    """Spans of base characters with their combining marks: NFKC composes within these."""
    spans: list[tuple[int, int]] = []
    start = 0
    for offset in range(1, len(text) + 1):
        if offset == len(text) or not unicodedata.combining(text[offset]):
            spans.append((start, offset))
            start = offset
    return spans if text else []


@lru_cache(maxsize=256)
def index_text(text: str) -> NormalisedText:
    """Normalise a document once, keeping the offset map (cached: seeds are read many times)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pending_space: tuple[int, int] | None = None
    for begin, finish in _clusters(text):
        for char in _canonical(text[begin:finish]):
            if char.isspace():
                if out and pending_space is None:
                    pending_space = (begin, finish)
                continue
            if pending_space is not None:
                out.append(" ")
                starts.append(pending_space[0])
                ends.append(pending_space[1])
                pending_space = None
            out.append(char)
            starts.append(begin)
            ends.append(finish)
    return NormalisedText(text, "".join(out), tuple(starts), tuple(ends))


def find_quote(quote: str, text: str) -> tuple[int, int] | None:
    """Where ``quote`` occurs in ``text`` (original offsets, end exclusive), tolerating only
    whitespace, typographic quotes and dashes; None when it does not occur."""
    return index_text(text).find(quote)


def quote_in(quote: str, text: str) -> bool:
    """True when ``quote`` occurs verbatim (as the verifier defines it) in ``text``."""
    return index_text(text).contains(quote)
