"""The validator: each kind of broken input is reported at the right file, row and column.

Cases break one thing in the valid fixture dataset (tests/conftest.py). Rows are spreadsheet
rows: in every fixture table the first data row (row 2) is the seed-backed one and row 3 the
external one.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from dashboard import REPO_ROOT
from dashboard.__main__ import main
from dashboard.ingest import vocab
from dashboard.ingest.validate import REFERENCES, Problem, Report, validate_dataset
from tests.conftest import SEED_FILE, MakeDataset, Mutation, Tables, write_dataset

TODAY = dt.date(2026, 1, 1)


def cells(table: str, index: int, **values: str) -> Mutation:
    """Set cells of one row (``index`` counts data rows from 0: spreadsheet row index + 2)."""

    def mutate(tables: Tables) -> None:
        tables[table][index].update(values)

    return mutate


def drop_column(table: str, column: str) -> Mutation:
    def mutate(tables: Tables) -> None:
        for row in tables[table]:
            del row[column]

    return mutate


def rename_column(table: str, old: str, new: str) -> Mutation:
    def mutate(tables: Tables) -> None:
        tables[table] = [{(new if k == old else k): v for k, v in r.items()} for r in tables[table]]

    return mutate


def add_column(table: str, column: str) -> Mutation:
    def mutate(tables: Tables) -> None:
        for row in tables[table]:
            row[column] = "x"

    return mutate


def restatement(**values: str) -> Mutation:
    """Add row 4 of estimates: the seed row's figure (row 2) said again, changed by ``values``.

    Unchanged it is a valid restatement: the seed row says "more than 25,000", this one "around
    25,000", and the hedge word may differ; the stated number may not.
    """

    def mutate(tables: Tables) -> None:
        row = {column: "" for column in vocab.COLUMNS["estimates"]}
        row.update(
            estimate_id="est-again", subject_id="isis-k", metric="fighters", value_low="25000",
            value_high="25000", qualifier="approximately", scope="Afghanistan",
            place_ids="afghanistan", claimant_id="andrey-serenko", as_of="2024-09",
            as_of_basis="external", source_id="ext-src", notes="Month from the report.",
            category="strength", measure="armed_strength", restates_id="est-seed",
            evidence="The report says Serenko again put ISIS-K at about 25,000 fighters.",
        )  # fmt: skip
        row.update(values)
        tables["estimates"].append(row)

    return mutate


class Case(NamedTuple):
    mutation: Mutation
    file: str
    row: int | None
    column: str | None
    fragment: str  # part of the message
    count: int = 1  # problems expected in all: one unless the case breaks two things


CASES: dict[str, Case] = {
    # ids
    "bad slug": Case(cells("events", 0, event_id="Ev_Seed"), "events", 2, "event_id", "slug"),
    "duplicate id": Case(
        cells("events", 1, event_id="ev-seed"), "events", 3, "event_id", "first on row 2"
    ),
    # references
    "dangling actor": Case(
        cells("events", 0, actor_ids="kazakhstan|nobody"), "events", 2, "actor_ids", "'nobody'"
    ),
    "dangling place": Case(
        cells("estimates", 0, place_ids="atlantis"), "estimates", 2, "place_ids", "unknown place"
    ),
    "dangling parent": Case(
        cells("places", 1, parent_id="atlantis"), "places", 3, "parent_id", "unknown place"
    ),
    "own parent": Case(cells("places", 1, parent_id="badakhshan"), "places", 3, "parent_id", "own"),
    "dangling source": Case(
        cells("events", 0, source_id="nope"), "events", 2, "source_id", "unknown source"
    ),
    "empty id in list": Case(
        cells("events", 0, actor_ids="kazakhstan||taliban"), "events", 2, "actor_ids", "empty id"
    ),
    "trailing bar": Case(
        cells("events", 0, place_ids="afghanistan|"), "events", 2, "place_ids", "empty id"
    ),
    "id twice in list": Case(
        cells("events", 0, actor_ids="taliban|taliban"), "events", 2, "actor_ids", "twice"
    ),
    "jurisdiction not a state": Case(
        cells("designations", 0, jurisdiction_id="taliban"),
        "designations", 2, "jurisdiction_id", "expected state",
    ),
    "target not a group": Case(
        cells("designations", 0, target_id="kazakhstan"),
        "designations", 2, "target_id", "expected armed_group or organization",
    ),
    "subject is a person": Case(
        cells("estimates", 0, subject_id="andrey-serenko"), "estimates", 2, "subject_id", "kind"
    ),
    "claimant is a group": Case(
        cells("estimates", 0, claimant_id="taliban"), "estimates", 2, "claimant_id", "person"
    ),
    # vocabularies and required cells
    "entity kind": Case(  # and the two estimates whose subject it is
        cells("entities", 1, kind="militia"), "entities", 3, "kind", "unknown kind", count=3
    ),
    "place kind": Case(cells("places", 1, kind="provinse"), "places", 3, "kind", "'provinse'"),
    "event type": Case(
        cells("events", 0, event_type="battle"), "events", 2, "event_type", "unknown"
    ),
    "action": Case(
        cells("designations", 0, action="removed"), "designations", 2, "action", "unknown"
    ),
    "qualifier word": Case(
        cells("estimates", 0, qualifier="about"), "estimates", 2, "qualifier", "unknown qualifier"
    ),
    "category": Case(
        cells("estimates", 0, category="military"), "estimates", 2, "category", "unknown"
    ),
    "measure word": Case(
        cells("estimates", 0, measure="fighters"), "estimates", 2, "measure", "unknown measure"
    ),
    "required measure": Case(
        cells("estimates", 1, measure=""), "estimates", 3, "measure", "required"
    ),
    "claimant type word": Case(
        cells("entities", 3, claimant_type="expert"), "entities", 5, "claimant_type", "unknown"
    ),
    # claimant types
    "claimant without claimant_type": Case(
        cells("entities", 3, claimant_type=""),
        "entities", 5, "claimant_type", "'andrey-serenko' is a claimant (estimates.csv row 2)",
    ),
    "event claimant without claimant_type": Case(
        lambda tables: (
            cells("entities", 2, claimant_type="")(tables),
            cells("events", 1, claimant_id="kazakhstan", actor_ids="")(tables),
        ),
        "entities", 4, "claimant_type", "required",
    ),
    "armed group with claimant_type": Case(
        cells("entities", 0, claimant_type="media"), "entities", 2, "claimant_type", "armed group"
    ),
    # restatements (row 4 restates row 2; see ``restatement``)
    "restatement of an unknown row": Case(
        restatement(restates_id="est-nowhere"),
        "estimates", 4, "restates_id", "unknown estimate 'est-nowhere'",
    ),
    "restates itself": Case(
        restatement(restates_id="est-again"), "estimates", 4, "restates_id", "restates itself"
    ),
    "restates a later statement": Case(
        restatement(as_of="2023"), "estimates", 4, "restates_id", "after this row's as_of 2023"
    ),
    "restatement without a date": Case(
        restatement(as_of="", as_of_basis=""), "estimates", 4, "restates_id", "need an as_of"
    ),
    "restates other numbers": Case(
        restatement(value_low="26000", value_high="26000"),
        "estimates", 4, "restates_id", "stated numbers do not match: here '26000', there '25000'",
    ),
    "restates another subject": Case(
        restatement(subject_id="taliban"), "estimates", 4, "restates_id", "subjects do not match"
    ),
    "restates another measure": Case(
        restatement(measure="armed_strength_with_family"),
        "estimates", 4, "restates_id", "measures do not match",
    ),
    "restates another area": Case(
        restatement(place_ids="badakhshan"), "estimates", 4, "restates_id", "places (place_ids)"
    ),
    "restates a restatement": Case(
        lambda tables: (
            restatement()(tables),
            restatement(estimate_id="est-third", as_of="2024-10", restates_id="est-again")(
                tables
            ),
        ),
        "estimates", 5, "restates_id", "point at the first statement, 'est-seed'",
    ),
    "restatement cycle": Case(
        lambda tables: (
            restatement()(tables),
            cells("estimates", 0, restates_id="est-again")(tables),
        ),
        "estimates", 2, "restates_id", "circle (est-seed -> est-again -> est-seed)", count=2,
    ),
    "affiliation type": Case(
        cells("entities", 3, affiliation_type="expert"),
        "entities", 5, "affiliation_type", "unknown",
    ),
    "basis word": Case(
        cells("events", 0, date_basis="guessed"), "events", 2, "date_basis", "unknown date_basis"
    ),
    "required title": Case(cells("events", 0, title=""), "events", 2, "title", "required"),
    "required claimant": Case(
        cells("estimates", 0, claimant_id=""), "estimates", 2, "claimant_id", "required"
    ),
    # dates
    "bad date format": Case(
        cells("events", 0, date="2024-6-03"), "events", 2, "date", "YYYY-MM-DD"
    ),
    "month 13": Case(cells("events", 0, date="2024-13"), "events", 2, "date", "month 13"),
    "not a calendar day": Case(
        cells("designations", 1, date="2023-02-29"), "designations", 3, "date", "calendar date"
    ),
    "future date": Case(cells("estimates", 0, as_of="2999"), "estimates", 2, "as_of", "future"),
    "future publication": Case(
        cells("sources", 1, published="2026-02"), "sources", 3, "published", "future"
    ),
    "basis missing": Case(cells("events", 0, date_basis=""), "events", 2, "date_basis", "required"),
    "basis without date": Case(
        cells("designations", 0, date_basis="stated"), "designations", 2, "date_basis", "empty"
    ),
    "inferred without notes": Case(cells("events", 0, notes=""), "events", 2, "notes", "inferred"),
    "external without notes": Case(cells("events", 1, notes=""), "events", 3, "notes", "external"),
    "source inferred without notes": Case(
        cells("sources", 0, notes=""), "sources", 2, "notes", "published_basis"
    ),
    "accessed month only": Case(
        cells("sources", 1, accessed="2025-01"), "sources", 3, "accessed", "full date"
    ),
    # numbers
    "low above high": Case(
        cells("estimates", 1, value_low="1000"), "estimates", 3, "value_low", "greater"
    ),
    "negative": Case(
        cells("estimates", 0, value_low="-5"), "estimates", 2, "value_low", "negative"
    ),
    "thousands separator": Case(
        cells("estimates", 0, value_low="25,000"), "estimates", 2, "value_low", "not a number"
    ),
    "lat out of range": Case(cells("places", 1, lat="95"), "places", 3, "lat", "greater than 90"),
    "lon out of range": Case(cells("places", 1, lon="-181"), "places", 3, "lon", "less than -180"),
    "lat without lon": Case(cells("places", 1, lon=""), "places", 3, "lon", "together"),
    "exact unequal": Case(
        cells("estimates", 0, qualifier="exact", value_low="100", value_high="200"),
        "estimates", 2, "qualifier", "'exact'",
    ),
    "exact one bound": Case(
        cells("estimates", 0, qualifier="exact"), "estimates", 2, "qualifier", "'exact'"
    ),
    "approximately one bound": Case(
        cells("estimates", 0, qualifier="approximately"), "estimates", 2, "qualifier", "approx"
    ),
    "more_than with high": Case(
        cells("estimates", 0, value_high="30000"), "estimates", 2, "qualifier", "'more_than'"
    ),
    "up_to with low": Case(
        cells("estimates", 0, qualifier="up_to"), "estimates", 2, "qualifier", "'up_to'"
    ),
    "range equal bounds": Case(
        cells("estimates", 1, qualifier="range", value_low="500", value_high="500"),
        "estimates", 3, "qualifier", "'range'",
    ),
    "range one bound": Case(
        cells("estimates", 1, qualifier="range", value_high=""),
        "estimates", 3, "qualifier", "range",
    ),
    "magnitude one bound": Case(
        cells("estimates", 1, value_low=""), "estimates", 3, "qualifier", "'order_of_magnitude'"
    ),
    # sources and seeds
    "seed_file climbs out": Case(
        cells("sources", 0, seed_file="seeds/../data/sources.csv"),
        "sources", 2, "seed_file", "'..'",
    ),
    "seed_file absolute": Case(
        cells("sources", 0, seed_file="/etc/hostname"), "sources", 2, "seed_file", "absolute"
    ),
    "seed_file outside seeds": Case(
        cells("sources", 0, seed_file="data/sources.csv"), "sources", 2, "seed_file", "inside"
    ),
    "seed file missing": Case(
        cells("sources", 0, seed_file="seeds/999_missing.txt"), "sources", 2, "seed_file",
        "not found",
    ),
    "seed_file is the directory": Case(
        cells("sources", 0, seed_file="seeds"), "sources", 2, "seed_file", "inside"
    ),
    "external source without url": Case(
        cells("sources", 1, url=""), "sources", 3, "url", "required"
    ),
    "external source without accessed": Case(
        cells("sources", 1, accessed=""), "sources", 3, "accessed", "required"
    ),
    "url not http": Case(cells("sources", 1, url="example.org/x"), "sources", 3, "url", "http"),
    # the seed/external split and quotes
    "quote paraphrased": Case(
        cells("events", 0, quote="Kazakhstan has taken the Taliban off its terrorist list."),
        "events", 2, "quote", f"quote not found verbatim in {SEED_FILE}",
    ),
    "quote changed number": Case(
        cells("estimates", 0, quote="ISIS-K has more than 26,000 fighters"),
        "estimates", 2, "quote", "not found verbatim",
    ),
    "quote changed case": Case(
        cells("estimates", 0, quote="isis-k has more than 25,000 fighters"),
        "estimates", 2, "quote", "case",
    ),
    "seed row without quote": Case(cells("events", 0, quote=""), "events", 2, "quote", "required"),
    "seed row with evidence": Case(
        cells("designations", 0, evidence="Says so."), "designations", 2, "evidence", "empty"
    ),
    "external row with quote": Case(
        cells("events", 1, quote="A statement was made."), "events", 3, "quote", "must be empty"
    ),
    "external row without evidence": Case(
        cells("estimates", 1, evidence=""), "estimates", 3, "evidence", "required"
    ),
    "external row with stated basis": Case(
        cells("designations", 1, date_basis="stated"), "designations", 3, "date_basis", "external"
    ),
    # columns
    "unknown column": Case(
        add_column("events", "comment"), "events", 1, "comment", "unknown column"
    ),
    "misspelt header": Case(
        rename_column("places", "name", "nmae"),
        "places", 1, "nmae", "did you mean 'name'", count=2,  # and 'name' is missing
    ),
    "missing column": Case(drop_column("places", "notes"), "places", 1, "notes", "missing column"),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_broken_input_is_reported_where_it_is(case: Case, make_dataset: MakeDataset) -> None:
    data_dir, seeds_dir = make_dataset(case.mutation)
    report = validate_dataset(data_dir, seeds_dir, today=TODAY)
    where = [(Path(p.file).name, p.row, p.column) for p in report.problems]
    expected = (f"{case.file}.csv", case.row, case.column)
    assert expected in where, report.format()
    problem = report.problems[where.index(expected)]
    assert case.fragment in problem.message, report.format()
    if case.count:
        assert len(report.problems) == case.count, report.format()
    assert report.exit_code == 1, report.format()


def test_misspelt_header_reports_unknown_and_missing(make_dataset: MakeDataset) -> None:
    data_dir, seeds_dir = make_dataset(CASES["misspelt header"].mutation)
    report = validate_dataset(data_dir, seeds_dir, today=TODAY)
    assert [p.format() for p in report.problems] == [
        f"{data_dir}/places.csv:1:name: missing column (required by the contract)",
        f"{data_dir}/places.csv:1:nmae: unknown column 'nmae' (did you mean 'name'?)",
    ]


def test_valid_fixture_is_clean(make_dataset: MakeDataset) -> None:
    report = validate_dataset(*make_dataset(), today=TODAY)
    assert report.ok and report.exit_code == 0, report.format()
    assert report.format() == "OK: 6 tables, 14 rows, 0 problems"


def test_a_restatement_may_change_the_hedge_word_not_the_number(
    make_dataset: MakeDataset,
) -> None:
    """ "More than 25,000" said again as "around 25,000" is the same figure, linked to it."""
    report = validate_dataset(*make_dataset(restatement()), today=TODAY)
    assert report.ok, report.format()


def test_a_report_of_the_same_statement_may_share_its_date(make_dataset: MakeDataset) -> None:
    """Another outlet's report of the same statement carries the same as_of: not later."""
    same_day = restatement(as_of="2024")
    assert validate_dataset(*make_dataset(same_day), today=TODAY).ok


