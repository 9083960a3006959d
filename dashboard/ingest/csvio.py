"""Reading the hand-edited CSV tables: everything as text, or a clear reason why not.

Analysts edit these files in spreadsheets, so anything can arrive: a file saved as Windows-1252,
a BOM, a row with one cell too many, a directory where a file should be. Each of those is an
``UnreadableFile`` with a message and, where known, the spreadsheet row, never a traceback.

Cells stay strings, and an empty cell stays "" (the contract: empty = unknown), so "NA" (a
plausible abbreviation) is never turned into a missing value. The stdlib ``csv`` module does the
parsing, not ``pandas.read_csv``, because pandas silently pads rows that have too few cells; the
frame is then built from the parsed records in one go.

Row numbers are the ones a spreadsheet shows: the header is row 1, the first record row 2, and a
record with a line break inside a quoted cell is still one row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

HEADER_ROW = 1


class UnreadableFile(Exception):
    """The file cannot be read as a CSV table at all (exit code 2)."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass(frozen=True)
class RaggedRow:
    """A record whose number of cells differs from the header's."""

    row: int
    cells: int
    expected: int


@dataclass(frozen=True)
class Table:
    """A parsed table: the frame (index = spreadsheet row number) and what was wrong with it.

    ``ragged`` rows make the table unusable (the cells cannot be assigned to columns), but all
    of them are collected so one run reports every one. ``duplicate_columns`` are header names
    given twice; only the first is kept.
    """

    frame: pd.DataFrame
    ragged: tuple[RaggedRow, ...] = ()
    duplicate_columns: tuple[str, ...] = ()


def read_text(path: Path) -> str:
    """The file's text (UTF-8, BOM tolerated), or UnreadableFile saying why not."""
    if not path.exists():
        raise UnreadableFile("file missing")
    if path.is_dir():
        raise UnreadableFile("is a directory, not a file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"cannot read the file: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        bad = data[error.start : error.start + 1].hex()
        raise UnreadableFile(
            f"not UTF-8: byte 0x{bad} at byte offset {error.start} (line {line});"
            " save the file as UTF-8",
            row=_row_of_line(data.decode("utf-8", errors="replace"), line),
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise UnreadableFile(f"binary data (NUL byte on line {line}), not a CSV file")
    return text


def read_table(path: Path) -> Table:
    """Parse one table; raise UnreadableFile for a file that is not a CSV table at all."""
    text = read_text(path)
    if not text.strip():
        raise UnreadableFile("empty file (no header row)")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        width = len(header)
        records: list[list[str]] = []
        rows: list[int] = []
        ragged: list[RaggedRow] = []
        row = HEADER_ROW
        for record in reader:
            row += 1
            if not any(record):
                continue  # a blank line, or a spreadsheet's trailing row of empty cells
            if len(record) != width:
                ragged.append(RaggedRow(row, len(record), width))
                continue
            records.append(record)
            rows.append(row)
    except csv.Error as error:
        raise UnreadableFile(
            f"not parseable as CSV near line {reader.line_num}: {error}", row=None
        ) from None
    if not header or all(name == "" for name in header):
        raise UnreadableFile("empty header row", row=HEADER_ROW)
    keep = [i for i, name in enumerate(header) if name not in header[:i]]
    duplicates = tuple(dict.fromkeys(name for i, name in enumerate(header) if i not in keep))
    if duplicates:
        header = [header[i] for i in keep]
        records = [[record[i] for i in keep] for record in records]
    frame = pd.DataFrame(records, columns=header, index=pd.Index(rows, name="row"), dtype=str)
    if not records:
        frame = frame.astype(str)
    return Table(frame=frame, ragged=tuple(ragged), duplicate_columns=duplicates)


def _row_of_line(text: str, line: int) -> int | None:
    """The spreadsheet row holding physical ``line`` (quoted cells may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row, _record in enumerate(reader, start=HEADER_ROW):
            if reader.line_num >= line:
                return row
    except csv.Error:
        return None
    return None
