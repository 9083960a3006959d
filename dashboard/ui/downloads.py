"""Downloads made on click outlive other readers' script runs.

Streamlit 1.67 makes a download button's file when the reader clicks (``data`` a callable) and
registers it under no session, so the next two script runs of *any* reader delete it as an
orphan, often before the browser's request for it arrives: under load, readers lost one download
in four (``python -m bench load``). ``hold_made_downloads`` registers each file made on click
under the session that clicked, as Streamlit does for files made during a run; it is then kept
until that reader's own next run ends, which a download (``on_click="ignore"``) never starts.

The patch wraps one method of the pinned version and checks the attributes it relies on, so an
upgrade that changes them fails loudly in tests/load/test_protocol_load.py rather than silently.
"""

from __future__ import annotations

from streamlit.runtime.media_file_manager import MediaFileManager

_MADE_ON_CLICK = "made-on-click:"
_streamlit_execute_deferred = MediaFileManager.execute_deferred


def _execute_deferred_and_hold(self: MediaFileManager, file_id: str) -> str:
    url = _streamlit_execute_deferred(self, file_id)
    made = url.rsplit("/", 1)[-1].split(".", 1)[0]
    with self._lock:
        deferred = self._deferred_callables.get(file_id)
        session_id = deferred.get("session_id") if deferred else None
        if session_id is not None:
            self._files_by_session_and_coord[session_id][_MADE_ON_CLICK + file_id] = made
    return url


def hold_made_downloads() -> None:
    """Install the hold (idempotent); app.py calls it once per process."""
    MediaFileManager.execute_deferred = _execute_deferred_and_hold  # type: ignore[method-assign]


def release_made_downloads() -> None:
    """Streamlit's own behaviour again (for the test that pins the upstream race)."""
    MediaFileManager.execute_deferred = _streamlit_execute_deferred  # type: ignore[method-assign]
