"""The dataset validator: every problem in ``data/*.csv`` in one run, as ``file:row:column: msg``.

Analysts fix the CSVs by hand, so the report points at the cell as a spreadsheet shows it
(header = row 1) and says what to change. Everything is collected before anything is reported:
one run lists every problem, and a broken table only silences the checks that depend on it
(references into an unreadable ``sources.csv`` are not all reported as dangling).

Exit codes: 0 clean, 1 problems found, 2 a table missing or unreadable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath

import pandas as pd
import pandera.pandas as pa

from dashboard import DATA_DIR, SEEDS_DIR
from dashboard.ingest import vocab
from dashboard.ingest.csvio import HEADER_ROW, UnreadableFile, read_table, read_text
from dashboard.ingest.dates import DateValue, parse_series, try_parse_date
from dashboard.ingest.quotes import NormalisedText, index_text, normalise
from dashboard.ingest.schema import (
    CHECK_MISSING_COLUMN,
    CHECK_UNKNOWN_COLUMN,
    DATE_COLUMNS,
    NUMBER,
    SCHEMAS,
    numbers,
)

FACT_TABLES = ("events", "designations", "estimates")


# ---- results ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One thing wrong, located as a spreadsheet shows it; ``unreadable`` problems exit 2."""

    file: str  # as displayed, e.g. "data/events.csv"
    row: int | None  # spreadsheet row (header = 1); None for the whole file
    column: str | None  # None for the whole row or file
    message: str
    unreadable: bool = False

    def format(self) -> str:
        row = "-" if self.row is None else str(self.row)
        return f"{self.file}:{row}:{self.column or '-'}: {self.message}"


@dataclass(frozen=True)
class Report:
    """What a validation run found; ``format()`` is the text the CLI prints and the app shows."""

    problems: tuple[Problem, ...]
    row_counts: Mapping[str, int] = field(default_factory=dict)  # table -> rows read

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def exit_code(self) -> int:
        if any(problem.unreadable for problem in self.problems):
            return 2
        return 1 if self.problems else 0

    def summary(self) -> str:
        if not self.problems:
            rows = sum(self.row_counts.values())
            return f"OK: {len(self.row_counts)} tables, {rows} rows, 0 problems"
        per_file = Counter(PurePosixPath(problem.file).name for problem in self.problems)
        count, files = len(self.problems), len(per_file)
        detail = ", ".join(f"{name}: {n}" for name, n in sorted(per_file.items()))
        return (
            f"{count} problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}"
            f" ({detail})"
        )

    def format(self) -> str:
        return "\n".join([*(problem.format() for problem in self.problems), self.summary()])


@dataclass(frozen=True, eq=False)
class Validation:
    """A report plus what was read, so the loader does not read and check everything twice.

    ``frames`` holds each usable table as text, indexed by spreadsheet row; ``seed_texts`` maps
    each seed source's id to its document's original text.
    """

    report: Report
    frames: dict[str, pd.DataFrame]
    seed_texts: dict[str, str]


# ---- the run ------------------------------------------------------------------------------------
def validate_dataset(
    data_dir: Path | str | None = None,
    seeds_dir: Path | str | None = None,
    *,
    today: dt.date | None = None,
) -> Report:
    """Check the six tables in ``data_dir`` against the contract and their seeds in ``seeds_dir``.

    Defaults are the repository's ``data/`` and ``seeds/``. ``today`` (default: the real date)
    is what "in the future" is measured against.
    """
    return run_validation(data_dir, seeds_dir, today=today).report


def run_validation(
    data_dir: Path | str | None = None,
    seeds_dir: Path | str | None = None,
    *,
    today: dt.date | None = None,
) -> Validation:
    run = _Run(data_dir, seeds_dir, today or dt.date.today())
    run.execute()
    problems = sorted(run.problems, key=_sort_key)
    report = Report(tuple(problems), {t: len(f) for t, f in run.frames.items()})
    return Validation(report, run.frames, run.seed_texts)


