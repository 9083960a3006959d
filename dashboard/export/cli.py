"""``python -m dashboard export``: every chart (and optionally the briefing pack) for batch use.

Filter options mirror the URL parameters (same names, same parsing, same rejections), so a
briefing's link and its batch export mean the same thing; an invalid option is an error that
names it, not a silently different export.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from pptx import Presentation

from dashboard.charts import catalog
from dashboard.export import briefing_pack, chart_files
from dashboard.export.command import load_with_state
from dashboard.view.changes import changes_since
from dashboard.view.filters import FilterState, filter_options

FORMATS = ("png", "svg", "html", "csv")
# option dest -> URL parameter
FILTER_OPTIONS = {
    "date_from": "from",
    "date_to": "to",
    "known_as_of": "known_as_of",
    "source": "source",
    "claimant": "claimant",
    "group": "group",
    "event_type": "event_type",
    "since": "since",
    "until": "until",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="DIR", required=True, help="where to write the files")
    parser.add_argument("--pack", action="store_true", help="also build briefing-pack.pptx")
    parser.add_argument(
        "--formats",
        default=",".join(FORMATS),
        help=f"comma-separated, any of {', '.join(FORMATS)} (default: all)",
    )
    parser.add_argument("--data", metavar="DIR", help="the CSV tables (default: data/)")
    parser.add_argument("--seeds", metavar="DIR", help="the seed documents (default: seeds/)")
    filters = parser.add_argument_group("filters (as in the dashboard's URL)")
    filters.add_argument("--from", dest="date_from", metavar="DATE", help="YYYY[-MM[-DD]]")
    filters.add_argument("--to", dest="date_to", metavar="DATE", help="YYYY[-MM[-DD]]")
    filters.add_argument("--known-as-of", dest="known_as_of", metavar="DATE")
    filters.add_argument(
        "--since", metavar="DATE", help="last briefing: shade it on the timelines; pack slide"
    )
    filters.add_argument("--until", metavar="DATE", help="end of the --since window")
    for name, noun in (
        ("source", "source id"),
        ("claimant", "claimant entity id"),
        ("group", "group entity id"),
        ("event-type", "event type"),
    ):
        filters.add_argument(
            f"--{name}", action="append", metavar="ID", help=f"{noun} (repeat or comma-separate)"
        )
    filters.add_argument("--seed-only", action="store_true", help="seed documents only")


def state_from_args(args: argparse.Namespace, ds: object) -> tuple[FilterState, list[str]]:
    """The filter state the options describe, and one message per rejected value."""
    params: dict[str, list[str]] = {}
    for dest, param in FILTER_OPTIONS.items():
        value = getattr(args, dest, None)
        if value:
            params[param] = value if isinstance(value, list) else [value]
    if args.seed_only:
        params["evidence"] = ["seed"]
    state, rejections = FilterState.from_query(params, filter_options(ds).vocabulary())
    option = {param: dest.replace("_", "-") for dest, param in FILTER_OPTIONS.items()}
    option["from"], option["to"] = "from", "to"
    messages = [f"--{option.get(r.param, r.param)} {r.value!r}: {r.reason}" for r in rejections]
    return state, messages


def run(args: argparse.Namespace) -> int:
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        print(f"error: --formats: unknown {', '.join(unknown)}", file=sys.stderr)
        return 2
    loaded = load_with_state(args, state_from_args)
    if isinstance(loaded, int):
        return loaded
    ds, state = loaded
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    specs = catalog.chart_specs(ds, state)
    for spec in specs:
        stamp = catalog.stamp(ds, state, spec.source_ids)
        exported = chart_files.export_chart(
            spec, stamp, formats, chart_files.csv_stamp(ds, state, spec, stamp)
        )
        for extension, content in exported.files.items():
            (out / chart_files.file_name(spec.chart_id, extension)).write_bytes(content)
        print(f"{spec.chart_id}: {', '.join(exported.files)}")
    if args.pack:
        all_ids = tuple(dict.fromkeys(i for spec in specs for i in spec.source_ids))
        deck = briefing_pack.build_pack(
            ds,
            specs,
            filters_text=state.describe(filter_options(ds).labels()),
            coverage=catalog.stamp(ds, state, all_ids),
            stamp_for=lambda spec: catalog.stamp(ds, state, spec.source_ids),
            changes=changes_since(ds, state, args.data),
        )
        (out / "briefing-pack.pptx").write_bytes(deck)
        print(f"briefing-pack: {len(Presentation(io.BytesIO(deck)).slides)} slides")
    print(f"wrote {out}")
    return 0
