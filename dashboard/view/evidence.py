"""The evidence behind every figure: seed documents with their quoted passages located.

An analyst checking a number wants the whole document, not just the quote, to see what the
quote leaves out. So the Sources page shows each seed's full text with every quoted passage
marked and numbered, and a list under it saying which records each mark supports.

This module computes what the page shows (the passages located in each document, the records
they support, each source's metadata rows and evidence rows) as plain data, without markup:
the HTML is rendered from Jinja2 templates with autoescape (``dashboard/ui/evidence_html.py``),
so a quote containing ``<script>`` or ``<b>`` shows those characters literally.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import pandas as pd

from dashboard.charts.spec import coverage_text
from dashboard.charts.theme import ACTION_LABELS
from dashboard.ingest import vocab
from dashboard.ingest.dates import parse_date
from dashboard.ingest.frames import record_list
from dashboard.ingest.quotes import find_quote
from dashboard.view import filters
from dashboard.view.view import view_of

FACT_TABLES: tuple[str, ...] = vocab.FACT_TABLES
ID_COLUMNS: dict[str, str] = {
    "events": "event_id",
    "designations": "designation_id",
    "estimates": "estimate_id",
}
TABLE_NOUNS: dict[str, tuple[str, str]] = {
    "events": ("event", "events"),
    "designations": ("designation step", "designation steps"),
    "estimates": ("estimate", "estimates"),
}
BASIS_WORDS: dict[str, str] = vocab.DATE_BASIS_LABELS


def table_noun(table: str) -> str:
    """What one record of ``table`` is called ("designation step"); an unknown table, its name."""
    return TABLE_NOUNS.get(table, (table, table))[0]


# ---- locating quotes -----------------------------------------------------------------------------
@dataclass(frozen=True)
class QuoteRef:
    """A record that quotes a source: which table, which row, the quote, and what it claims."""

    record_id: str
    table: str
    quote: str
    summary: str = ""

    @property
    def noun(self) -> str:
        return table_noun(self.table)


@dataclass(frozen=True)
class Highlight:
    """One marked passage (original offsets, end exclusive) and every record quoting it."""

    number: int
    start: int
    end: int
    refs: tuple[QuoteRef, ...]  # the records listed under the document
    more: int = 0  # further records quoting the passage, counted (see ``MAX_LISTED``)

    @property
    def record_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(ref.record_id for ref in self.refs))

    @property
    def records_text(self) -> str:
        """The records a mark stands for, as its tooltip reads: "a, b and 30 more"."""
        return ", ".join(self.record_ids) + (f" and {self.more} more" if self.more else "")


@dataclass(frozen=True)
class Located:
    highlights: tuple[Highlight, ...]
    missing: tuple[QuoteRef, ...]  # quotes not found in the text (the validator should prevent)


Finder = Callable[[str, str], "tuple[int, int] | None"]


def locate(text: str, refs: Iterable[QuoteRef], finder: Finder = find_quote) -> Located:
    """Find every quote in ``text`` and merge overlapping spans into numbered highlights.

    Quotes overlap often (one sentence supports an estimate, a clause of it an event), and
    nested marks would be unreadable, so overlapping spans become one mark listing all their
    records. Spans that merely touch stay separate: they are different passages.
    """
    found: list[tuple[int, int, QuoteRef]] = []
    missing: list[QuoteRef] = []
    spans: dict[str, tuple[int, int] | None] = {}  # many records can quote one passage
    for ref in refs:
        if ref.quote not in spans:
            spans[ref.quote] = finder(ref.quote, text) if ref.quote.strip() else None
        span = spans[ref.quote]
        if span is None or span[0] >= span[1]:
            missing.append(ref)
        else:
            found.append((span[0], span[1], ref))
    found.sort(key=lambda item: (item[0], item[1], item[2].table, item[2].record_id))
    merged: list[tuple[int, int, list[QuoteRef]]] = []
    for start, end, ref in found:
        if merged and start < merged[-1][1]:
            last_start, last_end, last_refs = merged[-1]
            merged[-1] = (last_start, max(last_end, end), [*last_refs, ref])
        else:
            merged.append((start, end, [ref]))
    highlights = tuple(
        Highlight(number, start, end, tuple(refs))
        for number, (start, end, refs) in enumerate(merged, start=1)
    )
    return Located(highlights, tuple(missing))


# ---- the document cut at its marks, and their anchors --------------------------------------------
def anchor_prefix(source_id: str) -> str:
    """An HTML id prefix from a source id (slugs already, but never trust data in markup)."""
    return "src-" + re.sub(r"[^a-z0-9-]", "-", source_id.lower())


@dataclass(frozen=True)
class Piece:
    """A run of a document's text and the highlight it is (None: text between marks)."""

    text: str
    highlight: Highlight | None = None


