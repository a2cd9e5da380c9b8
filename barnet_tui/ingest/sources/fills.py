"""Ratings printed only as colour: a cell's fill read as Green, Green Amber, Red Amber or Red.

Many councils shade the rating cell (often the result's own cell) and print no letter. A
source that sees fills (a PDF's filled paths, a workbook's cell styles) gives each table
cell its fill colour; this module turns fills into ratings, by the report's own key where
it prints one (rating names in their colours), else by the palette most reports use.

Colours are compared as a reader sees them, in CIELAB with the CIEDE2000 difference (ΔE00,
CIE 142-2001), which is close to how far apart two colours look: a fill is a rating when it
is within ``TOLERANCE`` of that rating's colour and of no other rating's. ΔE00 6 is a
shade that looks the same at a glance (a typesetter's or a printer's rounding, a CMYK
conversion); it is under half the distance between the palette's two closest colours
(Green and Green Amber, ΔE00 15.2), so a fill is never near two of them, and Excel's
accent green (70AD47, ΔE00 9 and 10 from both greens) is no rating rather than a guess.

A source writes what it read into the cell's text as a mark the text reader takes out again
(``81.5% [fill GA #92D050]``, or ``[fill #7030A0]`` for a colour that is no rating), so
``barnet-tui extract`` shows that a rating came from colour, and ingesting the extracted text
gives the same rows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from barnet_tui.ingest.cells.refs import parse_ref
from barnet_tui.ingest.cells.values import rating

Colour = tuple[int, int, int]
"""sRGB, 0-255 a channel."""

PALETTE: Final[tuple[tuple[str, Colour], ...]] = (
    ("Green", (0x00, 0xB0, 0x50)),
    ("Green Amber", (0x92, 0xD0, 0x50)),
    ("Red Amber", (0xFF, 0xC0, 0x00)),
    ("Red", (0xFF, 0x00, 0x00)),
)
"""The ratings' colours in most councils' reports (Word's standard Green, Light Green,
Gold/Orange and Red)."""
TOLERANCE: Final = 6.0
"""ΔE00 within which a fill is a rating's colour (see the module's docstring)."""
_BLANK: Final = 2.0
"""ΔE00 from white within which a fill is no fill (a white cell, paper)."""
_LETTERS: Final = {"Green": "G", "Green Amber": "GA", "Red Amber": "RA", "Red": "R", "Monitor": "M"}
_BY_LETTER: Final = {letter: name for name, letter in _LETTERS.items()}
_MARK = re.compile(r"\s*\[fill (?:(G|GA|RA|R|M) )?#([0-9A-F]{6})\]")
_NAME_FIRST = re.compile(
    r"^\s*(green amber|red amber|amber green|amber red|green|amber|red|monitor)\s*(?:$|[-:–—=(,])",
    re.IGNORECASE,
)
"""A rating's name opening a key's text, then its meaning set off ("Red Amber - 65-80%",
"Green: target met"); a sentence that starts with the word ("Green waste ...") is none."""
_OTHER_NAMES: Final = ("Amber", "Amber Green", "Amber Red")
"""Names a three-colour (or differently named) key gives that are no rating of the contract:
their colour is then no rating, rather than read as the nearest one."""


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


@lru_cache(maxsize=4096)
def _lab(colour: Colour) -> tuple[float, float, float]:
    """sRGB (D65) to CIELAB."""
    r, g, b = (_linear(channel) for channel in colour)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(first: Colour, second: Colour) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal's formulation)."""
    (l1, a1, b1), (l2, a2, b2) = _lab(first), _lab(second)
    mean_c = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(mean_c**7 / (mean_c**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360
    h2 = math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    big_dh = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh) / 2)
    mean_l, mean_c = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        mean_h = h1 + h2
    elif abs(h1 - h2) <= 180:
        mean_h = (h1 + h2) / 2
    else:
        mean_h = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(mean_h - 30))
        + 0.24 * math.cos(math.radians(2 * mean_h))
        + 0.32 * math.cos(math.radians(3 * mean_h + 6))
        - 0.20 * math.cos(math.radians(4 * mean_h - 63))
    )
    s_l = 1 + 0.015 * (mean_l - 50) ** 2 / math.sqrt(20 + (mean_l - 50) ** 2)
    s_c, s_h = 1 + 0.045 * mean_c, 1 + 0.015 * mean_c * t
    rotation = -math.sin(math.radians(60 * math.exp(-(((mean_h - 275) / 25) ** 2)))) * (
        2 * math.sqrt(mean_c**7 / (mean_c**7 + 25**7))
    )
    dl, dc, dh_s = (l2 - l1) / s_l, (c2 - c1) / s_c, big_dh / s_h
    return math.sqrt(max(0.0, dl**2 + dc**2 + dh_s**2 + rotation * dc * dh_s))


def hex_of(colour: Colour) -> str:
    return "#{:02X}{:02X}{:02X}".format(*colour)


def is_blank(colour: Colour | None) -> bool:
    """No fill, or one a reader sees as white paper."""
    return colour is None or delta_e(colour, (255, 255, 255)) <= _BLANK


@dataclass(frozen=True)
class Key:
    """Which colour is which rating: the report's key, else the usual palette."""

    colours: tuple[tuple[str, Colour], ...] = PALETTE

    def rating(self, colour: Colour) -> str | None:
        """The one rating whose colour is within the tolerance of ``colour``; None when no
        rating's is, or two ratings' are (never a guess)."""
        near = {name for name, known in self.colours if delta_e(colour, known) <= TOLERANCE}
        name = near.pop() if len(near) == 1 else None
        return name if name in _LETTERS else None


