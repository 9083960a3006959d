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
# Unit and AppTest tests on both cores; then the browser tests (real servers and Chromium, the
# load test among them) on their own, so they do not compete with each other for the CPU.
uv run --frozen pytest -n 2 --ignore=tests/browser "$@"
exec uv run --frozen pytest tests/browser "$@"
