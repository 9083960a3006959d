"""Shared fixtures. Validator/loader section: a tiny valid dataset that tests break one cell of."""

from __future__ import annotations

import copy
import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard.ingest import vocab

# ---- validator and loader: a small valid dataset ----------------------------------------------
Tables = dict[str, list[dict[str, str]]]
Mutation = Callable[[Tables], None]
MakeDataset = Callable[..., tuple[Path, Path]]

SEED_FILE = "seeds/001_test.txt"
SEED_TEXT = (
    "Head of CSTO warns about Afghanistan\n"
    "KABUL \u2013 On Monday, June\u00a03, the CSTO chief said that \u201cover 1,000 religious\n"
    "madrassas\u201d have been built in the north.\n"
    "Andrey Serenko said ISIS-K has more than 25,000 fighters.\n"
    "Kazakhstan recently removed the Taliban from its list of terrorist organizations.\n"
)

_ROWS: Tables = {
    "sources": [
        {
            "source_id": "seed-src", "title": "Test seed article", "outlet": "Test outlet",
            "author": "", "published": "2024-06", "published_basis": "inferred",
            "seed_file": SEED_FILE, "url": "", "accessed": "", "language": "en",
            "notes": "Month inferred from 'Monday, June 3'.", "short_name": "Test, Jun 2024",
        },
        {
            "source_id": "ext-src", "title": "External report", "outlet": "Wire", "author": "",
            "published": "2024-09-06", "published_basis": "stated", "seed_file": "",
            "url": "https://example.org/report", "accessed": "2025-01-10", "language": "en",
            "notes": "", "short_name": "",
        },
    ],
    "entities": [
        {"entity_id": "taliban", "name": "Taliban", "kind": "armed_group"},
        {"entity_id": "isis-k", "name": "ISIS-K", "kind": "armed_group", "aliases": "ISKP"},
        {
            "entity_id": "kazakhstan", "name": "Kazakhstan", "kind": "state",
            "claimant_type": "central_asian_state",
        },
        {
            "entity_id": "andrey-serenko", "name": "Andrey Serenko", "kind": "person",
            "affiliation": "Head of the Center for the Study of Afghan Politics",
            "affiliation_type": "independent_expert", "claimant_type": "independent_expert",
        },
    ],
    "places": [
        {"place_id": "afghanistan", "name": "Afghanistan", "kind": "country", "iso_code": "AFG"},
        {
            "place_id": "badakhshan", "name": "Badakhshan", "kind": "province",
            "parent_id": "afghanistan", "iso_code": "AF-BDS", "lat": "37.0", "lon": "71.0",
        },
    ],
    "events": [
        {
            "event_id": "ev-seed", "date": "2024-06-03", "date_basis": "inferred",
            "event_type": "meeting", "title": "CSTO chief warns", "summary": "",
            "actor_ids": "kazakhstan|taliban", "place_ids": "afghanistan|badakhshan",
            "source_id": "seed-src",
            "quote": "Kazakhstan recently removed the Taliban from its list of terrorist "
            "organizations.",
            "notes": "Weekday and date give 2024.",
        },
        {
            "event_id": "ev-ext", "date": "2024-09-06", "date_basis": "external",
            "event_type": "statement", "title": "A statement", "actor_ids": "kazakhstan",
            "place_ids": "", "source_id": "ext-src", "notes": "Date from the wire's dateline.",
            "evidence": "The wire reports a statement by Kazakhstan.",
        },
    ],
    "designations": [
        {
            "designation_id": "des-seed", "jurisdiction_id": "kazakhstan", "target_id": "taliban",
            "action": "delisted", "source_id": "seed-src",
            "quote": "Kazakhstan recently removed the Taliban", "notes": "Undated ('recently').",
        },
        {
            "designation_id": "des-ext", "jurisdiction_id": "kazakhstan", "target_id": "taliban",
            "action": "delisted", "date": "2023-12", "date_basis": "external",
            "source_id": "ext-src", "notes": "Month from the report.",
            "evidence": "Reports Kazakhstan's decision to delist the Taliban.",
        },
    ],
    "estimates": [
        {
            "estimate_id": "est-seed", "subject_id": "isis-k", "metric": "fighters",
            "value_low": "25000", "value_high": "", "qualifier": "more_than",
            "scope": "Afghanistan", "place_ids": "afghanistan", "claimant_id": "andrey-serenko",
            "as_of": "2024", "as_of_basis": "inferred", "source_id": "seed-src",
            "quote": "ISIS-K has more than 25,000 fighters", "notes": "Year from the source.",
            "category": "strength", "measure": "armed_strength",
        },
        {
            "estimate_id": "est-ext", "subject_id": "isis-k", "metric": "militants",
            "value_low": "200", "value_high": "999", "qualifier": "order_of_magnitude",
            "scope": "Badakhshan", "place_ids": "badakhshan", "claimant_id": "kazakhstan",
            "as_of": "2024-09", "as_of_basis": "external", "source_id": "ext-src",
            "notes": "Month from the report.", "category": "strength",
            "evidence": "The report says hundreds of militants.", "measure": "armed_strength",
        },
    ],
}  # fmt: skip


def valid_tables() -> Tables:
    """A fresh copy of the valid dataset: every contract and added column, in vocab order."""
    tables = copy.deepcopy(_ROWS)
    for name, rows in tables.items():
        tables[name] = [{c: row.get(c, "") for c in vocab.COLUMNS[name]} for row in rows]
    return tables


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> None:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_dataset(root: Path, tables: Tables | None = None) -> tuple[Path, Path]:
    """Write ``tables`` and the test seed under ``root``; return (data dir, seeds dir)."""
    tables = valid_tables() if tables is None else tables
    data_dir, seeds_dir = root / "data", root / "seeds"
    data_dir.mkdir(parents=True, exist_ok=True)
    seeds_dir.mkdir(parents=True, exist_ok=True)
    (root / SEED_FILE).write_text(SEED_TEXT, encoding="utf-8")
    for name, rows in tables.items():
        write_csv(data_dir / f"{name}.csv", rows)
    return data_dir, seeds_dir


@pytest.fixture
def make_dataset(tmp_path: Path) -> MakeDataset:
    """``make_dataset(*mutations)`` writes the valid dataset with each mutation applied."""

    def make(*mutations: Mutation) -> tuple[Path, Path]:
        tables = valid_tables()
        for mutate in mutations:
            mutate(tables)
        return write_dataset(tmp_path, tables)

    return make