def test_lineage_problems_name_file_row_and_column(make_dataset: MakeDataset) -> None:
    data_dir, seeds_dir = make_dataset(restatement(as_of="2023"))
    (problem,) = validate_dataset(data_dir, seeds_dir, today=TODAY).problems
    assert problem.format() == (
        f"{data_dir}/estimates.csv:4:restates_id: restates 'est-seed', dated 2024, after this"
        " row's as_of 2023: a restatement points at an earlier statement"
    )


def test_every_reference_column_is_checked() -> None:
    """A new `_id`/`_ids` column in vocab must get a reference rule, or it goes unchecked."""
    checked = {(r.table, r.column) for r in REFERENCES}
    for table, columns in vocab.COLUMNS.items():
        for column in columns:
            if column.endswith(("_id", "_ids")) and column != vocab.ID_COLUMN[table]:
                assert (table, column) in checked, f"{table}.{column} has no reference rule"


def test_symlink_out_of_seeds_is_rejected(make_dataset: MakeDataset, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("Kazakhstan recently removed the Taliban", encoding="utf-8")
    data_dir, seeds_dir = make_dataset(cells("sources", 0, seed_file="seeds/link.txt"))
    (seeds_dir / "link.txt").symlink_to(outside)
    report = validate_dataset(data_dir, seeds_dir, today=TODAY)
    assert [(p.row, p.column) for p in report.problems] == [(2, "seed_file")], report.format()


def test_many_problems_in_one_run_sorted(make_dataset: MakeDataset) -> None:
    data_dir, seeds_dir = make_dataset(
        cells("places", 1, lat="95"),
        cells("events", 1, event_id="ev-seed"),
        cells("events", 0, date="2024-13"),
    )
    report = validate_dataset(data_dir, seeds_dir, today=TODAY)
    assert [(Path(p.file).name, p.row) for p in report.problems] == [
        ("events.csv", 2),
        ("events.csv", 3),
        ("places.csv", 3),
    ]
    assert report.summary() == "3 problems in 2 files (events.csv: 2, places.csv: 1)"


def test_problem_line_format() -> None:
    problem = Problem("data/events.csv", 7, "quote", f"quote not found verbatim in {SEED_FILE}")
    assert problem.format() == f"data/events.csv:7:quote: quote not found verbatim in {SEED_FILE}"
    assert (
        Problem("data/x.csv", None, None, "file missing").format() == "data/x.csv:-:-: file missing"
    )
    assert Report((problem,)).summary() == "1 problem in 1 file (events.csv: 1)"


# ---- file-level failures: exit 2 ----------------------------------------------------------------
ANY_ROW = -1


def _delete(data_dir: Path, table: str) -> None:
    (data_dir / f"{table}.csv").unlink()


def _replace_with_directory(data_dir: Path, table: str) -> None:
    _delete(data_dir, table)
    (data_dir / f"{table}.csv").mkdir()


def _append(data_dir: Path, table: str, text: str) -> None:
    path = data_dir / f"{table}.csv"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


FileCase = tuple[Callable[[Path], None], str, int | None]
FILE_CASES: dict[str, FileCase] = {
    "missing file": (lambda d: _delete(d, "events"), "file missing", None),
    "not UTF-8": (
        lambda d: (d / "entities.csv").write_bytes(
            (d / "entities.csv").read_bytes().replace(b"Taliban,", b"T\xe2liban,")
        ),
        "not UTF-8: byte 0xe2",
        2,
    ),
    "empty": (lambda d: (d / "places.csv").write_bytes(b""), "empty file", None),
    "blank lines only": (lambda d: (d / "places.csv").write_text("\n\n"), "empty file", None),
    "ragged row": (
        lambda d: _append(d, "places", "extra,Extra,city,,,,,,,too-many\n"),
        "row has 10 cells but the header has 9",
        4,
    ),
    "short row": (lambda d: _append(d, "places", "short,Short\n"), "row has 2 cells", 4),
    "binary garbage": (
        lambda d: (d / "sources.csv").write_bytes(bytes(range(256)) * 4),
        "not UTF-8",
        ANY_ROW,
    ),
    "NUL bytes": (lambda d: (d / "sources.csv").write_bytes(b"a,b\n\x00\x01,2\n"), "binary", None),
    "directory": (lambda d: _replace_with_directory(d, "events"), "directory", None),
    "unterminated quote": (
        lambda d: _append(d, "places", 'x,"never closed,country,,,,,,\n'),
        "not parseable as CSV",
        None,
    ),
}


@pytest.mark.parametrize("case", FILE_CASES.values(), ids=FILE_CASES.keys())
def test_unreadable_files_exit_2(case: FileCase, make_dataset: MakeDataset) -> None:
    breaker, fragment, row = case
    data_dir, seeds_dir = make_dataset()
    breaker(data_dir)
    report = validate_dataset(data_dir, seeds_dir, today=TODAY)
    assert report.exit_code == 2, report.format()
    unreadable = [p for p in report.problems if p.unreadable]
    assert len(unreadable) == 1, report.format()
    assert fragment in unreadable[0].message, report.format()
    assert row == ANY_ROW or unreadable[0].row == row
    assert unreadable[0].column is None


def test_unreadable_table_does_not_hide_or_cascade(make_dataset: MakeDataset) -> None:
    """Other problems are still reported; references into the broken table are not."""
    data_dir, seeds_dir = make_dataset(cells("places", 1, lat="95"))
    _delete(data_dir, "entities")
    report = validate_dataset(data_dir, seeds_dir, today=TODAY)
    assert [(Path(p.file).name, p.row, p.column) for p in report.problems] == [
        ("entities.csv", None, None),
        ("places.csv", 3, "lat"),
    ], report.format()
    assert report.exit_code == 2


def test_bom_is_tolerated(make_dataset: MakeDataset) -> None:
    data_dir, seeds_dir = make_dataset()
    path = data_dir / "sources.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert validate_dataset(data_dir, seeds_dir, today=TODAY).exit_code == 0


def test_non_utf8_row_is_the_spreadsheet_row(make_dataset: MakeDataset) -> None:
    """A quoted cell spanning lines shifts physical lines; the reported row is the record's."""
    data_dir, seeds_dir = make_dataset(cells("entities", 0, description="two\nlines"))
    path = data_dir / "entities.csv"
    path.write_bytes(path.read_bytes().replace(b"ISIS-K,", b"ISIS-\xff,"))
    (problem,) = validate_dataset(data_dir, seeds_dir, today=TODAY).problems
    assert problem.row == 3 and "(line 4)" in problem.message


def test_duplicate_header_is_a_problem_not_unreadable(make_dataset: MakeDataset) -> None:
    data_dir, seeds_dir = make_dataset()
    path = data_dir / "places.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",name", *(line + ",x" for line in lines[1:])]) + "\n")
    report = validate_dataset(data_dir, seeds_dir, today=TODAY)
    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (1, "name", "duplicate column header; only the first is read")
    ]
    assert report.exit_code == 1


