"""Protocol-level load tests: many readers at once without a browser (bench/protocol.py).

- ``app_server``: the app on the shipped data, one per test module (its log is
  test-artifacts/load-<module>.log).

Markers: ``protocol_load`` (many simulated readers against one server), ``replicas`` (two
Streamlit processes behind nginx, deploy/serve.py; needs Debian's nginx, which
scripts/setup.sh installs). None of these tests judges a time: they fail on errors only.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.harness import ARTIFACTS, StreamlitServer
from bench.load import APP_ENV


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "protocol_load: many simulated readers over Streamlit's protocol, one server"
    )
    config.addinivalue_line("markers", "replicas: Streamlit replicas behind nginx (deploy/)")


@pytest.fixture(scope="module")
def app_server(request: pytest.FixtureRequest) -> Iterator[StreamlitServer]:
    name = request.module.__name__.rsplit(".", 1)[-1]
    with StreamlitServer(log_path=ARTIFACTS / f"load-{name}.log", env=APP_ENV) as server:
        yield server