def _sort_key(problem: Problem) -> tuple[str, int, int]:
    """By file, row, then the column's place in the table (the order a reader scans a row)."""
    columns = vocab.COLUMNS.get(PurePosixPath(problem.file).stem, ())
    position = columns.index(problem.column) if problem.column in columns else len(columns)
    return problem.file, problem.row or 0, position


class _Run:
    """One validation run: reads, checks and collects problems (internal state, not API)."""

    def __init__(self, data_dir: Path | str | None, seeds_dir: Path | str | None, today: dt.date):
        self.data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
        self.seeds_dir = Path(seeds_dir) if seeds_dir is not None else SEEDS_DIR
        self.data_label = str(data_dir) if data_dir is not None else "data"
        self.seeds_label = str(seeds_dir) if seeds_dir is not None else "seeds"
        self.today = today
        self.problems: list[Problem] = []
        self.frames: dict[str, pd.DataFrame] = {}
        self.seed_texts: dict[str, str] = {}
        # source_id -> "seed" | "external"; and the seed document of readable seed sources.
        self.source_kind: dict[str, str] = {}
        self.seed_index: dict[str, tuple[str, NormalisedText]] = {}
        self.seed_cache: dict[str, str] = {}  # seed_file -> original text, read once per run

    # -- helpers --
    def file(self, table: str) -> str:
        return f"{self.data_label.rstrip('/')}/{table}.csv"

    def add(self, table: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.file(table), row, column, message))

    def add_rows(self, table: str, rows: pd.Series, column: str | None) -> None:
        """Problems for every row of a Series of messages (index = spreadsheet row)."""
        for row, message in zip(rows.index.tolist(), rows.tolist(), strict=True):
            self.add(table, int(row), column, str(message))

    def has(self, table: str, *columns: str) -> bool:
        frame = self.frames.get(table)
        return frame is not None and all(column in frame.columns for column in columns)

    # -- steps --
    def execute(self) -> None:
        if not self.data_dir.is_dir():
            what = "data directory not found" if not self.data_dir.exists() else "not a directory"
            self.problems.append(Problem(self.data_label, None, None, what, unreadable=True))
            return
        for table in vocab.TABLES:
            self.read(table)
        for table, frame in self.frames.items():
            self.check_schema(table, frame)
            self.check_ids(table, frame)
            self.check_dates(table, frame)
        for reference in REFERENCES:
            self.check_reference(reference)
        self.check_places()
        self.check_sources()
        for table in FACT_TABLES:
            self.check_evidence(table)
        self.check_numbers()
        self.check_claimant_types()
        self.check_restatements()

    def read(self, table: str) -> None:
        path = self.data_dir / f"{table}.csv"
        try:
            parsed = read_table(path)
        except UnreadableFile as error:
            self.problems.append(
                Problem(self.file(table), error.row, None, error.message, unreadable=True)
            )
            return
        for name in parsed.duplicate_columns:
            self.add(table, HEADER_ROW, name, "duplicate column header; only the first is read")
        for ragged in parsed.ragged:
            self.problems.append(
                Problem(
                    self.file(table),
                    ragged.row,
                    None,
                    f"row has {ragged.cells} cells but the header has {ragged.expected}"
                    " (an unquoted comma, or a missing cell?)",
                    unreadable=True,
                )
            )
        if not parsed.ragged:
            self.frames[table] = parsed.frame

    def check_schema(self, table: str, frame: pd.DataFrame) -> None:
        try:
            SCHEMAS[table].validate(frame, lazy=True)
        except pa.errors.SchemaErrors as errors:
            for case in errors.failure_cases.itertuples(index=False):
                self.add(table, *_schema_problem(table, case))

    def check_ids(self, table: str, frame: pd.DataFrame) -> None:
        column = vocab.ID_COLUMN[table]
        if column not in frame.columns:
            return
        ids = frame[column][frame[column].ne("")]
        firsts = ids.drop_duplicates()
        first_row = dict(zip(firsts.to_numpy(), firsts.index, strict=True))
        repeats = ids[ids.duplicated(keep="first")]
        messages = repeats.map(lambda v: f"duplicate {column} {v!r} (first on row {first_row[v]})")
        self.add_rows(table, messages, column)

    def check_dates(self, table: str, frame: pd.DataFrame) -> None:
        for date_column, basis_column in DATE_COLUMNS.get(table, {}).items():
            if date_column not in frame.columns:
                continue
            dates = frame[date_column]
            messages = _map_unique(dates, partial(self.date_message, column=date_column))
            self.add_rows(table, messages.dropna(), date_column)
            if basis_column is None or basis_column not in frame.columns:
                continue
            basis = frame[basis_column]
            self.add_rows(
                table,
                _messages(
                    dates.ne("") & basis.eq(""), f"required when {date_column} is filled", dates
                ),
                basis_column,
            )
            self.add_rows(
                table,
                _messages(
                    dates.eq("") & basis.ne(""),
                    f"must be empty when {date_column} is empty (an unknown date has no basis)",
                    dates,
                ),
                basis_column,
            )
            if "notes" in frame.columns:
                for value, why in (("inferred", "how it was derived"), ("external", "its source")):
                    self.add_rows(
                        table,
                        _messages(
                            basis.eq(value) & frame["notes"].eq(""),
                            f"required when {basis_column} is '{value}': say {why}",
                            dates,
                        ),
                        "notes",
                    )

    def date_message(self, text: str, column: str) -> str | None:
        parsed = try_parse_date(text)
        if parsed is None:
            return None
        if isinstance(parsed, ValueError):
            return str(parsed)
        assert isinstance(parsed, DateValue)
        if parsed.start > self.today:
            return f"{text!r} is in the future (today is {self.today.isoformat()})"
        if column == "accessed" and parsed.precision != "day":
            return f"{text!r}: accessed must be a full date (YYYY-MM-DD)"
        return None

    def check_reference(self, ref: Reference) -> None:
        """Every id in ``ref.column`` exists in the target table (and is of an allowed kind).

        Vectorised (isin / map on the exploded id lists): tables may be scaled far beyond the
        curated size, and a per-cell Python loop would dominate the load time.
        """
        target_id = vocab.ID_COLUMN[ref.target]
        if not self.has(ref.table, ref.column) or not self.has(ref.target, target_id):
            return
        target = self.frames[ref.target]
        if ref.kinds and "kind" not in target.columns:
            return
        cells = self.frames[ref.table][ref.column]
        ids = cells[cells.ne("")]
        if ref.multi:
            ids = ids.str.split("|").explode().astype(str)
            empty = ids.eq("")
            self.add_rows(
                ref.table,
                _messages(empty, "empty id in the list (a '||' or a '|' at either end)", ids)
                .groupby(level=0)
                .first(),
                ref.column,
            )
            ids = ids[~empty.to_numpy()]
            pairs = pd.DataFrame({"row": ids.index, "id": ids.to_numpy()})
            twice = ids[pairs.duplicated().to_numpy()]
            self.add_rows(ref.table, "'" + twice + "' is listed twice", ref.column)
        known = _isin(ids, target[target_id])
        quoted = "'" + ids + "'"
        self.add_rows(
            ref.table,
            (f"unknown {ref.noun} " + quoted + f" (not in {ref.target}.csv)")[~known.to_numpy()],
            ref.column,
        )
        if ref.kinds:
            kind = ids.map(target.drop_duplicates(target_id).set_index(target_id)["kind"])
            wrong = known & ~kind.isin(ref.kinds)
            expected = _one_of(ref.kinds)
            message = quoted + " is an entity of kind '" + kind.astype(str) + "', expected "
            self.add_rows(ref.table, (message + expected)[wrong.to_numpy()], ref.column)

    def check_places(self) -> None:
        if self.has("places", "place_id", "parent_id"):
            places = self.frames["places"]
            self.add_rows(
                "places",
                _messages(
                    places["parent_id"].ne("") & places["parent_id"].eq(places["place_id"]),
                    "a place cannot be its own parent",
                    places["parent_id"],
                ),
                "parent_id",
            )
        if self.has("places", "lat", "lon"):
            places = self.frames["places"]
            self.add_rows(
                "places",
                _messages(
                    places["lat"].eq("") != places["lon"].eq(""),
                    "lat and lon go together: fill both or neither",
                    places["lat"],
                ),
                "lon",
            )

    def check_sources(self) -> None:
        if not self.has("sources", "source_id", "seed_file"):
            return
        frame = self.frames["sources"]
        seeds_root = self.seeds_dir.resolve()
        seed_problems: dict[str, str | None] = {}
        for row, source_id, seed_file in zip(
            frame.index.tolist(),
            frame["source_id"].tolist(),
            frame["seed_file"].tolist(),
            strict=True,
        ):
            first = source_id not in self.source_kind  # a duplicate id is reported elsewhere
            if first:
                self.source_kind[source_id] = "seed" if seed_file else "external"
            if seed_file == "":
                continue
            if seed_file not in seed_problems:
                seed_problems[seed_file] = self.load_seed(seed_file, seeds_root)
            if seed_problems[seed_file] is not None:
                self.add("sources", int(row), "seed_file", str(seed_problems[seed_file]))
                if first:  # seed or external is unclear: its rows' split is checked once fixed
                    self.source_kind[source_id] = "broken"
            elif first:
                text = self.seed_cache[seed_file]
                self.seed_texts[source_id] = text
                self.seed_index[source_id] = (seed_file, index_text(text))
        if "url" in frame.columns:
            url = frame["url"]
            bad_url = url.ne("") & ~url.str.lower().str.match(r"https?://\S+$")
            self.add_rows(
                "sources", _messages(bad_url, "not a web address (http:// or https://)", url), "url"
            )
        external = frame["seed_file"].eq("")
        for column in ("url", "accessed"):
            if column in frame.columns:
                self.add_rows(
                    "sources",
                    _messages(
                        external & frame[column].eq(""),
                        "required for an external source (one with no seed_file)",
                        frame[column],
                    ),
                    column,
                )

    def load_seed(self, seed_file: str, seeds_root: Path) -> str | None:
        """Read a seed document; return a problem message, or None (text in ``seed_cache``)."""
        if (
            seed_file.startswith(("/", "\\"))
            or re.match(r"[A-Za-z]:", seed_file)
            or PurePosixPath(seed_file).is_absolute()
        ):
            return f"absolute path {seed_file!r}: write it as seeds/<file name>"
        if ".." in re.split(r"[/\\]", seed_file):
            return f"{seed_file!r} climbs out with '..': write it as seeds/<file name>"
        try:
            path = (self.seeds_dir.absolute().parent / seed_file).resolve()
            if not path.is_relative_to(seeds_root) or path == seeds_root:
                return (
                    f"{seed_file!r} is not a file inside the seeds directory ({self.seeds_label})"
                )
            if not path.exists():
                return f"seed file {seed_file!r} not found"
            if not path.is_file():
                return f"seed file {seed_file!r} is not a file"
            self.seed_cache[seed_file] = read_text(path)
        except UnreadableFile as error:
            return f"seed file {seed_file!r}: {error.message}"
        except (OSError, ValueError) as error:  # e.g. a name too long for the file system
            return f"seed file {seed_file!r} cannot be opened: {error}"
        return None

    def check_evidence(self, table: str) -> None:
        """The seed/external split: quotes for seed-backed rows, evidence for external ones."""
        if not self.has(table, "source_id", "quote", "evidence") or not self.source_kind:
            return
        frame = self.frames[table]
        kind = frame["source_id"].map(self.source_kind)
        seed, external = kind.eq("seed"), kind.eq("external")
        quote, evidence = frame["quote"], frame["evidence"]
        self.add_rows(
            table,
            _messages(
                seed & quote.eq(""), "required: a seed-backed row needs a verbatim quote", quote
            ),
            "quote",
        )
        self.add_rows(
            table,
            _messages(
                seed & evidence.ne(""),
                "must be empty for a seed-backed row (its quote is the evidence)",
                evidence,
            ),
            "evidence",
        )
        self.add_rows(
            table,
            _messages(
                external & quote.ne(""),
                "must be empty for an external source's row (its text is not in the repo);"
                " say what the source reports in evidence",
                quote,
            ),
            "quote",
        )
        self.add_rows(
            table,
            _messages(
                external & evidence.eq(""),
                "required for an external source's row: what the source reports, in our words",
                evidence,
            ),
            "evidence",
        )
        for date_column, basis_column in DATE_COLUMNS[table].items():
            if basis_column and self.has(table, date_column, basis_column):
                basis = frame[basis_column]
                wrong = external & frame[date_column].ne("") & basis.ne("") & basis.ne("external")
                self.add_rows(
                    table,
                    _messages(wrong, "must be 'external' for an external source's row", basis),
                    basis_column,
                )
        self.check_quotes(table, frame[seed & quote.ne("")])

    def check_quotes(self, table: str, rows: pd.DataFrame) -> None:
        """Each distinct (seed file, quote) pair is looked up once, in the once-normalised seed."""
        seed_of = {source_id: seed_file for source_id, (seed_file, _) in self.seed_index.items()}
        seeds = {seed_file: seed for seed_file, seed in self.seed_index.values()}
        pairs = pd.DataFrame({"seed": rows["source_id"].map(seed_of), "quote": rows["quote"]})
        pairs = pairs[pairs["seed"].notna()].astype(str)
        failed: dict[tuple[str, str], str] = {}
        unique = pairs.drop_duplicates()
        for seed_file, quote in zip(unique["seed"].tolist(), unique["quote"].tolist(), strict=True):
            seed = seeds[seed_file]
            if not seed.contains(quote):
                failed[(seed_file, quote)] = _quote_message(quote, seed_file, seed)
        if not failed:
            return
        bad = pairs[pd.MultiIndex.from_frame(pairs).isin(list(failed))]
        for row, seed_file, quote in zip(
            bad.index.tolist(), bad["seed"].tolist(), bad["quote"].tolist(), strict=True
        ):
            self.add(table, int(row), "quote", failed[(seed_file, quote)])

    def check_numbers(self) -> None:
        if not self.has("estimates", "value_low", "value_high", "qualifier"):
            return
        frame = self.frames["estimates"]
        low_text, high_text = frame["value_low"], frame["value_high"]
        low, high = numbers(low_text), numbers(high_text)
        malformed = (low_text.ne("") & low.isna()) | (high_text.ne("") & high.isna())
        has_low, has_high = low.notna(), high.notna()
        inverted = has_low & has_high & (low > high)
        got = "value_low " + low_text.replace("", "(empty)") + ", value_high "
        got = got + high_text.replace("", "(empty)")
        self.add_rows(
            "estimates",
            ("value_low is greater than value_high: " + got)[inverted & ~malformed],
            "value_low",
        )
        qualifier = frame["qualifier"]
        both = has_low & has_high
        rules: dict[str, tuple[pd.Series, str]] = {
            "exact": (both & (low == high), "value_low and value_high both filled and equal"),
            "approximately": (
                both & (low == high),
                "value_low and value_high both filled and equal",
            ),
            "more_than": (has_low & ~has_high, "value_low filled and value_high empty"),
            "up_to": (~has_low & has_high, "value_high filled and value_low empty"),
            "range": (both & (low < high), "value_low and value_high filled, low < high"),
            "order_of_magnitude": (
                both & (low < high),
                "value_low and value_high filled with the bounds the methodology gives, low < high",
            ),
        }
        for name, (consistent, needs) in rules.items():
            broken = qualifier.eq(name) & ~consistent & ~malformed & ~inverted
            self.add_rows(
                "estimates",
                (f"qualifier '{name}' needs {needs}; got " + got)[broken],
                "qualifier",
            )

    def check_claimant_types(self) -> None:
        """Who speaks is typed: every entity named as a claimant has a ``claimant_type`` (the app
        colours and groups claims by it), and an armed group, which the sources count but never
        quote as a claimant here, has none."""
        if not self.has("entities", "entity_id", "kind", "claimant_type"):
            return
        entities = self.frames["entities"]
        first = entities.drop_duplicates("entity_id")  # a repeated id is reported elsewhere
        claimed_in: dict[str, str] = {}  # entity id -> "estimates.csv row N" of its first claim
        for table in ("estimates", "events"):
            if not self.has(table, "claimant_id"):
                continue
            ids = self.frames[table]["claimant_id"]
            ids = ids[ids.ne("")].drop_duplicates()
            for row, entity_id in zip(ids.index.tolist(), ids.tolist(), strict=True):
                claimed_in.setdefault(entity_id, f"{table}.csv row {row}")
        untyped = first[
            first["claimant_type"].eq("")
            & first["entity_id"].isin(claimed_in)
            & first["kind"].isin(_CLAIMANTS)  # a claimant of the wrong kind is reported as such
        ]
        allowed = ", ".join(vocab.CLAIMANT_TYPES)
        self.add_rows(
            "entities",
            untyped["entity_id"].map(
                lambda i: (
                    f"required: '{i}' is a claimant ({claimed_in[i]}); give its"
                    f" claimant_type ({allowed})"
                )
            ),
            "claimant_type",
        )
        group = entities["kind"].eq("armed_group") & entities["claimant_type"].ne("")
        self.add_rows(
            "entities",
            _messages(
                group,
                "must be empty for an armed group (claimant_type is for those who make claims:"
                " people, agencies, organizations, outlets, states)",
                entities["claimant_type"],
            ),
            "claimant_type",
        )

    def check_restatements(self) -> None:
        """``restates_id`` links a figure said again to the row of its first statement.

        The lineage rule (docs/methodology.md): the restated row is the earliest known statement,
        so it restates nothing itself (chains would hide the first statement and allow cycles);
        it is dated no later than the restatement; and it is the same figure: the same subject,
        measure, covered places and stated numbers (the hedge word may differ: "over 23,000" and
        "around 23,000" state the same number). A dangling id is reported by the references.
        """
        columns = (
            "estimate_id", "restates_id", "subject_id", "measure", "value_low", "value_high",
            "place_ids", "as_of",
        )  # fmt: skip
        if not self.has("estimates", *columns):
            return
        frame = self.frames["estimates"]
        restating = frame[frame["restates_id"].ne("")]
        by_id = frame[~frame["estimate_id"].duplicated()].set_index("estimate_id")
        rows = restating[_isin(restating["restates_id"], by_id.index.to_series())]
        if rows.empty:
            return
        next_of = dict(
            zip(restating["estimate_id"].tolist(), restating["restates_id"].tolist(), strict=True)
        )
        for row, own_id, target_id in zip(
            rows.index.tolist(), rows["estimate_id"].tolist(), rows["restates_id"].tolist(),
            strict=True,
        ):  # fmt: skip
            message = _lineage_message(own_id, target_id, next_of)
            if message:
                self.add("estimates", int(row), "restates_id", message)
        # the same figure: each restatement against its target, column-wise
        target = rows["restates_id"]
        theirs = by_id.loc[target.tolist()].set_axis(rows.index)
        mine_keys, their_keys = _figure_keys(rows), _figure_keys(theirs)
        for key, noun in (
            ("subject_id", "subjects"),
            ("measure", "measures"),
            ("numbers", "stated numbers"),
            ("places", "places (place_ids)"),
        ):
            mine, other = mine_keys[key], their_keys[key]
            text = (
                "restates '" + target + f"' but the {noun} do not match: here '"
                + mine.replace("", "(none)") + "', there '" + other.replace("", "(none)")
                + "' (a restatement is the same figure said again; a different figure is a"
                " claim of its own)"
            )  # fmt: skip
            self.add_rows("estimates", text[mine.ne(other)], "restates_id")
        row_dates, target_dates = parse_series(rows["as_of"]), parse_series(theirs["as_of"])
        undated = row_dates["start"].isna() | target_dates["start"].isna()
        self.add_rows(
            "estimates",
            (
                "restates '" + target + "': both rows need an as_of to show the first"
                " statement came first"
            )[undated],
            "restates_id",
        )
        later = ~undated & (target_dates["start"] > row_dates["end"])
        self.add_rows(
            "estimates",
            (
                "restates '" + target + "', dated " + theirs["as_of"] + ", after this row's as_of "
                + rows["as_of"] + ": a restatement points at an earlier statement"
            )[later],
            "restates_id",
        )  # fmt: skip


