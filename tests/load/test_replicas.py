"""Two replicas behind nginx (deploy/serve.py), ten readers through it, no error.

The script is run as an operator runs it: it starts two Streamlit processes and nginx, says
where it serves, and stops everything on SIGTERM. Ten readers (bench/load.py, the short walk)
go through nginx. Both replicas must serve some of them; every request of one reader (its page,
its websocket, its download) must reach one replica (the sticky cookie: a download's URL exists
only in the replica that made it); the health check must pass through; and after SIGTERM
nothing of the run may be left listening.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from collections import defaultdict

import pytest

from bench.harness import ARTIFACTS, REPO_ROOT
from bench.load import LoadConfig, run_load

pytestmark = pytest.mark.replicas

READERS = 10
START_TIMEOUT_S = 180.0  # two cold replicas on a busy 2-core machine: a hang, not a slow start
LOG_LINE = re.compile(
    r'"\S+ (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ key=(?P<key>\S+) upstream=(?P<up>\S+)'
)
SERVING = re.compile(r"^serving (?P<url>\S+) \(\d+ replicas on 127\.0\.0\.1:(?P<ports>[\d,]+);")


def start_serving() -> tuple[subprocess.Popen[str], list[str], threading.Event]:
    """deploy/serve.py with two replicas on free ports; its output is collected as it comes."""
    run_dir = ARTIFACTS / "replicas"
    shutil.rmtree(run_dir, ignore_errors=True)
    command = [sys.executable, "deploy/serve.py", "--replicas", "2", "--port", "0"]
    command += ["--first-port", "0", "--run-dir", str(run_dir)]
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            ready.set()
        ready.set()  # the script ended: the test fails with what it said

    threading.Thread(target=read, daemon=True).start()
    return process, lines, ready


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_two_replicas_behind_nginx_serve_ten_readers() -> None:
    if shutil.which("nginx") is None and not os.access("/usr/sbin/nginx", os.X_OK):
        pytest.fail("nginx is not installed: ./scripts/setup.sh installs Debian's package")
    process, lines, ready = start_serving()
    try:
        assert ready.wait(START_TIMEOUT_S), "deploy/serve.py said nothing"
        started = SERVING.match(lines[0])
        assert started, lines
        url = started["url"]
        replica_ports = [int(p) for p in started["ports"].split(",")]
        nginx_port = int(url.rsplit(":", 1)[1])
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as response:
            assert response.read().decode().strip() == "ok"

        result = run_load(url, LoadConfig(sessions=READERS, walk="short", ramp_s=1.0))
        assert not result.errors, result.errors  # no download lost either (dashboard.ui.downloads)
        assert [step.kind for step in result.steps].count("export") == READERS

        log = (ARTIFACTS / "replicas" / "access.log").read_text(encoding="utf-8").splitlines()
        requests = [m.groupdict() for m in map(LOG_LINE.search, log) if m]
        streams = [r for r in requests if r["path"] == "/_stcore/stream"]
        assert len(streams) >= 2 * READERS  # each reader's session and its colleague's
        replicas = {r["up"] for r in streams}
        assert replicas == {f"127.0.0.1:{port}" for port in replica_ports}, replicas
        replica_of: dict[str, set[str]] = defaultdict(set)
        for r in requests:
            replica_of[r["key"]].add(r["up"])
        split = {key: ups for key, ups in replica_of.items() if len(ups) > 1}
        assert not split, f"readers whose requests reached more than one replica: {split}"
        downloads = [r for r in requests if r["path"].startswith("/media/")]
        assert downloads and all(r["status"] == "200" for r in downloads), downloads
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            status = process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert status == 0, "".join(lines)
    assert not any(listening(port) for port in [nginx_port, *replica_ports])
