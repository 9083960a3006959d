#!/usr/bin/env bash
# Run the whole test suite: lint, dataset validation, unit, AppTest, load and browser tests
# (installs what it needs on first use). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/setup.sh
export BROWSER_PATH="${BROWSER_PATH:-/usr/bin/chromium}"
uv run --frozen ruff check .
uv run --frozen ruff format --check .
uv run --frozen python -m dashboard validate
# Unit and AppTest tests, the protocol-level load tests (tests/load: simulated readers on one
# server, bad connections, two replicas behind nginx) and the browser tests (each worker with its
# own servers and Chromium), in one run on two workers that take work from each other when idle
# (worksteal: with the default split a worker sat idle while the other ran the long browser tests).
exec uv run --frozen pytest -n 2 --dist worksteal "$@"
