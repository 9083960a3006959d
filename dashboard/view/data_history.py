"""What the data said at a past date, from its git history: the corrections a briefer must know.

A value or date edited after the last briefing changes what that briefing told its audience,
but a view of today's data cannot show it. The history of ``data/*.csv`` can: the rows as
committed on the briefing day are compared, by id, with the rows now (the files on disk when the
window is open, the last commit by its end otherwise). Only the columns that carry a value or a
date are compared (``TRACKED``): filling a new column is not a correction.

Where there is no history (a deployment without ``.git``, no ``git`` program, files never
committed) the answer says so in words; nothing here raises on a missing history. Only local
git commands are run (``rev-parse``, ``log``, ``cat-file``): no network.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dashboard import DATA_DIR
from dashboard.ingest.vocab import ID_COLUMN, TABLES

# Per table, the columns whose change is a correction of a value or a date.
TRACKED: dict[str, tuple[str, ...]] = {
    "sources": ("published",),
    "entities": (),
    "places": (),
    "events": ("date", "event_type"),
    "designations": ("date", "action", "jurisdiction_id", "target_id"),
    "estimates": ("value_low", "value_high", "qualifier", "as_of", "subject_id", "metric"),
}
GIT_TIMEOUT_S = 30


@dataclass(frozen=True)
class Correction:
    """One row whose value or date differs from what the data said at the window's start."""

    table: str
    record_id: str
    changes: tuple[tuple[str, str, str], ...]  # (column, before, after); empty when removed
    removed: bool = False
    before: Mapping[str, str] | None = None  # the row as it was (for a removed row's summary)


@dataclass(frozen=True)
class History:
    """The corrections in a window, or why they cannot be known."""

    available: bool
    reason: str = ""  # when not available: why, in words
    baseline: str = ""  # what the rows are compared with, in words
    starts_after_since: bool = False  # the history begins after the window's start
    corrections: tuple[Correction, ...] = ()

    def note(self, since: dt.date) -> str:
        """One sentence for the list: what was compared, or why nothing could be."""
        if not self.available:
            return f"Corrections cannot be listed: {self.reason}."
        if self.starts_after_since:
            return (
                f"The data's git history begins after {since.day} {since:%b %Y}: rows are compared "
                f"with {self.baseline}."
            )
        return f"Rows are compared with {self.baseline}."


class _GitFailed(Exception):
    pass


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError as error:
        raise _GitFailed("the git program is not installed here") from error
    except subprocess.TimeoutExpired as error:
        raise _GitFailed(f"git did not answer within {GIT_TIMEOUT_S} s") from error
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _GitFailed(message[0] if message else f"git {args[0]} failed")
    return result.stdout


def history(data_dir: Path | str | None, since: dt.date, until: dt.date | None = None) -> History:
    """The corrections made to ``data_dir``'s tables after ``since`` (up to ``until``).

    Cached per folder, window and the files' modification times, so every page of a run and
    every export asking the same question runs git once.
    """
    folder = Path(data_dir) if data_dir is not None else DATA_DIR
    stamps = tuple((name, _mtime(folder / f"{name}.csv")) for name in TABLES if name in TRACKED)
    return _history(str(folder.resolve()), since, until, stamps)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


@functools.lru_cache(maxsize=32)
def _history(
    folder: str, since: dt.date, until: dt.date | None, stamps: tuple[tuple[str, float], ...]
) -> History:
    path = Path(folder)
    if not path.is_dir():
        return History(False, reason=f"the data folder {folder} does not exist")
    try:
        prefix = _git(path, "rev-parse", "--show-prefix").decode().strip()
    except _GitFailed as failed:
        text = str(failed)
        if "not a git repository" in text.lower():
            text = "the data folder has no git history (for example a copy deployed without .git)"
        return History(False, reason=text)
    try:
        return _compare(path, prefix, since, until)
    except _GitFailed as failed:
        return History(False, reason=f"git could not read the history ({failed})")


@dataclass(frozen=True)
class _Commit:
    sha: str
    day: dt.date  # the commit's date in its own time zone
    files: frozenset[str]  # paths relative to the repository's top


def _commits(path: Path, names: list[str]) -> list[_Commit]:
    """Commits touching the tables, newest first."""
    out = _git(path, "log", "--format=%x00%H %cI", "--name-only", "--", *names).decode()
    commits = []
    for block in out.split("\x00")[1:]:
        lines = [line for line in block.splitlines() if line.strip()]
        sha, stamp = lines[0].split(" ", 1)
        day = dt.datetime.fromisoformat(stamp.strip()).date()
        commits.append(_Commit(sha, day, frozenset(lines[1:])))
    return commits


