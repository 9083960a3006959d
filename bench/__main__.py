"""``python -m bench``: the project's benchmark. Prints one table; not a test (nothing is timed
against a threshold in the test suite, which would flake on a shared machine).

What it measures, all in the same run so ratios compare like with like:
- each page's server-side run (AppTest, dataset already cached as in the running server) as a
  multiple of a baseline page with one small Plotly chart, timed just before each page run (the
  ratio compares runs moments apart, not a page with a baseline measured minutes earlier on a
  machine whose speed drifts); then on synthetic copies scaled to 10x, 100x and 1000x rows
  (``bench/synthetic.py``), so the growth shows;
- loading and validating each dataset once (what the server pays at first request);
- in Debian's Chromium, per page: the time from navigation to a drawn page (charts drawn), and
  from a filter change (the sidebar's "Seed documents only") to the redrawn page, each as a
  multiple of the same on the baseline page, timed just before, at the same kind of address
  (the Overview against the baseline at ``/``, every other page against it at ``/chart``:
  Streamlit's frontend spends about 0.1 s more on any page not at the root, see
  bench/baseline_page.py);
- export times: one PNG with the warm kaleido browser, and the full briefing pack;
- the server's peak memory after the browser pass.

Targets, as a reader feels them: a server first view (charts built, not cached) within 2.5x the
baseline page; in the browser, a drawn page within 1.5x the baseline's and a filter change to
the redrawn page within 2x the baseline's; every page under 1 s at 1000x; a warm PNG under
0.5 s.
``--quick`` skips the 1000x data and the browser pass.
Results also go to bench/results/<timestamp>.json.

``python -m bench load`` is the load benchmark: many readers at once over Streamlit's own
protocol, no browser (``bench/load.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import (
    APP,
    APP_IDLE,
    ARTIFACTS,
    RENDERED_JS,
    REPO_ROOT,
    VIEWPORT,
    StreamlitServer,
    app_pages,
    launch_chromium,
)
from bench.synthetic import scale_dataset

BASELINE = REPO_ROOT / "bench" / "baseline_page.py"
BASELINE_AT_AN_ADDRESS = "chart"  # the baseline page's second address, for pages not at /
RESULTS = REPO_ROOT / "bench" / "results"
PAGE_TARGET_RATIO = 2.5
BROWSER_TARGET_RATIO = 1.5
FILTER_TARGET_RATIO = 2.0
PAGE_TARGET_1000X_S = 1.0
PNG_TARGET_S = 0.5


def _median_run(
    make: Any, repeats: int, before: Any = None, alongside: Any = None
) -> tuple[float, float | None]:
    """Median wall time of ``make().run()`` after one warm-up run (imports, caches).

    ``before`` runs ahead of each timed run, untimed (e.g. clearing the chart cache).
    ``alongside`` (another app maker, the baseline page) is timed just before each run too, so
    a ratio compares runs made moments apart: on a shared machine the speed drifts within a
    benchmark, and a baseline measured once at the start would carry that drift into every
    ratio. Returns the two medians (the second None without ``alongside``).
    """
    make().run(timeout=120)
    if alongside is not None:
        alongside().run(timeout=120)
    times, beside = [], []
    for _ in range(repeats):
        if alongside is not None:
            other = alongside()
            start = time.perf_counter()
            other.run(timeout=120)
            beside.append(time.perf_counter() - start)
        if before is not None:
            before()
        app = make()
        start = time.perf_counter()
        app.run(timeout=120)
        times.append(time.perf_counter() - start)
        if app.exception:
            raise RuntimeError(f"page raised: {app.exception[0].message}")
    return statistics.median(times), statistics.median(beside) if beside else None


Timing = dict[str, float | None]  # repeat, first, and the baseline run alongside each


def page_times(data_dir: Path | None, repeats: int, alongside: Any = None) -> dict[str, Timing]:
    """Seconds per page run (AppTest) with ``data_dir`` as the app's data: repeat and first
    view, and (with ``alongside``, the baseline page's maker) the baseline beside each.

    A repeat view finds its charts in the shared chart cache (another reader with the same
    filters); a first view builds them: the chart cache and every per-view memo (rows in view,
    marks, claims) are cleared before each timed run. What is worked out once per loaded dataset
    (the dataset itself, its filter choices, the map's boundaries, the sources index) stays, as
    in the running server; the load is reported apart.
    """
    from streamlit.testing.v1 import AppTest

    from dashboard.ui import clear_chart_cache

    if data_dir is None:
        os.environ.pop("DASHBOARD_DATA_DIR", None)
    else:
        os.environ["DASHBOARD_DATA_DIR"] = str(data_dir)
    times: dict[str, Timing] = {}
    for page in app_pages():

        def make(path: str = page.path) -> Any:
            app = AppTest.from_file(str(APP), default_timeout=120)
            app.switch_page(path)
            return app

        repeat, base_repeat = _median_run(make, repeats, alongside=alongside)
        first, base_first = _median_run(
            make, repeats, before=clear_chart_cache, alongside=alongside
        )
        times[page.slug] = {
            "repeat": repeat,
            "first": first,
            "baseline_repeat": base_repeat,
            "baseline_first": base_first,
        }
    return times


def _baseline_app() -> Any:
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(BASELINE), default_timeout=60)


def load_time(data_dir: Path | None) -> float:
    from dashboard.ingest.loader import load_dataset

    start = time.perf_counter()
    load_dataset(data_dir)
    return time.perf_counter() - start


# A filter change is done when the script has rerun and the page is drawn again. Observers set
# before the click note either a run state other than idle or any change in the page's main
# block (the sidebar's radio is outside it). The run state alone misses a fast rerun: the
# frontend can go from idle to running and back within one render, and the attribute never
# changes (the click looked lost and the benchmark died after 120 s).
WATCH_RERUN_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const main = document.querySelector('[data-testid="stMain"]');
  window.__rerun = false;
  new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') !== 'notRunning') window.__rerun = true;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  new MutationObserver(() => { window.__rerun = true; }).observe(main, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
}
"""


def _drawn(page: Any, url: str) -> float:
    """Seconds from navigation to ``url`` to its drawn page."""
    start = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(APP_IDLE, state="attached", timeout=120_000)
    page.wait_for_function(RENDERED_JS, arg=0, polling=50, timeout=120_000)
    return time.perf_counter() - start


def _filter_change(page: Any) -> float:
    """Seconds from a click on the sidebar's "Seed documents only" to the redrawn page."""
    page.evaluate(WATCH_RERUN_JS)
    option = page.get_by_test_id("stSidebar").get_by_text("Seed documents only", exact=True)
    start = time.perf_counter()
    option.click()
    page.wait_for_function("() => window.__rerun", polling=20, timeout=120_000)
    page.wait_for_function(RENDERED_JS, arg=0, polling=20, timeout=120_000)
    return time.perf_counter() - start


BrowserTiming = dict[str, float]


def browser_times(repeats: int = 9) -> tuple[dict[str, BrowserTiming], dict[str, float]]:
    """Per page, in Chromium against a warm server: navigation to the drawn page, and a filter
    change to the redrawn page, each with the baseline page's time measured just before it
    (medians of ``repeats``); and the app server's memory."""
    from playwright.sync_api import sync_playwright

    times: dict[str, BrowserTiming] = {}
    env = {"DASHBOARD_DATA_DIR": None, "DASHBOARD_SEEDS_DIR": None}
    base_log = ARTIFACTS / "bench-baseline-server.log"
    with (
        StreamlitServer(log_path=ARTIFACTS / "bench-server.log", env=env) as server,
        StreamlitServer(log_path=base_log, script=str(BASELINE), env=env) as baseline,
    ):
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            for app_page in app_pages():
                _drawn(page, server.url(app_page))  # the first visit warms the server's caches
                samples: dict[str, list[float]] = {
                    key: [] for key in ("drawn", "filter", "base_drawn", "base_filter")
                }
                # the yardstick at the same kind of address (see bench/baseline_page.py)
                base_url = baseline.url("" if app_page.default else BASELINE_AT_AN_ADDRESS)
                _drawn(page, base_url)
                for _ in range(repeats):
                    samples["base_drawn"].append(_drawn(page, base_url))
                    samples["base_filter"].append(_filter_change(page))
                    samples["drawn"].append(_drawn(page, server.url(app_page)))
                    samples["filter"].append(_filter_change(page))
                times[app_page.slug] = {k: statistics.median(v) for k, v in samples.items()}
            browser.close()
        memory = server.memory()
    return times, memory


def export_times() -> dict[str, float]:
    from dashboard.charts import catalog
    from dashboard.export import briefing_pack, chart_files
    from dashboard.ingest.loader import load_dataset
    from dashboard.view.filters import FilterState, filter_options

    ds = load_dataset()
    state = FilterState()
    specs = catalog.chart_specs(ds, state)
    first = chart_files.stamped_figure(specs[0], catalog.stamp(ds, state, specs[0].source_ids))
    start = time.perf_counter()
    chart_files.to_png(first)  # starts the warm browser
    cold = time.perf_counter() - start
    warm = []
    for spec in specs:
        fig = chart_files.stamped_figure(spec, catalog.stamp(ds, state, spec.source_ids))
        start = time.perf_counter()
        chart_files.to_png(fig)
        warm.append(time.perf_counter() - start)
    start = time.perf_counter()
    briefing_pack.build_pack(
        ds,
        specs,
        filters_text=state.describe(filter_options(ds).labels()),
        coverage="",
        stamp_for=lambda spec: catalog.stamp(ds, state, spec.source_ids),
    )
    pack = time.perf_counter() - start
    return {
        "png_first_s": cold,
        "png_warm_median_s": statistics.median(warm),
        "png_warm_max_s": max(warm),
        "pack_s": pack,
        "charts": len(specs),
    }


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["load"]:
        from bench import load

        return load.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip 1000x and the browser pass")
    parser.add_argument("--repeats", type=int, default=5, help="runs per page (median)")
    args = parser.parse_args(argv)
    os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")

    scales = [1, 10, 100] if args.quick else [1, 10, 100, 1000]
    results: dict[str, Any] = {"when": dt.datetime.now().isoformat(timespec="seconds")}
    per_scale: dict[int, dict[str, Timing]] = {}
    loads: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for factor in scales:
            data_dir = None if factor == 1 else scale_dataset(factor, Path(tmp) / f"x{factor}")
            loads[factor] = load_time(data_dir)
            # 1000x runs are long: fewer of them, but at least three so the median is one run
            repeats = args.repeats if factor < 1000 else max(3, args.repeats // 2)
            # ratios to the baseline are judged on the shipped data: time it alongside there
            alongside = _baseline_app if factor == 1 else None
            per_scale[factor] = page_times(data_dir, repeats, alongside)
            print(f"  measured {factor}x", file=sys.stderr, flush=True)
    os.environ.pop("DASHBOARD_DATA_DIR", None)
    results["page_s"] = {str(k): v for k, v in per_scale.items()}
    results["load_s"] = {str(k): v for k, v in loads.items()}
    browser: dict[str, BrowserTiming] = {}
    memory: dict[str, float] = {}
    if not args.quick:
        browser, memory = browser_times()
        results["browser_s"], results["server_memory_mb"] = browser, memory
    exports = export_times()
    results["exports"] = exports

    pages = list(per_scale[1])
    bases = [t[k] for t in per_scale[1].values() for k in ("baseline_repeat", "baseline_first")]
    base = statistics.median(b for b in bases if b is not None)
    results["baseline_s"] = base
    header = ["page", "1x repeat s", "x baseline", "1x first s", "x baseline"]
    header += [f"{f}x first s" for f in scales[1:]]
    header += ["drawn s", "x base", "filter s", "x base", "target"]
    lines = [header]
    for slug in pages:
        timing = per_scale[1][slug]
        repeat, first = float(timing["repeat"] or 0), float(timing["first"] or 0)
        repeat_ratio = repeat / float(timing["baseline_repeat"] or base)
        first_ratio = first / float(timing["baseline_first"] or base)
        ok = first_ratio <= PAGE_TARGET_RATIO
        if 1000 in per_scale:
            ok = ok and float(per_scale[1000][slug]["first"] or 0) < PAGE_TARGET_1000X_S
        row = [slug, f"{repeat:.3f}", f"{repeat_ratio:.2f}", f"{first:.3f}", f"{first_ratio:.2f}"]
        row += [f"{float(per_scale[f][slug]['first'] or 0):.3f}" for f in scales[1:]]
        if slug in browser:
            seen = browser[slug]
            drawn_ratio = seen["drawn"] / seen["base_drawn"]
            filter_ratio = seen["filter"] / seen["base_filter"]
            ok = ok and drawn_ratio <= BROWSER_TARGET_RATIO and filter_ratio <= FILTER_TARGET_RATIO
            row += [f"{seen['drawn']:.2f}", f"{drawn_ratio:.2f}"]
            row += [f"{seen['filter']:.2f}", f"{filter_ratio:.2f}"]
        else:
            row += ["-"] * 4
        row.append(_mark(ok))
        lines.append(row)
    blank = ["-"] * (len(scales) - 1)
    if browser:
        base_drawn = statistics.median(t["base_drawn"] for t in browser.values())
        base_filter = statistics.median(t["base_filter"] for t in browser.values())
        seen_base = [f"{base_drawn:.2f}", "1.00", f"{base_filter:.2f}", "1.00", "-"]
    else:
        seen_base = ["-"] * 5
    base_row = ["baseline page", f"{base:.3f}", "1.00", f"{base:.3f}", "1.00"]
    lines.append([*base_row, *blank, *seen_base])
    loads_row = ["load+validate", "-", "-", f"{loads[1]:.3f}", "-"]
    loads_row += [f"{loads[f]:.3f}" for f in scales[1:]] + ["-"] * 5
    lines.append(loads_row)
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    for row in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print()
    png_ok = exports["png_warm_median_s"] < PNG_TARGET_S
    print(
        f"exports: first PNG {exports['png_first_s']:.2f} s (starts the browser); warm PNG "
        f"median {exports['png_warm_median_s']:.3f} s, max {exports['png_warm_max_s']:.3f} s "
        f"[{_mark(png_ok)}: < {PNG_TARGET_S} s]; briefing pack ({exports['charts']} charts) "
        f"{exports['pack_s']:.2f} s"
    )
    if memory:
        print(
            f"server memory after the browser pass: peak {memory['peak_rss_mb']:.0f} MB, "
            f"now {memory['rss_mb']:.0f} MB (+ {memory['children_rss_mb']:.0f} MB children)"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{results['when'].replace(':', '')}.json"
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"saved {out.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
