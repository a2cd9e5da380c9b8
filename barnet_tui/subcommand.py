"""What ``changes`` and ``audit`` share: their common options, configuration, the four output
formats and the one-line error for bad data or arguments.

Like the quick check, these print for people (a table, coloured only on a terminal) and for
scripts (csv, json, markdown), and never import Textual or Rich.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

import polars as pl
import polars.selectors as cs

from barnet_tui.argparsing import OneLineParser
from barnet_tui.config import Config, ConfigError, load_config
from barnet_tui.display import literal, literal_column
from barnet_tui.domain.choices import ChoiceError
from barnet_tui.domain.dataset import DatasetError
from barnet_tui.quickcheck import markdown_cell, write_json

FORMATS = ("table", "csv", "json", "markdown")


class UsageError(Exception):
    """Options that cannot go together once the data is known; ``str()`` is the line shown."""


def parser(prog: str, description: str, examples: str, fail_if_any: str) -> OneLineParser:
    """A subcommand's parser with the options every listing command takes."""
    built = OneLineParser(
        prog=f"barnet-tui {prog}",
        description=description,
        epilog=examples + "\nexit status: 0 ok, 1 --fail-if-any found something, 2 bad "
        "arguments, configuration or data.\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    built.add_argument("--data", type=Path, metavar="DIR", help="dataset directory")
    built.add_argument("--config", type=Path, metavar="FILE", help="config file to read last")
    built.add_argument("--service", metavar="NAME", help="a service (any case, unique prefix)")
    built.add_argument("--format", choices=FORMATS, default="table")
    built.add_argument("--fail-if-any", action="store_true", help=fail_if_any)
    return built


def run(args: argparse.Namespace, body: Callable[[Config], int]) -> int:
    """``body`` with the configuration the options say; a bad config, dataset or choice is
    one line on stderr and exit 2."""
    try:
        config = load_config(args.config)
        for notice in config.notices:
            print(f"barnet-tui: notice: {notice}", file=sys.stderr)
        if args.data is not None:
            config = config._replace(data_dir=args.data.resolve())
        return body(config)
    except (ConfigError, ChoiceError, DatasetError, UsageError) as error:
        print(f"barnet-tui: error: {literal(str(error))}", file=sys.stderr)
        return 2


def colour_wanted(out: TextIO) -> bool:
    return out.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def write_records(
    rows: pl.DataFrame,
    fmt: str,
    out: TextIO,
    markdown: Callable[[pl.DataFrame, TextIO], None],
    table: Callable[[pl.DataFrame, TextIO], None],
) -> None:
    """``rows`` as ``fmt``: csv and json are every record whole; no format carries a control
    or bidi character from the data."""
    inert = rows.with_columns(literal_column(cs.string()))
    if fmt == "csv":
        inert.write_csv(out)
    elif fmt == "json":
        write_json(inert, out)
    elif fmt == "markdown":
        markdown(inert, out)
    else:
        table(rows, out)
    out.flush()


def markdown_table(
    rows: pl.DataFrame, columns: Sequence[tuple[str, Callable[[dict[str, object]], object]]]
) -> list[str]:
    """Lines of a Markdown table: ``columns`` are (heading, cell of a record)."""
    lines = ["| " + " | ".join(heading for heading, _cell in columns) + " |"]
    lines.append("|" + "---|" * len(columns))
    for row in rows.iter_rows(named=True):
        lines.append("| " + " | ".join(markdown_cell(cell(row)) for _h, cell in columns) + " |")
    return lines
