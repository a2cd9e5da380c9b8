"""The one table finder: a report's lines walked once, each table claimed by the kind whose
header it is.

A table kind says which lines are its header (by what their cells mean, its header words),
which lines under a header are its rows, and which field each column holds; its reader's
module declares it (``ingest/readers/``), and the caller hands the finder the kinds to look
for (``tables/kinds.py`` holds the shared header rules and the indicator tables' kind). The
finder walks the lines once, asking every kind of each line: a header of
the kind starts a table of it, a line the kind holds is a row of its open table, any other
line ends it. Kinds are independent: a line may be an indicator table's row and, read as the
key actions see it, nothing. The warnings about a table are worded here, once, whatever its
kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from barnet_tui.ingest.cells.services import heading_service
from barnet_tui.ingest.sources.text import Line

HeaderRule = Callable[[Sequence[Line], int], "Claim | None"]
"""Whether the line at an index starts a header of the kind: what it claims, or None."""


@dataclass(frozen=True)
class Claim:
    """A header a kind recognised: how many lines it takes, and what it means to the kind."""

    size: int
    meaning: Any = None
    """The kind's reading of the header (the fields its cells name, a ``Header``)."""


def tabular(line: Line) -> bool:
    """The usual rule for a table's rows: every line with cells, up to the first without."""
    return line.is_tabular


def filled_row(line: Line) -> bool:
    """Rows up to the first blank line or line of prose."""
    return line.is_tabular and not line.is_blank


def header_columns(table: FoundTable) -> tuple[list[str], list[str]]:
    """The plain reading of a one-line header: each column holds the field its cell names
    (what a ``named_header`` claimed)."""
    return list(table.header[-1].cells), list(table.meaning)


@dataclass(frozen=True)
class TableKind:
    """One kind of table: its name, how warnings name it, and how the finder knows it."""

    name: str
    noun: str
    """How a warning names one of its tables ("key action table", "risk register")."""
    header: HeaderRule
    holds: Callable[[Line], bool] = tabular
    """Whether a line under an open table of the kind is one of its rows."""
    needs_rows: bool = False
    """A header with no rows under it is no table of the kind (a dashboard's header line)."""
    columns: Callable[[FoundTable], tuple[list[str], list[str]]] | None = header_columns
    """Each column's header words and the field it holds, once the table's rows are known
    (by default what its one header line's cells name); None when the kind's ``Header``
    says (indicator, comment and count tables)."""
    settle: Callable[[list[FoundTable]], None] | None = None
    """Names what one printing of a table leaves unnamed from the kind's other printings."""
    problem: Callable[[Sequence[str], Sequence[str]], str] | None = None
    """Why a table's rows cannot be read without guessing; by default a column claimed
    twice (but for the ``repeatable`` fields)."""
    repeatable: frozenset[str] = frozenset({""})


@dataclass
class FoundTable:
    """A table the finder found: its kind, header lines and the lines under them."""

    kind: TableKind
    header: tuple[Line, ...]
    meaning: Any
    service: str | None = None
    """The service the last heading above the table names ("## Family Services")."""
    rows: list[Line] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    """Each column's header words (over every header line)."""
    fields: list[str] = field(default_factory=list)
    """The field each column holds ("" for none)."""
    problem: str = ""
    """Why its rows cannot be read without guessing; "" when they can."""

    @property
    def line(self) -> int:
        """The line warnings about the table cite: its header's last."""
        return self.header[-1].number

    def not_read(self, problem: str, rows: int) -> str:
        """The warning for a table whose columns cannot be told apart."""
        return not_read(self.kind.noun, problem, rows)


def not_read(noun: str, problem: str, rows: int) -> str:
    """One wording for a table left unread, whatever its kind: its rows are never guessed."""
    return f"{noun} not read: {problem}; none of its {rows} rows guessed"


def row_without_ref(noun: str, cells: Sequence[str], ref: str | None = None) -> str:
    """One wording for a spreadsheet row with cells but no ref: a cell is its row's alone,
    so the row is never joined to another, and never read as a row of its own. ``ref``: what
    its ref cell holds where that is no ref of a shape reports use (``1234``, ``ABCD``, a
    Cyrillic letter in ``FS/S4``), named with the code points that are not ASCII."""
    text = repr(" | ".join(cell for cell in cells if cell)[:120])
    if not ref:
        return f"{noun} row with no ref, not read (a cell is its row's alone): {text}"
    foreign = sorted({f"U+{ord(char):04X}" for char in ref[:40] if not char.isascii()})
    shown = f"{ref[:40]!r}" + (f" (holding {', '.join(foreign[:5])})" if foreign else "")
    return (
        f"{noun} row whose ref {shown} is of no shape read as a ref (such as FS/S1, KPI 1.2 "
        f"or EH01B), not read: {text}"
    )


