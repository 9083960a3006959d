"""What changed since the last briefing: one list, in sentences, each with its sources.

A briefer's first question is "what is new since the last briefing?". The dashboard already
knows what was known on any day (the known-as-of rule in ``dashboard.view.view``), so the
answer is the difference of two views: what the reader's filters show known as of the window's
end, less what they showed known as of its start (the last briefing's date). "First reported"
is therefore the source's publication date, by the same rule: a row is new in the window when
its source was published after ``since`` and by ``until`` (an imprecise publication date counts
from its period's end, as known-as-of does; the list says when that period straddles
``since``). Listings from before ``since`` that our sources recount later stay known (the
view's public-record exception), so they are not news.

``changes_since(ds, state)`` is THE list: the Since page, the Overview's count, the briefing
pack's "Since <date>" slide and ``python -m dashboard changes`` all call it, and render its
``Changes`` (Markdown, CSV, slide text) without recomputing anything. Sections:
- steps: designation steps and diplomatic events, per state; a step already known before the
  window is either "reported again" or, when its new reports give a date no earlier report
  allows, a "new date" (the sources now disagree);
- claims: strength claims, a new figure or a figure said again (``restates_id``), and how a new
  figure changes the comparison for its group: same subject, measure and covered area (places),
  and the same voice (the UN, Russian officials... or one named claimant) for "X's figure
  rose/fell";
- events: other events, by type and province;
- corrections: value or date edits in the data's git history (``dashboard.view.data_history``).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from dashboard.ingest.loader import Dataset
from dashboard.ingest.vocab import EVENT_TYPES, ID_COLUMN
from dashboard.view import data_history, filters
from dashboard.view.claims import claims_in_view
from dashboard.view.evidence import anchor_prefix, format_date, record_summary
from dashboard.view.filters import FilterState
from dashboard.view.marks import ONGOING_ACTIONS
from dashboard.view.view import VIEW_CACHE_SIZE, View, view_of

DEFAULT_DAYS = 90  # the default window: this many days before the newest source
SECTIONS: dict[str, str] = {
    "steps": "Designation and diplomatic steps, per state",
    "claims": "Strength claims",
    "events": "Events, by type and province",
    "corrections": "Corrections to the data",
}
KIND_LABELS: dict[str, str] = {
    "new step": "New step",
    "new date": "New date",
    "reported again": "Reported again",
    "new figure": "New figure",
    "said again": "Said again",
    "new event": "New event",
    "correction": "Correction",
    "removed": "Removed",
}
# Claimant types spoken of as one voice ("the UN's figure"): institutions whose successive
# figures are one series. Others (experts, media, single states) are compared claimant by
# claimant ("Serenko's figure").
VOICES: dict[str, str] = {
    "un_body": "the UN's",
    "russian_state": "Russian officials'",
    "regional_bloc": "the CSTO and CIS's",
    "us_state": "US officials'",
}
ARTICLE_GROUPS: frozenset[str] = frozenset({"taliban", "isis-k", "islamic-state"})
STEP_PHRASES: dict[str, str] = {
    "listed": "listed {target}",
    "delisting_considered": "considered delisting {target}",
    "delisted": "delisted {target}",
    "ban_suspended": "suspended its ban on {target}",
    "relisted": "relisted {target}",
}


# ---- the window --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Window:
    """Rows first reported after ``since`` and by ``until`` (None: to date) are new."""

    since: dt.date
    until: dt.date | None
    default: bool  # since was not chosen: DEFAULT_DAYS before the newest source
    newest: dt.date | None  # the newest source's publication (end of its period)
    capped_by_known_as_of: bool = False  # until is the reader's known-as-of date

    @property
    def title(self) -> str:
        """The slide's and the section's title: "Since 30 Jun 2024"."""
        return f"Since {day_text(self.since)}"

    def describe(self) -> str:
        end = f"by {day_text(self.until)}" if self.until else "to date"
        text = f"First reported after {day_text(self.since)} and {end}"
        if self.capped_by_known_as_of:
            text += " (the known-as-of date)"
        if self.default:
            newest = day_text(self.newest) if self.newest else "unknown"
            text += (
                f"; the window starts {DEFAULT_DAYS} days before the newest source ({newest}), "
                "as no date of the last briefing was chosen"
            )
        return text + "."


def day_text(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def default_since(ds: Dataset) -> dt.date:
    """DEFAULT_DAYS before the newest source's publication date (today's if none is dated)."""
    newest = filters.filter_options(ds).last_published or dt.date.today()
    return newest - dt.timedelta(days=DEFAULT_DAYS)


def window_of(ds: Dataset, state: FilterState) -> Window:
    """The window a state asks for: its since/until, the default start, the known-as-of cap."""
    newest = filters.filter_options(ds).last_published
    since = state.since or default_since(ds)
    until, capped = state.until, False
    if state.known_as_of is not None and (until is None or state.known_as_of < until):
        until, capped = state.known_as_of, True
    return Window(since, until, state.since is None, newest, capped)


# ---- the list ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Record:
    """A row behind a change: its table, id and source, for the link to its evidence."""

    table: str
    record_id: str
    source_id: str

    @property
    def link(self) -> str:
        """The Sources page, showing this record's source with the record listed under it."""
        return record_link(self.source_id)


