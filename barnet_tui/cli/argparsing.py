"""Argument parsing that reports a mistake as one line on stderr and exit 2."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from barnet_tui.domain.literal_text import literal


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line (no usage block), as every error here is."""

    def error(self, message: str) -> NoReturn:
        """One line; an argument it quotes ("unrecognized arguments: ...") is shown inert."""
        print(f"{self.prog}: error: {literal(message)} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)
