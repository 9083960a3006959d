"""Import every module the app can need, once per process, before any page runs.

Streamlit runs each reader's script in a thread of its own. Readers arriving together on
different pages import the same packages at the same moment from different entry points (one
through the map, one through the Overview, one through an export on click). Python's per-module
import locks deadlock on packages with circular imports entered that way (the load test saw
``_DeadlockError`` in ``geopandas.array``), and the thread that loses sees a half-initialised
module (``cannot import name 'province_map'``): an exception box for that reader. Taking one lock
around all the imports makes the first reader import everything while the others wait for it,
once; afterwards each call is a dictionary lookup per module.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import threading

import dashboard

# Imported inside functions (on click, or for the command line) rather than at module level, so
# that the command line and a page's first view do not pay for them; a test checks the list.
LAZY_THIRD_PARTY = (
    "difflib",
    "html",
    "kaleido",
    "PIL.Image",
    "plotly.io",
    "pptx",
    "pptx.enum.shapes",
)

_LOCK = threading.Lock()


@functools.cache
def app_module_names() -> tuple[str, ...]:
    """Every module of the ``dashboard`` package (its command-line entry point aside) and the
    third-party modules it imports lazily (cached: the walk reads the file system)."""
    own = [
        info.name
        for info in pkgutil.walk_packages(dashboard.__path__, prefix="dashboard.")
        if not info.name.endswith("__main__")
    ]
    return (*own, *LAZY_THIRD_PARTY)


def import_app_modules() -> None:
    """Import :func:`app_module_names` under one process-wide lock (see the module)."""
    with _LOCK:
        for name in app_module_names():
            importlib.import_module(name)
