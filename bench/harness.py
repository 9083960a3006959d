"""Run the real app: a Streamlit server process and Debian's headless Chromium.

The browser tests (tests/browser/) and the benchmark drive the app the way a reader does, so both
need the same pieces: the list of pages as app.py registers them, a server on a free port with
its log captured, its memory read from /proc, and a Chromium that can only reach localhost
(the app promises to work offline: any request to another host is blocked and recorded).
No browser is downloaded: Playwright drives /usr/bin/chromium.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
APP = REPO_ROOT / "app.py"
ARTIFACTS = REPO_ROOT / "test-artifacts"

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Offline as the app promises to work: no host but localhost resolves, so a request to any
    # other host fails at once (and OfflineGuard records it).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    # Many readers in one browser: keep every tab running at full speed, as each reader's own
    # browser would (background tabs otherwise get throttled timers and paused rendering).
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
VIEWPORT = {"width": 1400, "height": 1000}

# Pages that must draw at least one Plotly chart. Kept here, in one place, as an expectation:
# a chart page that renders without its chart is a failure, not a page without charts.
CHART_PAGES = frozenset({"timeline", "map", "strength"})

# Streamlit marks the app root with the script's run state: "initial" before the first run,
# "running" while the page script runs, "notRunning" once it has finished.
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
CHART_SVG = ".js-plotly-plot .main-svg"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

# True once a run has finished and the frontend has drawn what it sent: the script is idle, no
# element is still a loading skeleton (lazy components such as Plotly's), every Plotly chart has
# drawn its SVG, and the page has not changed for ``quiet`` ms (long pages render in batches).
RENDERED_JS = """
(quiet) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const main = document.querySelector('[data-testid="stMain"]');
  const watch = window.__renderWatch || (window.__renderWatch = {sig: null, since: 0});
  if (!app || !main || app.getAttribute('data-test-script-state') !== 'notRunning') {
    watch.sig = null;
    return false;
  }
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  const charts = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'));
  if (!charts.every((c) => c.querySelector('.main-svg'))) return false;
  const sig = [main.innerText.length, main.getElementsByTagName('*').length].join(':');
  const now = performance.now();
  if (sig !== watch.sig) {
    watch.sig = sig;
    watch.since = now;
    return false;
  }
  return now - watch.since >= quiet;
}
"""

# Per Plotly chart: whether it drew anything (a trace group in the SVG, or a map canvas for map
# subplots, which MapLibre paints on a canvas), and a fingerprint of its data and title, used to
# tell whether a filter change reached the chart.
CHARTS_JS = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((gd) => {
  const svgs = Array.from(gd.querySelectorAll('.main-svg'));
  const layout = gd.layout || {};
  const title = typeof layout.title === 'string' ? layout.title : (layout.title || {}).text;
  return {
    svgs: svgs.length,
    svg_chars: svgs.reduce((n, s) => n + s.innerHTML.length, 0),
    traces: gd.querySelectorAll('g.trace, .trace').length,
    canvases: gd.querySelectorAll('canvas').length,
    fingerprint: JSON.stringify([gd.data || null, title || null]),
  };
})
"""

# The text a reader can see or expand, without the contents of <script>/<style> elements
# (textContent would include those, and a script tag that got into the page must not count as
# text shown literally).
TEXT_JS = """
() => {
  const skip = ['SCRIPT', 'STYLE', 'NOSCRIPT'];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => skip.includes(n.parentElement && n.parentElement.tagName)
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const parts = [];
  while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
  return parts.join('');
}
"""


# ---- the app's pages ----------------------------------------------------------------------------
@dataclass(frozen=True)
class AppPage:
    """One page as app.py registers it with ``st.Page``."""

    path: str  # relative to app.py, e.g. "pages/timeline.py"
    title: str
    default: bool = False
    url_path_override: str | None = None

    @property
    def slug(self) -> str:
        return Path(self.path).stem

    @property
    def url_path(self) -> str:
        """The path Streamlit serves it at: "" for the default page, else the file's stem."""
        if self.default:
            return ""
        return self.url_path_override if self.url_path_override is not None else self.slug

    @property
    def has_charts(self) -> bool:
        return self.slug in CHART_PAGES


def app_pages(app: Path = APP) -> list[AppPage]:
    """The pages registered in app.py, in navigation order, read from its source.

    Parsed rather than imported: importing app.py would run Streamlit. Every ``st.Page("...")``
    call with a literal path counts, so adding a page to app.py adds it to every browser test.
    """
    tree = ast.parse(app.read_text(encoding="utf-8"))
    found: list[tuple[int, int, AppPage]] = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "Page"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            continue
        keywords = {
            k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)
        }
        path = node.args[0].value
        page = AppPage(
            path=path,
            title=str(keywords.get("title") or Path(path).stem),
            default=bool(keywords.get("default", False)),
            url_path_override=keywords.get("url_path"),
        )
        found.append((node.lineno, node.col_offset, page))
    pages = [page for _, _, page in sorted(found, key=lambda item: item[:2])]
    if pages and not any(page.default for page in pages):  # st.navigation's default: the first
        pages[0] = AppPage(pages[0].path, pages[0].title, True, pages[0].url_path_override)
    return pages


