#!/usr/bin/env bash
# Start the dashboard (installs what it needs on first use). Extra arguments go to streamlit.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/setup.sh
export BROWSER_PATH="${BROWSER_PATH:-/usr/bin/chromium}"
exec uv run --frozen streamlit run app.py --server.headless true --browser.gatherUsageStats false "$@"