# ---- references ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reference:
    """A column holding ids of another table, and the kinds of entity it may point at."""

    table: str
    column: str
    target: str
    kinds: tuple[str, ...] = ()

    @property
    def multi(self) -> bool:
        return self.column.endswith("_ids")

    @property
    def noun(self) -> str:
        return {
            "entities": "entity",
            "places": "place",
            "sources": "source",
            "estimates": "estimate",
        }[self.target]


_GROUPS = ("armed_group", "organization")
_CLAIMANTS = ("person", "agency", "organization", "state")
REFERENCES: tuple[Reference, ...] = (
    Reference("places", "parent_id", "places"),
    Reference("events", "actor_ids", "entities"),
    Reference("events", "place_ids", "places"),
    Reference("events", "source_id", "sources"),
    Reference("events", "claimant_id", "entities", _CLAIMANTS),
    Reference("designations", "jurisdiction_id", "entities", ("state",)),
    Reference("designations", "target_id", "entities", _GROUPS),
    Reference("designations", "source_id", "sources"),
    Reference("estimates", "subject_id", "entities", (*_GROUPS, "state")),
    Reference("estimates", "claimant_id", "entities", _CLAIMANTS),
    Reference("estimates", "restates_id", "estimates"),
    Reference("estimates", "place_ids", "places"),
    Reference("estimates", "source_id", "sources"),
)


