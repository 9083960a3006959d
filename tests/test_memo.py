"""The identity memo computes once per object, keeps the latest ``size``, never confuses two."""

from __future__ import annotations

import pandas as pd

from dashboard.view.memo import IdentityMemo


def test_once_per_object_latest_kept() -> None:
    memo = IdentityMemo(2)
    calls: list[int] = []

    def compute(frame: pd.DataFrame) -> int:
        calls.append(len(frame))
        return len(frame)

    a, b, c = pd.DataFrame({"x": [1]}), pd.DataFrame({"x": [1, 2]}), pd.DataFrame({"x": [1, 2, 3]})
    assert memo.get(a, lambda: compute(a)) == 1
    assert memo.get(b, lambda: compute(b)) == 2
    assert memo.get(a, lambda: compute(a)) == 1  # a hit, and a becomes the most recent
    assert calls == [1, 2]
    assert memo.get(c, lambda: compute(c)) == 3  # evicts b, the least recent
    assert memo.get(a, lambda: compute(a)) == 1
    assert memo.get(b, lambda: compute(b)) == 2
    assert calls == [1, 2, 3, 2]


def test_an_equal_but_different_object_is_computed_anew() -> None:
    memo = IdentityMemo(4)
    first, second = pd.DataFrame({"x": [1]}), pd.DataFrame({"x": [1]})
    assert memo.get(first, lambda: "first") == "first"
    assert memo.get(second, lambda: "second") == "second"


def test_a_tag_keeps_results_for_one_object_apart() -> None:
    memo = IdentityMemo(4)
    frame = pd.DataFrame({"x": [1, 2, 3]})
    assert memo.get(frame, lambda: "all", tag="a") == "all"
    assert memo.get(frame, lambda: "filtered", tag="b") == "filtered"
    assert memo.get(frame, lambda: "recomputed", tag="a") == "all"
    assert memo.get(frame, lambda: "untagged") == "untagged"


def test_clear_all_forgets_every_memo() -> None:
    first, second = IdentityMemo(2), IdentityMemo(2)
    frame = pd.DataFrame({"x": [1]})
    first.get(frame, lambda: 1)
    second.get(frame, lambda: 2)
    IdentityMemo.clear_all()
    assert first.get(frame, lambda: "again") == "again"
    assert second.get(frame, lambda: "again") == "again"


def test_clear_all_leaves_memos_of_the_loaded_dataset() -> None:
    per_view, per_dataset = IdentityMemo(2), IdentityMemo(1, per_dataset=True)
    frame = pd.DataFrame({"x": [1]})
    per_view.get(frame, lambda: 1)
    per_dataset.get(frame, lambda: "options")
    IdentityMemo.clear_all()
    assert per_view.get(frame, lambda: "again") == "again"
    assert per_dataset.get(frame, lambda: "again") == "options"
