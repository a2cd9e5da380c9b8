"""Colour for the terminal lists: badges in colour *and* letters, plain when colour is off
(NO_COLOR, TERM=dumb, a pipe), and only SGR sequences of our own making, never data text."""

from __future__ import annotations

from typing import TextIO

from barnet_tui.config import Config
from barnet_tui.domain.ratings import badge_letters
from barnet_tui.output.formats import table_width, wrapped

_ANSI_CODES = {
    name: code
    for code, name in enumerate(
        ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"), start=30
    )
}
_BADGE_COLOUR_KEYS = {
    "Green": "green",
    "Green Amber": "green_amber",
    "Red Amber": "red_amber",
    "Red": "red",
    "Monitor": "monitor",
}


def _sgr(colour: str, background: bool) -> str:
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(char * 2 for char in digits)
        red, green, blue = (int(digits[index : index + 2], 16) for index in (0, 2, 4))
        return f"{48 if background else 38};2;{red};{green};{blue}"
    bright = colour.startswith("bright_")
    code = _ANSI_CODES.get(colour.removeprefix("bright_"), 37) + (60 if bright else 0)
    return str(code + 10 if background else code)


class Painter:
    """Paints the lists' titles and RAG badges with the configured colours."""

    def __init__(self, enabled: bool, config: Config) -> None:
        self.enabled = enabled
        self.badges = config.badges

    def paint(self, text: str, sgr: str) -> str:
        return f"\x1b[{sgr}m{text}\x1b[0m" if self.enabled else text

    def badge(self, rag: str | None) -> str:
        letters = badge_letters(rag).center(4)
        if not self.enabled:
            return letters
        key = _BADGE_COLOUR_KEYS.get(rag or "", "not_rated" if rag is None else "unknown")
        return self.paint(letters, f"1;30;{_sgr(self.badges[key], background=True)}")


def titled(
    out: TextIO, colour: bool, config: Config, width: int | None, title: str
) -> tuple[Painter, int]:
    """A terminal list begun: its ``title`` printed in bold, wrapped to the table's width;
    the painter and the width for the rest of it."""
    painter = Painter(colour, config)
    width = table_width(out, width)
    print(painter.paint(wrapped(title, width), "1"), file=out)
    return painter, width