def _lineage_message(own_id: str, target: str, next_of: Mapping[str, str]) -> str | None:
    """What is wrong with where ``own_id``'s restates_id points, following the chain."""
    if target == own_id:
        return f"'{own_id}' restates itself: leave restates_id empty for a first statement"
    chain, seen, current = [own_id], {own_id}, target
    while current:  # to the root, which restates nothing
        if current in seen:
            loop = " -> ".join([*chain[chain.index(current) :], current])
            return (
                f"restates_id goes round in a circle ({loop}): the first statement of a figure"
                " restates nothing"
            )
        chain.append(current)
        seen.add(current)
        current = next_of.get(current, "")
    if len(chain) > 2:  # own -> target -> ... : the target is itself a restatement
        root = chain[-1]
        return (
            f"'{target}' is itself a restatement (of '{chain[2]}'): point at the first"
            f" statement, '{root}'"
        )
    return None


def _figure_keys(rows: pd.DataFrame) -> dict[str, pd.Series]:
    """What makes two rows the same figure, as comparable text: subject, measure, the stated
    numbers whatever the hedge word ('23000' for "over 23,000" and for "around 23,000"; '4000
    6000' for a range) and the places as a set (order and repeats do not matter)."""
    low, high = rows["value_low"], rows["value_high"]
    return {
        "subject_id": rows["subject_id"],
        "measure": rows["measure"],
        "numbers": _map_unique(low + "\x1f" + high, _stated_numbers),
        "places": _map_unique(rows["place_ids"], _id_set),
    }