def _read_objects(path: Path, specs: list[str]) -> dict[str, str | None]:
    """``git cat-file --batch`` for ``<sha>:<path>`` specs: each file's text, None if absent."""
    if not specs:
        return {}
    raw = _git(path, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in specs).encode())
    out: dict[str, str | None] = {}
    position = 0
    for spec in specs:
        end = raw.index(b"\n", position)
        header = raw[position:end].decode()
        position = end + 1
        if header.endswith(" missing"):
            out[spec] = None
            continue
        size = int(header.rsplit(" ", 1)[1])
        out[spec] = raw[position : position + size].decode("utf-8-sig", "replace")
        position += size + 1  # the newline after the contents
    return out


def _rows(text: str | None, table: str) -> dict[str, dict[str, str]]:
    if text is None:
        return {}
    id_column = ID_COLUMN[table]
    rows: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        key = (row.get(id_column) or "").strip()
        if key:
            rows[key] = {k: (v or "") for k, v in row.items() if k is not None}
    return rows


def _compare(path: Path, prefix: str, since: dt.date, until: dt.date | None) -> History:
    tables = [table for table in TABLES if TRACKED.get(table)]
    names = [f"{table}.csv" for table in tables]
    commits = _commits(path, names)
    if not commits:
        return History(False, reason="the data files have never been committed to git")
    before = [c for c in commits if c.day <= since]
    starts_after = not before
    # the tables as they were on the briefing day, or in their first commit
    base_commit = before[0] if before else commits[-1]
    end_commit = None
    if until is not None:
        ending = [c for c in commits if c.day <= until]
        if not ending:
            return History(
                True,
                baseline=_describe(base_commit),
                starts_after_since=starts_after,
            )
        end_commit = ending[0]
    base_specs: dict[str, str] = {}
    end_specs: dict[str, str] = {}
    for table, name in zip(tables, names, strict=True):
        repo_path = prefix + name
        first = _first_commit_with(commits, repo_path, at_or_before=base_commit)
        if first is None:  # the file did not exist yet: start from its first version
            first = _oldest_commit_with(commits, repo_path)
        if first is not None:
            base_specs[table] = f"{first.sha}:{repo_path}"
        if end_commit is not None:
            last = _first_commit_with(commits, repo_path, at_or_before=end_commit)
            if last is not None:
                end_specs[table] = f"{last.sha}:{repo_path}"
    texts = _read_objects(path, [*base_specs.values(), *end_specs.values()])
    corrections: list[Correction] = []
    for table, name in zip(tables, names, strict=True):
        if table not in base_specs:
            continue
        old = _rows(texts.get(base_specs[table]), table)
        if end_commit is None:
            file = path / name
            new = _rows(file.read_text(encoding="utf-8-sig") if file.exists() else None, table)
        else:
            new = _rows(texts.get(end_specs[table]) if table in end_specs else None, table)
        corrections += _differences(table, old, new)
    return History(
        True,
        baseline=_describe(base_commit) if not starts_after else _describe(commits[-1], first=True),
        starts_after_since=starts_after,
        corrections=tuple(corrections),
    )


def _first_commit_with(
    commits: list[_Commit], repo_path: str, *, at_or_before: _Commit
) -> _Commit | None:
    """The newest commit touching ``repo_path`` no newer than ``at_or_before``."""
    start = commits.index(at_or_before)
    return next((c for c in commits[start:] if repo_path in c.files), None)


def _oldest_commit_with(commits: list[_Commit], repo_path: str) -> _Commit | None:
    return next((c for c in reversed(commits) if repo_path in c.files), None)


def _describe(commit: _Commit, *, first: bool = False) -> str:
    what = "its first committed version" if first else "the data as committed"
    return f"{what} ({commit.day.day} {commit.day:%b %Y}, commit {commit.sha[:7]})"


def _differences(
    table: str, old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]
) -> list[Correction]:
    columns = TRACKED[table]
    out: list[Correction] = []
    for record_id, before in old.items():
        after = new.get(record_id)
        if after is None:
            out.append(Correction(table, record_id, (), removed=True, before=before))
            continue
        changes = tuple(
            (column, before.get(column, ""), after.get(column, ""))
            for column in columns
            if column in before and column in after and before[column] != after[column]
        )
        if changes:
            out.append(Correction(table, record_id, changes, before=before))
    return out