def pieces(text: str, located: Located) -> tuple[Piece, ...]:
    """``text`` cut at its highlights, in order: the pieces read end to end are the document."""
    out: list[Piece] = []
    position = 0
    for light in located.highlights:
        if light.start > position:
            out.append(Piece(text[position : light.start]))
        out.append(Piece(text[light.start : light.end], light))
        position = light.end
    if position < len(text):
        out.append(Piece(text[position:]))
    return tuple(out)


MAX_LISTED = 25  # records listed per passage (or per external source); the rest are counted


# ---- record summaries ----------------------------------------------------------------------------
def record_summary(table: str, row: Mapping[str, Any]) -> str:
    """What a record claims, in a few words, so the list under a document reads on its own."""

    def get(key: str) -> str:
        value = row.get(key, "")
        return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)

    if table == "events":
        date = get("date")
        return f"{get('title')}" + (f" ({format_date(date)})" if date else " (undated)")
    if table == "designations":
        action = ACTION_LABELS.get(get("action"), get("action")).lower()
        date = get("date")
        when = f", {format_date(date)}" if date else ", undated"
        who = get("jurisdiction_name") or get("jurisdiction_id")
        target = get("target_name") or get("target_id")
        return f"{who}: {target} {action}{when}"
    if table == "estimates":
        claimant = get("claimant_name") or get("claimant_id")
        value = get("value_text") or _bounds_text(get("value_low"), get("value_high"))
        metric = get("metric").replace("_", " ")
        subject = get("subject_name") or get("subject_id")
        as_of = get("as_of")
        when = f", as of {format_date(as_of)}" if as_of else ""
        return f"{claimant}: {value} {metric} ({subject}){when}"
    return ""


def _bounds_text(low: str, high: str) -> str:
    if low and high and low != high:
        return f"{low}–{high}"
    return low or high or "?"


def format_date(text: str) -> str:
    """``2024-06`` as "Jun 2024", ``2024-06-03`` as "3 Jun 2024": the precision the data has."""
    try:
        value = parse_date(text)
    except ValueError:
        return text
    if value.precision == "year":
        return f"{value.start.year}"
    if value.precision == "month":
        return f"{value.start:%b %Y}"
    return f"{value.start.day} {value.start:%b %Y}"


# ---- one view per source -------------------------------------------------------------------------
@dataclass(frozen=True)
class EvidenceRow:
    """A record of an external source: what it says, in our words (no quote is possible)."""

    record_id: str
    table: str
    summary: str
    evidence: str

    @property
    def noun(self) -> str:
        return table_noun(self.table)


@dataclass(frozen=True)
class MetadataRow:
    """One line of a source's metadata: a label and its text, shown as ``form`` says (a URL
    becomes a link only if it is http(s); an id is set as code)."""

    label: str
    text: str
    form: Literal["text", "url", "code"] = "text"