def record_link(source_id: str) -> str:
    return f"sources?source={quote(source_id)}#{anchor_prefix(source_id)}"


@dataclass(frozen=True)
class Change:
    """One line of the list: a sentence, what kind of change it is, and its evidence."""

    section: str  # a key of SECTIONS
    group: str  # the state, the claim's group, "Attack — Badakhshan", the table
    kind: str  # a key of KIND_LABELS
    sentence: str
    first_reported: str = ""  # the earliest publication date of its reports in the window
    sources: tuple[tuple[str, str], ...] = ()  # (source_id, label) of its reports in the window
    records: tuple[Record, ...] = ()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def source_text(self) -> str:
        return "; ".join(label for _, label in self.sources)


@dataclass(frozen=True, eq=False)
class Changes:
    """The list for one window and filter state; render it, never rebuild it."""

    window: Window
    items: tuple[Change, ...]
    notes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # section -> notes
    filters_text: str = ""

    def __len__(self) -> int:
        return len(self.items)

    def section(self, name: str) -> list[Change]:
        return [item for item in self.items if item.section == name]

    def groups(self, name: str) -> list[tuple[str, list[Change]]]:
        """A section's items by group, in the list's order."""
        out: dict[str, list[Change]] = {}
        for item in self.section(name):
            out.setdefault(item.group, []).append(item)
        return list(out.items())

    def summary(self) -> str:
        """ "7 changes first reported since 30 Jun 2024: 3 steps, 2 claims (1 said again), ..." """
        if not self.items:
            return f"Nothing first reported since {day_text(self.window.since)}" + (
                f" by {day_text(self.window.until)}." if self.window.until else "."
            )
        parts = []
        for name, noun in (
            ("steps", "step"),
            ("claims", "claim"),
            ("events", "event"),
            ("corrections", "correction"),
        ):
            found = self.section(name)
            if not found:
                continue
            text = _counted(len(found), noun)
            if name == "claims":
                again = sum(item.kind == "said again" for item in found)
                if again:
                    text += f" ({again} said again)"
            parts.append(text)
        end = f" by {day_text(self.window.until)}" if self.window.until else ""
        return (
            f"{_counted(len(self.items), 'change')} since {day_text(self.window.since)}{end}: "
            + ", ".join(parts)
            + "."
        )

    # ---- renderings ----------------------------------------------------------------------------
    def markdown_lines(self, escape: Callable[[str], str] | None = None) -> list[str]:
        """The list as Markdown lines: headings, one bullet per change, notes in italics.

        ``escape`` makes data text literal (the page passes its own); links are added after.
        """
        esc = escape or markdown_escape
        lines = [f"# {esc(self.window.title)}", "", esc(self.window.describe())]
        if self.filters_text:
            lines += ["", esc(f"Filters: {self.filters_text}")]
        lines += ["", esc(self.summary())]
        lines += [f"*{esc(note)}*" for note in self.notes.get("general", ())]
        for name, heading in SECTIONS.items():
            lines += ["", f"## {esc(heading)}", ""]
            groups = self.groups(name)
            if not groups:
                lines.append(esc(f"Nothing {_nothing[name]} in the window."))
            for group, items in groups:
                if name != "corrections":
                    lines += [f"**{esc(group)}**", ""]
                lines += [item_markdown(item, esc) for item in items]
                lines.append("")
            lines += [f"*{esc(note)}*" for note in self.notes.get(name, ())]
        return lines

    def to_markdown(self) -> str:
        return "\n".join(self.markdown_lines()).rstrip() + "\n"

    def to_frame(self) -> pd.DataFrame:
        """One row per change (and per note), for the CSV."""
        until = self.window.until.isoformat() if self.window.until else ""
        rows = [
            {
                "since": self.window.since.isoformat(),
                "until": until,
                "section": item.section,
                "group": item.group,
                "kind": item.kind,
                "sentence": item.sentence,
                "first_reported": item.first_reported,
                "sources": item.source_text(),
                "source_ids": "|".join(sid for sid, _ in item.sources),
                "record_ids": "|".join(r.record_id for r in item.records),
                "links": " ".join(dict.fromkeys(r.link for r in item.records)),
            }
            for item in self.items
        ]
        rows += [
            dict.fromkeys(CSV_COLUMNS, "")
            | {"since": self.window.since.isoformat(), "until": until, "section": name}
            | {"kind": "note", "sentence": note}
            for name in ("general", *SECTIONS)
            for note in self.notes.get(name, ())
        ]
        return pd.DataFrame(rows, columns=CSV_COLUMNS, dtype=object)

    def to_csv(self) -> bytes:
        buffer = io.StringIO()
        self.to_frame().to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL)
        return buffer.getvalue().encode("utf-8")


