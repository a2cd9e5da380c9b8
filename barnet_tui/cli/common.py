"""What the listing subcommands share (the quick check, its lists, ``changes`` and
``audit``): their common options, configuration, warnings, and the one-line error for bad
data or arguments. None of them imports Textual or Rich."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from barnet_tui.cli.argparsing import WIDTH_HELP, OneLineParser, width_option
from barnet_tui.config import Config, ConfigError, data_location, load_config
from barnet_tui.domain.choices import ChoiceError
from barnet_tui.domain.dataset import DatasetError, GenerationGone
from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.questions import UsageError
from barnet_tui.domain.validate import Problem
from barnet_tui.output.formats import FORMATS


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


def warn(problem: Problem) -> None:
    """A value outside the contract's vocabularies: kept, shown as unknown ("?"), and said
    on stderr."""
    print(f"barnet-tui: warning: {problem}", file=sys.stderr)


def again_if_replaced(body: Callable[[], int]) -> int:
    """``body``, run once more when the generation it read was removed from its store while
    it read (it outlived the grace period): the second run reads the current one."""
    try:
        return body()
    except GenerationGone:
        return body()
