"""The rows behind the timeline page, grouped into steps: status table, records, lede.

Briefing audiences ask first who has taken the Taliban off its terrorist list, and when. The
functions here answer from the rows in view (``dashboard.view.view``) without drawing anything
(the charts are in ``dashboard.charts.timeline``):
- ``designation_steps(view)``: the view's designation rows with their marks, worked out once;
- ``designation_marks`` / ``event_marks``: reports of one step grouped (``dashboard.view.marks``);
- ``latest_steps`` and ``status_by_jurisdiction``: the latest step per jurisdiction, as a plain
  table for readers who skip charts;
- ``designation_records`` / ``event_records``: every row with its source and quote or summary;
- ``lede`` and ``headline``: the answer in a sentence, and in a chart title.

Which rows are in view, the known-as-of rule included, is decided by the view alone.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.charts.spec import coverage_text
from dashboard.charts.theme import ACTION_LABELS
from dashboard.ingest.vocab import DATE_BASIS_LABELS, DESIGNATION_ACTIONS
from dashboard.view import filters
from dashboard.view.marks import (
    ONGOING_ACTIONS,
    Mark,
    date_label,
    group_marks,
    month_label,
)
from dashboard.view.view import REPORTED_LATER, VIEW_CACHE_SIZE, View

DESIGNATION_KEY: tuple[str, ...] = ("jurisdiction_id", "target_id", "action")
EVENT_KEY: tuple[str, ...] = ("event_type", "title")
EVIDENCE_LABELS: dict[str, str] = {"seed": "Seed quote", "external": "External summary"}
BASIS_SHORT: dict[str, str] = DATE_BASIS_LABELS


# ---- marks ---------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class DesignationSteps:
    """Designation rows with their marks and latest steps, each worked out when first asked.

    The figure, headline, lede, status table and undated rows all ask for the same marks: the
    view keeps one ``DesignationSteps`` (``View.designation_steps``) so they are grouped once.
    Functions below take it, or a plain frame for a one-off answer (tests, hand-built rows).
    """

    rows: pd.DataFrame

    @functools.cached_property
    def marks(self) -> tuple[list[Mark], pd.DataFrame]:
        """One mark per step and compatible date; undated reports that fit no single mark."""
        return group_marks(
            self.rows,
            DESIGNATION_KEY,
            "jurisdiction_id",
            ongoing=lambda key: key[-1] in ONGOING_ACTIONS,
        )

    @functools.cached_property
    def latest(self) -> list[Status]:
        return _latest_steps(self)

    # The tables below are the same for every reader with the same filters (the view is shared):
    # each is made once with it, not on every page view.
    @functools.cached_property
    def records(self) -> pd.DataFrame:
        return _designation_records(self)

    @functools.cached_property
    def status_table(self) -> pd.DataFrame:
        return _status_by_jurisdiction(self)

    @functools.cached_property
    def undated_table(self) -> pd.DataFrame:
        _, undated = self.marks
        return for_display(designation_records(undated)) if not undated.empty else pd.DataFrame()


Designations = pd.DataFrame | DesignationSteps


@functools.lru_cache(maxsize=VIEW_CACHE_SIZE)
def designation_steps(view: View) -> DesignationSteps:
    """The view's designation rows as steps: one grouping for every answer a page gives."""
    return DesignationSteps(view.designations)


def steps_of(designations: Designations) -> DesignationSteps:
    if isinstance(designations, DesignationSteps):
        return designations
    return DesignationSteps(designations)


def designation_marks(designations: Designations) -> tuple[list[Mark], pd.DataFrame]:
    """One mark per step and compatible date; undated reports that fit no single mark."""
    return steps_of(designations).marks


def event_marks(events: pd.DataFrame) -> tuple[list[Mark], pd.DataFrame]:
    return group_marks(events, EVENT_KEY, "event_type")