def test_header_only_table_is_valid(make_dataset: MakeDataset) -> None:
    data_dir, seeds_dir = make_dataset()
    path = data_dir / "events.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    report = validate_dataset(data_dir, seeds_dir, today=TODAY)
    assert report.exit_code == 0, report.format()
    assert report.row_counts["events"] == 0


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_other_line_endings_are_read(make_dataset: MakeDataset, newline: str) -> None:
    data_dir, seeds_dir = make_dataset()
    for path in data_dir.iterdir():
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", newline.encode()))
    assert validate_dataset(data_dir, seeds_dir, today=TODAY).exit_code == 0


def test_blank_and_empty_rows_are_skipped_but_counted(make_dataset: MakeDataset) -> None:
    """Row numbers stay those of the spreadsheet even after blank lines."""
    data_dir, seeds_dir = make_dataset()
    path = data_dir / "places.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2:2] = ["", ",,,,,,,,"]
    lines[-1] = lines[-1].replace("37.0", "95")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (problem,) = validate_dataset(data_dir, seeds_dir, today=TODAY).problems
    assert (problem.row, problem.column) == (5, "lat")


def test_seed_file_not_utf8(make_dataset: MakeDataset) -> None:
    data_dir, seeds_dir = make_dataset()
    (seeds_dir / "001_test.txt").write_bytes(b"caf\xe9")
    report = validate_dataset(data_dir, seeds_dir, today=TODAY)
    assert [(Path(p.file).name, p.row, p.column) for p in report.problems] == [
        ("sources.csv", 2, "seed_file")
    ], report.format()
    assert "not UTF-8" in report.problems[0].message and report.exit_code == 1


