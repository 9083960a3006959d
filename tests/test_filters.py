"""FilterState through the URL (round trips and junk) and applied to every fact table."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.ingest.dates import parse_series
from dashboard.view import filters
from dashboard.view.filters import FilterState, Rejection, Vocabulary

D = dt.date
VOCAB = Vocabulary(
    sources=frozenset({"s1", "s2", "ext-1"}),
    claimants=frozenset({"serenko", "sidorov"}),
    groups=frozenset({"isis-k", "taliban"}),
    event_types=frozenset({"attack", "meeting"}),
    claimant_types=frozenset({"un_body", "russian_state"}),
)


# ---- round trips ---------------------------------------------------------------------------------
ROUND_TRIPS = [
    FilterState(),
    FilterState(date_from=D(2023, 1, 1)),
    FilterState(date_to=D(2024, 12, 31)),
    FilterState(date_from=D(2024, 6, 3), date_to=D(2024, 6, 3)),
    FilterState(sources=("s2", "s1")),  # order kept: it is the reader's
    FilterState(claimants=("serenko",), groups=("isis-k", "taliban")),
    FilterState(event_types=("meeting",)),
    FilterState(known_as_of=D(2024, 6, 30)),
    FilterState(seed_only=True),
    FilterState(since=D(2024, 6, 30)),
    FilterState(since=D(2024, 6, 30), until=D(2025, 4, 30)),
    FilterState(until=D(2025, 4, 30)),
    FilterState(claimant_types=("russian_state", "un_body")),
    FilterState(
        date_from=D(2021, 8, 1),
        date_to=D(2025, 7, 4),
        sources=("ext-1",),
        claimants=("sidorov", "serenko"),
        groups=("taliban",),
        event_types=("attack", "meeting"),
        known_as_of=D(2025, 1, 1),
        seed_only=True,
        since=D(2024, 1, 1),
        until=D(2024, 12, 31),
    ),
]


@pytest.mark.parametrize("state", ROUND_TRIPS, ids=lambda s: s.to_query().__repr__())
def test_state_survives_the_url(state: FilterState) -> None:
    query = state.to_query()
    assert all(isinstance(v, str) and v for v in query.values())
    assert FilterState.from_query(query, VOCAB) == (state, [])


@pytest.mark.parametrize("state", ROUND_TRIPS)
def test_state_survives_repeated_form(state: FilterState) -> None:
    """Streamlit's get_all gives lists: one-element lists must parse the same."""
    query = {key: [value] for key, value in state.to_query().items()}
    assert FilterState.from_query(query, VOCAB) == (state, [])


def test_default_state_makes_an_empty_query() -> None:
    assert FilterState().to_query() == {}
    assert FilterState(seed_only=False).to_query() == {}