def text_of(value: object) -> str:
    """A cell as text: "" for missing values (NaN, None), never the string "nan"."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def is_seed(row: Mapping[str, Any]) -> bool:
    return text_of(row.get("source_kind")) == "seed"


def evidence_text(row: Mapping[str, Any]) -> str:
    """The verbatim quote of a seed row, our summary for an external one."""
    quote, evidence = text_of(row.get("quote")), text_of(row.get("evidence"))
    return quote if is_seed(row) or not evidence else evidence


def row_date(row: Mapping[str, Any]) -> str:
    """ "29 Dec 2023 (external)": a row's own date as stated, with its basis."""
    label = date_label(
        row.get("date_start"), row.get("date_end"), text_of(row.get("date_precision"))
    )
    basis = text_of(row.get("date_basis"))
    return f"{label} ({basis})" if basis else label


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


# ---- tables --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Status:
    """The latest step one jurisdiction took against one target, with all its reported dates."""

    jurisdiction_id: str
    jurisdiction: str
    target: str
    action: str
    marks: tuple[Mark, ...]  # the step's dated marks, earliest first (several if disputed)
    undated: pd.DataFrame  # undated reports of the same step not attached to a mark

    @functools.cached_property
    def rows(self) -> pd.DataFrame:
        """Every report of the step: one lookup for all its marks (a step reported at
        hundreds of dates would otherwise cost hundreds)."""
        labels = [label for m in self.marks for label in m.index + m.undated_index]
        if not labels:
            return self.undated
        marked = self.marks[0].frame.loc[labels]
        return pd.concat([marked, self.undated]) if not self.undated.empty else marked

    @functools.cached_property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(str(s) for s in self.rows["source_id"].tolist()))

    @property
    def disputed(self) -> bool:
        return any(m.disputed for m in self.marks)


def latest_steps(designations: Designations) -> list[Status]:
    """Per jurisdiction and target: the step with the latest dated mark."""
    return steps_of(designations).latest


def _latest_steps(steps: DesignationSteps) -> list[Status]:
    """Per jurisdiction and target: the step with the latest dated mark.

    "Latest" compares the end of each mark's date span. The step's marks are the run of marks
    of that action at the end of the sequence (two rival dates of one delisting both belong to
    it). A jurisdiction with only undated reports gets its most advanced undated step.
    """
    marks, undated = steps.marks
    designations = steps.rows
    out: list[Status] = []
    for (jurisdiction_id, target_id), rows in designations.groupby(
        ["jurisdiction_id", "target_id"], sort=False
    ):
        own = sorted(
            (m for m in marks if m.key[0] == jurisdiction_id and m.key[1] == target_id),
            key=lambda m: (m.end, m.start),
        )
        loose = undated[
            undated["jurisdiction_id"].eq(jurisdiction_id) & undated["target_id"].eq(target_id)
        ]
        if own:
            action = own[-1].key[2]
            run: list[Mark] = []
            for mark in reversed(own):
                if mark.key[2] != action:
                    break
                run.append(mark)
            step_marks = tuple(sorted(run, key=lambda m: (m.start, m.end)))
        else:
            rank = {a: n for n, a in enumerate(DESIGNATION_ACTIONS)}
            action = max(loose["action"].tolist(), key=lambda a: rank.get(a, -1))
            step_marks = ()
        first = rows.iloc[0]
        out.append(
            Status(
                jurisdiction_id=str(jurisdiction_id),
                jurisdiction=text_of(first.get("jurisdiction_name")) or str(jurisdiction_id),
                target=text_of(first.get("target_name")) or str(target_id),
                action=action,
                marks=step_marks,
                undated=loose[loose["action"].eq(action)],
            )
        )
    out.sort(key=lambda s: (s.jurisdiction.lower(), s.target.lower()))
    return out


STATUS_COLUMNS: tuple[str, ...] = (
    "Jurisdiction",
    "Group",
    "Latest step",
    "Date",
    "Date basis",
    "Sources",
    "Evidence",
    "Note",
    "Reported by",
)


def _step_date_text(status: Status) -> str:
    """ "2 Sep 2024", or every date of the step with its support: "29 Dec 2023 (3 sources) or
    3 Jun 2024 (2 sources)" when the sources disagree."""
    if not status.marks:
        return "undated"
    if len(status.marks) == 1:
        return status.marks[0].label
    joiner = " or " if status.disputed else "; "
    return joiner.join(f"{m.label} ({counted(m.n_sources, 'source')})" for m in status.marks)


def _source_names(records: pd.DataFrame) -> str:
    labels = records.get("source_label", records["source_id"]).map(text_of)
    names = labels.where(labels.ne(""), records["source_id"].astype(str))
    return "; ".join(dict.fromkeys(names.tolist()))


