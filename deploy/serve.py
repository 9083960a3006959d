"""Serve the dashboard from several Streamlit processes behind nginx, in the foreground.

    uv run --frozen python deploy/serve.py --replicas 2 --port 8080

starts N replicas (``streamlit run app.py`` on 127.0.0.1, ports 8501, 8502, ...; ``--first-port
0`` picks free ones), waits until each answers /_stcore/health, then starts nginx (Debian's
package: ``scripts/setup.sh`` installs it) with ``deploy/nginx.conf.template`` filled in, and
prints ``serving http://ADDRESS:PORT`` once the health check answers through nginx. Ctrl-C or
SIGTERM stops nginx, then the replicas, and waits for them; if any of them dies, the others are
stopped too and the exit status is 1.

One Streamlit process runs every reader's script on one core (Python's global lock), so a
machine with more cores serves more readers with more replicas: about one per core. Everything
nginx writes (pid file, logs, temp files) is in one run directory (``--run-dir``, or a new
temporary one, removed at the end), with the replicas' logs: no system file or service is used.
The replicas share one cookie secret (Streamlit signs its cookies with it), made for the run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
HEALTH = "/_stcore/health"
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 15.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + HEALTH, timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def find_nginx() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)), None
    )
    if found is None:
        raise SystemExit("serve: nginx not found; ./scripts/setup.sh installs Debian's package")
    return found


def nginx_config(run_dir: Path, listen: str, ports: list[int]) -> str:
    """The template with this run's listen address, replicas and run directory."""
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" for port in ports
    )
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in {
        "RUN_DIR": str(run_dir),
        "LISTEN": listen,
        "UPSTREAM_SERVERS": servers,
    }.items():
        text = text.replace(f"@{name}@", value)
    return text


@dataclass
class Deployment:
    """The replicas and nginx of one run, started and stopped together."""

    run_dir: Path
    address: str
    port: int
    ports: list[int]
    nginx: str
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.port}"

    def spawn(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        with (self.run_dir / f"{name}.log").open("wb") as log:
            self.processes[name] = subprocess.Popen(
                command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # a group of its own: stopped with whatever it started
            )  # fmt: skip

    def start(self) -> None:
        env = dict(os.environ)
        env.setdefault("BROWSER_PATH", "/usr/bin/chromium")  # image exports (kaleido)
        env["STREAMLIT_SERVER_COOKIE_SECRET"] = secrets.token_hex(32)
        env["PYTHONUNBUFFERED"] = "1"
        for port in self.ports:
            command = [sys.executable, "-m", "streamlit", "run", "app.py"]
            command += ["--server.headless", "true", "--server.address", "127.0.0.1"]
            command += ["--server.port", str(port), "--browser.gatherUsageStats", "false"]
            self.spawn(f"replica-{port}", command, env)
        for port in self.ports:
            self.wait(f"http://127.0.0.1:{port}", f"replica-{port}")
        config = self.run_dir / "nginx.conf"
        (self.run_dir / "temp").mkdir(exist_ok=True)
        config.write_text(nginx_config(self.run_dir, f"{self.address}:{self.port}", self.ports))
        base = [self.nginx, "-p", str(self.run_dir), "-c", str(config), "-e", "stderr"]
        check = subprocess.run([*base, "-t"], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise RuntimeError(f"nginx rejected {config}:\n{check.stderr}")
        self.spawn("nginx", base)
        self.wait(self.url, "nginx")

    def wait(self, url: str, name: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited:\n{self.log_tail(name)}")
            if healthy(url):
                return
            time.sleep(0.2)
        raise RuntimeError(
            f"{name} not healthy after {START_TIMEOUT_S:.0f} s:\n{self.log_tail(name)}"
        )

    def log_tail(self, name: str, chars: int = 3000) -> str:
        with contextlib.suppress(OSError):
            return (self.run_dir / f"{name}.log").read_text(errors="replace")[-chars:]
        return ""

    def exited(self) -> str | None:
        """The name of a process that has stopped on its own, if any."""
        return next((name for name, p in self.processes.items() if p.poll() is not None), None)

    def stop(self) -> None:
        """nginx first (no new requests), then the replicas; SIGKILL whatever outlives its wait."""
        order = sorted(self.processes, key=lambda name: name != "nginx")
        for name in order:
            process = self.processes[name]
            if process.poll() is None:
                process.terminate()  # nginx: fast shutdown; streamlit: clean stop
        for name in order:
            process = self.processes[name]
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(STOP_TIMEOUT_S)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)  # its group: kaleido's browser, if any


class Stop(Exception):
    """SIGTERM or SIGINT arrived."""


def _raise_stop(signum: int, frame: object) -> None:
    raise Stop(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy/serve.py", description=__doc__.split("\n")[0])
    parser.add_argument("--replicas", type=int, default=2, help="Streamlit processes (default 2)")
    parser.add_argument("--address", default="127.0.0.1", help="nginx listens here")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (0: a free one)")
    parser.add_argument(
        "--first-port", type=int, default=8501, help="first replica's port (0: free ports)"
    )
    parser.add_argument("--run-dir", type=Path, help="logs, pid and temp files (kept)")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    nginx = find_nginx()
    run_dir = args.run_dir or Path(tempfile.mkdtemp(prefix="dashboard-serve-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    run_dir.chmod(0o755)  # nginx's workers (user nobody when started as root) write temp/ here
    ports = [
        free_port() if args.first_port == 0 else args.first_port + i for i in range(args.replicas)
    ]
    deployment = Deployment(run_dir, args.address, args.port or free_port(), ports, nginx)
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    status = 0
    try:
        deployment.start()
        print(
            f"serving {deployment.url} ({args.replicas} replicas on 127.0.0.1:"
            f"{','.join(map(str, ports))}; logs in {run_dir})",
            flush=True,
        )
        while (name := deployment.exited()) is None:
            time.sleep(0.5)
        print(f"serve: {name} exited; stopping\n{deployment.log_tail(name)}", file=sys.stderr)
        status = 1
    except Stop:
        pass
    except RuntimeError as error:
        print(f"serve: {error}", file=sys.stderr)
        status = 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second signal must not cut the stop
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        deployment.stop()
        if args.run_dir is None:
            shutil.rmtree(run_dir, ignore_errors=True)
        print("serve: stopped", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
