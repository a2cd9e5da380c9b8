"""What the listing subcommands share (the quick check, its lists, ``changes`` and
``audit``): their common options, configuration, the period and service they ask for, and
the one-line error for bad data or arguments. None of them imports Textual or Rich."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from barnet_tui.cli.argparsing import WIDTH_HELP, OneLineParser, width_option
from barnet_tui.config import Config, ConfigError, data_location, load_config
from barnet_tui.domain.choices import ChoiceError
from barnet_tui.domain.dataset import DatasetError, GenerationGone, TableScan, load_table
from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.queries import ALL, CURRENT, LATEST, resolve_period, resolve_service
from barnet_tui.output.formats import FORMATS


class UsageError(Exception):
    """Options that cannot go together once the data is known; ``str()`` is the line shown."""


def parser(prog: str, description: str, examples: str, fail_if_any: str) -> OneLineParser:
    """A subcommand's parser with the options every listing command takes."""
    built = OneLineParser(
        prog=f"barnet-tui {prog}",
        description=description,
        epilog=examples + "\nexit status: 0 ok, 1 --fail-if-any found something, 2 bad "
        "arguments, configuration or data,\n3 nothing to judge with --fail-if-any.\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    built.add_argument("--data", metavar="DIR|URL", help="dataset directory or s3:// URL")
    built.add_argument("--config", type=Path, metavar="FILE", help="config file to read last")
    built.add_argument("--service", metavar="NAME", help="a service (any case, unique prefix)")
    built.add_argument("--format", choices=FORMATS, default="table")
    built.add_argument("--width", type=width_option, metavar="N", help=WIDTH_HELP)
    built.add_argument("--fail-if-any", action="store_true", help=fail_if_any)
    return built


def configured(config_file: Path | None, data: str | None) -> Config:
    """The configuration ``--config`` and ``--data`` make, its notices said on stderr;
    ConfigError for a bad file or location."""
    config = load_config(config_file)
    for notice in config.notices:
        print(f"barnet-tui: notice: {notice}", file=sys.stderr)
    if data is None:
        return config
    location = data_location(data, Path(), config.storage, "--data")
    return config._replace(data_dir=location, data_from=None)


def run(args: argparse.Namespace, body: Callable[[Config], int]) -> int:
    """``body`` with the configuration the options say; a bad config, dataset or choice is
    one line on stderr and exit 2."""
    try:
        config = configured(args.config, args.data)
        return again_if_replaced(lambda: body(config))
    except (ConfigError, ChoiceError, DatasetError, UsageError) as error:
        print(f"barnet-tui: error: {literal(str(error))}", file=sys.stderr)
        return 2


class Scope(NamedTuple):
    """The period and service a quick check asked for, checked, and its title."""

    period: str | None
    """A period, or None for "current" (each item's latest report) and "all"."""
    service: str | None
    title: str
    many: bool
    """Whether rows come from more than one period."""


def resolve_scope(
    indicators: TableScan, config: Config, period_text: str, service_text: str | None, item: str
) -> Scope:
    """``--period`` and ``--service`` resolved against the dataset's indicators; ``item``
    names what "current" takes the latest report of ("indicator", "service")."""
    title, many, period = "all periods", True, None
    if period_text == CURRENT:
        title = f"each {item}'s latest report"
    elif period_text != ALL:
        summary = None
        if period_text.strip().casefold() == LATEST:
            summary, _ = load_table(indicators.generation, "service_summary")
        period = resolve_period(indicators.rows, summary, period_text, check=False)
        title, many = period, False
    service = None
    if service_text is not None:
        service = resolve_service(indicators.rows, service_text)
        title = f"{service}, {title}"
    return Scope(period, service, title, many)


def again_if_replaced(body: Callable[[], int]) -> int:
    """``body``, run once more when the generation it read was removed from its store while
    it read (it outlived the grace period): the second run reads the current one."""
    try:
        return body()
    except GenerationGone:
        return body()
