"""A small memo keyed by the identity of an object (a loaded dataset, a filtered frame).

DataFrames are not hashable, and hashing their contents would cost what the memo saves. Keyed
by ``id()`` (with an optional hashable ``tag`` beside it, e.g. the reader's filters) and holding
the object itself, so an id is never reused for another object while its
entry lives; the latest ``size`` entries are kept. Sessions run in threads of one server: the
table is guarded by a lock (the computation is not, so two sessions may both compute once).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any, ClassVar


class IdentityMemo:
    _instances: ClassVar[weakref.WeakSet[IdentityMemo]] = weakref.WeakSet()

    def __init__(self, size: int, *, per_dataset: bool = False) -> None:
        """``per_dataset``: keyed by the loaded dataset itself (worked out once per load, like
        the load), so ``clear_all`` leaves it; the other memos hold per-view work."""
        self.size = size
        if not per_dataset:
            IdentityMemo._instances.add(self)
        self._entries: dict[tuple[int, Any], tuple[Any, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, compute: Callable[[], Any], tag: Any = None) -> Any:
        """``compute()`` for ``key`` (and ``tag``), worked out once while among the latest."""
        entry = (id(key), tag)
        with self._lock:
            hit = self._entries.pop(entry, None)
            if hit is not None and hit[0] is key:
                self._entries[entry] = hit  # most recent last
                return hit[1]
        result = compute()
        with self._lock:
            self._entries[entry] = (key, result)
            for old in list(self._entries)[: -self.size]:
                del self._entries[old]
        return result

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    @classmethod
    def clear_all(cls) -> None:
        """Forget every per-view memo's entries: the benchmark's first view computes them."""
        for memo in list(cls._instances):
            memo.clear()