def test_seed_with_bom_and_crlf_still_matches(make_dataset: MakeDataset) -> None:
    data_dir, seeds_dir = make_dataset()
    seed = seeds_dir / "001_test.txt"
    seed.write_bytes(b"\xef\xbb\xbf" + seed.read_bytes().replace(b"\n", b"\r\n"))
    assert validate_dataset(data_dir, seeds_dir, today=TODAY).exit_code == 0


def test_missing_data_dir(tmp_path: Path) -> None:
    report = validate_dataset(tmp_path / "nowhere", tmp_path, today=TODAY)
    assert report.exit_code == 2
    assert report.problems[0].format() == f"{tmp_path}/nowhere:-:-: data directory not found"


# ---- the command line ---------------------------------------------------------------------------
def test_cli_prints_problems_and_summary(
    make_dataset: MakeDataset, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir, seeds_dir = make_dataset(
        cells("estimates", 0, quote="ISIS-K has more than 26,000 fighters")
    )
    code = main(["validate", "--data", str(data_dir), "--seeds", str(seeds_dir)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0].startswith(f"{data_dir}/estimates.csv:2:quote: quote not found verbatim in ")
    assert out[-1] == "1 problem in 1 file (estimates.csv: 1)"


def test_cli_clean_exit_0(make_dataset: MakeDataset, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, seeds_dir = make_dataset()
    assert main(["validate", "--data", str(data_dir), "--seeds", str(seeds_dir)]) == 0
    assert capsys.readouterr().out.startswith("OK: 6 tables, 14 rows, 0 problems")


def test_cli_unexpected_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import dashboard.ingest.validate

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom\nwith a second line")

    monkeypatch.setattr(dashboard.ingest.validate, "validate_dataset", explode)
    assert main(["validate"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "error: RuntimeError: boom with a second line\n"


def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["validate", "--nope"]) == 2


def test_python_dash_m_runs_from_any_directory(make_dataset: MakeDataset, tmp_path: Path) -> None:
    make_dataset(cells("events", 0, date="2024-13"))
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "validate", "--data", "data", "--seeds", "seeds"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0].startswith("data/events.csv:2:date: '2024-13'")
    assert "Traceback" not in result.stderr


# ---- the real dataset ---------------------------------------------------------------------------
@pytest.mark.skipif(
    not (REPO_ROOT / "data" / "sources.csv").exists(), reason="data/sources.csv not written yet"
)
def test_repository_dataset_validates_clean() -> None:
    report = validate_dataset()
    assert report.exit_code == 0, report.format()


def test_every_measure_and_claimant_type_is_documented() -> None:
    """The methodology's section on claims names every word the validator accepts, so a new
    measure or claimant type cannot enter the data without saying what falls in it."""
    document = (REPO_ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    section = document.split("## Claims, claimants and lineage")[1].split("\n## ")[0]
    words = (*vocab.CLAIMANT_TYPES, *vocab.STRENGTH_MEASURES, *vocab.CAPACITY_MEASURES)
    missing = [word for word in words if f"`{word}`" not in section]
    assert not missing, f"not in docs/methodology.md: {missing}"


def test_write_dataset_helper_roundtrip(tmp_path: Path) -> None:
    """The fixture writer itself produces the files the validator expects."""
    data_dir, seeds_dir = write_dataset(tmp_path)
    assert sorted(p.name for p in data_dir.iterdir()) == sorted(f"{t}.csv" for t in vocab.TABLES)
    assert (seeds_dir / Path(SEED_FILE).name).is_file()
