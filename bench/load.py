"""``python -m bench load``: many readers at once, spoken in Streamlit's own protocol.

Each simulated reader (``bench/protocol.py``: a websocket session, no browser) does what a
reader of the dashboard does: opens it at the default page, goes through every page in the
sidebar's order, changes a filter on the timeline (Evidence: seed documents only), and the link
the app then writes in the address bar is opened by a colleague (a new session) on the strength
page, who downloads the chart's rows as CSV. Per step it records the time from the request to
the script's "finished" message (for the download: to the last byte of the file) and every
problem: exception boxes, error boxes, failed runs, refused downloads, dropped connections,
time-outs, and the server log's errors when the benchmark started the server itself.

Without browsers the two cores go to the server (the load generator's own CPU time is reported
beside the wall time), so the times are the server's: the figures compare with one reader's time
on the same server, and with one reader's median on the baseline page (``bench/baseline_page.py``,
served by a second Streamlit process for the run), measured just before and after the load.

Not a test: nothing here is judged against a threshold in the test suite (tests/load/ runs the
same readers and fails on errors only). The targets (issue 19) are reported: 50 concurrent
sessions with no error and a p95 within 5x the baseline; the breaking point is the number of
sessions at which the p95 passes 10x the baseline or errors start (``--find-breaking-point``).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import dataclasses
import datetime as dt
import json
import os
import random
import resource
import statistics
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.harness import ARTIFACTS, REPO_ROOT, StreamlitServer, app_pages
from bench.protocol import PageRun, ProtocolError, StreamlitSession

T = TypeVar("T")

BASELINE_SCRIPT = "bench/baseline_page.py"
RESULTS = REPO_ROOT / "bench" / "results"
APP_ENV: dict[str, str | None] = {"DASHBOARD_DATA_DIR": None, "DASHBOARD_SEEDS_DIR": None}

# The reader's path through the app. Named here, in one place: if a page renames the widget or
# the download, the readers report it as an error rather than silently skipping the step.
FILTER_PAGE = "timeline"  # where the reader changes a filter
FILTER_WIDGET = ("radio", "Evidence")  # the widget changed: its kind and label
LINK_PAGE = "strength"  # where the colleague opens the shared link
EXPORT_LABEL = "CSV"  # the download asked for there: the first button whose label has this
PAGE_KINDS = ("visit", "filter", "link")  # steps that are page views (a script run)
# A download made on click is kept by Streamlit (1.67) for no session: the end of any two script
# runs, of any reader, deletes it, and under load that can happen before the browser fetches it.
# Reported as an error like any other; tests/load names it apart (see test_protocol_load.py).
DOWNLOAD_LOST = "download lost before it was fetched"

TARGET_SESSIONS = 50
THINK_S = 10.0  # a reader's mean pause between steps: reading a chart takes longer, not less
TARGET_RATIO = 5.0
BREAKING_RATIO = 10.0
BREAKING_STEPS = (10, 25, 50, 100, 200)
CUT_OFF_MARGIN_S = 600.0  # a load run longer than its duration plus this is cut off


@dataclass(frozen=True)
class LoadConfig:
    """How many readers, how they arrive and how fast they move."""

    sessions: int
    think_s: float = 0.0  # mean pause between a reader's steps (each 0.5x to 1.5x of it)
    ramp_s: float = 0.0  # readers arrive evenly over this many seconds
    duration_s: float | None = None  # None: each reader goes through once; else repeat readers
    timeout_s: float = 120.0  # one step's limit: a stuck page, not a slow one
    walk: str = "full"  # "full": every page; "short": one page, the filter page (tests)
    seed: int = 19


@dataclass
class Step:
    """One step of one reader: a page view, a filter change, a shared link, an export."""

    reader: str
    kind: str  # "visit", "filter", "link", "export"
    page: str
    seconds: float | None  # None if the step never finished
    problems: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return {
            "visit": self.page,
            "filter": f"filter change ({self.page})",
            "link": f"shared link ({self.page})",
            "export": f"export {EXPORT_LABEL} ({self.page})",
        }[self.kind]


@dataclass
class LoadResult:
    config: LoadConfig
    steps: list[Step] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # not tied to a step (server log, cut off)
    wall_s: float = 0.0
    client_cpu_s: float = 0.0

    @property
    def errors(self) -> list[str]:
        return [p for s in self.steps for p in s.problems] + self.problems

    @property
    def page_views(self) -> list[float]:
        return [s.seconds for s in self.steps if s.kind in PAGE_KINDS and s.seconds is not None]

    def by_label(self) -> dict[str, list[Step]]:
        rows: dict[str, list[Step]] = {}
        for step in self.steps:
            rows.setdefault(step.label, []).append(step)
        return rows


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile (0..1), linear between the two nearest values; nan if there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def page_slugs() -> dict[str, str]:
    """URL path -> page name as the tests and the benchmark call it (file stem)."""
    return {page.url_path: page.slug for page in app_pages()}


# ---- one reader ---------------------------------------------------------------------------------
class Reader:
    """One simulated reader's walk through the app; every step lands in ``steps``.

    The full walk opens the app at its default page and goes through every page in the
    navigation's order (clicks in the sidebar), changing the filter on the way; the short walk
    (the tests' quick run) opens one page by its URL (the ``index``-th, so that readers together
    cover every page) and goes to the filter page only. Both end with the shared link and the
    export.
    """

    def __init__(
        self, name: str, index: int, base_url: str, config: LoadConfig, steps: list[Step]
    ) -> None:
        self.name = name
        self.base_url = base_url
        self.config = config
        self.steps = steps
        self.random = random.Random(f"{config.seed}-{name}")
        self.slugs = page_slugs()  # url path -> page name, in navigation order
        paths = list(self.slugs)
        filter_path = self.path_of(FILTER_PAGE)
        if config.walk == "full":
            self.plan = paths
        else:
            first = paths[index % len(paths)]
            self.plan = [first] if first == filter_path else [first, filter_path]

    def path_of(self, page: str) -> str:
        return next((path for path, slug in self.slugs.items() if slug == page), page)

    async def pause(self) -> None:
        if self.config.think_s > 0:
            await asyncio.sleep(self.config.think_s * self.random.uniform(0.5, 1.5))

    def record(self, kind: str, page: str, run: PageRun, *more: str) -> None:
        self.steps.append(Step(self.name, kind, page, run.seconds, [*run.problems, *more]))

    def failed(self, kind: str, page: str, problem: str) -> None:
        self.steps.append(Step(self.name, kind, page, None, [problem]))

    async def read(self) -> None:
        """The whole walk; a step that fails ends it (as a reader facing a dead page leaves)."""
        reader = StreamlitSession(self.base_url, timeout=self.config.timeout_s)
        colleague = StreamlitSession(self.base_url, timeout=self.config.timeout_s)
        kind, page = "visit", self.slugs.get(self.plan[0], self.plan[0])
        try:
            await reader.open(self.plan[0])
            choice = None
            for number, path in enumerate(self.plan):
                kind, page = "visit", self.slugs.get(path, path)
                if number == 0:
                    run = await reader.run(path=path)
                else:
                    await self.pause()
                    if path not in reader.pages:
                        self.failed(kind, page, f"no page {path!r} in the navigation")
                        return
                    run = await reader.run(page_hash=reader.pages[path])
                self.record(kind, page, run)
                if page == FILTER_PAGE:
                    kind = "filter"
                    await self.pause()
                    choice = await self.change_filter(reader, run)
                    if choice is None:
                        return
            kind, page = "link", LINK_PAGE
            await self.pause()
            link, path = reader.query_string, self.path_of(LINK_PAGE)
            await colleague.open(path, link)
            run = await colleague.run(path=path)
            shown = [w.raw_value for w in run.widgets(*FILTER_WIDGET)]
            missing = [] if shown == [choice] else [f"the link {link!r} opened with {shown}"]
            self.record(kind, page, run, *missing)
            kind = "export"
            await self.pause()
            await self.export(colleague, run)
        except ProtocolError as error:
            self.failed(kind, page, str(error))
        finally:
            await reader.close()
            await colleague.close()

    async def change_filter(self, reader: StreamlitSession, run: PageRun) -> str | None:
        """Pick the filter widget's other option; the rerun is the 'filter' step."""
        kind, label = FILTER_WIDGET
        widgets = run.widgets(kind, label)
        if not widgets:
            self.failed("filter", FILTER_PAGE, f"no {kind} {label!r} on {FILTER_PAGE}")
            return None
        widget = widgets[0]
        choice = next(option for option in widget.options if option != widget.raw_value)
        before = reader.query_string
        run = await reader.run(widgets=[WidgetState(id=widget.id, string_value=choice)])
        unchanged = [] if reader.query_string != before else ["the filter did not reach the link"]
        self.record("filter", FILTER_PAGE, run, *unchanged)
        return choice

    async def export(self, session: StreamlitSession, run: PageRun) -> None:
        buttons = [
            b
            for b in run.widgets("download_button")
            if EXPORT_LABEL in b.label and b.deferred_file_id
        ]
        if not buttons:
            self.failed("export", LINK_PAGE, f"no {EXPORT_LABEL!r} download button on {LINK_PAGE}")
            return
        got = await session.download(buttons[0].deferred_file_id)
        problems = []
        if got.status == 404:
            problems.append(f"{DOWNLOAD_LOST}: GET {got.url} answered 404")
        elif got.status != 200 or got.size == 0:
            problems.append(f"GET {got.url}: HTTP {got.status}, {got.size} bytes")
        self.steps.append(Step(self.name, "export", LINK_PAGE, got.seconds, problems))