CSV_COLUMNS = [
    "since",
    "until",
    "section",
    "group",
    "kind",
    "sentence",
    "first_reported",
    "sources",
    "source_ids",
    "record_ids",
    "links",
]
_nothing = {
    "steps": "designation or diplomatic step was first reported",
    "claims": "strength claim was first reported",
    "events": "other event was first reported",
    "corrections": "was corrected",
}


def markdown_escape(text: str) -> str:
    """Data text made literal in a Markdown file, keeping it readable (backslash escapes)."""
    return re.sub(r"([\\`*_\[\]<>#|~])", r"\\\1", str(text))


def item_markdown(item: Change, escape: Callable[[str], str] = markdown_escape) -> str:
    """ "- **New step.** Sentence. First reported 6 Sep 2024. Sources: [label](link) (`id`)" """
    text = f"- **{escape(item.kind_label)}.** {escape(item.sentence)}"
    if item.first_reported:
        text += " " + escape(f"First reported {item.first_reported}.")
    by_source: dict[str, list[str]] = {}
    for record in item.records:
        by_source.setdefault(record.source_id, []).append(record.record_id)
    labels = dict(item.sources)
    links = [
        f"[{escape(labels.get(source_id, source_id))}]({record_link(source_id)})"
        + " (" + ", ".join(f"`{record_id}`" for record_id in ids) + ")"
        for source_id, ids in by_source.items()
    ]  # fmt: skip
    if links:
        text += " Sources: " + "; ".join(links)
    return text


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def changes_since(ds: Dataset, state: FilterState, data_dir: Path | str | None = None) -> Changes:
    """THE what-changed list for ``state`` (its filters and its since/until window).

    ``data_dir``: the CSV folder whose git history gives the corrections (default: the
    repo's data/, as the loader's). Cached per dataset, state and folder.
    """
    return _changes(ds, state, None if data_dir is None else str(data_dir))


@functools.lru_cache(maxsize=VIEW_CACHE_SIZE)
def _changes(ds: Dataset, state: FilterState, data_dir: str | None) -> Changes:
    window = window_of(ds, state)
    labels = filters.filter_options(ds).labels()
    shown = state.with_(since=None, until=None)
    filters_text = shown.describe(labels) if not shown.is_default() else ""
    if window.until is not None and window.until <= window.since:
        note = (
            f"The window ends ({day_text(window.until)}) before it starts "
            f"({day_text(window.since)}): nothing can be new in it."
        )
        return Changes(window, (), {"steps": (note,)}, filters_text)
    before = view_of(ds, shown.with_(known_as_of=window.since))
    after = view_of(ds, shown.with_(known_as_of=window.until))
    diff = _Diff(ds, window, before, after)
    items = [*diff.steps(), *diff.claims(), *diff.events()]
    notes: dict[str, list[str]] = {}
    unplaced = diff.unplaced_note()
    if unplaced:
        notes.setdefault("general", []).append(unplaced)
    # a correction is news whenever its source was published: the reader's other filters apply
    unbounded = view_of(ds, shown.with_(known_as_of=None))
    corrections, history_note = _corrections(ds, unbounded, window, data_dir)
    items += corrections
    notes.setdefault("corrections", []).append(history_note)
    return Changes(window, tuple(items), {k: tuple(v) for k, v in notes.items()}, filters_text)