def _stated_numbers(cells: str) -> str:
    """'low\x1fhigh' -> the distinct numbers stated, sorted; malformed cells count as absent."""
    values = set()
    for cell in cells.split("\x1f"):
        if NUMBER.fullmatch(cell):
            values.add(float(cell))
    return " ".join(f"{v:g}" for v in sorted(values))


def _id_set(cell: str) -> str:
    """An ``_ids`` cell as a canonical set: order and repeats do not change what it names."""
    return "|".join(sorted({part for part in cell.split("|") if part}))


# ---- small helpers ------------------------------------------------------------------------------
def _map_unique(values: pd.Series, function) -> pd.Series:
    """``values.map(function)`` calling ``function`` once per distinct value (tables repeat)."""
    unique = values.unique().tolist()
    return values.map(dict(zip(unique, map(function, unique), strict=True)))


def _one_of(words: tuple[str, ...]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _isin(values: pd.Series, allowed: pd.Series) -> pd.Series:
    """``values.isin(allowed)`` on object arrays: pandas' arrow-string isin builds a Python
    scalar per allowed value, which dominates the run on a scaled dataset."""
    return values.astype(object).isin(allowed.astype(object))


def _messages(mask: pd.Series, message: str, like: pd.Series) -> pd.Series:
    """The rows where ``mask`` holds, each carrying ``message``."""
    return pd.Series(message, index=like.index)[mask.fillna(False).astype(bool).to_numpy()]


def _schema_problem(table: str, case) -> tuple[int | None, str | None, str]:
    """(row, column, message) for one row of pandera's ``failure_cases``."""
    check = str(case.check)
    if check == CHECK_UNKNOWN_COLUMN:
        name = str(case.failure_case)
        hint = _close_column(table, name)
        return HEADER_ROW, name, f"unknown column {name!r}{hint}"
    if check == CHECK_MISSING_COLUMN:
        return HEADER_ROW, str(case.failure_case), "missing column (required by the contract)"
    row = None if pd.isna(case.index) else int(case.index)
    column = None if case.column is None or pd.isna(case.column) else str(case.column)
    value = case.failure_case
    if isinstance(value, str) and value != "":
        return row, column, f"{check}: {value!r}"
    return row, column, check


def _close_column(table: str, name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name.strip(), vocab.COLUMNS[table], n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else " (not in the contract or vocab.py)"


def _quote_message(quote: str, seed_file: str, seed: NormalisedText) -> str:
    message = f"quote not found verbatim in {seed_file}"
    if normalise(quote).lower() in seed.text.lower():
        return message + " (it matches only if case is ignored: copy the capitals as written)"
    matched, needle = seed.matched_prefix(quote), normalise(quote)
    if matched >= 8:
        rest = needle[matched : matched + 30]
        return message + f" (the first {matched} of {len(needle)} characters match; from {rest!r})"
    return message


# ---- command line -------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", metavar="DIR", help="the directory of the six CSV tables (default: data/)"
    )
    parser.add_argument(
        "--seeds",
        metavar="DIR",
        help="the seed documents' directory (default: seeds/); seed_file paths are resolved"
        " against its parent",
    )


def run(args: argparse.Namespace) -> int:
    report = validate_dataset(args.data, args.seeds)
    try:
        print(report.format(), flush=True)
    except BrokenPipeError:  # `... | head`: the exit code still tells the truth
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return report.exit_code