# ---- many readers -------------------------------------------------------------------------------
async def drive(base_url: str, config: LoadConfig) -> LoadResult:
    """Run ``config.sessions`` readers at once against ``base_url``."""
    loop = asyncio.get_running_loop()
    # requests runs in threads: enough of them that no reader waits for another's download
    loop.set_default_executor(
        concurrent.futures.ThreadPoolExecutor(max_workers=min(256, 2 * config.sessions + 4))
    )
    result = LoadResult(config)
    started = time.monotonic()
    end = started + (config.duration_s or 0.0)

    async def slot(number: int) -> None:
        await asyncio.sleep(config.ramp_s * number / max(1, config.sessions))
        for round_ in range(1_000_000):  # bounded by the clock below, and by the cut-off
            name = f"{number}.{round_}"
            await Reader(name, number, base_url, config, result.steps).read()
            if config.duration_s is None or time.monotonic() >= end:
                return

    cpu = resource.getrusage(resource.RUSAGE_SELF)
    limit = (config.duration_s or 0.0) + config.ramp_s + CUT_OFF_MARGIN_S
    try:
        await asyncio.wait_for(
            asyncio.gather(*(slot(n) for n in range(config.sessions))), timeout=limit
        )
    except TimeoutError:
        result.problems.append(f"the run was cut off after {limit:.0f} s")
    after = resource.getrusage(resource.RUSAGE_SELF)
    result.wall_s = time.monotonic() - started
    result.client_cpu_s = (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)
    return result


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: the caller's thread may have an event loop running
    already (Playwright's synchronous API keeps one in a test worker that has run browser
    tests), and ``asyncio.run`` refuses to start inside one."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def run_load(base_url: str, config: LoadConfig) -> LoadResult:
    """``drive`` from synchronous code (the CLI, the tests)."""
    return run_coroutine(drive(base_url, config))


