"""The editor's mechanical checks: patterns that are usually a coding mistake, reported as warnings.

A re-read of the dataset against its sources (issue 15) found the same few slips again and again.
The ones a program can spot are here, so the next edit is checked the same way. They are
warnings, not errors: each pattern has rare honest uses, and the app still loads. Every finding
names the cell (``table``, spreadsheet row, column) and says what to do instead.

- an event or designation step dated to its source's publication month (or year, for a source
  dated to the year) with basis ``inferred`` (the contract: publication month is never an
  event's date);
- a source cited by a site's home page or a tag/category page (not a citation);
- a person who is both an event's claimant and one of its actors (a commentator who reports
  or asserts an event is its claimant, not an actor).

Each check reads whole columns at once (tables may be scaled far beyond the curated size).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple
from urllib.parse import urlsplit

import pandas as pd

DATED_TABLES: tuple[str, ...] = ("events", "designations")

# Path segments of listing pages: they list articles, they are not one.
LISTING_SEGMENTS: frozenset[str] = frozenset(
    {"tag", "tags", "category", "categories", "topic", "topics", "label", "labels"}
)
# A home page is allowed where only the site is known, and the row's notes say so.
SITE_ONLY_NOTE = "only the site is known"


class Finding(NamedTuple):
    table: str
    row: int  # spreadsheet row (header = 1)
    column: str
    message: str


def findings(frames: Mapping[str, pd.DataFrame]) -> Iterator[Finding]:
    """Every warning for the readable tables in ``frames`` (text frames indexed by row)."""
    published = _published(frames.get("sources"))
    for table in DATED_TABLES:
        yield from dated_to_publication(table, frames.get(table), published)
    yield from listing_urls(frames.get("sources"))
    yield from claimant_also_actor(frames.get("events"), frames.get("entities"))


def _published(sources: pd.DataFrame | None) -> pd.Series:
    if sources is None or not {"source_id", "published"} <= set(sources.columns):
        return pd.Series(dtype=object)
    return sources.drop_duplicates("source_id").set_index("source_id")["published"]


def dated_to_publication(
    table: str, frame: pd.DataFrame | None, published: pd.Series
) -> Iterator[Finding]:
    """Rows with basis ``inferred`` whose month (or year) is their source's publication period.

    A month-precise date in the month the source appeared is how "recently" gets coded as the
    publication month. A year-precise date is matched only against a year-precise publication
    (a year is often honestly inferred from other evidence, e.g. "weeks before 15 August"), and
    a day-precise date never is: a day comes from the text ("on Monday, June 3"), even when it
    is the day the article appeared.
    """
    if frame is None or published.empty:
        return
    if not {"date", "date_basis", "source_id"} <= set(frame.columns):
        return
    date, basis = frame["date"], frame["date_basis"]
    source_date = frame["source_id"].map(published).fillna("").astype(str)
    length = date.str.len()
    same = (length.eq(7) & source_date.str[:7].eq(date)) | (length.eq(4) & source_date.eq(date))
    hits = frame.index[(same & basis.eq("inferred")).to_numpy()]
    for row in hits.tolist():
        yield Finding(
            table,
            int(row),
            "date",
            f"{date[row]!r} with basis 'inferred' is the period its source was published in"
            f" ({source_date[row]}): a publication month is never an event's date. Give the"
            " date the evidence supports, or leave it empty for 'recently', 'earlier' or an"
            " undated passage (the publication date is already on the source)",
        )


def url_problem(url: str, notes: str = "") -> str | None:
    """Why ``url`` is not an article's address, or None. Home pages pass when the row's notes
    say only the site is known (the contract allows that, said openly)."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None  # malformed addresses are the validator's error, not a warning here
    segments = [s.lower() for s in parts.path.split("/") if s]
    if any(s in LISTING_SEGMENTS for s in segments):
        return (
            "a tag or category page lists articles and is not a citation: give the address"
            " of the article itself"
        )
    if not segments and not parts.query and SITE_ONLY_NOTE not in notes.lower():
        return (
            "a site's home page is not a citation: give the article's address, or, where only"
            f" the site is known, say '{SITE_ONLY_NOTE}' in notes"
        )
    return None


def listing_urls(sources: pd.DataFrame | None) -> Iterator[Finding]:
    if sources is None or "url" not in sources.columns:
        return
    notes = sources["notes"] if "notes" in sources.columns else pd.Series("", index=sources.index)
    for row, url, note in zip(
        sources.index.tolist(), sources["url"].tolist(), notes.tolist(), strict=True
    ):
        problem = url_problem(str(url), str(note))
        if problem:
            yield Finding("sources", int(row), "url", problem)


def claimant_also_actor(
    events: pd.DataFrame | None, entities: pd.DataFrame | None
) -> Iterator[Finding]:
    """Events whose claimant, a person, is also listed among the actors."""
    if events is None or entities is None:
        return
    if not {"claimant_id", "actor_ids"} <= set(events.columns):
        return
    if not {"entity_id", "kind"} <= set(entities.columns):
        return
    people = entities.loc[entities["kind"].eq("person"), "entity_id"].astype(object)
    claimant = events["claimant_id"].astype(object)  # object isin: arrow strings are slow here
    rows = events.index[claimant.isin(people).to_numpy()]
    claimants = claimant.loc[rows].tolist()
    actors = events.loc[rows, "actor_ids"].astype(object).tolist()
    for row, who, listed in zip(rows.tolist(), claimants, actors, strict=True):
        if who in str(listed).split("|"):
            yield Finding(
                "events",
                int(row),
                "actor_ids",
                f"{who!r} is this event's claimant and one of its actors: a person who reports"
                " or asserts an event is its claimant only; actor_ids lists those who acted",
            )
