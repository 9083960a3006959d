"""Controlled vocabularies and table columns: the one place the data contract lives in code.

The contract's columns (``../shared/data-contract.md``) are a public interface, so they are
listed first and never change; the columns this project adds come after them.
"""

from __future__ import annotations

TABLES: tuple[str, ...] = (
    "sources",
    "entities",
    "places",
    "events",
    "designations",
    "estimates",
)

ID_COLUMN: dict[str, str] = {
    "sources": "source_id",
    "entities": "entity_id",
    "places": "place_id",
    "events": "event_id",
    "designations": "designation_id",
    "estimates": "estimate_id",
}

CONTRACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": (
        "source_id", "title", "outlet", "author", "published", "published_basis",
        "seed_file", "url", "accessed", "language", "notes",
    ),
    "entities": (
        "entity_id", "name", "kind", "aliases", "affiliation", "description", "notes",
        "claimant_type",
    ),
    "places": (
        "place_id", "name", "kind", "parent_id", "iso_code", "lat", "lon", "aliases", "notes",
    ),
    "events": (
        "event_id", "date", "date_basis", "event_type", "title", "summary", "actor_ids",
        "place_ids", "source_id", "quote", "notes", "claimant_id",
    ),
    "designations": (
        "designation_id", "jurisdiction_id", "authority", "target_id", "action", "date",
        "date_basis", "source_id", "quote", "notes",
    ),
    "estimates": (
        "estimate_id", "subject_id", "metric", "value_low", "value_high", "qualifier", "scope",
        "place_ids", "claimant_id", "as_of", "as_of_basis", "source_id", "quote", "notes",
        "measure", "restates_id",
    ),
}  # fmt: skip

# Columns this project adds (allowed by the contract: "add columns freely").
ADDED_COLUMNS: dict[str, tuple[str, ...]] = {
    # short_name: the label a chart's source line uses, e.g. "Meduza, Aug 2021".
    "sources": ("short_name",),
    # affiliation_type: the claimant family charts colour by (AFFILIATION_TYPES).
    "entities": ("affiliation_type",),
    # coordinates_url, coordinates_accessed: the gazetteer page a place's lat/lon are taken from
    # (e.g. its Wikipedia article) and the day it was read; a border crossing's page also says
    # that it is one. Rows from before these columns were added may leave them empty.
    "places": ("coordinates_url", "coordinates_accessed"),
    # evidence: for rows of external sources (no text in the repo), what the source
    # reports, in our own words. Seed-backed rows leave it empty and carry a quote.
    "events": ("evidence",),
    "designations": ("evidence",),
    # category: strength (fighters, militants, organizations), capacity (madrassas,
    # students, budget share) or context (economy, humanitarian, casualties...).
    "estimates": ("category", "evidence"),
}

COLUMNS: dict[str, tuple[str, ...]] = {
    table: CONTRACT_COLUMNS[table] + ADDED_COLUMNS[table] for table in TABLES
}

# Contract version 2: who is speaking (entities.claimant_type) and what a figure counts
# (estimates.measure). Claims are compared only within one measure.
CLAIMANT_TYPES: tuple[str, ...] = (
    "un_body",
    "russian_state",
    "regional_bloc",
    "us_state",
    "central_asian_state",
    "afghan_authorities",
    "other_state",
    "independent_expert",
    "think_tank",
    "media",
)

MEASURES: tuple[str, ...] = (
    "armed_strength",
    "armed_strength_with_family",
    "armed_groups",
    "recruits",
    "madrassas",
    "madrassa_students",
    "budget_share_pct",
)

DATE_BASES: tuple[str, ...] = ("stated", "inferred", "external")

ENTITY_KINDS: tuple[str, ...] = ("armed_group", "state", "organization", "agency", "person")

# Who a claimant speaks for; one colour each on every chart and export.
AFFILIATION_TYPES: tuple[str, ...] = (
    "csto_official",
    "russian_security_services",
    "russian_government",
    "central_asian_government",
    "independent_expert",
    "international_body",
    "afghan_official",
    "media",
)

PLACE_KINDS: tuple[str, ...] = (
    "country", "province", "district", "city", "river", "canal", "region",
    "border_crossing",  # a bridge or checkpoint on a border (the project adds this kind)
)  # fmt: skip

EVENT_TYPES: tuple[str, ...] = (
    "takeover",
    "attack",
    "meeting",
    "statement",
    "arrest",
    "prosecution",
    "diplomatic",
    "infrastructure",
    "migration",
    "report",
    "militant_activity",
    "threat",
    "policy",
    "military",
)

DESIGNATION_ACTIONS: tuple[str, ...] = (
    "listed",
    "delisting_considered",
    "delisted",
    "ban_suspended",
    "relisted",
)

QUALIFIERS: tuple[str, ...] = (
    "exact",
    "approximately",
    "more_than",
    "up_to",
    "range",
    "order_of_magnitude",
)

ESTIMATE_CATEGORIES: tuple[str, ...] = ("strength", "capacity", "context")