async def _baseline_runs(base_url: str, repeats: int) -> list[float]:
    session = StreamlitSession(base_url, timeout=60)
    try:
        await session.open()
        await session.run(path="")  # warm-up: imports, first chart
        times = []
        for _ in range(repeats):
            run = await session.run()
            if run.problems:
                raise ProtocolError(f"baseline page: {run.problems}")
            times.append(run.seconds)
        return times
    finally:
        await session.close()


def baseline_times(base_url: str, repeats: int = 9) -> list[float]:
    """One reader rerunning the baseline page: seconds per run (the first, a warm-up, dropped)."""
    return run_coroutine(_baseline_runs(base_url, repeats))


# ---- the report ---------------------------------------------------------------------------------
@dataclass
class Measured:
    """A load run with what it is compared with and what it cost the server."""

    url: str
    result: LoadResult
    baseline_before: list[float]
    baseline_after: list[float]
    solo: dict[str, float]  # one reader alone on the same server: median seconds per step label
    memory_before: dict[str, float] = field(default_factory=dict)
    memory_after: dict[str, float] = field(default_factory=dict)
    server_cpu_s: float | None = None  # the app server's CPU time during the load

    @property
    def baseline_s(self) -> float:
        return statistics.median(self.baseline_before + self.baseline_after)

    def summary(self) -> dict[str, Any]:
        views = self.result.page_views
        p95 = percentile(views, 0.95)
        return {
            "sessions": self.result.config.sessions,
            "page_views": len(views),
            "errors": len(self.result.errors),
            "p50_s": percentile(views, 0.5),
            "p95_s": p95,
            "ratio_p95": p95 / self.baseline_s,
        }

    def load_line(self) -> str:
        s = self.summary()
        return (
            f"LOAD sessions={s['sessions']} page_views={s['page_views']} errors={s['errors']} "
            f"p50_s={s['p50_s']:.3f} p95_s={s['p95_s']:.3f} ratio_p95={s['ratio_p95']:.2f}"
        )

    def table(self) -> list[str]:
        header = ["step", "n", "errors", "1 reader s", "p50 s", "p95 s", "max s", "p95 x base"]
        rows = [header]
        labelled = self.result.by_label()
        labelled["all page views"] = [s for s in self.result.steps if s.kind in PAGE_KINDS]
        for label, steps in labelled.items():
            times = [s.seconds for s in steps if s.seconds is not None]
            solo = self.solo.get(label)
            rows.append([
                label,
                str(len(steps)),
                str(sum(len(s.problems) for s in steps)),
                f"{solo:.3f}" if solo is not None else "-",
                f"{percentile(times, 0.5):.3f}",
                f"{percentile(times, 0.95):.3f}",
                f"{max(times):.3f}" if times else "-",
                f"{percentile(times, 0.95) / self.baseline_s:.1f}",
            ])  # fmt: skip
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
        config = self.result.config
        lines.append(
            f"baseline page, one reader: median {statistics.median(self.baseline_before):.3f} s "
            f"before the load, {statistics.median(self.baseline_after):.3f} s after "
            f"(ratios divide by {self.baseline_s:.3f} s)"
        )
        if self.memory_after:
            lines.append(
                f"server memory: RSS {self.memory_before['rss_mb']:.0f} MB before, "
                f"{self.memory_after['rss_mb']:.0f} MB after, peak "
                f"{self.memory_after['peak_rss_mb']:.0f} MB "
                f"(+{self.memory_after['children_rss_mb']:.0f} MB child processes)"
            )
        else:
            lines.append("server memory: not measured (a server this benchmark did not start)")
        wall = self.result.wall_s
        busy = f", server CPU {self.server_cpu_s:.1f} s" if self.server_cpu_s is not None else ""
        lines.append(
            f"{config.sessions} sessions ({config.walk} walk), arriving over "
            f"{config.ramp_s:.0f} s, pausing {config.think_s:.1f} s between steps (mean): "
            f"{len(self.result.page_views) / wall:.1f} page views/s in {wall:.1f} s{busy}, "
            f"load generator CPU {self.result.client_cpu_s:.1f} s"
        )
        for problem, count in Counter(self.result.errors).most_common(10):
            lines.append(f"error x{count}: {problem}")
        return lines

    def as_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "config": dataclasses.asdict(self.result.config),
            "summary": self.summary(),
            "baseline_before_s": self.baseline_before,
            "baseline_after_s": self.baseline_after,
            "solo_median_s": self.solo,
            "memory_before_mb": self.memory_before,
            "memory_after_mb": self.memory_after,
            "wall_s": self.result.wall_s,
            "client_cpu_s": self.result.client_cpu_s,
            "server_cpu_s": self.server_cpu_s,
            "steps": [dataclasses.asdict(s) for s in self.result.steps],
            "problems": self.result.problems,
        }