# ---- junk ----------------------------------------------------------------------------------------
JUNK = [
    # (params, expected state, expected (param, value) rejections)
    ({"source": "s1,nope"}, FilterState(sources=("s1",)), [("source", "nope")]),
    ({"source": "s1,s1,s2,s1"}, FilterState(sources=("s1", "s2")), []),
    ({"source": ["s1", "s2,s1"]}, FilterState(sources=("s1", "s2")), []),
    ({"source": ["zz", "zz"]}, FilterState(), [("source", "zz")]),
    ({"source": ""}, FilterState(), []),
    ({"source": " , ,"}, FilterState(), []),
    ({"from": "2024-13-01"}, FilterState(), [("from", "2024-13-01")]),
    ({"from": "yesterday"}, FilterState(), [("from", "yesterday")]),
    ({"to": "2024-02-30"}, FilterState(), [("to", "2024-02-30")]),
    ({"from": "1066-10-14"}, FilterState(), [("from", "1066-10-14")]),
    ({"known_as_of": "<script>"}, FilterState(), [("known_as_of", "<script>")]),
    (
        {"from": "2025-01-01", "to": "2024-01-01"},
        FilterState(date_to=D(2024, 1, 1)),
        [("from", "2025-01-01")],
    ),
    (
        {"from": "2024", "to": "2024"},
        FilterState(date_from=D(2024, 1, 1), date_to=D(2024, 12, 31)),
        [],
    ),
    ({"to": "2024-02"}, FilterState(date_to=D(2024, 2, 29)), []),
    ({"known_as_of": "2024-06"}, FilterState(known_as_of=D(2024, 6, 30)), []),
    (
        {"from": ["2023-01-01", "2024-01-01"]},
        FilterState(date_from=D(2024, 1, 1)),
        [("from", "2023-01-01")],
    ),
    ({"from": ["2024-01-01", "2024-01-01"]}, FilterState(date_from=D(2024, 1, 1)), []),
    ({"evidence": "seed"}, FilterState(seed_only=True), []),
    ({"evidence": "all"}, FilterState(), []),
    ({"evidence": "verbatim"}, FilterState(), [("evidence", "verbatim")]),
    ({"claimant": "isis-k"}, FilterState(), [("claimant", "isis-k")]),  # a group, not a claimant
    (
        {"claimant_type": "un_body,aliens"},
        FilterState(claimant_types=("un_body",)),
        [("claimant_type", "aliens")],
    ),
    ({"claimant_type": "serenko"}, FilterState(), [("claimant_type", "serenko")]),
    (
        {"event_type": "attack,party"},
        FilterState(event_types=("attack",)),
        [("event_type", "party")],
    ),
    ({"colour": "red"}, FilterState(), [("colour", "red")]),
    ({"colour": ""}, FilterState(), [("colour", "")]),
    ({"embed": "true", "embed_options": "dark_theme"}, FilterState(), []),
    ({"page": "sources"}, FilterState(), []),
    # the window: a since-date opens a period (its first day), an until-date closes one
    ({"since": "2024-06"}, FilterState(since=D(2024, 6, 1)), []),
    ({"until": "2025"}, FilterState(until=D(2025, 12, 31)), []),
    ({"since": "2024-06-31"}, FilterState(), [("since", "2024-06-31")]),
    ({"until": "soon"}, FilterState(), [("until", "soon")]),
    ({"since": "1900-01-01"}, FilterState(), [("since", "1900-01-01")]),
    (
        {"since": "2025-01-01", "until": "2024-06-30"},
        FilterState(until=D(2024, 6, 30)),
        [("since", "2025-01-01")],
    ),
    (
        {"since": ["2024-01-01", "2024-06-30"]},
        FilterState(since=D(2024, 6, 30)),
        [("since", "2024-01-01")],
    ),
]


@pytest.mark.parametrize(("params", "expected", "rejected"), JUNK, ids=lambda v: repr(v)[:40])
def test_junk_is_dropped_with_a_reason(
    params: dict[str, str | list[str]], expected: FilterState, rejected: list[tuple[str, str]]
) -> None:
    state, rejections = FilterState.from_query(params, VOCAB)
    assert state == expected
    assert [(r.param, r.value) for r in rejections] == rejected
    assert all(r.reason for r in rejections)


def test_a_link_full_of_junk_keeps_what_is_valid() -> None:
    params = {
        "source": "s1,stale-source",
        "from": "2024-99-99",
        "to": "2024-06-30",
        "group": "taliban",
        "utm_source": "mail",
        "evidence": "seed",
    }
    state, rejections = FilterState.from_query(params, VOCAB)
    assert state == FilterState(
        date_to=D(2024, 6, 30), sources=("s1",), groups=("taliban",), seed_only=True
    )
    assert {r.param for r in rejections} == {"source", "from", "utm_source"}


def test_rejection_text_names_the_parameter_and_cannot_break_out_of_code() -> None:
    text = str(Rejection("source", "x`**bold**`" + "y" * 200, "unknown source id"))
    assert text.startswith("`source=x'**bold**'")
    assert text.count("`") == 2
    assert "unknown source id" in text
    assert len(text) < 120


def test_describe_names_labels_and_evidence() -> None:
    state = FilterState(
        date_from=D(2024, 1, 1),
        sources=("s1",),
        event_types=("attack",),
        known_as_of=D(2024, 6, 30),
    )
    text = state.describe({"s1": "KabulNow, Jun 2024", "attack": "Attack"})
    assert "dates 2024-01-01 to latest" in text
    assert "sources: KabulNow, Jun 2024" in text
    assert "event types: Attack" in text
    assert "known as of 2024-06-30" in text
    assert "window since" not in text
    assert text.endswith("seed and external sources")
    assert FilterState(seed_only=True).describe().endswith("seed documents only")