# ---- the difference of two views ---------------------------------------------------------------
class _Diff:
    """The rows of ``after`` not in ``before``, read into the list's sections."""

    def __init__(self, ds: Dataset, window: Window, before: View, after: View) -> None:
        self.ds = ds
        self.window = window
        self.before = before
        self.after = after
        sources = ds.sources.set_index("source_id")
        self.source_label = {str(k): (str(v) or str(k)) for k, v in sources["label"].items()}
        self.published_text = {str(k): str(v) for k, v in sources["published"].items()}
        self.published_start = sources["published_start"].to_dict()
        entities = ds.entities.set_index("entity_id")
        self.entity_name = {str(k): str(v) for k, v in entities["name"].items()}
        self.entity_kind = {str(k): str(v) for k, v in entities["kind"].items()}
        self.claimant_type = {
            str(k): str(v) for k, v in entities.get("claimant_type", pd.Series()).items()
        }
        places = ds.places.set_index("place_id")
        self.place_name = {str(k): str(v) for k, v in places["name"].items()}
        self.place_kind = {str(k): str(v) for k, v in places["kind"].items()}
        self.place_parent = {str(k): str(v) for k, v in places["parent_id"].items()}

    # -- which rows are new --
    def new_rows(self, table: str, frame: pd.DataFrame | None = None) -> pd.DataFrame:
        after = self.after.tables[table] if frame is None else frame
        known = set(self.before.tables[table][ID_COLUMN[table]].astype(str))
        published = pd.to_datetime(after["source_published_end"])
        mask = ~after[ID_COLUMN[table]].astype(str).isin(known)
        mask &= published.notna() & (published > pd.Timestamp(self.window.since))
        if self.window.until is not None:
            mask &= published <= pd.Timestamp(self.window.until)
        return after[mask]

    def old_rows(self, table: str) -> pd.DataFrame:
        return self.before.tables[table]

    def unplaced_note(self) -> str:
        """Rows whose source has no publication date cannot be placed in any window."""
        counts: dict[str, int] = {}
        for frame in self.after.tables.values():
            undated = frame[frame["source_published_end"].isna()]
            for source_id in undated["source_id"].astype(str):
                counts[source_id] = counts.get(source_id, 0) + 1
        if not counts:
            return ""
        named = ", ".join(
            f"{self.source_label.get(s, s)} ({_counted(n, 'record')})" for s, n in counts.items()
        )
        return (
            f"Not placed in the window: records of sources with no publication date ({named}); "
            "they are in the other pages' tables."
        )

    # -- shared pieces --
    def change(
        self, section: str, group: str, kind: str, sentence: str, table: str, rows: pd.DataFrame
    ) -> Change:
        """One item of the list: what the rows of ``table`` say, with when they were first
        reported, their sources and links to the records."""
        return Change(
            section,
            group,
            kind,
            sentence,
            self.first_reported(rows),
            self.sources_of(rows),
            self.records_of(table, rows),
        )

    def first_reported(self, rows: pd.DataFrame) -> str:
        """The earliest publication among the rows' sources, as the source gives it, saying
        when its period straddles the window's start (it may have been known before)."""
        ends = pd.to_datetime(rows["source_published_end"])
        first = rows.loc[ends.idxmin()]
        source_id = str(first["source_id"])
        text = format_date(self.published_text.get(source_id, ""))
        start = self.published_start.get(source_id)
        if (
            start is not None
            and not pd.isna(start)
            and pd.Timestamp(start).date() <= self.window.since
        ):
            text += f", possibly before {day_text(self.window.since)}"
        return text

    def sources_of(self, rows: pd.DataFrame) -> tuple[tuple[str, str], ...]:
        ids = dict.fromkeys(str(s) for s in rows["source_id"])
        return tuple((s, self.source_label.get(s, s)) for s in ids)

    def records_of(self, table: str, rows: pd.DataFrame) -> tuple[Record, ...]:
        return tuple(
            Record(table, str(record_id), str(source_id))
            for record_id, source_id in zip(rows[ID_COLUMN[table]], rows["source_id"], strict=True)
        )

    def group_name(self, entity_id: str) -> str:
        name = self.entity_name.get(entity_id, entity_id)
        return f"the {name}" if entity_id in ARTICLE_GROUPS else name

    # -- steps: designations and diplomatic events, per state --
    def steps(self) -> list[Change]:
        items: list[tuple[str, dt.date, Change]] = []
        new = self.new_rows("designations")
        old = self.old_rows("designations")
        for (jurisdiction, target, action), rows in new.groupby(
            ["jurisdiction_id", "target_id", "action"], sort=False
        ):
            earlier = old[
                old["jurisdiction_id"].eq(jurisdiction)
                & old["target_id"].eq(target)
                & old["action"].eq(action)
            ]
            state_name = self.entity_name.get(str(jurisdiction), str(jurisdiction))
            phrase = STEP_PHRASES.get(str(action), str(action).replace("_", " ") + " {target}")
            what = f"{state_name} " + phrase.format(target=self.group_name(str(target)))
            kind, sentence = self._step_sentence(
                what, rows, earlier, ongoing=str(action) in ONGOING_ACTIONS
            )
            change = self.change("steps", state_name, kind, sentence, "designations", rows)
            items.append((state_name, _sort_day(rows, "date_start"), change))
        events = self.new_rows("events")
        diplomatic = events[events["event_type"].eq("diplomatic")]
        old_events = self.old_rows("events")
        for title, rows in diplomatic.groupby("title", sort=False):
            earlier = old_events[
                old_events["event_type"].eq("diplomatic") & old_events["title"].eq(title)
            ]
            state_name = self._acting_state(rows)
            kind, sentence = self._step_sentence(str(title), rows, earlier, ongoing=False)
            change = self.change("steps", state_name, kind, sentence, "events", rows)
            items.append((state_name, _sort_day(rows, "date_start"), change))
        items.sort(key=lambda item: (item[0].lower(), item[1]))
        return [change for _, _, change in items]

    def _acting_state(self, rows: pd.DataFrame) -> str:
        """The states among the event's actors ("Russia"; "Qatar and Turkey"), so a diplomatic
        step sits with the designation steps of the same state."""
        states = [
            self.entity_name.get(actor, actor)
            for actors in rows["actor_ids"].astype(str)
            for actor in actors.split("|")
            if self.entity_kind.get(actor) == "state"
        ]
        names = list(dict.fromkeys(states))
        if not names:
            return "No state named"
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def _step_sentence(
        self, what: str, rows: pd.DataFrame, earlier: pd.DataFrame, *, ongoing: bool
    ) -> tuple[str, str]:
        """("new step" | "new date" | "reported again", sentence) for one step's new reports."""
        fresh = _date_clusters(rows, self.source_label)
        undated = int(rows["date_start"].isna().sum())
        undated_text = (
            f"; {_counted(undated, 'report')} without a date" if undated and fresh else ""
        )
        joiner = "; " if ongoing else " or "
        if earlier.empty:
            if not fresh:
                return "new step", f"{what} (no date given in the reports)."
            if len(fresh) == 1:
                return "new step", f"{what} ({fresh[0].label}){undated_text}."
            dates = joiner.join(c.with_count() for c in fresh)
            lead = "reported" if ongoing else "sources disagree on the date,"
            return "new step", f"{what}: {lead} {dates}{undated_text}."
        known = _date_clusters(earlier, self.source_label)
        since = day_text(self.window.since)
        known_text = joiner.join(c.label for c in known) if known else "no date"
        new_dates = [c for c in fresh if not any(c.overlaps(k) for k in known)]
        undated_sources = "; ".join(
            dict.fromkeys(
                self.source_label.get(str(s), str(s))
                for s in rows.loc[rows["date_start"].isna(), "source_id"]
            )
        )
        if new_dates and not ongoing:
            added = " or ".join(c.with_sources() for c in new_dates)
            before = " or ".join(c.with_sources() for c in known) or "no date"
            others = [c.with_sources() for c in fresh if c not in new_dates]
            if undated_sources:
                others.append(f"no date ({undated_sources})")
            also = f" Also reported again: {'; '.join(others)}." if others else ""
            return (
                "new date",
                f"{what}: a new date, {added}, where reports known by {since} gave {before}; "
                f"the sources now disagree on the date.{also}",
            )
        again = [c.with_sources() for c in fresh]
        if undated_sources:
            again.append(f"no date ({undated_sources})")
        return (
            "reported again",
            f"{what} (known by {since}, dated {known_text}): reported again, {'; '.join(again)}.",
        )

    # -- claims --
    def claims(self) -> list[Change]:
        after = claims_in_view(self.after, "strength")
        before = claims_in_view(self.before, "strength")
        new = self.new_rows("estimates", after)
        if new.empty:
            return []
        order = new.assign(
            _published=pd.to_datetime(new["source_published_end"]),
            _as_of=pd.to_datetime(new["as_of_end"]),
        ).sort_values(["_published", "_as_of", "estimate_id"], na_position="last")
        pool = [row for _, row in before.iterrows() if not _text(row.get("restates_id"))]
        known = {_claim_key(row): row for row in pool}
        # one statement reported by several outlets is one line, with all its sources
        statements: dict[tuple[str, ...], list[Any]] = {}
        for label, row in order.iterrows():
            statements.setdefault(_claim_key(row), []).append(label)
        items: list[Change] = []
        for key, labels in statements.items():
            rows = order.loc[labels]
            row = rows.iloc[0]
            restates = _text(row.get("restates_id"))
            if restates:
                kind, sentence = "said again", self._restatement(row, restates)
            elif key in known:
                kind, sentence = "reported again", self._same_statement(row, known[key])
            else:
                kind, sentence = "new figure", self._new_figure(row, pool)
                sentence += self._also_repeated(row, order)
                pool.append(row)
            if len(rows) > 1:
                sentence += f" Reported by {len(rows)} sources."
            items.append(
                self.change("claims", self._claim_group(row), kind, sentence, "estimates", rows)
            )
        # new figures first, then the ones said or reported again, each group together
        rank = {"new figure": 0, "said again": 1, "reported again": 2}
        items.sort(key=lambda c: (rank[c.kind], c.group.lower()))
        return items

    def _claim_group(self, row: pd.Series) -> str:
        measure = _text(row.get("measure")) or _text(row.get("metric"))
        return f"{short_name(_text(row.get('subject_name')))}: {measure.replace('_', ' ')}"

    def _claimant(self, row: pd.Series) -> str:
        return _text(row.get("claimant_name")) or _text(row.get("claimant_id")) or "unknown"

    def _claim_text(self, row: pd.Series) -> str:
        """ "Andrey Serenko: more than 25,000 fighters for ISIS-K (Afghanistan), as of 2024" """
        subject = short_name(_text(row.get("subject_name")))
        scope = _text(row.get("scope"))
        as_of = _text(row.get("as_of"))
        text = (
            f"{self._claimant(row)}: {_text(row.get('value_text'))} "
            f"{_text(row.get('metric_label'))} for {subject}"
        )
        if scope:
            text += f" ({scope})"
        return text + (f", as of {format_date(as_of)}" if as_of else ", undated")

    def _restatement(self, row: pd.Series, first_id: str) -> str:
        first = self.ds.estimates[self.ds.estimates["estimate_id"].eq(first_id)]
        said = self._claim_text(row)
        if first.empty:
            return f"{said}: said again (of {first_id}, not in the data)."
        origin = first.iloc[0]
        who = _text(origin.get("claimant_name")) or _text(origin.get("claimant_id"))
        when = _text(origin.get("as_of"))
        source = self.source_label.get(str(origin["source_id"]), str(origin["source_id"]))
        dated = f"{format_date(when)}; {source}" if when else source
        return (
            f"{said}: the figure {who} first stated ({dated}), said again; a repeat is not a "
            "new claim, so the comparison for its group does not change."
        )

    def _also_repeated(self, row: pd.Series, new: pd.DataFrame) -> str:
        """A report that gives a new figure and repeats an old one of the same group (the UN's
        "some Member States ... while others ...") says so, so "fell" is not read alone."""
        same_source = new[
            new["source_id"].eq(row["source_id"]) & new["restates_id"].fillna("").ne("")
        ]
        repeated = [
            _text(other.get("value_text"))
            for _, other in same_source.iterrows()
            if self._comparable(row, other)
        ]
        if not repeated:
            return ""
        return f" The same source also repeats {' and '.join(dict.fromkeys(repeated))}."

    def _same_statement(self, row: pd.Series, earlier: pd.Series) -> str:
        source = self.source_label.get(str(earlier["source_id"]), str(earlier["source_id"]))
        return (
            f"{self._claim_text(row)}: the same statement, reported by {source} before "
            f"{day_text(self.window.since)}; another outlet's report is not a new claim."
        )

    def _voice(self, row: pd.Series) -> tuple[str, str]:
        """(key, possessive) of who a figure is compared with: a pooled institution or one
        named claimant."""
        claimant = _text(row.get("claimant_id"))
        kind = self.claimant_type.get(claimant, "")
        if kind in VOICES:
            return f"type:{kind}", VOICES[kind]
        return f"id:{claimant}", f"{self._claimant(row)}'s"

    def _comparable(self, row: pd.Series, other: pd.Series) -> bool:
        """Same subject, same measure (the metric where no measure is recorded), same area."""
        if _text(row.get("subject_id")) != _text(other.get("subject_id")):
            return False
        measure, other_measure = _text(row.get("measure")), _text(other.get("measure"))
        if measure or other_measure:
            if measure != other_measure:
                return False
        elif _text(row.get("metric")) != _text(other.get("metric")):
            return False
        return _area(row) == _area(other)

    def _new_figure(self, row: pd.Series, pool: Sequence[pd.Series]) -> str:
        said = self._claim_text(row)
        peers = [other for other in pool if self._comparable(row, other)]
        measure = _text(row.get("measure"))
        compared = (
            f"Compared with claims of the same subject, measure ({measure.replace('_', ' ')}) "
            "and area."
            if measure
            else "Compared with claims of the same subject, metric and area (no measure recorded)."
        )
        if not peers:
            return f"{said}. The first claim of its kind in view. {compared}"
        key, voice = self._voice(row)
        own = [other for other in peers if self._voice(other)[0] == key]
        subject = short_name(_text(row.get("subject_name")))
        if own:
            previous = max(own, key=_claim_order)
            verb = _direction(row, previous)
            overlap = " (as stated, the two overlap)" if verb == "went from" else ""
            return (
                f"{said}. {voice[0].upper() + voice[1:]} figure for {subject} {verb} "
                f"{_value_when(previous)} to {_value_when(row)}{overlap}. {compared}"
            )
        levels = [(_level(other), other) for other in peers]
        high_level, high = max(levels, key=lambda pair: pair[0])
        low_level, low = min(levels, key=lambda pair: pair[0])
        level = _level(row)
        if level > high_level:
            place = f"now the highest claim, above {self._claimant(high)}'s {_value_when(high)}"
        elif level < low_level:
            place = f"now the lowest claim, below {self._claimant(low)}'s {_value_when(low)}"
        elif high_level == low_level:
            place = f"level with {self._claimant(low)}'s {_value_when(low)}"
        else:
            place = (
                f"within the earlier claims, from {self._claimant(low)}'s {_value_when(low)} "
                f"to {self._claimant(high)}'s {_value_when(high)}"
            )
        return f"{said}. {self._claimant(row)}'s first figure for this group: {place}. {compared}"

    # -- events --
    def events(self) -> list[Change]:
        new = self.new_rows("events")
        new = new[new["event_type"].ne("diplomatic")]
        old = self.old_rows("events")
        items: list[tuple[int, str, dt.date, Change]] = []
        rank = {t: n for n, t in enumerate(EVENT_TYPES)}
        for (event_type, title), rows in new.groupby(["event_type", "title"], sort=False):
            earlier = old[old["event_type"].eq(event_type) & old["title"].eq(title)]
            province = self._province(rows)
            kind, sentence = self._step_sentence(str(title), rows, earlier, ongoing=False)
            if kind != "reported again":
                kind = "new event"
            places = _text(rows["place_names"].iloc[0])
            if places:
                sentence = sentence[:-1] + f"; places: {places}."
            group = f"{filters.event_type_label(str(event_type))} — {province}"
            change = self.change("events", group, kind, sentence, "events", rows)
            day = _sort_day(rows, "date_start")
            items.append((rank.get(str(event_type), len(rank)), province, day, change))
        items.sort(key=lambda item: (item[0], item[1] == NO_PROVINCE, item[1], item[2]))
        return [change for *_, change in items]

    def _province(self, rows: pd.DataFrame) -> str:
        """The Afghan (or other) provinces the event's places are in, or NO_PROVINCE."""
        found: list[str] = []
        for ids in rows["place_ids"].astype(str):
            for place in ids.split("|"):
                seen: set[str] = set()
                while place and place not in seen:
                    seen.add(place)
                    if self.place_kind.get(place) == "province":
                        found.append(self.place_name.get(place, place))
                        break
                    place = self.place_parent.get(place, "")
        return ", ".join(dict.fromkeys(found)) or NO_PROVINCE


