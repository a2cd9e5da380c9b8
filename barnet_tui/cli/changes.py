"""``barnet-tui changes``: what changed since last time, per service and council-wide."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TextIO

import polars as pl

from barnet_tui.cli import common
from barnet_tui.cli.argparsing import OneLineParser
from barnet_tui.config import Config
from barnet_tui.domain.changes import (
    READ,
    changes,
    compared_with,
    comparisons,
    counts_sentence,
    coverage,
    cue,
    detail,
    not_comparable,
)
from barnet_tui.domain.dataset import scan_table
from barnet_tui.domain.judging import Judged, exit_status
from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.queries import distinct, resolve_period, resolve_service
from barnet_tui.output.formats import (
    colour_wanted,
    markdown_cell,
    markdown_table,
    row_lines,
    share_widths,
    table_width,
    wrapped,
    write_records,
)
from barnet_tui.output.painter import Painter

EXAMPLES = """\
examples:
  barnet-tui changes                                 each service's two latest reports
  barnet-tui changes --from "2015/16 Q4" --to "2016/17 Q4" --service fam
  barnet-tui changes --format csv > changes.csv
  barnet-tui changes --fail-if-any || mail -s "Got worse" team < changes.txt
"""


class Changes(NamedTuple):
    rows: pl.DataFrame
    pairs: pl.DataFrame
    not_compared: list[str]
    """Services in scope with no second report to compare with."""
    title: str
    covered: pl.DataFrame
    """Per compared service, indicators in both reports and in one only (``coverage``)."""


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


def select(
    config: Config, from_text: str | None, to_text: str | None, service_text: str | None
) -> Changes:
    """The changes the options ask for; ChoiceError / DatasetError on bad input."""
    scan = scan_table(config.data_dir, "indicators")
    scan.require_rows()
    indicators = scan.rows.select(READ)
    from_period = None if from_text is None else resolve_period(indicators, None, from_text)
    to_period = None if to_text is None else resolve_period(indicators, None, to_text)
    if from_period is not None and to_period is not None and from_period >= to_period:
        raise common.UsageError(f"--to {to_period} is not after --from {from_period}")
    service = None if service_text is None else resolve_service(indicators, service_text)
    if service is not None:
        indicators = indicators.filter(pl.col("service") == service)
    pairs = comparisons(indicators, from_period, to_period)
    asked = [period for period in (from_period, to_period) if period is not None]
    # A service reporting in either period asked for (any, with none asked) but not compared.
    in_scope = indicators.filter(pl.col("period").is_in(asked)) if asked else indicators
    compared = set(pairs["service"].to_list())
    not_compared = [name for name in sorted(distinct(in_scope, "service")) if name not in compared]
    found = changes(indicators, pairs)
    title = _title(from_period, to_period, service)
    return Changes(found, pairs, not_compared, title, coverage(indicators, pairs))


def judged_changes(found: Changes) -> Judged:
    """What the changes judged: the indicators compared, and the changes for the worse."""
    compared = int(found.covered["compared"].sum()) if found.covered.height else 0
    worse = int(found.rows["worse"].sum()) if found.rows.height else 0
    return Judged(found.rows.height, compared, worse)


def _title(from_period: str | None, to_period: str | None, service: str | None) -> str:
    if from_period and to_period:
        span = f"{from_period} → {to_period}"
    elif to_period:
        span = f"{to_period}, each indicator against its latest earlier figure"
    elif from_period:
        span = f"{from_period} → each service's latest report"
    else:
        span = "each service's latest report, each indicator against its latest earlier figure"
    return f"{service}, {span}" if service else span


def write_table(
    found: Changes, out: TextIO, colour: bool, config: Config, width: int | None = None
) -> None:
    """Per service, one line a change, no line wider than ``table_width``."""
    painter = Painter(colour, config)
    width = table_width(out, width)
    print(painter.paint(wrapped(f"Changes — {literal(found.title)}", width), "1"), file=out)
    rows = found.rows
    spans = {row["service"]: row for row in found.pairs.iter_rows(named=True)}
    covered = {row["service"]: row for row in found.covered.iter_rows(named=True)}
    # "  ▼ ", change, " ", ref, " ", name, "  ", what moved
    available = width - 4 - 1 - 1 - 2
    for service, span in spans.items():
        own = rows.filter(pl.col("service") == service)
        counts = covered[service]
        heading = f"{literal(service)}  {span['to_period']}"
        print(f"\n{painter.paint(wrapped(heading, width), '1;4')}", file=out)
        apart = not_comparable(counts["nothing_to_compare"], counts["new"], counts["dropped"])
        compared = f"  {counts['compared']} compared" + compared_with(
            counts["compared"], counts["printed"]
        )
        compared += f"; {apart}" if apart else ""
        print(wrapped(compared, width), file=out)
        if own.height == 0:
            said = (
                f"No changes among the {counts['compared']} compared."
                if counts["compared"]
                else "Nothing could be compared: no earlier figure for any of them."
            )
            print(f"  {said}", file=out)
            continue
        records = own.to_dicts()
        # What moved and the ref are never cut: a longer one wraps in its column, whole. The
        # kind of change ("better vs previous") stays on one line, so a row starts with it.
        # The ref too, up to ten characters ("REGENKPI05", "KPI1.2 NM"): the name gives way.
        kind_width = max(len(row["change"]) for row in records)
        ref_wanted = max(len(literal(row["ref"])) for row in records)
        change_width, ref_width, name_width, detail_width = share_widths(
            available,
            [
                kind_width,
                ref_wanted,
                0,
                min(max(len(literal(detail(row))) for row in records), 30),
            ],
            [kind_width, min(ref_wanted, 10), 10, 12],
            rest=2,
        )
        for row in records:
            sign = painter.paint(cue(row), "31" if row["worse"] else "0")
            cells = [
                (row["change"], change_width, True),
                (literal(row["ref"]), ref_width, True),
                (literal(row["indicator"]), name_width, False),
                (literal(detail(row)), detail_width, True),
            ]
            first, *more = row_lines(cells, (" ", " ", "  "))
            print(f"  {sign} {first}", file=out)
            for line in more:
                print(f"    {line}", file=out)
    council = f"Council-wide: {counts_sentence(rows, found.covered)}"
    print(f"\n{wrapped(council, width)}", file=out)
    if found.not_compared:
        print(wrapped(not_compared_line(found.not_compared, literal), width), file=out)


def not_compared_line(services: list[str], shown: Callable[[str], str]) -> str:
    """The services left out, each name made safe by ``shown`` for where it is printed:
    without it, no changes would read as nothing having changed there."""
    names = ", ".join(shown(name) for name in services)
    return f"Not compared (no report to compare with): {names}"


_MARKDOWN: Sequence[tuple[str, Any]] = (
    ("Service", lambda row: row["service"]),
    ("Ref", lambda row: row["ref"]),
    ("Indicator", lambda row: row["indicator"]),
    ("Change", lambda row: row["change"]),
    ("From", lambda row: f"{row['from_period']}"),
    ("To", lambda row: f"{row['to_period']}"),
    ("What moved", detail),
)


def write_markdown(found: Changes, rows: pl.DataFrame, out: TextIO) -> None:
    print(f"## Changes: {markdown_cell(found.title)}\n", file=out)
    if rows.height:
        print("\n".join(markdown_table(rows, _MARKDOWN)), file=out)
    print(f"\nCouncil-wide: {counts_sentence(rows, found.covered)}", file=out)
    if found.not_compared:
        print(f"\n{not_compared_line(found.not_compared, markdown_cell)}", file=out)


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)

    def body(config: Config) -> int:
        found = select(config, args.from_period, args.to_period, args.service)
        out = sys.stdout
        write_records(
            found.rows,
            args.format,
            out,
            lambda rows, stream: write_markdown(found, rows, stream),
            lambda _rows, stream: write_table(
                found, stream, colour_wanted(stream), config, args.width
            ),
        )
        return exit_status(judged_changes(found), args.fail_if_any)

    return common.run(args, body)
