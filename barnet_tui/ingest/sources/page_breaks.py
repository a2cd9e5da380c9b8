"""Whether the first row of a table on a page is the rest of the row the page break cut.

A word processor lets a row break across pages (Word's default): the row's cells run to the
foot of the page and go on at the top of the next, under the header row repeated or not.
What the next page shows of it is a row whose key cell (the ref) is empty, since the ref was
printed above the break. Rows are told apart by what the pages show, never by one
typesetter's habits: the row above ends at the page's foot (its cells are open there), the
row below has no ref where the table's rows have one, and its text goes on with the text
above it. Where the page says one thing and the text another, the row is joined or kept
and a warning names it, so that nothing uncertain passes without a word.
"""

from __future__ import annotations

from dataclasses import dataclass

from barnet_tui.ingest.cells.refs import parse_ref
from barnet_tui.ingest.sources.pdf_hyphens import (
    HARD_HYPHEN,
    MINUS,
    SOFT_HYPHEN,
    UNSURE_HYPHEN,
    join_lines,
)
from barnet_tui.ingest.tables.sections import is_terminated

_OPEN_ENDS = ("-", "–", "—", ":", ",", "(", "&", "/")
"""A cell's text ending so ("DUFS0020 -") goes on: the next line has the rest."""

_FOOT_LINES = 3.2
"""Lines of the table's text within which a row's bottom is at the page's foot: a row cut
by the break fills the page down to the last lines that fit, and a word processor keeps two
lines of a paragraph together (widow and orphan control), its cell padding aside."""


@dataclass(frozen=True)
class Cut:
    """What the page shows of a possible cut row: whether to join it, and a warning when
    the geometry and the text disagree (None when they agree)."""

    join: bool
    doubt: str | None = None


def at_foot(bottom: float, foot: float, size: float) -> bool:
    """Whether a table whose last row ends at ``bottom`` fills its page down to ``foot``
    (the lowest any page's text reaches), as a row the break cut does."""
    return bottom >= foot - _FOOT_LINES * 1.2 * size - 2.0


def _goes_on(above: str, cell: str) -> bool:
    """Whether ``cell`` continues the text ``above`` it, cut mid-sentence or mid-word."""
    return bool(above) and (
        not is_terminated(above)
        or cell[0].islower()
        or above.endswith((HARD_HYPHEN, SOFT_HYPHEN, MINUS, UNSURE_HYPHEN))
    )


def cut_row(
    before: list[str], after: list[str], keyed: bool, foot: bool, header: bool = False
) -> Cut:
    """Whether ``after``, the first row of a table on a page, is the rest of ``before``, the
    last row of the same table on the page before.

    ``keyed``: the table's rows have a ref in their first cell (so a row without one is no
    row of its own); ``foot``: ``before`` ends at the page's foot (its cells may be open);
    ``header``: ``before`` is the table's header row, all the page before showed of it.
    A row with its first cell printed is a row of its own, but where that cell goes on in
    lower case from an open row above. Otherwise, the text decides where
    the page is silent: every printed cell goes on with the one above it (mid-sentence) and
    the row is joined; at the foot of a keyed table, one that goes on is enough, and where
    none does the row is joined (no row of that table lacks a ref) with a warning."""
    filled = [index for index, cell in enumerate(after) if cell]
    if not filled:
        return Cut(False)
    if header:
        # A header row cut at the foot: its rest is more words of its headings (short, no
        # sentence), or goes on in lower case or from an open end; a first row of the body
        # with its first cell left empty says more.
        return Cut(
            foot
            and all(
                _goes_on_plainly(before[i], after[i]) or _heading_words(before[i], after[i])
                for i in filled
            )
        )
    if after[0]:
        # The first cell goes on from the one above the break, where the row above is open:
        # mid-sentence (a description written in the ref's cell), or with what follows a
        # ref ("CG/S16" / "(RPS - Biannual)", "KPI001" / "LC": one ref with it) where the
        # other cells go on too, or after a
        # cell that ends open ("DUFS0020 -" / "Reputational If ...").
        if not foot or not before[0]:
            return Cut(False)
        rest_of_ref = (
            parse_ref(before[0]) is not None
            and parse_ref(f"{before[0]} {after[0]}") is not None
            and all(_goes_on(before[index], after[index]) for index in filled[1:])
        )
        open_end = before[0].endswith(_OPEN_ENDS)
        return Cut(after[0][0].islower() or open_end or rest_of_ref)
    going_on = [index for index in filled if _goes_on(before[index], after[index])]
    if before[0] and len(going_on) == len(filled):
        return Cut(True)
    if not foot:
        return Cut(False)
    if not keyed:
        if going_on:
            return Cut(True)
        return Cut(False, "a row with no first cell at the top of the page, after a row at "
                   "the foot of the page before: read as a row of its own")  # fmt: skip
    if going_on:
        return Cut(True)
    return Cut(
        True,
        "a row with no ref at the top of the page, where the table's rows have one: read as "
        "the rest of the row the page break cut, though its text starts afresh",
    )


def _goes_on_plainly(above: str, cell: str) -> bool:
    """Whether ``cell`` visibly goes on with ``above``: in lower case, or after a broken
    word or an open end (a header's words are never a sentence to end)."""
    return bool(above) and (
        cell[0].islower()
        or above.endswith((HARD_HYPHEN, SOFT_HYPHEN, MINUS, UNSURE_HYPHEN, *_OPEN_ENDS))
    )


def _heading_words(above: str, cell: str) -> bool:
    """Whether ``cell`` reads as the rest of the heading ``above`` it: a few words, no
    sentence."""
    return bool(above) and len(cell) <= 60 and not cell.endswith((".", "!", "?"))


def empty_under_break(above: list[str], rows: list[list[str]], body: list[list[str]]) -> str | None:
    """A warning when the first row on a page leaves a cell empty that every other row of
    the table fills (every other row with a first cell, where it has one) and the row above
    the break fills: a merged cell the break cut prints
    its text above the break only, so the row may share that text."""
    if not rows:
        return None
    # Where the row has its first cell, the table's rows are those with theirs: a row
    # without one (a cell's rest, a note across the table) says nothing of the columns.
    others = [row for row in body + rows[1:] if row[0] or not rows[0][0]]
    empty = [
        index
        for index, cell in enumerate(rows[0])
        if not cell and above[index] and len(others) >= 2 and all(row[index] for row in others)
    ]
    if not empty:
        return None
    return (
        f"cell {empty[0] + 1} is empty at the top of the page, where every other row of the "
        "table has one: if a merged cell goes on over the break, its text is the row's too"
    )


def joined_row(before: list[str], after: list[str]) -> list[str]:
    """A row cut by a page break made whole: each cell's two parts as one text (a word
    broken at the break by a hyphen joined as printed)."""
    return [join_lines(above, below) for above, below in zip(before, after, strict=True)]


def keyed(rows: list[list[str]], header: list[str]) -> bool:
    """Whether a table's rows carry a ref in their first cell: every row but the header
    has one."""
    body = [row for row in rows if row != header]
    return bool(body) and all(row[0] for row in body)


def named(row: list[str]) -> str:
    """A row as a warning names it: its ref (its first cell), or its first words."""
    if row[0]:
        return f"row {row[0][:40]}"
    text = next((cell for cell in row if cell), "")
    return f'row "{text[:40]}"'
