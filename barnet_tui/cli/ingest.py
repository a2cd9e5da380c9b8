"""The ``barnet-tui ingest`` command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from barnet_tui.cli import supervised
from barnet_tui.cli.argparsing import OneLineParser
from barnet_tui.domain.literal_text import SHOWN_INSTEAD, literal
from barnet_tui.domain.storage.location import S3Location, is_url, is_utf8
from barnet_tui.ingest.corrections import CORRECTIONS_NAME
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.errors import IngestError
from barnet_tui.paths import shipped_data_dir

if TYPE_CHECKING:  # Polars under them: not loaded by the command that watches the ingest
    from barnet_tui.domain.periods import Period

EXAMPLES = """\
examples:
  barnet-tui ingest q4-report.pdf --out data
  barnet-tui ingest reports/*.txt q4-report.pdf --out data
  barnet-tui ingest q1-report.txt --out /tmp/q1 --no-corrections
  barnet-tui ingest reports/*.txt --out s3://council-data/barnet   (AWS_* or [storage])
  barnet-tui ingest tracker.xlsx --out /tmp/tracker --period "2016/17 Q4"
"""


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="barnet-tui ingest",
        description=(
            "Turn performance reports (PDF as published, or text) into the normalised\n"
            "dataset (Parquet + CSV and manifest.json). An existing --out dataset is\n"
            "replaced whole."
        ),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "reports",
        nargs="+",
        type=Path,
        metavar="REPORT",
        help="a report (PDF or text), or a tracker spreadsheet (.xlsx, .xls, .ods, .csv)",
    )
    parser.add_argument("--out", required=True, metavar="DIR|URL", help="a folder or s3:// URL")
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="config file to read last ([storage])"
    )
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
        help="if another ingest is writing into the --out folder, wait for it (else exit 2 "
        "at once; into a store the later of two fails)",
    )
    parser.add_argument(
        "--period",
        metavar="PERIOD",
        help="the period of a report or tracker that names none in its title, headers or a "
        "Period column (e.g. '2016/17 Q4')",
    )
    parser.add_argument(
        "--all-csv",
        action="store_true",
        help="write every table's CSV copy, even one longer than a spreadsheet opens "
        "(1,048,576 rows); by default those are left out",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="treat every warning as an error: exit 2 and write nothing (for scripts that must "
        "not publish doubtful data)",
    )
    return parser


def run(argv: list[str], supervise: bool = False) -> int:
    """``barnet-tui ingest ARGV``; ``supervise``: in a child this process watches, so a
    native abort or running out of memory is one line (``cli/supervised.py``)."""
    args = build_parser().parse_args(argv)  # a usage error is said here, before any child
    if supervise and not supervised.in_child():
        return supervised.run_supervised(["ingest", *argv])
    from barnet_tui.ingest.writers.watched import die_with_watcher

    die_with_watcher()  # a kill -9 of the command that started this ingest ends it too
    from barnet_tui.domain.contract import MANIFEST_NAME  # Polars: not in the watching command
    from barnet_tui.ingest.pipeline import ingest, write
    from barnet_tui.ingest.writers.folder import out_folder

    try:
        out = _out(args.out, args.config)
        # --out checked before any report is read; its own corrections are the reviewed copy
        corrections = _corrections(args, out_folder(out) if isinstance(out, Path) else None)
        terminal = supervised.progress_stream() or (sys.stderr if sys.stderr.isatty() else None)
        progress = _progress_on(terminal) if terminal and len(args.reports) > 1 else None
        result = ingest(args.reports, corrections, _period(args.period), progress)
        if args.strict and result.warnings:
            _print_warnings(result.warnings, "")
            raise IngestError(
                f"{len(result.warnings)} warnings and --strict: nothing written to {args.out}"
            )
        if result.incomplete and not args.force:
            every = "; ".join(str(problem) for problem in result.incomplete)
            raise IngestError(f"{every}; nothing written to {args.out} (--force writes it anyway)")
        told = write(result, out, wait=args.wait, all_csv=args.all_csv)
    except IngestError as error:
        print(f"barnet-tui ingest: error: {error}", file=sys.stderr)
        return 2
    except MemoryError:  # a limit such as ulimit -v; the dataset switches only when whole
        print(f"barnet-tui ingest: error: {supervised.OUT_OF_MEMORY}", file=sys.stderr)
        return 2
    manifest = f"{str(out).rstrip('/')}/{MANIFEST_NAME}"
    _print_warnings(result.warnings, f" (every one is in {literal(manifest)})")
    _print_warnings(told, "")
    if isinstance(out, S3Location):
        args.out = str(out)
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


def _corrections(args: argparse.Namespace, target: Path | None) -> Path | None:
    """The corrections file to apply: ``--corrections``; else the one in the ``--out``
    folder (``target``: the reviewed copy a user edits); else, for a new dataset, the one
    shipped with barnet-tui."""
    if args.no_corrections:
        return None
    if args.corrections is not None:
        return Path(args.corrections)
    candidates = [shipped_data_dir() / CORRECTIONS_NAME]
    if target is not None:
        candidates.insert(0, target / CORRECTIONS_NAME)
    for candidate in candidates:
        if os.path.lexists(candidate):
            return candidate  # read, and refused with a reason if it is not a file
    return None


def _out(text: str, config_file: Path | None) -> Path | S3Location:
    """Where ``--out`` is: a folder, or a store reached with the configuration's [storage]
    (read only for a URL: a local ingest needs no config); a URL is never a folder."""
    if not is_url(text):
        if not is_utf8(text):  # Parquet's writer takes a path only as UTF-8
            raise IngestError(
                f"--out {literal(text)}: the path is not UTF-8 (its other bytes are shown as "
                f"{SHOWN_INSTEAD}); choose another folder"
            )
        return Path(text)
    from barnet_tui.cli.common import configured
    from barnet_tui.config import ConfigError, data_location

    try:
        storage = configured(config_file, None).storage  # its notices said, as everywhere
        return data_location(text, Path(), storage, "--out")
    except ConfigError as error:
        raise IngestError(str(error)) from None


def _progress_on(terminal: TextIO) -> Callable[[int, int, str], None]:
    def progress(done: int, total: int, name: str) -> None:
        """ "reading 3/12 q4-report.pdf" on one line of a terminal, rewritten as files are
        read."""
        end = "\n" if done == total else ""
        print(f"\r\x1b[Kreading {done}/{total} {literal(name)[:60]}", end=end, file=terminal)
        terminal.flush()

    return progress


def _period(text: str | None) -> Period | None:
    if text is None:
        return None
    from barnet_tui.domain.periods import Period, QuarterError
    from barnet_tui.ingest.tables.vocabulary import header_period

    try:
        return Period.parse(text)
    except QuarterError as error:
        raise IngestError(f"--period {error}") from None
    except ValueError:
        named = header_period(text)  # "Q4 2016/17", or a year ("2016/17": its year end)
        if named is None:
            raise IngestError(f"--period {text!r}: not a period (e.g. '2016/17 Q4')") from None
        return named.as_period()


WARNINGS_SHOWN = 200
"""Warnings printed one per line; past this many, one line counts the rest (a long report
can give a hundred thousand, and a terminal is no place to read them)."""


def _print_warnings(warnings: Sequence[IngestWarning | str], where: str) -> None:
    """Each warning on stderr, up to WARNINGS_SHOWN; ``where`` says where all of them are."""
    for warning in warnings[:WARNINGS_SHOWN]:
        print(f"warning: {warning}", file=sys.stderr)
    if len(warnings) > WARNINGS_SHOWN:
        print(f"warning: ... and {len(warnings) - WARNINGS_SHOWN} more{where}", file=sys.stderr)
