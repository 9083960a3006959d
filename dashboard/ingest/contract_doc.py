"""``python -m dashboard contract``: docs/data-contract.md, written from data/contract.yaml.

The contract's reference for analysts and for other tools reading the CSVs, generated so that it
can never disagree with what the validator checks (tests/test_contract.py checks it is current).
``--check`` exits 1 when the file on disk is out of date.
"""

from __future__ import annotations

import argparse
import sys

from dashboard import REPO_ROOT
from dashboard.ingest import vocab

DOC = REPO_ROOT / "docs" / "data-contract.md"

INTRO = """\
# Data contract, version {version}

Generated from `data/contract.yaml` by `python -m dashboard contract`: edit the YAML, not this
file. The validator (`python -m dashboard validate`) checks every rule below and reports each
problem as `file:row:column: message`.

The curated dataset is a public interface: analysts edit these files by hand or in a
spreadsheet, and other tools read them. Columns marked **1** or **2** (the contract version that
added them) are fixed: add columns freely, but never rename or drop one of these. Columns marked
*project* are this project's additions.

## Common rules
- UTF-8 CSV files with a header row, in `data/`. One fact per row.
- Ids: lowercase slugs (`[a-z0-9][a-z0-9-]*`), unique within their table. Columns ending in
  `_id` hold one id; columns ending in `_ids` hold several, separated by `|`.
- Dates: ISO 8601 at the precision the evidence supports (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`),
  never invented; each date has a basis column (vocabulary `date_basis`). A date comes from the
  evidence, not from the article's publication date.
- Every fact row ({facts}) carries `source_id`. Seed-backed rows carry a verbatim `quote` (the
  validator finds it in the seed, tolerating whitespace, typographic quotes and dashes); rows of
  external sources leave `quote` empty and say in `evidence`, in our own words, what the source
  reports. External sources need `url` (the article itself) and `accessed`.
- Empty cell = unknown. Never write 0 for unknown.
- Numbers as stated: `value_low`, `value_high` and `qualifier` keep "more than 25,000" as
  `25000, , more_than`, never as 25,000. A restatement (`restates_id`) points at the earliest
  statement of the same subject, measure, places and figure, and never counts as corroboration.
"""


def _flags(column: vocab.Column) -> str:
    parts = []
    if column.required:
        parts.append("required")
    if column.vocabulary:
        parts.append(f"one of `{column.vocabulary}`")
    if column.range:
        low, high = column.range
        parts.append(f"number ≥ {low:g}" if high is None else f"number {low:g} to {high:g}")
    if column.date:
        parts.append(f"date, basis in `{column.basis}`" if column.basis else "ISO date")
    if column.references:
        kinds = f" ({', '.join(column.kinds)})" if column.kinds else ""
        parts.append(f"ids of `{column.references}.csv`{kinds}")
    return "; ".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    """The whole document, from the contract."""
    lines = [INTRO.format(version=vocab.VERSION, facts=", ".join(vocab.FACT_TABLES)).rstrip()]
    for table, columns in vocab.TABLE_COLUMNS.items():
        spec = vocab.contract()["tables"][table]
        lines += ["", f"## {table}.csv", "", spec["description"], ""]
        lines += ["| column | version | rules | meaning |", "|---|---|---|---|"]
        for c in columns:
            version = "*project*" if not c.public else f"**{c.contract}**"
            lines.append(
                f"| `{c.name}` | {version} | {_cell(_flags(c))} | {_cell(c.description)} |"
            )
    lines += ["", "## Vocabularies"]
    for name, values in vocab.VOCABULARIES.items():
        lines += ["", f"### `{name}`", "", "| value | label | meaning |", "|---|---|---|"]
        for v in values:
            meaning = " ".join(part for part in (v.group and f"({v.group})", v.description) if part)
            lines.append(f"| `{v.value}` | {_cell(v.label)} | {_cell(meaning)} |")
    return "\n".join(lines) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if docs/data-contract.md is out of date"
    )


def run(args: argparse.Namespace) -> int:
    text = render()
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if args.check:
        if current != text:
            print(f"{DOC.relative_to(REPO_ROOT)} is out of date: run python -m dashboard contract")
            return 1
        print(f"{DOC.relative_to(REPO_ROOT)} is current")
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(run(argparse.Namespace(check="--check" in sys.argv)))
