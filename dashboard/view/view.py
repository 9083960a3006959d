"""The view: every filtered table and rule a page needs, for one (dataset, filter state).

Pages, chart builders, exports and the briefing pack all ask ``view_of(dataset, state)`` for
their rows, so the Overview and the detail pages cannot disagree about what the filters leave:
there is one place where filters are applied and one known-as-of rule. Each table is worked
out when first asked and kept with the view (``cached_property``); views are kept per
(dataset, state) by ``functools.lru_cache``, so a page that asks ten times computes once, and
a reader going back to earlier filters finds them ready.

The known-as-of rule: a row counts from its source's publication date, so a past briefing
never "knows" news that broke after it, with one exception. A listing dated before the chosen
day is kept even when our only sources for it were published later, and flagged
(``reported_after_known_as_of``): the 2003-2006 listings were public legal acts long before the
2023-2025 articles that recount them, and dropping them would tell a reader of a 2023
briefing that the Taliban were on nobody's list.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dashboard.ingest.loader import Dataset
from dashboard.view import filters
from dashboard.view.filters import FilterState

REPORTED_LATER = "reported_after_known_as_of"
VIEW_CACHE_SIZE = 32  # distinct (dataset, filters) pairs kept: a few readers' recent views


@dataclass(frozen=True, eq=False)
class View:
    """The evidence a reader with ``state`` sees in ``dataset`` (do not modify the frames)."""

    dataset: Dataset
    state: FilterState

    @cached_property
    def designations(self) -> pd.DataFrame:
        """Designation rows the filters leave, plus earlier listings known as public record."""
        return designations_in_view(self.dataset.designations, self.state)

    @cached_property
    def events(self) -> pd.DataFrame:
        return filters.apply(self.dataset.events, self.state, filters.EVENT_COLUMNS)

    @cached_property
    def estimates(self) -> pd.DataFrame:
        """Every estimate the filters leave, of any category (strength, capacity, context)."""
        return filters.apply(self.dataset.estimates, self.state, filters.ESTIMATE_COLUMNS)

    @cached_property
    def sources(self) -> pd.DataFrame:
        """The sources the reader may see: chosen ones, seed only, published by known-as-of."""
        return filters.apply_sources(self.dataset.sources, self.state)

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The three fact tables in view, by table name."""
        return {
            "events": self.events,
            "designations": self.designations,
            "estimates": self.estimates,
        }

    @property
    def is_empty(self) -> bool:
        return all(frame.empty for frame in self.tables.values())


def designations_in_view(designations: pd.DataFrame, state: FilterState) -> pd.DataFrame:
    """Designation rows ``state`` leaves, with the known-as-of exception for earlier listings.

    Adds a boolean column ``reported_after_known_as_of``: the row's source was published after
    the known-as-of date (only listings dated before it are kept that way; see the module doc).
    """
    shown = filters.apply(designations, state, filters.DESIGNATION_COLUMNS)
    shown = shown.assign(**{REPORTED_LATER: False})
    if state.known_as_of is None or designations.empty:
        return shown
    unbounded = filters.apply(
        designations, state.with_(known_as_of=None), filters.DESIGNATION_COLUMNS
    )
    day = pd.Timestamp(state.known_as_of)
    earlier = unbounded[
        unbounded["action"].eq("listed")
        & unbounded["date_end"].notna()
        & (pd.to_datetime(unbounded["date_end"]) < day)
        & ~unbounded.index.isin(shown.index)
    ]
    if earlier.empty:
        return shown
    return pd.concat([shown, earlier.assign(**{REPORTED_LATER: True})]).sort_index()


@functools.lru_cache(maxsize=VIEW_CACHE_SIZE)
def view_of(dataset: Dataset, state: FilterState) -> View:
    """The one view per (dataset, state): the same object, and its answers, on every ask.

    Domain answers (steps, claims, places, findings) are cached per view with
    ``functools.lru_cache`` in their own modules; a view is hashed by identity, so a new view
    (after ``view_of.cache_clear()``) starts with nothing worked out.
    """
    return View(dataset, state)