def key_entries(cells: Sequence[tuple[str, Colour | None]]) -> list[tuple[str, Colour]]:
    """The (rating, colour) pairs a row of (text, fill) cells states as a key: a filled cell
    whose text is a rating's name (``Green Amber``, ``GA``, or a name and its meaning), or a
    filled empty cell (a swatch) before a cell that starts with one. A row that names an
    indicator by its ref is a table's row, not a key."""
    if any(parse_ref(text) is not None for text, _fill in cells if text):
        return []
    found: list[tuple[str, Colour]] = []
    for index, (text, fill) in enumerate(cells):
        if fill is None or is_blank(fill):
            continue
        if not text and index + 1 < len(cells):
            text = cells[index + 1][0]
        name = _rating_first(text) if text and rating(text) is None else rating(text)
        if name is not None:
            found.append((name, fill))
    return found


def _rating_first(text: str) -> str | None:
    match = _NAME_FIRST.match(text)
    if match is None:
        return None
    words = " ".join(match[1].split()).title()
    return words if words in _OTHER_NAMES else rating(words)


def report_key(entries: Iterable[tuple[str, Colour]]) -> tuple[Key, str | None]:
    """The key a report prints, from the entries found in it, and a warning when they do not
    make one. A key names two ratings or more, and no colour stands for two of them; it
    replaces the palette (a colour it does not give is no rating, never the palette's)."""
    entries = list(dict.fromkeys(entries))
    named = {name for name, _colour in entries}
    if len(named) < 2:
        return Key(), None
    for name, colour in entries:
        for other, known in entries:
            if other != name and delta_e(colour, known) <= TOLERANCE:
                return Key(), (
                    f"the report's colour key gives {hex_of(colour)} to {name} and "
                    f"{hex_of(known)} to {other}; fills read by the usual palette"
                )
    return Key(tuple(entries)), None


def marked(text: str, fill: Colour, key: Key) -> str:
    """A cell's text with its fill's mark: the rating's letter where the fill is one."""
    name = key.rating(fill)
    letter = f"{_LETTERS[name]} " if name else ""
    return f"{text} [fill {letter}{hex_of(fill)}]".strip()


def marked_rows(
    rows: Sequence[Sequence[str]], fills: Sequence[Sequence[Colour | None]], key: Key
) -> list[list[str]]:
    """Rows of cells with their fills marked; a row shaded whole in a colour that is no
    rating (a header, a band of a striped table) is shading, and keeps its text as it is."""
    out: list[list[str]] = []
    for row, row_fills in zip(rows, fills, strict=True):
        shades = [None if is_blank(fill) else fill for fill in row_fills]
        whole = shades[0] if len(set(shades)) == 1 else None
        if len(set(shades)) == 1 and (whole is None or key.rating(whole) is None):
            out.append(list(row))
            continue
        out.append(
            [
                text if fill is None else marked(text, fill, key)
                for text, fill in zip(row, shades, strict=True)
            ]
        )
    return out


def marked_sheet(
    rows: Sequence[Sequence[str]], fills: Sequence[Sequence[Colour | None]]
) -> tuple[list[list[str]], str | None]:
    """A sheet's rows with their fills marked, read by the key the sheet prints, if any; and
    what reading its key warns."""
    entries = [
        entry
        for row, row_fills in zip(rows, fills, strict=True)
        for entry in key_entries(list(zip(row, row_fills, strict=True)))
    ]
    key, problem = report_key(entries)
    return marked_rows(rows, fills, key), problem


@dataclass(frozen=True)
class FillMark:
    """What a source read of a cell's fill: the rating it stands for, if any, and its colour."""

    rating: str | None
    colour: str
    """``#RRGGBB``."""

    @property
    def text(self) -> str:
        """The mark as a cell's text carries it (``marked``), which ``take_marks`` reads."""
        letter = f"{_LETTERS[self.rating]} " if self.rating else ""
        return f"[fill {letter}{self.colour}]"


def take_marks(cell: str) -> tuple[str, FillMark | None]:
    """A cell's text without its fill marks, and the fill they give (the first)."""
    if "[fill " not in cell:
        return cell, None
    found = _MARK.search(cell)
    if found is None:
        return cell, None
    letter = found[1]
    return _MARK.sub("", cell), FillMark(_BY_LETTER[letter] if letter else None, f"#{found[2]}")


def rating_by_fill(
    said: str | None, mark: FillMark | None, ref: str
) -> tuple[str | None, bool, str | None]:
    """A row's rating given what its rating cell says and how it is shaded: (rating, whether
    it came from the fill, a warning). A printed rating stands, and a fill that is another
    rating is a warning; a fill that is no rating leaves an unlettered row unrated, and says
    so."""
    if mark is None:
        return said, False, None
    if said is not None:
        if mark.rating is not None and mark.rating != said:
            warning = f"{ref} is rated {said} but its cell is shaded {mark.rating} ({mark.colour})"
            return said, False, warning
        return said, False, None
    if mark.rating is None:
        return (
            None,
            False,
            (
                f"{ref}: its rating cell is shaded {mark.colour}, which is no rating's colour "
                "(neither the report's key nor the usual palette): not rated"
            ),
        )
    return mark.rating, True, None
