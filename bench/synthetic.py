"""A synthetic, larger copy of the dataset, to see how the app's cost grows with the data.

The curated data is small (about a hundred fact rows); a page that is fast on it may still be
quadratic somewhere. ``scale_dataset(factor, out)`` writes ``out/data/`` with every fact table
(events, designations, estimates) ``factor`` times as long, and the dimension tables (sources,
entities, places) unchanged, so every reference still resolves.

The copies stay valid, so the app loads them exactly as it loads the real data:
- each copy of a row gets a new unique id (``<id>-x<k>``, still a slug);
- quotes are kept as they are, so they are still verbatim in their seed documents (the scaled
  data uses the repository's seeds/: seed_file paths resolve against the seeds directory);
- dates move back by whole years (and, for day dates, a few days), keeping their precision,
  so the copies spread over time without any date falling in the future;
- a copy's ``restates_id`` points at the same copy of the first statement, which moved back
  with it (pointing at the original would make a restatement older than what it restates);
- everything else (sources, claimants, values, evidence, notes) is copied unchanged.

Usage: ``python -m bench.synthetic FACTOR OUT_DIR`` (then
``python -m dashboard validate --data OUT_DIR/data``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import sys
from pathlib import Path

from dashboard import DATA_DIR
from dashboard.ingest.dates import parse_date

FACT_TABLES = {"events": "event_id", "designations": "designation_id", "estimates": "estimate_id"}
DIMENSION_TABLES = ("sources", "entities", "places")
DATE_COLUMNS = {"events": "date", "designations": "date", "estimates": "as_of"}
YEARS_BACK = 8  # copy k moves its dates back by k % YEARS_BACK years


def shifted_date(text: str, copy: int, today: dt.date | None = None) -> str:
    """``text`` moved back for copy number ``copy``, at the same precision; "" stays ""."""
    if not text or copy == 0:
        return text
    today = today or dt.date.today()
    value = parse_date(text)
    years = copy % YEARS_BACK
    if value.precision == "year":
        return f"{value.start.year - years:04d}"
    if value.precision == "month":
        return f"{value.start.year - years:04d}-{value.start.month:02d}"
    moved = value.start - dt.timedelta(days=copy % 28)
    try:
        moved = moved.replace(year=moved.year - years)
    except ValueError:  # 29 February in a year that has none
        moved = moved.replace(year=moved.year - years, day=28)
    return min(moved, today).isoformat()


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_table(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def scale_rows(table: str, rows: list[dict[str, str]], factor: int) -> list[dict[str, str]]:
    """The original rows, then ``factor - 1`` renamed, re-dated copies of them."""
    id_column, date_column = FACT_TABLES[table], DATE_COLUMNS[table]
    scaled = list(rows)
    for copy in range(1, factor):
        for row in rows:
            new = dict(row)
            new[id_column] = f"{row[id_column]}-x{copy}"
            new[date_column] = shifted_date(row[date_column], copy)
            if row.get("restates_id"):
                new["restates_id"] = f"{row['restates_id']}-x{copy}"
            scaled.append(new)
    return scaled


def scale_dataset(factor: int, out: Path, data_dir: Path = DATA_DIR) -> Path:
    """Write ``out/data/`` with the fact tables ``factor`` times as long; return that directory."""
    if factor < 1:
        raise ValueError(f"factor must be at least 1, got {factor}")
    target = out / "data"
    target.mkdir(parents=True, exist_ok=True)
    for table in DIMENSION_TABLES:
        shutil.copyfile(data_dir / f"{table}.csv", target / f"{table}.csv")
    for table in FACT_TABLES:
        header, rows = read_table(data_dir / f"{table}.csv")
        write_table(target / f"{table}.csv", header, scale_rows(table, rows, factor))
    if (data_dir / "geo").is_dir():  # the map's boundaries, if the app reads them from here
        shutil.copytree(data_dir / "geo", target / "geo", dirs_exist_ok=True)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synthetic", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("factor", type=int, help="how many times as many fact rows")
    parser.add_argument("out", type=Path, help="directory to write data/ into")
    args = parser.parse_args(argv)
    target = scale_dataset(args.factor, args.out)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
