"""The data contract in code, read from ``data/contract.yaml``: the one place it lives.

The YAML file says, for every table, its columns (which are the public contract, version 1 or 2,
and which this project added), which cells are required, which vocabulary, number range, date
basis or referenced table each column takes, and what each vocabulary value means and is
called. The validator (``schema``, ``validate``), the labels the pages print and the generated
``docs/data-contract.md`` all come from it, so a vocabulary value or a column is added in one
place. The names below are the ones the rest of the code uses.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CONTRACT_FILE = Path(__file__).resolve().parents[2] / "data" / "contract.yaml"


@dataclass(frozen=True)
class Column:
    """One column of a table, as the contract describes it."""

    table: str
    name: str
    contract: int | str  # 1 or 2: in the public contract since that version; "project": ours
    description: str = ""
    required: bool = False
    vocabulary: str | None = None
    range: tuple[float | None, float | None] | None = None
    date: bool = False
    basis: str | None = None  # the column holding this date's basis
    references: str | None = None  # the table whose ids this column holds
    kinds: tuple[str, ...] = ()  # the entity kinds it may reference

    @property
    def public(self) -> bool:
        return self.contract != "project"


@dataclass(frozen=True)
class Value:
    """One value of a vocabulary, with the words the app and the docs use for it."""

    value: str
    label: str
    description: str = ""
    group: str = ""


@functools.cache
def contract() -> dict[str, Any]:
    """The parsed contract file (read once per process)."""
    with CONTRACT_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _columns() -> dict[str, tuple[Column, ...]]:
    out = {}
    for table, spec in contract()["tables"].items():
        out[table] = tuple(
            Column(
                table=table,
                name=col["name"],
                contract=col["contract"],
                description=col.get("description", ""),
                required=bool(col.get("required", False)),
                vocabulary=col.get("vocabulary"),
                range=tuple(col["range"]) if "range" in col else None,
                date=bool(col.get("date", False)),
                basis=col.get("basis"),
                references=col.get("references"),
                kinds=tuple(col.get("kinds", ())),
            )
            for col in spec["columns"]
        )
    return out


def _vocabularies() -> dict[str, tuple[Value, ...]]:
    return {
        name: tuple(
            Value(
                value=str(item["value"]),
                label=item.get("label", str(item["value"]).replace("_", " ")),
                description=item.get("description", ""),
                group=item.get("group", ""),
            )
            for item in values
        )
        for name, values in contract()["vocabularies"].items()
    }


VERSION: int = contract()["version"]
TABLE_COLUMNS: dict[str, tuple[Column, ...]] = _columns()
VOCABULARIES: dict[str, tuple[Value, ...]] = _vocabularies()

TABLES: tuple[str, ...] = tuple(TABLE_COLUMNS)
FACT_TABLES: tuple[str, ...] = tuple(contract()["fact_tables"])
ID_COLUMN: dict[str, str] = {table: spec["id"] for table, spec in contract()["tables"].items()}
CONTRACT_COLUMNS: dict[str, tuple[str, ...]] = {
    table: tuple(c.name for c in columns if c.public) for table, columns in TABLE_COLUMNS.items()
}
ADDED_COLUMNS: dict[str, tuple[str, ...]] = {
    table: tuple(c.name for c in columns if not c.public)
    for table, columns in TABLE_COLUMNS.items()
}
COLUMNS: dict[str, tuple[str, ...]] = {
    table: CONTRACT_COLUMNS[table] + ADDED_COLUMNS[table] for table in TABLES
}


def values(vocabulary: str, group: str | None = None) -> tuple[str, ...]:
    """The values of a vocabulary (of one ``group`` of it, e.g. the strength measures)."""
    return tuple(v.value for v in VOCABULARIES[vocabulary] if group is None or v.group == group)


def labels(vocabulary: str) -> dict[str, str]:
    """Each value's label, e.g. ``labels("date_basis")["stated"] == "stated in the source"``."""
    return {v.value: v.label for v in VOCABULARIES[vocabulary]}


DATE_BASES = values("date_basis")
ENTITY_KINDS = values("entity_kind")
CLAIMANT_TYPES = values("claimant_type")
AFFILIATION_TYPES = values("affiliation_type")
PLACE_KINDS = values("place_kind")
EVENT_TYPES = values("event_type")
DESIGNATION_ACTIONS = values("designation_action")
QUALIFIERS = values("qualifier")
ESTIMATE_CATEGORIES = values("estimate_category")
STRENGTH_MEASURES = values("measure", "strength")
CAPACITY_MEASURES = values("measure", "capacity")
CONTEXT_MEASURES = values("measure", "context")
MEASURES = values("measure")
DATE_BASIS_LABELS = labels("date_basis")