# eq=False: compared and hashed by identity, so the ui can cache the HTML of each view object
# (source_views builds them once per filter state) without hashing a whole document's marks.
@dataclass(frozen=True, eq=False)
class SourceView:
    """Everything the Sources page shows about one source, computed without Streamlit."""

    source_id: str
    kind: str  # "seed" | "external"
    label: str
    title: str
    outlet: str
    author: str
    url: str
    accessed: str
    language: str
    published: str
    published_basis: str
    notes: str
    counts: Mapping[str, int]  # fact table -> records shown under the filters
    hidden: int  # this source's records the filters hide
    text: str = ""  # a seed's whole document; external sources have none in the repo
    located: Located | None = None
    evidence: tuple[EvidenceRow, ...] = field(default_factory=tuple)  # the first MAX_LISTED
    more_evidence: int = 0  # further records of this external source, counted not listed

    @property
    def anchor(self) -> str:
        return anchor_prefix(self.source_id)

    @property
    def shown(self) -> int:
        return sum(self.counts.values())

    @property
    def quoted(self) -> bool:
        """Whether any record shown quotes this document (found in its text or not)."""
        return self.located is not None and bool(self.located.highlights or self.located.missing)

    def published_text(self) -> str:
        """ "Jun 2024 (inferred from the text)" or "date unknown"."""
        if not self.published:
            return "date unknown"
        basis = BASIS_WORDS.get(self.published_basis, self.published_basis)
        return f"{format_date(self.published)} ({basis})" if basis else format_date(self.published)

    def counts_text(self) -> str:
        parts = []
        for table in FACT_TABLES:
            count = self.counts.get(table, 0)
            one, many = TABLE_NOUNS[table]
            parts.append(f"{count} {one if count == 1 else many}")
        text = ", ".join(parts)
        if self.hidden:
            text += f" ({self.hidden} more hidden by the filters)"
        return text

    def full_text_label(self) -> str:
        """What a seed's closed full text holds, said before the reader opens it: the page
        builds the text and its records list only then."""
        located = self.located or Located((), ())
        marks = len(located.highlights)
        if marks:
            return f"Full text, with the {marks} quoted passage{'' if marks == 1 else 's'} marked"
        if located.missing:
            return "Full text (no quoted passage found in it)"
        return "Full text (no record under the current filters quotes it)"

    def metadata_rows(self) -> tuple[MetadataRow, ...]:
        """Title, outlet, author, publication date and its basis, URL, notes: what is known,
        and a word for what is not."""
        rows = [
            MetadataRow("Title", self.title or "not recorded"),
            MetadataRow("Outlet", self.outlet or "not stated"),
            MetadataRow("Author", self.author or "not stated"),
            MetadataRow("Published", self.published_text()),
        ]
        if self.url:
            rows.append(MetadataRow("URL", self.url, "url"))
        if self.accessed:
            rows.append(MetadataRow("Accessed", format_date(self.accessed)))
        if self.language:
            rows.append(MetadataRow("Language", self.language))
        rows.append(MetadataRow("Source id", self.source_id, "code"))
        if self.notes:
            rows.append(MetadataRow("Date basis and notes", self.notes))
        return tuple(rows)


