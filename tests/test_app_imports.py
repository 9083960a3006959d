"""The app imports every module it can need under one lock before a page runs
(dashboard/ui/imports.py): readers' threads importing side by side deadlocked in the load test.

The list it imports must cover every import statement in the app's code, lazy ones included;
otherwise a reader's thread could again be the first to import something.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from dashboard import REPO_ROOT

# The command line runs in a process of its own, never in a reader's thread.
NOT_IN_THE_APP = {REPO_ROOT / "dashboard" / "__main__.py"}


def _app_sources() -> list[Path]:
    files = [REPO_ROOT / "app.py", *sorted((REPO_ROOT / "pages").glob("*.py"))]
    files += sorted((REPO_ROOT / "dashboard").rglob("*.py"))
    return [path for path in files if path not in NOT_IN_THE_APP]


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # "X is not a package": y is a name in module X
        return False


def _imported_modules(path: Path) -> set[str]:
    """Module names the import statements in ``path`` load: ``import a.b`` loads a.b;
    ``from x import y`` loads x, and x.y when y is a submodule rather than a name."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__":
            names.add(node.module)
            submodules = (f"{node.module}.{alias.name}" for alias in node.names)
            names.update(name for name in submodules if _is_module(name))
    return names


def _modules_after_import_app_modules() -> set[str]:
    code = (
        "import json, sys\n"
        "from dashboard.ui.imports import import_app_modules\n"
        "import_app_modules()\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout))


def test_every_module_the_app_imports_is_imported_up_front() -> None:
    loaded = _modules_after_import_app_modules()
    missing: dict[str, list[str]] = {}
    for path in _app_sources():
        absent = sorted(_imported_modules(path) - loaded)
        if absent:
            missing[str(path.relative_to(REPO_ROOT))] = absent
    assert not missing, f"imported by the app but not by import_app_modules: {missing}"
