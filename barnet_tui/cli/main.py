"""The ``barnet-tui`` command: the explorer, the quick check (``--below-target``) and ``ingest``.

Imports here stay light: ``--below-target`` must start fast and never import Textual.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from barnet_tui import __version__
from barnet_tui.cli.argparsing import WIDTH_HELP, OneLineParser, subcommand_first, width_option
from barnet_tui.domain.literal_text import literal
from barnet_tui.output.options import OUTPUT_FORMATS

PROG = "barnet-tui"
SUBCOMMANDS = ("ingest", "extract", "changes", "serve", "audit")

EXAMPLES = """\
examples:
  barnet-tui                                    open the explorer on the latest period
  barnet-tui --service "Family Services"        open on one service
  barnet-tui --indicator FS/S11                 open on one indicator and its history
  barnet-tui --below-target                     what is below target as far as we know now
  barnet-tui --below-target --period "2016/17 Q4" --service fam
  barnet-tui --below-target --rag R --format csv > red.csv
  barnet-tui --below-target --fail-if-any || mail -s "Below target" team < report.txt
  barnet-tui --actions --service "Commissioning Group"   key actions not on track
  barnet-tui --risks --min-score 15 --format markdown    the highest risks
  barnet-tui changes                            what changed since each service's last report
  barnet-tui audit                              the RAG rule checked against published ratings
  barnet-tui serve --port 8000                  the explorer in a web browser
  barnet-tui ingest q4-report.pdf reports/*.txt --out data
  barnet-tui extract q4-report.pdf              the text ingest reads from a PDF
  barnet-tui --data /srv/barnet changes         options go before or after a subcommand

exit status: 0 ok (with --fail-if-any: judged, and nothing found), 1 --fail-if-any
found something to list, 2 bad arguments, configuration or data, 3 nothing to judge
with --fail-if-any (no indicator in scope carries a rating, no key action or risk).
"""


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog=PROG,
        description=(
            "Explore the London Borough of Barnet's performance data: the corporate summary,\n"
            "each service, each indicator and its history. With --below-target, print the\n"
            "indicators below target and exit."
        ),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--data", metavar="DIR|URL", help="dataset directory or s3:// URL")
    parser.add_argument("--config", type=Path, metavar="FILE", help="config file to read last")
    parser.add_argument(
        "--period",
        metavar="PERIOD",
        help="'2016/17 Q4' or 'latest'; with --below-target also 'current' (default: each "
        "indicator's latest report) or 'all'",
    )
    parser.add_argument("--service", metavar="NAME", help="a service (any case, unique prefix)")

    quick = parser.add_argument_group("quick check")
    quick.add_argument(
        "--below-target", action="store_true", help="print the below-target indicators and exit"
    )
    quick.add_argument(
        "--actions", action="store_true", help="print the key actions not on track and exit"
    )
    quick.add_argument(
        "--risks", action="store_true", help="print the risks, highest score first, and exit"
    )
    quick.add_argument(
        "--min-score", type=_score, metavar="N", help="with --risks: only risks scored N or more"
    )
    quick.add_argument(
        "--rag", metavar="R,RA,GA", help="only these ratings ('-' for listed without a rating)"
    )
    quick.add_argument("--format", choices=OUTPUT_FORMATS, default=None)
    quick.add_argument("--width", type=width_option, metavar="N", help=WIDTH_HELP)
    quick.add_argument(
        "--fail-if-any",
        action="store_true",
        help="exit 1 when anything is listed, 3 when there was nothing to judge",
    )

    app = parser.add_argument_group("explorer")
    app.add_argument("--indicator", metavar="REF", help="open on this indicator (e.g. FS/S11)")
    app.add_argument(
        "--below-target-only", action="store_true", help="open with the below-target filter on"
    )
    return parser


def _valued_options() -> set[str]:
    """The option strings of the explorer and quick check that take a value."""
    return {
        option
        for action in build_parser()._actions
        if action.nargs != 0
        for option in action.option_strings
    }


def _score(text: str) -> int:
    """A risk score: 1 (rare, negligible) to 25 (almost certain, catastrophic)."""
    try:
        score = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= score <= 25:
        raise argparse.ArgumentTypeError(f"{score} is not a risk score (1-25)")
    return score


def _error(message: str) -> int:
    """One line on stderr; it may quote data (a service name among the choices) or a path."""
    print(f"{PROG}: error: {literal(message)}", file=sys.stderr)
    return 2


def _working_directory_exists() -> bool:
    try:
        Path.cwd()
    except FileNotFoundError:
        return False
    return True


def _check_combinations(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    lists = [flag for flag in ("below_target", "actions", "risks") if getattr(args, flag)]
    if len(lists) > 1:
        named = " and ".join(f"--{flag.replace('_', '-')}" for flag in lists)
        parser.error(f"{named} are separate lists; ask for one at a time")
    if args.min_score is not None and not args.risks:
        parser.error("--min-score goes with --risks")
    if args.rag is not None and not args.below_target:
        parser.error("--rag goes with --below-target")
    args.quick = bool(lists)
    quick_only = {
        "--format": args.format,
        "--fail-if-any": args.fail_if_any,
        "--width": args.width,
    }
    app_only = {"--indicator": args.indicator, "--below-target-only": args.below_target_only}
    if not args.quick:
        for flag, value in quick_only.items():
            if value:
                parser.error(f"{flag} goes with --below-target, --actions or --risks")
    else:
        for flag, value in app_only.items():
            if value:
                parser.error(f"{flag} is for the explorer, not the quick check")


def main(argv: list[str] | None = None) -> int:
    """The command: ``argv`` (None: the process's own arguments, as the installed command
    runs; only then is an ingest run in a child it watches, ``cli/supervised.py``)."""
    command = argv is None
    argv = sys.argv[1:] if argv is None else argv
    try:
        argv = subcommand_first(argv, SUBCOMMANDS, _valued_options())
        if argv and argv[0] == "ingest":
            from barnet_tui.cli.ingest import run

            return run(argv[1:], supervise=command)
        if argv and argv[0] == "extract":
            from barnet_tui.cli.extract import run as extract

            return extract(argv[1:])
        if argv and argv[0] == "changes":
            from barnet_tui.cli import changes

            return changes.run(argv[1:])
        if argv and argv[0] == "serve":
            from barnet_tui.cli import serve

            return serve.run(argv[1:])
        if argv and argv[0] == "audit":
            from barnet_tui.cli import audit

            return audit.run(argv[1:])
        return _main(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (head, less) went away; nothing more to say, and nothing to complain about.
        sys.stderr.close()
        return 0
    except OSError as error:
        if isinstance(error, FileNotFoundError) and not _working_directory_exists():
            # Deleted under a shell still sitting in it: relative paths have nothing to resolve.
            return _error(
                "the working directory no longer exists, so relative paths cannot be found; "
                "cd to a folder that does"
            )
        # A file or folder the checks before did not foresee (no permission, a disk gone):
        # still one line naming it, and exit 2, never 1, which --fail-if-any keeps.
        from barnet_tui.domain.storage.files import os_reason

        where = f"{error.filename}: " if error.filename else ""
        return _error(f"{where}{os_reason(error)}")


def _period(args: argparse.Namespace) -> str:
    """The quick check's period: "current" unless given (an empty --period is a mistake to
    say, not a default to take)."""
    return "current" if args.period is None else str(args.period)


def _main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _check_combinations(parser, args)

    from barnet_tui.cli.common import again_if_replaced, configured
    from barnet_tui.config import ConfigError, parse_period
    from barnet_tui.domain.choices import ChoiceError
    from barnet_tui.domain.dataset import DatasetError

    try:
        config = configured(args.config, args.data)
        if args.below_target:
            from barnet_tui.cli import quickcheck
            from barnet_tui.domain.questions import BelowTargetQuery

            ratings = quickcheck.parse_ratings(args.rag) if args.rag is not None else None
            query = BelowTargetQuery(_period(args), args.service, ratings)
            return again_if_replaced(
                lambda: quickcheck.run(
                    query, args.format or "table", args.fail_if_any, config, args.width
                )
            )
        if args.quick:
            from barnet_tui.cli import lists
            from barnet_tui.domain.questions import ListQuery

            table = "actions" if args.actions else "risks"
            query_list = ListQuery(table, _period(args), args.service, args.min_score)
            return again_if_replaced(
                lambda: lists.run(
                    query_list, args.format or "table", args.fail_if_any, config, args.width
                )
            )
        explore = args.period is not None
        period = parse_period(args.period, "--period") if explore else config.period
    except (ConfigError, ChoiceError, DatasetError) as error:
        return _error(str(error))

    from barnet_tui.cli import explorer

    refusal = explorer.refusal()
    if refusal is not None:
        return _error(refusal)
    return explorer.run(
        config,
        period=period,
        service=args.service,
        indicator=args.indicator,
        below_target_only=args.below_target_only,
    )
