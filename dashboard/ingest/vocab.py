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
    "places": (),
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

# What a number counts (docs/methodology.md, "Measures"): two figures are compared only within
# one measure. ``metric`` keeps the source's word ("fighters", "militants", "cadre"); the measure
# says which of these a figure is, so "members" and "fighters" of one group compare, while a count
# that includes family members, a forecast or a count of fighters who moved does not.
STRENGTH_MEASURES: tuple[str, ...] = (
    "armed_strength",  # fighters, militants, members, cadre, persons of an armed group
    "armed_strength_with_family",  # a figure that counts family members with the fighters
    "armed_strength_forecast",  # what a group may grow to ("as many as 10,000 over the medium
    # term"): a forecast, never compared with a count
    "senior_members",  # leaders, senior officials, "major members"
    "family_members",  # fighters' family members counted on their own
    "armed_groups",  # a count of organizations
    "recruits",  # people recruited or volunteering (from a region)
    "relocated_fighters",  # fighters who moved into an area ("400 moved into the north")
    "joined_security_forces",  # members of a group who joined Taliban police or army units
    "strength_change_pct",  # a change in a group's size, in percent
)
CAPACITY_MEASURES: tuple[str, ...] = (
    "training_camps",
    "madrassas",
    "madrassa_students",
    "budget_share_pct",
)
# Context figures (economy, aid, migration, water, casualties): each counts its own thing, so
# the measure is the metric itself and no two of them are ever compared.
CONTEXT_MEASURES: tuple[str, ...] = (
    "tax_revenue_usd",
    "cpi_points_gained",
    "opium_income_loss_usd",
    "opiate_industry_workers",
    "people_needing_aid",
    "unemployed_added_per_year",
    "refugees_returned",
    "people_fled",
    "canal_length_km",
    "irrigated_area_ha",
    "water_flow_reduction_pct",
    "deaths",
    "people_charged",
    "population",
)
MEASURES: tuple[str, ...] = STRENGTH_MEASURES + CAPACITY_MEASURES + CONTEXT_MEASURES

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
