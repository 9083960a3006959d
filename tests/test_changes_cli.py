"""``python -m dashboard changes``: the same list as the page, as Markdown or CSV; bad dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.__main__ import main
from dashboard.ingest.loader import load_dataset
from dashboard.view.changes import changes_since
from dashboard.view.filters import FilterState

REPO = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "changes", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_here(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The command's own main, as ``python -m dashboard`` calls it: (exit code, out, err)."""
    code = main(["changes", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# One run from the shell shows the command is wired up; the rest run in-process.
def test_markdown_is_the_list() -> None:
    result = run("--since", "2024-06-30")
    assert result.returncode == 0, result.stderr
    expected = changes_since(load_dataset(), FilterState(since=dt.date(2024, 6, 30)))
    assert result.stdout == expected.to_markdown()
    assert result.stdout.startswith("# Since 30 Jun 2024\n")


def test_csv_has_one_row_per_change_and_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "changes.csv"
    code, stdout, stderr = run_here(
        capsys,
        *("--since", "2024-06-30", "--until", "2025-04-30", "--format", "csv", "--out", str(out)),
    )
    assert code == 0, stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    expected = changes_since(
        load_dataset(), FilterState(since=dt.date(2024, 6, 30), until=dt.date(2025, 4, 30))
    )
    assert [r["sentence"] for r in rows if r["kind"] != "note"] == [
        i.sentence for i in expected.items
    ]
    assert {r["until"] for r in rows} == {"2025-04-30"}
    assert "wrote" in stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "2024-13-01"), "--since '2024-13-01': not a date"),
        (("--since", "2024-06-30", "--until", "soon"), "--until 'soon': not a date"),
        (("--since", "2025-01-01", "--until", "2024-01-01"), "after the until-date 2024-01-01"),
        (("--format", "pdf"), "invalid choice"),
    ],
)
def test_invalid_options_are_named_with_status_2(
    args: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, stderr = run_here(capsys, *args)
    assert code == 2
    assert message in stderr
    assert "Traceback" not in stderr
    assert stdout == ""
