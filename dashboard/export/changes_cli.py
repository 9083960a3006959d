"""``python -m dashboard changes --since DATE [--until DATE] [--format md|csv]``: the list of what
changed since the last briefing, as the Since page shows it (``dashboard.view.changes``).

Dates are parsed as the URL's ``since``/``until`` are (same shorthand, same rejections), so a
briefing's link and this command mean the same window; an invalid date is named with its reason
and the exit status is 2, as for ``export``. Without ``--since`` the page's default applies
(90 days before the newest source).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.export.command import load_with_state
from dashboard.view.changes import changes_since
from dashboard.view.filters import FilterState, filter_options

FORMATS = ("md", "csv")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since",
        metavar="DATE",
        help="the last briefing's date, YYYY[-MM[-DD]]: rows first reported after it are new "
        "(default: 90 days before the newest source)",
    )
    parser.add_argument("--until", metavar="DATE", help="end of the window (default: to date)")
    parser.add_argument("--format", choices=FORMATS, default="md", help="md (default) or csv")
    parser.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    parser.add_argument("--data", metavar="DIR", help="the CSV tables (default: data/)")
    parser.add_argument("--seeds", metavar="DIR", help="the seed documents (default: seeds/)")


def window_state(args: argparse.Namespace, ds: object) -> tuple[FilterState, list[str]]:
    """The state the options describe, and one message per rejected date."""
    params = {name: [value] for name in ("since", "until") if (value := getattr(args, name))}
    state, rejections = FilterState.from_query(params, filter_options(ds).vocabulary())
    return state, [f"--{r.param} {r.value!r}: {r.reason}" for r in rejections]


def run(args: argparse.Namespace) -> int:
    loaded = load_with_state(args, window_state)
    if isinstance(loaded, int):
        return loaded
    ds, state = loaded
    changes = changes_since(ds, state, args.data)
    text = changes.to_csv().decode("utf-8") if args.format == "csv" else changes.to_markdown()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8", newline="")
        print(f"wrote {args.out}: {changes.summary()}")
    else:
        sys.stdout.write(text)
    return 0
