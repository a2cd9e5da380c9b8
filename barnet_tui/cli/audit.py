"""``barnet-tui audit``: the reports' RAG rule applied to every row, beside the published
rating, with the working shown."""

from __future__ import annotations

import sys

from barnet_tui.cli import common
from barnet_tui.cli.argparsing import OneLineParser
from barnet_tui.config import Config
from barnet_tui.domain.audit import audit_asked, audit_judged
from barnet_tui.domain.judging import exit_status
from barnet_tui.domain.queries import ALL
from barnet_tui.output.audit import write

EXAMPLES = """\
examples:
  barnet-tui audit                                   every period
  barnet-tui audit --period "2016/17 Q4" --service fam
  barnet-tui audit --format csv > audit.csv
  barnet-tui audit --fail-if-any                     exit 1 if any published rating disagrees
"""


def build_parser() -> OneLineParser:
    parser = common.parser(
        "audit",
        "The RAG rule printed in the reports' key (% of the targeted improvement achieved,\n"
        "with its amendments) applied to every indicator row, beside the published rating.",
        EXAMPLES,
        "exit 1 when the rule disagrees with any published rating, 3 when no published "
        "rating could be checked",
    )
    parser.add_argument(
        "--period",
        metavar="PERIOD",
        default=ALL,
        help="'2016/17 Q4', 'latest', 'current' (each indicator's latest report) or 'all' "
        "(default)",
    )
    return parser


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)

    def body(config: Config) -> int:
        found = audit_asked(config.data_dir, args.period, args.service)
        write(found, args.format, sys.stdout, config, args.width)
        return exit_status(audit_judged(found.rows), args.fail_if_any)

    return common.run(args, body)
