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
