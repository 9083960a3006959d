"""``python -m bench``: the project's benchmark. Prints one table; not a test (nothing is timed
against a threshold in the test suite, which would flake on a shared machine).

What it measures, all in the same run so ratios compare like with like:
- each page's server-side run (AppTest, dataset already cached as in the running server) as a
  multiple of a baseline page with one small Plotly chart, timed just before each page run (the
  ratio compares runs moments apart, not a page with a baseline measured minutes earlier on a
  machine whose speed drifts); then on synthetic copies scaled to 10x, 100x and 1000x rows
  (``bench/synthetic.py``), so the growth shows;
- loading and validating each dataset once (what the server pays at first request);
- browser time from navigation to a rendered page (charts drawn), per page, in Debian's Chromium;
- export times: one PNG with the warm kaleido browser, and the full briefing pack;
- the server's peak memory after the browser pass.

Targets (from issue 8), judged on first views (charts built, not cached): every page within 2x
the baseline on the shipped data, under 1 s per page at 1000x, a warm PNG under 0.5 s.
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
RESULTS = REPO_ROOT / "bench" / "results"
PAGE_TARGET_RATIO = 2.0
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
    from dashboard.loader import load_dataset

    start = time.perf_counter()
    load_dataset(data_dir)
    return time.perf_counter() - start


def browser_times() -> tuple[dict[str, float], dict[str, float]]:
    """Navigation to fully drawn page, per page (second visit: server warm), and server memory."""
    from playwright.sync_api import sync_playwright

    times: dict[str, float] = {}
    env = {"DASHBOARD_DATA_DIR": None, "DASHBOARD_SEEDS_DIR": None}
    with StreamlitServer(log_path=ARTIFACTS / "bench-server.log", env=env) as server:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            for app_page in app_pages():
                for attempt in range(2):  # the first visit warms the server's caches
                    start = time.perf_counter()
                    page.goto(server.url(app_page), wait_until="domcontentloaded")
                    page.wait_for_selector(APP_IDLE, state="attached", timeout=120_000)
                    page.wait_for_function(RENDERED_JS, arg=0, polling=50, timeout=120_000)
                    if attempt == 1:
                        times[app_page.slug] = time.perf_counter() - start
            browser.close()
        memory = server.memory()
    return times, memory


def export_times() -> dict[str, float]:
    from dashboard import briefing_pack, catalog, export
    from dashboard.filters import FilterState, filter_options
    from dashboard.loader import load_dataset

    ds = load_dataset()
    state = FilterState()
    specs = catalog.chart_specs(ds, state)
    first = export.stamped_figure(specs[0], catalog.stamp(ds, state, specs[0].source_ids))
    start = time.perf_counter()
    export.to_png(first)  # starts the warm browser
    cold = time.perf_counter() - start
    warm = []
    for spec in specs:
        fig = export.stamped_figure(spec, catalog.stamp(ds, state, spec.source_ids))
        start = time.perf_counter()
        export.to_png(fig)
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
    browser: dict[str, float] = {}
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
    header += [f"{f}x first s" for f in scales[1:]] + ["browser s", "target"]
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
        row += [f"{browser[slug]:.2f}" if slug in browser else "-", _mark(ok)]
        lines.append(row)
    blank = ["-"] * (len(header) - 5)
    lines.append(["baseline page", f"{base:.3f}", "1.00", f"{base:.3f}", "1.00", *blank])
    loads_row = ["load+validate", "-", "-", f"{loads[1]:.3f}", "-"]
    loads_row += [f"{loads[f]:.3f}" for f in scales[1:]] + ["-", "-"]
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
