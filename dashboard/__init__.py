"""The dashboard's Python package: schema and validator, loader, filters, charts, exports.

Default locations are found from this file, not from the current directory, so the validator
and the app read the same ``data/`` and ``seeds/`` wherever they are started from.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
SEEDS_DIR = REPO_ROOT / "seeds"
