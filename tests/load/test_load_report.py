"""The load benchmark's arithmetic and verdicts (bench/load.py), without a server."""

from __future__ import annotations

import math

from bench.load import (
    DOWNLOAD_LOST,
    LoadConfig,
    LoadResult,
    Measured,
    Step,
    breaking_line,
    failing,
    percentile,
)


def measured(sessions: int, views: list[float], *problems: str, baseline: float = 0.1) -> Measured:
    steps = [Step(f"{n}.0", "visit", "overview", seconds) for n, seconds in enumerate(views)]
    if problems:
        steps.append(Step("x.0", "export", "strength", 0.1, list(problems)))
    result = LoadResult(LoadConfig(sessions=sessions), steps, wall_s=10.0)
    return Measured("http://127.0.0.1:1", result, [baseline], [baseline], {})


def test_percentiles_interpolate_and_are_nan_without_values() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert percentile([1.0, 2.0], 0.95) == 1.95
    assert percentile([7.0], 0.95) == 7.0
    assert math.isnan(percentile([], 0.5))


def test_the_load_line_divides_p95_by_the_baseline_median() -> None:
    line = measured(3, [0.2, 0.2, 0.4], baseline=0.1).load_line()
    assert line == "LOAD sessions=3 page_views=3 errors=0 p50_s=0.200 p95_s=0.380 ratio_p95=3.80"


def test_only_page_views_count_as_page_views_and_every_problem_as_an_error() -> None:
    run = measured(2, [0.1, 0.3], "exception ValueError: x", f"{DOWNLOAD_LOST}: GET /m 404")
    summary = run.summary()
    assert summary["page_views"] == 2  # the export is not a page view
    assert summary["errors"] == 2
    assert failing(run) == ["exception ValueError: x"]  # a lost download is not a failure


def test_the_breaking_point_is_the_first_step_with_errors_or_a_slow_p95() -> None:
    runs = [
        measured(10, [0.2] * 20),
        measured(25, [0.3] * 20, f"{DOWNLOAD_LOST}: GET /m 404"),
        measured(50, [2.0] * 20),
    ]
    assert breaking_line(runs) == (
        "BREAKING_POINT sessions=25 errors_from=25 slow_from=50 tried=10,25,50"
    )
    assert breaking_line(runs[:1]) == (
        "BREAKING_POINT sessions=none errors_from=none slow_from=none tried=10"
    )
