"""What ``changes`` and ``audit`` share: their common options, configuration and the
one-line error for bad data or arguments. Like the quick check, they never import Textual
or Rich."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from barnet_tui.argparsing import OneLineParser
from barnet_tui.config import Config, ConfigError, load_config
from barnet_tui.display import literal
from barnet_tui.domain.choices import ChoiceError
from barnet_tui.domain.dataset import DatasetError
from barnet_tui.domain.files import FileRefused, resolved
from barnet_tui.output_formats import FORMATS


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


def configured(config_file: Path | None, data: Path | None) -> Config:
    """The configuration ``--config`` and ``--data`` make, its notices said on stderr;
    ConfigError for a bad file."""
    config = load_config(config_file)
    for notice in config.notices:
        print(f"barnet-tui: notice: {notice}", file=sys.stderr)
    return config if data is None else config._replace(data_dir=data_flag(data), data_from=None)


def data_flag(data: Path) -> Path:
    """``--data DIR`` made absolute; ConfigError for a path that cannot be followed."""
    try:
        return resolved(data)
    except FileRefused as refused:
        raise ConfigError(f"--data {data}: {refused}") from None


def run(args: argparse.Namespace, body: Callable[[Config], int]) -> int:
    """``body`` with the configuration the options say; a bad config, dataset or choice is
    one line on stderr and exit 2."""
    try:
        return body(configured(args.config, args.data))
    except (ConfigError, ChoiceError, DatasetError, UsageError) as error:
        print(f"barnet-tui: error: {literal(str(error))}", file=sys.stderr)
        return 2
