"""The contract lives in data/contract.yaml: the code's vocabularies, the validator's rules and
the published document all come from it."""

from __future__ import annotations

from dashboard.ingest import contract_doc, schema, vocab
from dashboard.ingest.validate import REFERENCES


def test_the_published_contract_is_generated_from_the_yaml() -> None:
    assert contract_doc.DOC.read_text(encoding="utf-8") == contract_doc.render(), (
        "docs/data-contract.md is out of date: run python -m dashboard contract"
    )


def test_every_public_column_of_version_2_is_in_the_contract() -> None:
    """The public interface: never renamed or dropped (version 2 added four columns)."""
    public = {(t, c) for t, columns in vocab.CONTRACT_COLUMNS.items() for c in columns}
    assert {
        ("entities", "claimant_type"),
        ("estimates", "measure"),
        ("estimates", "restates_id"),
        ("events", "claimant_id"),
        ("estimates", "qualifier"),
        ("sources", "seed_file"),
    } <= public
    assert vocab.VERSION == 2


def test_rules_come_from_the_contract() -> None:
    assert "measure" in schema.REQUIRED["estimates"]
    assert schema.VOCABULARIES["estimates"]["measure"] == vocab.MEASURES
    assert schema.DATE_COLUMNS["events"] == {"date": "date_basis"}
    refs = {(r.table, r.column): r.target for r in REFERENCES}
    assert refs[("estimates", "restates_id")] == "estimates"
    assert refs[("events", "claimant_id")] == "entities"


def test_every_vocabulary_value_has_a_label() -> None:
    for name, values in vocab.VOCABULARIES.items():
        for value in values:
            assert value.label, f"{name}: {value.value} has no label"
    assert vocab.labels("date_basis")["stated"] == "stated in the source"
