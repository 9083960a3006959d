"""Command line: ``python -m dashboard <command> ...`` (``validate``, ``export``, ``changes``).

Each command lives in its own module, listed in ``SUBCOMMANDS``; the module provides
``add_arguments(parser)`` and ``run(args) -> int`` (the exit code). Only the chosen command's
module is imported, so ``validate`` never pays for the export stack (plotly, kaleido, pptx).
To add a command, add one line to ``SUBCOMMANDS``.

Whatever happens, the user sees a one-line message and an exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

# command -> (module providing add_arguments/run, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "validate": (
        "dashboard.ingest.validate",
        "check data/*.csv against the contract and the seeds (exit 0 clean or warnings only,"
        " 1 problems, 2 unreadable)",
    ),
    "contract": (
        "dashboard.ingest.contract_doc",
        "write docs/data-contract.md from data/contract.yaml (--check: exit 1 if out of date)",
    ),
    "export": (
        "dashboard.export.cli",
        "write every chart as PNG, SVG, HTML and CSV (and --pack: the PowerPoint briefing pack)",
    ),
    "changes": (
        "dashboard.export.changes_cli",
        "what changed since the last briefing (--since DATE [--until DATE]) as Markdown or CSV",
    ),
}


def _module(command: str) -> ModuleType:
    return importlib.import_module(SUBCOMMANDS[command][0])


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The parser; only the command named in ``argv`` gets its arguments (and its import)."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Afghanistan–Central Asia threat monitor: dataset tools.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = next((arg for arg in argv if not arg.startswith("-")), None)
    for name, (_, help_text) in SUBCOMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            _module(name).add_arguments(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="backslashreplace")
        args = build_parser(argv).parse_args(argv)
        return int(_module(args.command).run(args))
    except SystemExit as exit_:  # argparse: --help (0) or a usage error (2)
        return exit_.code if isinstance(exit_.code, int) else 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into `head`: silence the final flush too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:  # the promise: a message, never a traceback
        message = " ".join(str(error).split()) or "no details"
        print(f"error: {type(error).__name__}: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
