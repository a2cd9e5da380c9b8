"""The ``barnet-tui ingest`` command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from barnet_tui.argparsing import OneLineParser
from barnet_tui.display import literal
from barnet_tui.ingest.corrections import CORRECTIONS_NAME
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.errors import IngestError
from barnet_tui.paths import shipped_data_dir

EXAMPLES = """\
examples:
  barnet-tui ingest reports/*.txt --out data
  barnet-tui ingest q1-report.txt --out /tmp/q1 --no-corrections
"""


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="barnet-tui ingest",
        description=(
            "Turn performance report text into the normalised dataset (Parquet + CSV and\n"
            "manifest.json). An existing --out dataset is replaced whole."
        ),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("reports", nargs="+", type=Path, metavar="REPORT.txt")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--corrections",
        type=Path,
        metavar="FILE",
        help=f"reviewed corrections to apply (default: --out's own {CORRECTIONS_NAME}, else the "
        "shipped one)",
    )
    group.add_argument("--no-corrections", action="store_true", help="apply no corrections file")
    parser.add_argument(
        "--force",
        action="store_true",
        help="write even when a report details far fewer indicators than it counts (a file "
        "that looks cut short)",
    )
    parser.add_argument(
        "--wait",
        action="store_true",
        help="if another ingest is writing into --out, wait for it (else exit 2 at once)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="treat every warning as an error: exit 2 and write nothing (for scripts that must "
        "not publish doubtful data)",
    )
    return parser


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    from barnet_tui.ingest.output import out_folder
    from barnet_tui.ingest.pipeline import ingest, write

    try:
        corrections = _corrections(args, out_folder(args.out))  # --out checked before reading
        result = ingest(args.reports, corrections)
        if args.strict and result.warnings:
            _print_warnings(result.warnings)
            raise IngestError(
                f"{len(result.warnings)} warnings and --strict: nothing written to {args.out}"
            )
        if result.incomplete and not args.force:
            first = result.incomplete[0]
            more = f" (and {len(result.incomplete) - 1} more)" if len(result.incomplete) > 1 else ""
            raise IngestError(
                f"{first}{more}; nothing written to {args.out} (--force writes it anyway)"
            )
        told = write(result, args.out, wait=args.wait)
    except IngestError as error:
        print(f"barnet-tui ingest: error: {error}", file=sys.stderr)
        return 2
    _print_warnings([*result.warnings, *told])
    counts = ", ".join(f"{frame.height} {name}" for name, frame in result.tables.items())
    applied = "no corrections"
    if result.corrections is not None and corrections is not None:
        applied = f"{len(result.corrections.corrections)} corrections from {literal(corrections)}"
    print(
        f"ingested {len(result.reports)} reports into {literal(args.out)}: {counts}; "
        f"{applied}, {len(result.warnings)} warnings",
        file=sys.stderr,
    )
    return 0


def _corrections(args: argparse.Namespace, target: Path) -> Path | None:
    """The corrections file to apply: ``--corrections``; else the one in ``--out`` (the
    reviewed copy a user edits); else, for a new dataset, the one shipped with barnet-tui."""
    if args.no_corrections:
        return None
    if args.corrections is not None:
        return Path(args.corrections)
    for candidate in (target / CORRECTIONS_NAME, shipped_data_dir() / CORRECTIONS_NAME):
        if os.path.lexists(candidate):
            return candidate  # read, and refused with a reason if it is not a file
    return None


def _print_warnings(warnings: Sequence[IngestWarning | str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