def test_describe_names_the_window() -> None:
    assert "window since 2024-06-30; " in FilterState(since=D(2024, 6, 30)).describe()
    window = FilterState(since=D(2024, 6, 30), until=D(2025, 4, 30)).describe()
    assert "window since 2024-06-30 to 2025-04-30" in window
    open_start = FilterState(until=D(2025, 4, 30)).describe()
    assert "window since the default date to 2025-04-30" in open_start


def test_the_window_chooses_no_rows(estimates, designations, events) -> None:
    """since/until say what is new, not what is shown: every table keeps its rows."""
    window = FilterState(since=D(2024, 6, 30), until=D(2024, 7, 31))
    for frame, columns in (
        (estimates, filters.ESTIMATE_COLUMNS),
        (designations, filters.DESIGNATION_COLUMNS),
        (events, filters.EVENT_COLUMNS),
    ):
        assert filters.apply(frame, window, columns).equals(frame)


# ---- applying the state to the tables ------------------------------------------------------------
def _with_dates(rows: list[dict[str, str]], column: str, prefix: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    parsed = parse_series(frame[column])
    frame[f"{prefix}_start"] = parsed["start"]
    frame[f"{prefix}_end"] = parsed["end"]
    published = parse_series(frame["published"])
    frame["source_published_end"] = published["end"]
    return frame.drop(columns=["published"])


@pytest.fixture
def estimates() -> pd.DataFrame:
    rows = [
        # id, as_of, subject, claimant, source, kind, published
        ("e-2023", "2023", "isis-k", "sidorov", "s1", "seed", "2024-06"),
        ("e-2024-06", "2024-06", "isis-k", "serenko", "s2", "seed", "2024"),
        ("e-2021-08-15", "2021-08-15", "taliban", "serenko", "s1", "seed", "2024-06"),
        ("e-ext", "2024-09-02", "taliban", "sidorov", "ext-1", "external", "2024-09-06"),
        ("e-undated", "", "isis-k", "serenko", "s2", "seed", "2024"),
    ]
    return _with_dates(
        [
            {
                "estimate_id": i,
                "as_of": a,
                "subject_id": sub,
                "claimant_id": c,
                "source_id": s,
                "source_kind": k,
                "published": p,
            }
            for i, a, sub, c, s, k, p in rows
        ],
        "as_of",
        "as_of",
    )


@pytest.fixture
def designations() -> pd.DataFrame:
    rows = [
        ("d-2023", "2023", "taliban", "s1", "seed", "2024-06"),
        ("d-2023-12-29", "2023-12-29", "taliban", "ext-1", "external", "2024-09-06"),
        ("d-undated", "", "taliban", "s2", "seed", "2024"),
        ("d-isis", "2024-05", "isis-k", "s1", "seed", "2024-06"),
    ]
    return _with_dates(
        [
            {
                "designation_id": i,
                "date": d,
                "target_id": t,
                "source_id": s,
                "source_kind": k,
                "published": p,
            }
            for i, d, t, s, k, p in rows
        ],
        "date",
        "date",
    )


@pytest.fixture
def events() -> pd.DataFrame:
    rows = [
        ("v-1", "2024-06-03", "meeting", "csto|taliban", "s1", "seed", "2024-06"),
        ("v-2", "2024", "attack", "isis-k", "s2", "seed", "2024"),
        ("v-3", "2021-08", "attack", "taliban|isis-k", "s1", "seed", "2024-06"),
        ("v-4", "2025-07-03", "meeting", "russia", "ext-1", "external", "2024-09-06"),
    ]
    return _with_dates(
        [
            {
                "event_id": i,
                "date": d,
                "event_type": t,
                "actor_ids": a,
                "source_id": s,
                "source_kind": k,
                "published": p,
            }
            for i, d, t, a, s, k, p in rows
        ],
        "date",
        "date",
    )


def _ids(frame: pd.DataFrame) -> list[str]:
    return sorted(frame.iloc[:, 0])


def test_default_state_keeps_every_row(estimates, designations, events) -> None:
    state = FilterState()
    assert len(filters.apply(estimates, state, filters.ESTIMATE_COLUMNS)) == len(estimates)
    assert len(filters.apply(designations, state, filters.DESIGNATION_COLUMNS)) == 4
    assert len(filters.apply(events, state, filters.EVENT_COLUMNS)) == 4


def test_a_year_is_a_span_that_overlaps_a_later_start(estimates) -> None:
    """'2023' is kept by a filter from June 2023: its span reaches into the range."""
    state = FilterState(date_from=D(2023, 6, 1), date_to=D(2023, 12, 31))
    assert _ids(filters.apply(estimates, state, filters.ESTIMATE_COLUMNS)) == ["e-2023"]


def test_a_span_ending_before_the_range_is_dropped(estimates) -> None:
    state = FilterState(date_from=D(2024, 1, 1))
    kept = _ids(filters.apply(estimates, state, filters.ESTIMATE_COLUMNS))
    assert kept == ["e-2024-06", "e-ext"]  # 2023 ends before; undated can't be placed


def test_month_span_and_to_date(designations) -> None:
    state = FilterState(date_to=D(2024, 5, 1))
    kept = _ids(filters.apply(designations, state, filters.DESIGNATION_COLUMNS))
    assert kept == ["d-2023", "d-2023-12-29", "d-isis"]  # May 2024 starts on the 1st


def test_undated_rows_only_hidden_by_an_active_date_range(designations) -> None:
    kept = filters.apply(
        designations, FilterState(groups=("taliban",)), filters.DESIGNATION_COLUMNS
    )
    assert "d-undated" in set(kept["designation_id"])
    dated = filters.apply(
        designations, FilterState(date_to=D(2030, 1, 1)), filters.DESIGNATION_COLUMNS
    )
    assert "d-undated" not in set(dated["designation_id"])


def test_sources_claimants_and_groups(estimates) -> None:
    by_source = filters.apply(estimates, FilterState(sources=("s2",)), filters.ESTIMATE_COLUMNS)
    assert _ids(by_source) == ["e-2024-06", "e-undated"]
    by_claimant = filters.apply(
        estimates, FilterState(claimants=("sidorov",)), filters.ESTIMATE_COLUMNS
    )
    assert _ids(by_claimant) == ["e-2023", "e-ext"]
    by_group = filters.apply(estimates, FilterState(groups=("taliban",)), filters.ESTIMATE_COLUMNS)
    assert _ids(by_group) == ["e-2021-08-15", "e-ext"]


def test_claimant_filter_does_not_apply_to_tables_without_claimants(designations) -> None:
    state = FilterState(claimants=("sidorov",))
    assert len(filters.apply(designations, state, filters.DESIGNATION_COLUMNS)) == 4


def test_events_match_any_of_their_actors(events) -> None:
    state = FilterState(groups=("taliban",))
    assert _ids(filters.apply(events, state, filters.EVENT_COLUMNS)) == ["v-1", "v-3"]
    both = FilterState(groups=("taliban",), event_types=("attack",))
    assert _ids(filters.apply(events, both, filters.EVENT_COLUMNS)) == ["v-3"]


def test_event_type_filter(events) -> None:
    state = FilterState(event_types=("meeting",))
    assert _ids(filters.apply(events, state, filters.EVENT_COLUMNS)) == ["v-1", "v-4"]


def test_known_as_of_uses_the_end_of_the_publication_period(estimates, events) -> None:
    """A source dated only '2024' is known from 31 December 2024, never earlier."""
    june = FilterState(known_as_of=D(2024, 6, 30))
    assert _ids(filters.apply(estimates, june, filters.ESTIMATE_COLUMNS)) == [
        "e-2021-08-15",
        "e-2023",
    ]
    new_year = FilterState(known_as_of=D(2024, 12, 31))
    assert len(filters.apply(estimates, new_year, filters.ESTIMATE_COLUMNS)) == 5
    assert _ids(filters.apply(events, june, filters.EVENT_COLUMNS)) == ["v-1", "v-3"]


def test_seed_only_drops_external_rows(estimates, designations, events) -> None:
    state = FilterState(seed_only=True)
    for frame, columns in (
        (estimates, filters.ESTIMATE_COLUMNS),
        (designations, filters.DESIGNATION_COLUMNS),
        (events, filters.EVENT_COLUMNS),
    ):
        kept = filters.apply(frame, state, columns)
        assert set(kept["source_kind"]) == {"seed"}
        assert len(kept) == len(frame) - 1


def test_apply_sources() -> None:
    sources = pd.DataFrame(
        {
            "source_id": ["s1", "s2", "ext-1", "ext-undated"],
            "kind": ["seed", "seed", "external", "external"],
            "published_end": pd.to_datetime(["2024-06-30", "2024-12-31", "2024-09-06", None]),
        }
    )
    assert len(filters.apply_sources(sources, FilterState())) == 4
    assert list(filters.apply_sources(sources, FilterState(seed_only=True))["source_id"]) == [
        "s1",
        "s2",
    ]
    known = filters.apply_sources(sources, FilterState(known_as_of=D(2024, 9, 30)))
    assert list(known["source_id"]) == ["s1", "ext-1"]  # undated can't be known by a date
    chosen = filters.apply_sources(sources, FilterState(sources=("ext-1",)))
    assert list(chosen["source_id"]) == ["ext-1"]


# ---- the options the sidebar offers, from the real dataset ---------------------------------------
@pytest.fixture(scope="module")
def dataset():
    from dashboard.ingest.loader import load_dataset

    return load_dataset()


def test_filter_options_cover_the_dataset(dataset) -> None:
    options = filters.filter_options(dataset)
    vocab = options.vocabulary()
    assert vocab.sources == set(dataset.sources["source_id"])
    assert vocab.claimants == set(dataset.estimates["claimant_id"])
    assert set(dataset.designations["target_id"]) <= vocab.groups
    assert set(dataset.estimates["subject_id"]) <= vocab.groups
    armed = set(dataset.entities.loc[dataset.entities["kind"] == "armed_group", "entity_id"])
    assert armed <= vocab.groups
    assert vocab.event_types == set(dataset.events["event_type"])
    # seeds first in the source list, so the verbatim evidence is at the top
    kinds = dataset.sources.set_index("source_id")["kind"]
    listed = [kinds[i] for i, _ in options.sources]
    assert listed == sorted(listed, key=lambda k: k != "seed")
    assert options.first_date is not None and options.last_date is not None
    assert options.first_date < options.last_date
    labels = options.labels()
    assert labels["isis-k"].startswith("Islamic State Khorasan")
    assert labels["militant_activity"] == "Militant activity"


def test_every_real_filter_value_round_trips(dataset) -> None:
    options = filters.filter_options(dataset)
    state = FilterState(
        sources=tuple(i for i, _ in options.sources),
        claimants=tuple(i for i, _ in options.claimants),
        groups=tuple(i for i, _ in options.groups),
        event_types=tuple(i for i, _ in options.event_types),
        claimant_types=tuple(i for i, _ in options.claimant_types),
    )
    assert FilterState.from_query(state.to_query(), options.vocabulary()) == (state, [])


def test_claimant_type_filter_keeps_claims_of_those_types() -> None:
    frame = pd.DataFrame(
        {
            "estimate_id": ["un", "ru", "expert"],
            "claimant_id": ["un-mt", "patrushev", "serenko"],
            "claimant_type": ["un_body", "russian_state", "independent_expert"],
            "source_id": ["s1", "s1", "s2"],
        }
    )
    state = FilterState(claimant_types=("un_body", "russian_state"))
    assert _ids(filters.apply(frame, state, filters.ESTIMATE_COLUMNS)) == ["ru", "un"]
    assert "claimant types: UN bodies, Russian state" in state.describe()
    assert state.to_query() == {"claimant_type": "un_body,russian_state"}


def test_claimant_types_offered_are_those_of_the_claims(dataset) -> None:
    options = filters.filter_options(dataset)
    offered = [i for i, _ in options.claimant_types]
    assert set(offered) == set(dataset.estimates["claimant_type"]) - {""}
    assert offered[0] == "un_body"  # the vocabulary's order
    assert options.labels()["regional_bloc"] == "Regional blocs (CSTO, CIS)"
