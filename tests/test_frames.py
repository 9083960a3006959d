"""The fast row readers give exactly what pandas' own ``to_dict`` gives, missing values too."""

from __future__ import annotations

import pandas as pd

from dashboard.ingest.frames import record_list, records_of
from dashboard.ingest.loader import load_dataset


def _same(a: object, b: object) -> bool:
    return (pd.isna(a) and pd.isna(b)) if not isinstance(a, str) and pd.isna(a) else a == b


def test_rows_match_to_dict_on_every_fact_table() -> None:
    ds = load_dataset()
    for frame in (ds.events, ds.designations, ds.estimates):
        assert frame.isna().any().any()  # the check covers missing values
        expected = frame.to_dict("index")
        got = records_of(frame)
        assert list(got) == list(expected)
        for label, row in expected.items():
            assert list(got[label]) == list(row)
            assert all(_same(row[c], got[label][c]) for c in row), label
            assert {c: type(v) for c, v in got[label].items()} == {
                c: type(v) for c, v in row.items()
            }
        assert len(record_list(frame)) == len(frame)
        assert record_list(frame)[0].keys() == frame.to_dict("records")[0].keys()