# ---- the server ---------------------------------------------------------------------------------
def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# A line of the server log that means something went wrong on the server.
LOG_PROBLEM = re.compile(r"Traceback|Error|Exception|CRITICAL")


@dataclass
class StreamlitServer:
    """``streamlit run <script>`` on 127.0.0.1 and a free port, its output in ``log_path``.

    ``env`` overrides the inherited environment; a None value removes the variable (so a test
    server never picks up a DASHBOARD_DATA_DIR from the shell by accident).
    """

    log_path: Path
    script: str = "app.py"
    env: Mapping[str, str | None] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, page: AppPage | str = "", query: str = "") -> str:
        path = page.url_path if isinstance(page, AppPage) else page
        return f"{self.base_url}/{path}" + (f"?{query}" if query else "")

    @property
    def pid(self) -> int:
        assert self.process is not None, "server not started"
        return self.process.pid

    def start(self, timeout: float = 60.0) -> StreamlitServer:
        env = dict(os.environ)
        env.setdefault("BROWSER_PATH", CHROMIUM)
        env["PYTHONUNBUFFERED"] = "1"
        for key, value in self.env.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        self.port = self.port or free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "streamlit", "run", self.script,
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(self.port),
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            # A process group of its own: kaleido's Chromium, if an export started one, is
            # stopped with the server rather than left behind.
            self.process = subprocess.Popen(
                command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout: float) -> None:
        """Poll /_stcore/health until it answers "ok"; fail with the log if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with {self.process.returncode}:\n{self.log_text()[-3000:]}"
                )
            try:
                with urllib.request.urlopen(f"{self.base_url}/_stcore/health", timeout=2) as r:
                    if r.read().decode().strip() == "ok":
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"streamlit not healthy after {timeout:.0f} s:\n{self.log_text()}")

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM the server, wait for it; then SIGKILL anything left in its process group."""
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)  # the group we created, if any remain

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what it said and what it costs --
    def log_text(self, offset: int = 0) -> str:
        try:
            with self.log_path.open("rb") as handle:
                handle.seek(offset)
                return handle.read().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def log_problems(self, offset: int = 0) -> list[str]:
        """Lines of the log (from ``offset``) that report an error or a traceback."""
        return [line for line in self.log_text(offset).splitlines() if LOG_PROBLEM.search(line)]

    def memory(self) -> dict[str, float]:
        """The server's memory in MB: now (VmRSS), its peak (VmHWM), and its children's RSS."""
        status = proc_status(self.pid)
        children = sum(proc_status(child).get("VmRSS", 0.0) for child in descendants(self.pid))
        return {
            "rss_mb": status.get("VmRSS", 0.0),
            "peak_rss_mb": status.get("VmHWM", 0.0),
            "children_rss_mb": children,
        }


def proc_status(pid: int) -> dict[str, float]:
    """The memory lines of /proc/<pid>/status (kB) in MB; {} if the process is gone."""
    values: dict[str, float] = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return values
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        if name.startswith("Vm") and rest.strip().endswith("kB"):
            values[name] = round(int(rest.split()[0]) / 1024, 1)
    return values


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc/*/stat's parent ids)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    found: list[int] = []
    frontier = [pid]
    while frontier:
        current = frontier.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found.extend(children)
        frontier.extend(children)
    return found


# ---- the browser --------------------------------------------------------------------------------
def is_local(url: str) -> bool:
    """True for URLs the app may load: localhost, and data:/blob: URLs (no network)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "file"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class OfflineGuard:
    """Records every request to a host other than localhost (the offline proof).

    Passive on purpose: a Playwright route handler would switch off the browser's cache and pass
    every request of every reader through the test process, which is not how a reader's browser
    loads the app (and made 20 readers several times slower). Requests to other hosts fail in
    Chromium itself (``--host-resolver-rules`` in CHROMIUM_ARGS); this records each attempt.
    """

    blocked: list[str] = field(default_factory=list)

    def record(self, request: Any) -> None:
        if not is_local(request.url):
            self.blocked.append(request.url)

    def watch(self, context: Any) -> None:
        """Record the requests of every page of ``context`` (sync or async Playwright API)."""
        context.on("request", self.record)


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium through Playwright (sync or async API: the call is the same)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
