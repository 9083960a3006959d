#!/usr/bin/env bash
# Run the whole test suite: lint, dataset validation, unit, AppTest and browser tests
# (installs what it needs on first use). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/setup.sh
export BROWSER_PATH="${BROWSER_PATH:-/usr/bin/chromium}"
uv run --frozen ruff check .
uv run --frozen ruff format --check .
uv run --frozen python -m dashboard validate
exec uv run --frozen pytest "$@"
