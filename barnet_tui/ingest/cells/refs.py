"""Indicator references: recognising them in a cell and normalising them.

``FS/S 11`` -> ``FS/S11``; ``NM KPI 2.2`` -> ``KPI2.2 NM``; ``AC/S11 ASCOF 2B (1)`` ->
``AC/S11`` with the note ``ASCOF 2B (1)``. History across reports matches on the normalised
ref, so every spelling of one indicator must come out the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TBC_REF = "TBC"

# Notes printed in front of a ref: "Super KPI35b CSG/S1", "NEW - AC/C16", "Formerly CES/S13".
_LEADING_NOTE = re.compile(r"^(Super\s+KPI\s*\w+|NEW\s*[-–]|Formerly)\s+", re.IGNORECASE)
_TBC = re.compile(r"^TBC\b", re.IGNORECASE)

_CODE = re.compile(
    r"""^(?P<code>
        (?:NM\s+)?KPI\s*\d+(?:\.\d+)?(?:\s*-\s*\d+(?:\.\d+)?)?   # Re contract: KPI 1.2, KPI 2.1-2.3
      | SKPI\s*\d+[a-z]?                                         # Re service KPIs: SKPI 5
      | REGEN\s*KPI\s*[0-9O]+                                    # Re regeneration: REGEN KPIO5
      | EH\s*\d+[A-Z]?                                           # Re environmental health: EH01B
      | YCB\s*\d+                                                # Your Choice Barnet: YCB11
      | (?:[A-Z]{1,4}|Re)\s*/\s*[A-Z]{0,3}\s*\d[\d ]*(?:-\s*\d+)?   # AC/S11, CES/S1 3-1, R/ 3
      | (?:[A-Z]{2,4}|Re)/[A-Z]{1,3}(?=\s|$)                     # HBPL/C
    )""",
    re.VERBOSE,
)
# Re's area tags follow the code and stay in the ref: "KPI 1.2 NM", "KPI001 LC".
_AREA_TAG = re.compile(r"^(?P<tag>[A-Z]{2,3})(?=\s|$)")
_NOTE_WORD = re.compile(r"^(?:ASCOF\s*\w+(?:\s*\(\w+\))?|Re/SK\d+)", re.IGNORECASE)
# A single bracketed letter distinguishes sibling indicators: CES/S13 (a) and CES/S13 (b).
_SIBLING_LETTER = re.compile(r"^\(([a-z])\)", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Ref:
    """A ref found at the start of a cell."""

    ref: str
    raw: str
    note: str | None
    rest: str
    """What follows the ref and its notes (an indicator's title in "Ref and title" cells)."""


def _balanced_group(text: str) -> int:
    """Length of the bracketed group ``text`` starts with, or 0 when it is not closed."""
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
    return 0


def _normalise_code(code: str) -> tuple[str, str | None]:
    code = _SPACES.sub("", code).upper()
    if code.startswith("REGENKPI"):
        # The letter O printed for a zero in "REGEN KPIO5".
        code = "REGENKPI" + code.removeprefix("REGENKPI").replace("O", "0")
    if code.startswith("NMKPI"):
        return code.removeprefix("NM"), "NM"
    return code, None


def parse_ref(cell: str, *, title_follows: bool = False) -> Ref | None:
    """The ref a cell starts with, or None.

    With ``title_follows`` the cell may go on with the indicator's title ("Ref and title"
    tables, lists of below-target indicators); otherwise anything after the ref and its notes
    means the cell is not a ref cell.
    """
    text = cell.strip()
    notes: list[str] = []
    leading = _LEADING_NOTE.match(text)
    if leading:
        notes.append(leading[1])
        text = text[leading.end() :]
    tbc = _TBC.match(text)
    match = tbc or _CODE.match(text)
    if match is None:
        return None
    if tbc:
        ref, tag = TBC_REF, None
    else:
        ref, tag = _normalise_code(match["code"])
    rest = text[match.end() :]
    while True:
        stripped = rest.lstrip()
        if not stripped:
            rest = ""
            break
        sibling = _SIBLING_LETTER.match(stripped)
        group = _balanced_group(stripped) if stripped.startswith("(") else 0
        area = _AREA_TAG.match(stripped) if not tbc and ref.startswith("KPI") else None
        note_word = _NOTE_WORD.match(stripped)
        if sibling and tag is None:
            ref = f"{ref}({sibling[1].upper()})"
            rest = stripped[sibling.end() :]
        elif group:
            notes.append(stripped[:group])
            rest = stripped[group:]
        elif area and tag is None:
            tag = area["tag"]
            rest = stripped[area.end() :]
        elif note_word:
            notes.append(note_word[0])
            rest = stripped[note_word.end() :]
        else:
            rest = stripped
            break
    if rest and not title_follows:
        return None
    if tag:
        ref = f"{ref} {tag}"
    raw = cell.strip()[: len(cell.strip()) - len(rest)].strip() if rest else cell.strip()
    note = " ".join(notes) or None
    return Ref(ref=ref, raw=raw, note=note, rest=rest.strip())


def unread_row(cells: list[str], ref: str | None) -> str:
    """Why a row of a spreadsheet is not read: it has no ref, or its ref cell holds no ref
    of a shape a report uses (``1234``, ``ABCD``, a Cyrillic letter in ``FS/S4``), named."""
    text = repr(" | ".join(cells)[:120])
    if ref is None:
        return f"a row with no ref, not read (a cell is its row's alone): {text}"
    foreign = sorted({f"U+{ord(char):04X}" for char in ref[:40] if not char.isascii()})
    shown = f"{ref[:40]!r}" + (f" (holding {', '.join(foreign[:5])})" if foreign else "")
    return (
        f"a row whose ref {shown} is of no shape read as a ref (such as FS/S1, KPI 1.2 or "
        f"EH01B), not read: {text}"
    )
