"""``barnet-tui changes``: what changed since last time, per service and council-wide."""

from __future__ import annotations

import sys

from barnet_tui.cli import common
from barnet_tui.cli.argparsing import OneLineParser
from barnet_tui.config import Config
from barnet_tui.domain.judging import exit_status
from barnet_tui.domain.questions import changes_asked
from barnet_tui.output.changes import write

EXAMPLES = """\
examples:
  barnet-tui changes                                 each service's two latest reports
  barnet-tui changes --from "2015/16 Q4" --to "2016/17 Q4" --service fam
  barnet-tui changes --format csv > changes.csv
  barnet-tui changes --fail-if-any || mail -s "Got worse" team < changes.txt
"""


def build_parser() -> OneLineParser:
    parser = common.parser(
        "changes",
        "What changed, per service and council-wide: each indicator against its own\n"
        "latest earlier figure (an earlier report's row, else the previous result its\n"
        "report prints), matched by service and ref: newly below target, recovered,\n"
        "rating up or down, direction flipped, worse or better vs previous, new, dropped.",
        EXAMPLES,
        "exit 1 when anything became worse (newly below target, rating down, direction "
        "flipped to Worsening, worse vs previous), 3 when nothing could be compared",
    )
    parser.add_argument("--from", dest="from_period", metavar="PERIOD", help="earlier period")
    parser.add_argument("--to", dest="to_period", metavar="PERIOD", help="later period")
    return parser


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)

    def body(config: Config) -> int:
        found = changes_asked(config.data_dir, args.from_period, args.to_period, args.service)
        write(found, args.format, sys.stdout, config, args.width)
        return exit_status(found.judged(), args.fail_if_any)

    return common.run(args, body)
