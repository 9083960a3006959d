"""A small memo keyed by the identity of an object (a loaded dataset, a filtered frame).

DataFrames are not hashable, and hashing their contents would cost what the memo saves. Keyed
by ``id()`` and holding the object itself, so an id is never reused for another object while its
entry lives; the latest ``size`` entries are kept. Sessions run in threads of one server: the
table is guarded by a lock (the computation is not, so two sessions may both compute once).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class IdentityMemo:
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: dict[int, tuple[Any, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()`` for ``key``, worked out once while ``key`` is among the latest."""
        with self._lock:
            hit = self._entries.pop(id(key), None)
            if hit is not None and hit[0] is key:
                self._entries[id(key)] = hit  # most recent last
                return hit[1]
        result = compute()
        with self._lock:
            self._entries[id(key)] = (key, result)
            for old in list(self._entries)[: -self.size]:
                del self._entries[old]
        return result