def _evidence_summary(records: pd.DataFrame) -> str:
    """ "3 seed quotes, 4 external summaries": what the reports rest on."""
    kinds = records.get("source_kind", pd.Series("", index=records.index)).map(text_of)
    seeds = int(kinds.eq("seed").sum())
    external = len(records) - seeds
    parts = []
    if seeds:
        parts.append(f"{seeds} seed {'quote' if seeds == 1 else 'quotes'}")
    if external:
        parts.append(f"{external} external {'summary' if external == 1 else 'summaries'}")
    return ", ".join(parts)


# The states briefers ask about, always in the status table: a state with no listing in the
# records in view says so, in words that claim no more than the sources checked.
STATUS_STATES: dict[str, str] = {
    "kazakhstan": "Kazakhstan",
    "kyrgyzstan": "Kyrgyzstan",
    "russia": "Russia",
    "tajikistan": "Tajikistan",
    "turkmenistan": "Turkmenistan",
    "uzbekistan": "Uzbekistan",
}
NO_LISTING = "no listing found in the sources checked"


def status_by_jurisdiction(designations: Designations) -> pd.DataFrame:
    """One plain row per jurisdiction (and group): latest step, its date and basis, sources.

    Every state of ``STATUS_STATES`` has a row: one with no designation in view reads
    ``NO_LISTING`` (absence from our sources is not proof that no list exists)."""
    return steps_of(designations).status_table


def _status_by_jurisdiction(designations: DesignationSteps) -> pd.DataFrame:
    rows = []
    seen: set[str] = set()
    for status in latest_steps(designations):
        seen.add(status.jurisdiction_id)
        records = status.rows
        notes = []
        if status.disputed:
            notes.append("Sources disagree on the date")
        if not status.undated.empty:
            notes.append(f"{counted(len(status.undated), 'undated report')} of this step")
        later = records.get(REPORTED_LATER, pd.Series(False, index=records.index))
        if later.fillna(False).astype(bool).any():
            notes.append("Reported by sources published after the known-as-of date")
        rows.append(
            {
                "Jurisdiction": status.jurisdiction,
                "Group": status.target,
                "Latest step": ACTION_LABELS.get(status.action, status.action),
                "Date": _step_date_text(status),
                "Date basis": "; ".join(dict.fromkeys(m.basis for m in status.marks)) or "—",
                "Sources": len(status.source_ids),
                "Reported by": _source_names(records),
                "Evidence": _evidence_summary(records),
                "Note": "; ".join(notes),
            }
        )
    for state_id, name in STATUS_STATES.items():
        if state_id not in seen:
            blank = dict.fromkeys(STATUS_COLUMNS, "")
            rows.append(
                blank
                | {"Jurisdiction": name, "Group": "—", "Latest step": NO_LISTING}
                | {"Date": "—", "Date basis": "—", "Sources": 0}
            )
    table = pd.DataFrame(rows, columns=list(STATUS_COLUMNS))
    return table.sort_values(
        "Jurisdiction", key=lambda s: s.str.lower(), kind="stable"
    ).reset_index(drop=True)