def claimed_twice(labels: Sequence[str], fields: Sequence[str], repeatable: frozenset[str]) -> str:
    """ "two columns claim <field>: 'A' and 'B'" when any field but ``repeatable`` ones is
    named by two header cells; else ""."""
    seen: dict[str, int] = {}
    for index, name in enumerate(fields):
        if name in repeatable:
            continue
        if name in seen:
            first = labels[seen[name]]
            return f"two columns claim {name}: {first!r} and {labels[index]!r}"
        seen[name] = index
    return ""


def row_service(heading: str | None, report: str | None, *own: str | None) -> str | None:
    """The one rule for a row's service: what the row itself names (a service cell, its
    ref's prefix, its line's label), else the heading above its table, else the service the
    report's title names; None when none of them says (the reader warns)."""
    return next((named for named in own if named), None) or heading or report


def no_service(what: str) -> str:
    """One wording for a row whose service nothing names."""
    return f"cannot tell which service {what} belongs to"


def unread_columns(table: FoundTable, labels: Sequence[str], fields: Sequence[str]) -> list[str]:
    """One warning, one wording, for each column whose header names nothing the kind knows
    while its rows hold something: those cells are not read."""
    found = []
    for index, name in enumerate(fields):
        held = sum(1 for row in table.rows if index < len(row.cells) and row.cells[index].strip())
        if name or not held:
            continue
        label = labels[index].strip() if index < len(labels) else ""
        heading = f"headed {label!r}" if label else "with no header"
        found.append(
            f"{table.kind.noun} column {index + 1} ({heading}) is none the contract knows: "
            f"its {held} filled cells not read"
        )
    return found


class _Open:
    """A kind's state during the walk: its open table and the header lines still to skip."""

    def __init__(self, kind: TableKind) -> None:
        self.kind = kind
        self.table: FoundTable | None = None
        self.skip = 0
        self.found: list[FoundTable] = []

    def close(self) -> None:
        if self.table is not None and (self.table.rows or not self.kind.needs_rows):
            self.found.append(self.table)
        self.table = None

    def see(self, lines: Sequence[Line], index: int, heading: str | None) -> None:
        if self.skip:
            self.skip -= 1
            return
        claim = self.kind.header(lines, index)
        if claim is not None:
            self.close()
            header = tuple(lines[index : index + claim.size])
            self.table = FoundTable(self.kind, header, claim.meaning, heading)
            self.skip = claim.size - 1
        elif self.table is not None and self.kind.holds(lines[index]):
            self.table.rows.append(lines[index])
        else:
            self.close()


def find_tables(lines: Sequence[Line], kinds: Sequence[TableKind]) -> dict[str, list[FoundTable]]:
    """Every kind's tables, in the order printed, from one walk over the lines."""
    states = [_Open(kind) for kind in kinds]
    heading: str | None = None
    for index, line in enumerate(lines):
        if not line.is_tabular and (named := heading_service(line.text)) is not None:
            heading = named
        for state in states:
            state.see(lines, index, heading)
    for state in states:
        state.close()
        _read_columns(state.kind, state.found)
    return {state.kind.name: state.found for state in states}


def _read_columns(kind: TableKind, tables: list[FoundTable]) -> None:
    """Which field each column of the kind's tables holds, and what stops them being read
    (a kind whose ``Header`` says so settles only)."""
    if kind.columns is not None:
        for table in tables:
            table.labels, table.fields = kind.columns(table)
    if kind.settle is not None:
        kind.settle(tables)
    if kind.columns is None:
        return
    for table in tables:
        if kind.problem is not None:
            table.problem = kind.problem(table.labels, table.fields)
        else:
            table.problem = claimed_twice(table.labels, table.fields, kind.repeatable)


def between(
    lines: Sequence[Line], tables: Sequence[FoundTable]
) -> Iterator[tuple[int, FoundTable | Line]]:
    """The report as one kind sees it: its tables, and the lines outside them, each with
    the index in ``lines`` where it starts."""
    starts = {table.header[0].number: table for table in tables}
    taken = 0
    for index, line in enumerate(lines):
        if line.number <= taken:
            continue
        table = starts.get(line.number)
        if table is None:
            yield index, line
            continue
        yield index, table
        taken = (table.rows[-1] if table.rows else table.header[-1]).number