NO_PROVINCE = "no province named"


def short_name(name: str) -> str:
    """ "Islamic State Khorasan Province (ISIS-K)" -> "ISIS-K": the name a sentence can carry."""
    match = re.fullmatch(r".+\(([^()]+)\)", name.strip())
    return match.group(1) if match else name


@dataclass(frozen=True)
class _Cluster:
    """Reports of one step at compatible dates (one span contains the other)."""

    label: str
    start: pd.Timestamp
    end: pd.Timestamp
    sources: tuple[str, ...]

    def overlaps(self, other: _Cluster) -> bool:
        return self.start <= other.end and other.start <= self.end

    def with_sources(self) -> str:
        return f"{self.label} ({'; '.join(self.sources)})"

    def with_count(self) -> str:
        return f"{self.label} ({_counted(len(self.sources), 'source')})"


def _date_clusters(rows: pd.DataFrame, labels: Mapping[str, str]) -> list[_Cluster]:
    """The rows' dates, merged where one span contains the other, most precise label kept."""
    dated = rows[rows["date_start"].notna()]
    rank = {"day": 0, "month": 1, "year": 2}
    order = sorted(
        zip(
            dated["date"].astype(str),
            pd.to_datetime(dated["date_start"]),
            pd.to_datetime(dated["date_end"]),
            dated["date_precision"].astype(str),
            dated["source_id"].astype(str),
            strict=True,
        ),
        key=lambda r: (rank.get(r[3], 3), r[1]),
    )
    clusters: list[dict[str, Any]] = []
    for text, start, end, _, source_id in order:
        label = labels.get(source_id, source_id)
        for cluster in clusters:
            inside = cluster["start"] >= start and cluster["end"] <= end
            if inside or (start >= cluster["start"] and end <= cluster["end"]):
                if label not in cluster["sources"]:
                    cluster["sources"].append(label)
                break
        else:
            clusters.append(
                {"label": format_date(text), "start": start, "end": end, "sources": [label]}
            )
    out = [_Cluster(c["label"], c["start"], c["end"], tuple(c["sources"])) for c in clusters]
    return sorted(out, key=lambda c: c.start)


