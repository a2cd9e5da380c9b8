"""Argument parsing that reports a mistake as one line on stderr and exit 2."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from barnet_tui.domain.literal_text import literal
from barnet_tui.output.options import PIPED_WIDTH, WIDTHS


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line (no usage block), as every error here is."""

    def error(self, message: str) -> NoReturn:
        """One line; an argument it quotes ("unrecognized arguments: ...") is shown inert."""
        print(f"{self.prog}: error: {literal(message)} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def width_option(text: str) -> int:
    """``--width N``: a whole number of columns within ``WIDTHS``."""
    try:
        width = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of columns") from None
    low, high = WIDTHS
    if not low <= width <= high:
        raise argparse.ArgumentTypeError(f"{width} columns is outside {low}-{high}")
    return width


WIDTH_HELP = f"table width in columns (default: the terminal's, or {PIPED_WIDTH} when piped)"


def subcommand_first(argv: list[str], subcommands: tuple[str, ...], valued: set[str]) -> list[str]:
    """``argv`` with a subcommand that options came before moved to the front, those options
    after it (``--data DIR changes`` reads as ``changes --data DIR``), so options go either
    side; its own parser then judges them, one line and exit 2 for one it does not take.

    ``valued`` are the option strings that take a value: a value is never taken for the
    subcommand (``--service audit`` names a service). An abbreviation counts as its option,
    as argparse reads it.
    """
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--":
            return argv
        if token in subcommands:
            return [token, *argv[:index], *argv[index + 1 :]]
        if token.startswith("-") and "=" not in token:
            named = [option for option in valued if option.startswith(token)]
            if token in valued or len(named) == 1:
                index += 1  # its value
        elif not token.startswith("-"):
            return argv  # a word no subcommand names: the parser says so
        index += 1
    return argv
