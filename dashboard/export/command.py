"""What the export commands share: the dataset and the filter state their options describe.

Kept apart from the commands themselves so that ``changes`` does not import the chart and slide
stack that ``export`` needs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from dashboard.ingest.loader import DataInvalid, Dataset, load_dataset
from dashboard.view.filters import FilterState

StateReader = Callable[[argparse.Namespace, Dataset], tuple[FilterState, list[str]]]


def load_with_state(
    args: argparse.Namespace, read_state: StateReader
) -> tuple[Dataset, FilterState] | int:
    """The dataset (``--data``, ``--seeds``) and the state the options describe, or the exit
    code after saying why not: 1 with the validator's report, 2 with each rejected option."""
    try:
        ds = load_dataset(args.data, args.seeds)
    except DataInvalid as invalid:
        print(invalid.report.format(), file=sys.stderr)
        return 1
    state, problems = read_state(args, ds)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 2 if problems else (ds, state)