def _sort_day(rows: pd.DataFrame, column: str) -> dt.date:
    first = pd.to_datetime(rows[column]).min()
    return dt.date.max if pd.isna(first) else first.date()


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _claim_key(row: pd.Series) -> tuple[str, ...]:
    """What makes two rows one statement: who, when, what, how much, over which area."""
    return (
        _text(row.get("claimant_id")),
        _text(row.get("as_of")),
        _text(row.get("subject_id")),
        _text(row.get("measure")) or _text(row.get("metric")),
        _text(row.get("qualifier")),
        _text(row.get("value_low")),
        _text(row.get("value_high")),
        _text(row.get("restates_id")),
        *_area(row),
    )


def _area(row: pd.Series) -> tuple[str, ...]:
    """The covered area: the places named (the scope's words where none is)."""
    places = tuple(sorted(p for p in _text(row.get("place_ids")).split("|") if p))
    return places or (_text(row.get("scope")).strip().lower(),)


def _level(row: pd.Series) -> float:
    low, high = row.get("value_low"), row.get("value_high")
    value = low if low is not None and not pd.isna(low) else high
    return float(value) if value is not None and not pd.isna(value) else math.nan


def _claim_order(row: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    as_of = row.get("as_of_end")
    published = row.get("source_published_end")
    return (
        pd.Timestamp.min if as_of is None or pd.isna(as_of) else pd.Timestamp(as_of),
        pd.Timestamp.min if published is None or pd.isna(published) else pd.Timestamp(published),
    )


def _value_when(row: pd.Series) -> str:
    as_of = _text(row.get("as_of"))
    return f"{_text(row.get('value_text'))} ({format_date(as_of) if as_of else 'undated'})"


def _direction(row: pd.Series, previous: pd.Series) -> str:
    """ "rose from" / "fell from" / "is unchanged from" / "went from": by what the words allow
    (``claims_in_view``'s bounds), not by the bare numbers: "more than 23,000" then "more than
    15,000" did not fall, as stated."""
    if _text(row.get("value_text")) == _text(previous.get("value_text")):
        return "is unchanged from"
    low, high = float(row["low_bound"]), float(row["high_bound"])
    prev_low, prev_high = float(previous["low_bound"]), float(previous["high_bound"])
    if low > prev_high:
        return "rose from"
    if high < prev_low:
        return "fell from"
    return "went from"


# ---- corrections -------------------------------------------------------------------------------
def _corrections(
    ds: Dataset, shown: View, window: Window, data_dir: str | None
) -> tuple[list[Change], str]:
    """Rows of ``shown`` (and removed rows) whose value or date changed in the window."""
    found = data_history.history(data_dir, window.since, window.until)
    note = found.note(window.since)
    if not found.available:
        return [], note
    in_view = {
        table: set(frame[ID_COLUMN[table]].astype(str)) for table, frame in shown.tables.items()
    }
    in_view["sources"] = set(shown.sources["source_id"].astype(str))
    current = {
        "sources": ds.sources,
        "events": ds.events,
        "designations": ds.designations,
        "estimates": ds.estimates,
    }
    items: list[Change] = []
    for correction in found.corrections:
        table, record_id = correction.table, correction.record_id
        if not correction.removed and record_id not in in_view.get(table, set()):
            continue
        frame = current.get(table)
        row: Mapping[str, Any] = correction.before or {}
        if frame is not None and not correction.removed:
            match = frame[frame[ID_COLUMN[table]].astype(str).eq(record_id)]
            if not match.empty:
                row = match.iloc[0].to_dict()
        what = _describe_record(table, record_id, row)
        source_id = str(row.get("source_id", record_id if table == "sources" else ""))
        if correction.removed:
            sentence = f"{what}: removed from the data."
            kind = "removed"
        else:
            edits = "; ".join(
                f"{COLUMN_WORDS.get(column, column)} changed from {old or '(empty)'} to "
                f"{new or '(empty)'}"
                for column, old, new in correction.changes
            )
            sentence = f"{what}: {edits}."
            kind = "correction"
        label = _text(row.get("source_label")) or _text(row.get("label")) or source_id
        records = (Record(table, record_id, source_id),) if source_id else ()
        items.append(
            Change(
                "corrections",
                table.capitalize(),
                kind,
                sentence,
                "",
                ((source_id, label),) if source_id else (),
                records,
            )
        )
    return items, note


COLUMN_WORDS: dict[str, str] = {
    "as_of": "as-of date",
    "value_low": "low value",
    "value_high": "high value",
    "published": "publication date",
    "action": "step",
    "event_type": "event type",
    "subject_id": "subject",
    "jurisdiction_id": "jurisdiction",
    "target_id": "group",
}


def _describe_record(table: str, record_id: str, row: Mapping[str, Any]) -> str:
    if table == "sources":
        label = _text(row.get("label")) or _text(row.get("title")) or record_id
        return f"Source {label} ({record_id})"
    summary = record_summary(table, row) if row else ""
    noun = {"events": "Event", "designations": "Designation", "estimates": "Claim"}.get(
        table, table
    )
    return f"{noun} {record_id}" + (f" ({summary})" if summary else "")


def changes_for_records(changes: Changes) -> Iterable[Record]:
    """Every record the list rests on (tests, and links checks)."""
    for item in changes.items:
        yield from item.records