def record_counts(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Records per source and table (sources as index, one column per fact table)."""
    counts = {
        table: frame["source_id"].value_counts() if len(frame) else pd.Series(dtype="int64")
        for table, frame in tables.items()
    }
    out = pd.DataFrame(counts).fillna(0).astype(int)
    for table in FACT_TABLES:
        if table not in out.columns:
            out[table] = 0
    return out[list(FACT_TABLES)]


def source_views(ds: Any, state: filters.FilterState) -> list[SourceView]:
    """One view per source the filters let through: seeds first, then external sources.

    A seed's highlights are the quotes of the records the filters keep, so the marks always
    match what the other pages are showing; the count of hidden records says what is missing.
    """
    view = view_of(ds, state)
    sources = view.sources
    order = sources.assign(
        _external=sources["kind"].ne("seed"),
        _published=pd.to_datetime(sources["published_start"]),
    ).sort_values(["_external", "_published", "source_id"], na_position="last")
    shown_tables = view.tables
    all_counts = record_counts({t: getattr(ds, t) for t in FACT_TABLES})
    shown_counts = record_counts(shown_tables)
    quotes = _quotes_by_source(shown_tables)
    evidence_rows = _evidence_by_source(shown_tables)
    pending: list[tuple[dict[str, Any], str | None, Located | None, tuple[Any, ...]]] = []
    for row in record_list(order):
        source_id = str(row["source_id"])
        counts = {
            t: int(shown_counts.at[source_id, t]) if source_id in shown_counts.index else 0
            for t in FACT_TABLES
        }
        total = int(all_counts.loc[source_id].sum()) if source_id in all_counts.index else 0
        base = {
            "source_id": source_id,
            "kind": str(row.get("kind") or ""),
            "label": _text(row.get("label")) or source_id,
            "title": _text(row.get("title")),
            "outlet": _text(row.get("outlet")),
            "author": _text(row.get("author")),
            "url": _text(row.get("url")),
            "accessed": _text(row.get("accessed")),
            "language": _text(row.get("language")),
            "published": _text(row.get("published")),
            "published_basis": _text(row.get("published_basis")),
            "notes": _text(row.get("notes")),
            "counts": counts,
            "hidden": total - sum(counts.values()),
        }
        text = ds.seed_texts.get(source_id) if row.get("kind") == "seed" else None
        if text is not None:
            groups = quotes.get(source_id, [])
            # one lookup per distinct quote, then its records: at scale hundreds share one
            reps = [QuoteRef(ids[0], table, quote) for table, quote, ids in groups]
            members = {(table, ids[0]): ids for table, _, ids in groups}
            pending.append((base, text, _expanded(locate(text, reps), members), ()))
        else:
            listed = tuple(evidence_rows.get(source_id, []))
            pending.append((base, None, None, listed))
    # the summaries of every listed record, in one pass over each table
    listed_keys: list[tuple[str, str]] = []
    for _, _, located, listed in pending:
        if located is not None:
            refs = [r for light in located.highlights for r in light.refs] + [*located.missing]
            listed_keys += [(r.table, r.record_id) for r in refs]
        listed_keys += [(table, record_id) for table, record_id, _ in listed]
    summary = _summaries(shown_tables, listed_keys)
    views: list[SourceView] = []
    for base, text, located, listed in pending:
        if text is not None and located is not None:
            views.append(SourceView(**base, text=text, located=_with_summaries(located, summary)))
        else:
            evidence = tuple(
                EvidenceRow(record_id, table, summary[(table, record_id)], evidence_text)
                for table, record_id, evidence_text in listed
            )
            shown = sum(base["counts"].values())
            views.append(SourceView(**base, evidence=evidence, more_evidence=shown - len(listed)))
    return views


def _quotes_by_source(tables: Mapping[str, pd.DataFrame]) -> dict[str, list[QuoteGroup]]:
    """Per source: each distinct quote of each table with the ids of the records giving it."""
    out: dict[str, list[QuoteGroup]] = {}
    for table in FACT_TABLES:
        frame = tables[table]
        if frame.empty:
            continue
        keyed = pd.DataFrame(
            {
                "source_id": frame["source_id"].astype(str),
                "quote": frame["quote"].fillna("").astype(str) if "quote" in frame.columns else "",
                "id": frame[ID_COLUMNS[table]].astype(str),
            }
        )
        grouped = keyed.groupby(["source_id", "quote"], sort=False)["id"].agg(list)
        for (source_id, quote), ids in grouped.items():
            out.setdefault(str(source_id), []).append((table, str(quote), ids))
    return out


QuoteGroup = tuple[str, str, list[str]]  # table, quote, ids of the records giving it


def _expanded(located: Located, members: Mapping[tuple[str, str], list[str]]) -> Located:
    """Highlights found for one record per quote, given all the records of those quotes: the
    first ``MAX_LISTED`` of each passage as refs, the rest counted in ``Highlight.more``."""
    highlights = []
    for light in located.highlights:
        refs: list[QuoteRef] = []
        total = 0
        for rep in light.refs:
            ids = members.get((rep.table, rep.record_id), [rep.record_id])
            total += len(ids)
            room = MAX_LISTED - len(refs)
            refs += [replace(rep, record_id=i) for i in sorted(ids)[:room]] if room > 0 else []
        highlights.append(replace(light, refs=tuple(refs), more=total - len(refs)))
    missing = tuple(
        replace(rep, record_id=i)
        for rep in located.missing
        for i in sorted(members.get((rep.table, rep.record_id), [rep.record_id]))
    )
    return Located(tuple(highlights), missing)


def _evidence_by_source(
    tables: Mapping[str, pd.DataFrame],
) -> dict[str, list[tuple[str, str, str]]]:
    """Per source: its first ``MAX_LISTED`` records (table, id, evidence), in table order."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for table in FACT_TABLES:
        frame = tables[table]
        if frame.empty:
            continue
        head = frame.groupby("source_id", sort=False).head(MAX_LISTED)
        evidence = head["evidence"].tolist() if "evidence" in head.columns else [None] * len(head)
        for source_id, record_id, text in zip(
            head["source_id"].tolist(), head[ID_COLUMNS[table]].tolist(), evidence, strict=True
        ):
            listed = out.setdefault(str(source_id), [])
            if len(listed) < MAX_LISTED:
                listed.append((table, str(record_id), _text(text)))
    return out


def _summaries(
    tables: Mapping[str, pd.DataFrame], keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """Record summaries (``record_summary``) of the records a page lists, keyed by (table, id):
    made only for those (at scale most records are counted under a passage, not listed)."""
    wanted: dict[str, set[str]] = {}
    for table, record_id in keys:
        wanted.setdefault(table, set()).add(record_id)
    out: dict[tuple[str, str], str] = {}
    for table, ids in wanted.items():
        frame = tables[table]
        id_column = ID_COLUMNS[table]
        columns = [id_column, *(c for c in _SUMMARY_COLUMNS if c in frame.columns)]
        rows = frame.loc[frame[id_column].astype(str).isin(ids), columns]
        for record in record_list(rows):
            out[(table, str(record[id_column]))] = record_summary(table, record)
    return out


# What a record summary reads; converting only these keeps a page run fast.
_SUMMARY_COLUMNS: tuple[str, ...] = (
    "source_id", "quote", "evidence", "title", "date", "action", "jurisdiction_id",
    "jurisdiction_name", "target_id", "target_name", "claimant_id", "claimant_name", "value_text",
    "value_low", "value_high", "metric", "subject_id", "subject_name", "as_of",
)  # fmt: skip


def _with_summaries(located: Located, summary: Mapping[tuple[str, str], str]) -> Located:
    """``located`` with the summary of each listed record filled in."""

    def filled(refs: tuple[QuoteRef, ...]) -> tuple[QuoteRef, ...]:
        return tuple(
            replace(ref, summary=summary.get((ref.table, ref.record_id), "")) for ref in refs
        )

    return Located(
        tuple(replace(light, refs=filled(light.refs)) for light in located.highlights),
        filled(located.missing),
    )


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    return str(value)


def sources_table(views: Iterable[SourceView]) -> pd.DataFrame:
    """One row per source shown: the at-a-glance index above the documents."""
    rows = [
        {
            "Source": view.label,
            "Kind": "Seed document" if view.kind == "seed" else "External",
            "Outlet": view.outlet,
            "Published": view.published_text(),
            "Events": view.counts.get("events", 0),
            "Designation steps": view.counts.get("designations", 0),
            "Estimates": view.counts.get("estimates", 0),
            "Source id": view.source_id,
        }
        for view in views
    ]
    columns = [
        "Source",
        "Kind",
        "Outlet",
        "Published",
        "Events",
        "Designation steps",
        "Estimates",
        "Source id",
    ]
    return pd.DataFrame(rows, columns=columns)


def coverage_line(ds: Any, views: Iterable[SourceView], known_as_of: object = None) -> str:
    """The coverage stamp for the sources in view (seed and external counted apart)."""
    views = list(views)
    seeds = sum(view.kind == "seed" for view in views)
    text = coverage_text(ds, [view.source_id for view in views], known_as_of)
    return (
        f"{len(views)} {'source' if len(views) == 1 else 'sources'} shown "
        f"({seeds} seed, {len(views) - seeds} external). {text}."
    )