def _texts(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as text, "" where missing (as ``text_of``), column-wise."""
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    if isinstance(frame[column].dtype, pd.StringDtype):  # already text: fill in place of a copy
        return frame[column].fillna("")
    return frame[column].astype(object).where(frame[column].notna(), "").astype(str)


def _evidence_kinds(frame: pd.DataFrame) -> pd.Series:
    seed = _texts(frame, "source_kind").eq("seed")
    return seed.map({True: EVIDENCE_LABELS["seed"], False: EVIDENCE_LABELS["external"]})


def _drawn_as(marks: Sequence[Mark], frame: pd.DataFrame) -> pd.Series:
    """Per row of ``frame`` (the marks' own frame): the date of the mark it is drawn at."""
    out: dict[Any, str] = {}
    for mark in marks:
        for label in mark.index:
            out[label] = mark.label
        for label in mark.undated_index:
            out[label] = f"counted with the mark at {mark.label}"
    return pd.Series(frame.index.map(out.get), index=frame.index, dtype=object)


def designation_records(designations: Designations) -> pd.DataFrame:
    """Every row behind the chart: step, date as stated, source, quote or summary, and mark."""
    return steps_of(designations).records


def _designation_records(steps: DesignationSteps) -> pd.DataFrame:
    marks, _ = steps.marks
    designations = steps.rows
    drawn = _drawn_as(marks, designations)
    actions = designations["action"].astype(str)
    date = _texts(designations, "date")
    source = _texts(designations, "source_label")
    frame = pd.DataFrame(
        {
            "designation_id": designations["designation_id"],
            "jurisdiction": _texts(designations, "jurisdiction_name"),
            "group": _texts(designations, "target_name"),
            "step": actions.map({a: ACTION_LABELS.get(a, a) for a in actions.unique()}),
            "date": date.where(date != "", "undated"),
            "date_basis": _texts(designations, "date_basis"),
            "authority": _texts(designations, "authority"),
            "source": source.where(source != "", designations["source_id"].astype(str)),
            "source_id": designations["source_id"],
            "evidence_kind": _evidence_kinds(designations),
            "quote": _texts(designations, "quote"),
            "evidence": _texts(designations, "evidence"),
            "drawn_at": drawn.fillna("undated: listed below the chart"),
            "notes": _texts(designations, "notes"),
        },
        columns=RECORD_COLUMNS,
    ).reset_index(drop=True)
    return frame.sort_values(["jurisdiction", "date", "source"], kind="stable", ignore_index=True)


RECORD_COLUMNS: list[str] = [
    "designation_id",
    "jurisdiction",
    "group",
    "step",
    "date",
    "date_basis",
    "authority",
    "source",
    "source_id",
    "evidence_kind",
    "quote",
    "evidence",
    "drawn_at",
    "notes",
]


def for_display(records: pd.DataFrame) -> pd.DataFrame:
    """Reader-facing column names; quote and summary in one column beside 'Evidence'."""
    shown = records.assign(
        text=records["quote"].where(records["evidence_kind"].eq("Seed quote"), records["evidence"])
    )
    names = {
        "jurisdiction": "Jurisdiction",
        "group": "Group",
        "title": "Event",
        "event_type": "Type",
        "summary": "Summary",
        "step": "Step",
        "date": "Date (as stated)",
        "date_basis": "Date basis",
        "authority": "Authority",
        "source": "Source",
        "evidence_kind": "Evidence",
        "text": "Quote or summary",
        "drawn_at": "Drawn at",
        "notes": "Notes",
    }
    keep = [c for c in names if c in shown.columns]
    return shown[keep].rename(columns=names)


def undated_designations(designations: Designations) -> pd.DataFrame:
    """Undated reports not drawn because their step has several (or no) dated marks."""
    return steps_of(designations).undated_table


def event_records(events: pd.DataFrame) -> pd.DataFrame:
    """One row per event for tables and CSV exports, built column-wise (44,000 rows at the
    benchmark's 1000x scale)."""
    types = events["event_type"].astype(str)
    labels = {kind: filters.event_type_label(kind) for kind in types.unique()}
    date = _texts(events, "date")
    source = _texts(events, "source_label")
    frame = pd.DataFrame(
        {
            "event_id": events["event_id"],
            "event_type": types.map(labels),
            "title": _texts(events, "title"),
            "date": date.where(date != "", "undated"),
            "date_basis": _texts(events, "date_basis"),
            "source": source.where(source != "", events["source_id"].astype(str)),
            "source_id": events["source_id"],
            "evidence_kind": _evidence_kinds(events),
            "quote": _texts(events, "quote"),
            "evidence": _texts(events, "evidence"),
            "summary": _texts(events, "summary"),
            "notes": _texts(events, "notes"),
        }
    )
    return frame.reset_index(drop=True)


@functools.lru_cache(maxsize=VIEW_CACHE_SIZE)
def undated_events(view: View) -> pd.DataFrame:
    """The view's events with no date: reported, but not drawn at an invented point (made once
    per view: every reader with the same filters shares it)."""
    events = view.events
    undated = events[events["date_start"].isna()]
    return for_display(event_records(undated)) if not undated.empty else pd.DataFrame()


# ---- the answer in one sentence ------------------------------------------------------------------
# Each step's verb with the group named, and once the sentence has named it.
STEP_VERBS: dict[str, tuple[str, str]] = {
    "delisted": ("delisted {target}", "delisted it"),
    "ban_suspended": ("suspended {its} ban on {target}", "suspended {its} ban"),
    "delisting_considered": ("{was} considering delisting {target}", "{was} considering it"),
    "relisted": ("relisted {target}", "relisted it"),
    "listed": ("listed {target}", "still listed it"),
}
# Furthest step first: the sentence leads with what changed.
SENTENCE_ORDER: tuple[str, ...] = (
    "delisted",
    "ban_suspended",
    "relisted",
    "delisting_considered",
    "listed",
)
WITH_ARTICLE: frozenset[str] = frozenset({"Taliban"})


def _lede_date(status: Status) -> str:
    """Month precision at most ("Dec 2023"), rival dates joined, a deliberation as a range,
    a listing as where the status runs from ("since 2003")."""
    labels = list(dict.fromkeys(month_label(m.start, m.end, m.precision) for m in status.marks))
    if not labels:
        return "date not given"
    if status.action in ONGOING_ACTIONS and len(labels) > 1:
        first, last = status.marks[0], status.marks[-1]
        if first.precision != "year" and first.start.year == last.end.year:
            return f"{first.start:%b} to {labels[-1]}"
        return f"{labels[0]} to {labels[-1]}"
    if status.action == "listed":
        return "since " + " / ".join(labels)
    return " / ".join(labels)


def _names(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _clauses(statuses: Sequence[Status], *, dated: bool) -> list[str]:
    clauses: list[str] = []
    named: set[str] = set()
    actions = SENTENCE_ORDER + tuple(sorted(set(STEP_VERBS) - set(SENTENCE_ORDER)))
    for action in actions:
        for target in dict.fromkeys(s.target for s in statuses):
            chosen = [s for s in statuses if s.action == action and s.target == target]
            if not chosen:
                continue
            who = _names(
                [f"{s.jurisdiction} ({_lede_date(s)})" if dated else s.jurisdiction for s in chosen]
            )
            full, short = STEP_VERBS.get(action, (action.replace("_", " ") + " {target}",) * 2)
            verb = short if target in named else full
            named.add(target)
            clauses.append(
                f"{who} "
                + verb.format(
                    target=f"the {target}" if target in WITH_ARTICLE else target,
                    its="its" if len(chosen) == 1 else "their",
                    was="was" if len(chosen) == 1 else "were",
                )
            )
    return clauses


def lede(designations: Designations) -> str:
    """The page's answer, from the rows in view: who did what to which group, and when."""
    statuses = latest_steps(designations)
    if not statuses:
        return "No designation step of any jurisdiction matches the current filters."
    text = "; ".join(_clauses(statuses, dated=True))
    if all(s.action == "listed" for s in statuses):
        text += ", and the records in view report no step towards delisting"
    disputed = [s.jurisdiction for s in statuses if s.disputed]
    if disputed:
        text += f". Sources disagree on when {_names(disputed)} did so; both dates are shown"
    return text[0].upper() + text[1:] + "."


def headline(designations: Designations) -> str:
    """A chart title that states the finding ("Kazakhstan and Kyrgyzstan delisted ...")."""
    statuses = latest_steps(designations)
    if not statuses:
        return "No designation step matches the current filters"
    text = "; ".join(_clauses(statuses, dated=False))
    return text[0].upper() + text[1:]


def coverage(view: View) -> str:
    """Which period the sources in view were published in (designations and events)."""
    designations, events = view.designations, view.events
    ids = list(dict.fromkeys([*designations["source_id"].unique(), *events["source_id"].unique()]))
    return coverage_text(view.dataset, ids, view.state.known_as_of)


def selected_records(records: pd.DataFrame, points: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The records behind the marks a reader selected: each mark carries its ids as customdata,
    a list of ids or (a counted mark) one space-separated text of them; ids are slugs."""
    wanted: list[str] = []
    for point in points:
        ids = point.get("customdata") or []
        for value in ids if isinstance(ids, (list, tuple)) else [ids]:
            wanted.extend(str(value).split())
    id_column = records.columns[0]
    if not wanted:
        return records.iloc[:0]
    return records[records[id_column].astype(str).isin(wanted)]