# ---- the command --------------------------------------------------------------------------------
class Servers:
    """The app (unless ``--url``) and the baseline page, each a Streamlit server on 127.0.0.1."""

    def __init__(self, url: str | None) -> None:
        self.app = None if url else StreamlitServer(ARTIFACTS / "bench-load.log", env=APP_ENV)
        self.baseline = StreamlitServer(
            ARTIFACTS / "bench-load-baseline.log", script=BASELINE_SCRIPT, env=APP_ENV
        )
        self.url = url or ""

    def __enter__(self) -> Servers:
        try:
            if self.app is not None:
                self.app.start()
                self.url = self.app.base_url
            self.baseline.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.app is not None:
            self.app.stop()
        self.baseline.stop()

    def memory(self) -> dict[str, float]:
        return self.app.memory() if self.app is not None else {}

    def cpu_seconds(self) -> float | None:
        """The app server's CPU time so far (user + system, from /proc/<pid>/stat)."""
        if self.app is None:
            return None
        fields = Path(f"/proc/{self.app.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def solo_medians(url: str, config: LoadConfig, passes: int = 3) -> dict[str, float]:
    """One reader alone, ``passes`` times on the warm server: median seconds per step."""
    solo = dataclasses.replace(config, sessions=1, think_s=0.0, ramp_s=0.0, duration_s=None)
    times: dict[str, list[float]] = {}
    for _ in range(passes):
        for label, steps in run_load(url, solo).by_label().items():
            times.setdefault(label, []).extend(s.seconds for s in steps if s.seconds is not None)
    return {label: statistics.median(values) for label, values in times.items() if values}


def measure(servers: Servers, config: LoadConfig, solo: dict[str, float]) -> Measured:
    """One load run between two baseline measurements; the server log's errors count too."""
    before = baseline_times(servers.baseline.base_url)
    memory_before = servers.memory()
    cpu_before = servers.cpu_seconds()
    log_offset = servers.app.log_size() if servers.app else 0
    result = run_load(servers.url, config)
    cpu_after = servers.cpu_seconds()
    if servers.app is not None:
        result.problems += [f"server log: {line}" for line in servers.app.log_problems(log_offset)]
    memory_after = servers.memory()
    after = baseline_times(servers.baseline.base_url)
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return Measured(servers.url, result, before, after, solo, memory_before, memory_after, cpu)


def breaking_steps(limit: int) -> Iterator[int]:
    yield from (n for n in BREAKING_STEPS if n <= limit)


def slow(measured: Measured) -> bool:
    return measured.summary()["ratio_p95"] > BREAKING_RATIO


def failing(measured: Measured) -> list[str]:
    """Errors other than lost downloads (Streamlit's cleanup race, which any load can hit)."""
    return [e for e in measured.result.errors if not e.startswith(DOWNLOAD_LOST)]


def find_breaking_point(
    servers: Servers, config: LoadConfig, solo: dict[str, float], limit: int
) -> list[Measured]:
    """Load runs at 10, 25, 50, ... sessions until p95 passes 10x the baseline or readers meet
    errors other than lost downloads (those start at any load: the breaking point reports where
    they were first seen, and the steps go on to find where the server itself gives)."""
    runs: list[Measured] = []
    for sessions in breaking_steps(limit):
        measured = measure(servers, dataclasses.replace(config, sessions=sessions), solo)
        runs.append(measured)
        print("\n".join(measured.table()), end="\n\n", flush=True)
        print(measured.load_line(), end="\n\n", flush=True)
        if slow(measured) or failing(measured):
            break
    return runs


def breaking_line(runs: list[Measured]) -> str:
    """``BREAKING_POINT sessions=S errors_from=... slow_from=... tried=...``: S is the first
    step with any error or a p95 past 10x the baseline; "none" where a criterion was not met."""

    def first(test: Callable[[Measured], object]) -> int | None:
        return next((m.result.config.sessions for m in runs if test(m)), None)

    errors_from = first(lambda m: m.result.errors)
    slow_from = first(slow)
    found = [n for n in (errors_from, slow_from) if n is not None]
    return (
        f"BREAKING_POINT sessions={min(found) if found else 'none'} "
        f"errors_from={errors_from or 'none'} slow_from={slow_from or 'none'} "
        f"tried={','.join(str(m.result.config.sessions) for m in runs)}"
    )


def main(argv: list[str] | None = None) -> int:
    description = __doc__.split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m bench load", description=description)
    parser.add_argument(
        "--sessions", type=int, help=f"readers at once (default {TARGET_SESSIONS}; with "
        f"--find-breaking-point, the most to try, default {max(BREAKING_STEPS)})",
    )  # fmt: skip
    parser.add_argument("--url", help="a running app (default: start one on 127.0.0.1)")
    parser.add_argument(
        "--duration", type=float, help="keep the sessions going for this many seconds, each "
        "slot starting a new reader when one finishes (default: each reader goes through once)",
    )  # fmt: skip
    parser.add_argument(
        "--think", type=float, default=THINK_S, help=f"mean pause between steps, s (default "
        f"{THINK_S:.0f}: a reader glancing at each page; 0: every reader as fast as it is served)",
    )  # fmt: skip
    parser.add_argument(
        "--ramp", type=float, default=THINK_S, help=f"arrivals spread over, s ({THINK_S:.0f})"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="one step's limit, s")
    parser.add_argument(
        "--walk", choices=("full", "short"), default="full",
        help="full: every page; short: one page by URL, then the filter page (the tests' walk)",
    )  # fmt: skip
    parser.add_argument(
        "--find-breaking-point", action="store_true",
        help=f"step through {', '.join(map(str, BREAKING_STEPS))} sessions (up to --sessions "
        f"if given) until p95 passes {BREAKING_RATIO:.0f}x the baseline or readers meet errors "
        "(lost downloads aside: they are reported, and the steps go on)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.url and urlsplit(args.url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("--url must be on this machine (127.0.0.1 or localhost)")
    config = LoadConfig(
        sessions=args.sessions or TARGET_SESSIONS,
        think_s=args.think,
        ramp_s=args.ramp,
        duration_s=args.duration,
        timeout_s=args.timeout,
        walk=args.walk,
    )
    when = dt.datetime.now().isoformat(timespec="seconds")
    runs: list[Measured] = []
    with Servers(args.url) as servers:
        run_load(servers.url, dataclasses.replace(config, sessions=1))  # a first visitor's warm-up
        solo = solo_medians(servers.url, config)
        if args.find_breaking_point:
            runs = find_breaking_point(servers, config, solo, args.sessions or max(BREAKING_STEPS))
        else:
            runs.append(measure(servers, config, solo))
            print("\n".join(runs[0].table()), end="\n\n")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"load-{when.replace(':', '')}.json"
    out.write_text(json.dumps([m.as_json() for m in runs], indent=2), encoding="utf-8")
    print(f"saved {out.relative_to(REPO_ROOT)}")
    if args.find_breaking_point:
        print_breaking_table(runs)
        print(breaking_line(runs))
    else:
        print(runs[-1].load_line())
    return 0


def print_breaking_table(runs: list[Measured]) -> None:
    header = ["sessions", "page views", "errors", "p50 s", "p95 s", "p95 x base", "views/s"]
    header += ["server CPU s", "peak RSS MB"]
    rows = [header]
    for measured in runs:
        s = measured.summary()
        peak = measured.memory_after.get("peak_rss_mb")
        cpu = measured.server_cpu_s
        rows.append([
            str(s["sessions"]), str(s["page_views"]), str(s["errors"]), f"{s['p50_s']:.3f}",
            f"{s['p95_s']:.3f}", f"{s['ratio_p95']:.1f}",
            f"{s['page_views'] / measured.result.wall_s:.2f}",
            f"{cpu:.1f}" if cpu is not None else "-", f"{peak:.0f}" if peak else "-",
        ])  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    raise SystemExit(main())
