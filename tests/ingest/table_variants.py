"""The five reports with their indicator tables laid out as another council might print them.

- **Columns in another order**: every named column of each indicator table moves, header
  and data together (the same order for every table that prints the same header).
- **The rating in its own column**: the marker after the current result (``10.4% (R)``)
  moves into a column of its own (``RAG``, ``RAG rating``, ``Rating`` or ``Status``), as a
  code (``R``) or as words (``Red``).

Header rows are found by their own simple rule (``header_variants``); a data row's cells are
aligned with its header by where its ref stands (a row may carry an unheaded CPI cell before
it), and a line without a ref is aligned as the row above it (else the row below).

    python -m tests.ingest.table_variants     # rows kept per report and variant
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

from barnet_tui.ingest.cells.refs import parse_ref
from tests.conftest import REPO, report_paths
from tests.ingest.header_variants import _is_header

Table = list[list[str]]
"""A header row's cells, then its data lines' cells."""
Change = Callable[[Table, str, list[str] | None], Table]
"""(table, seed, the header before it) -> the table changed."""

_MARKER = re.compile(r"\s*\((G|GA|RA|R)\)\s*$")
_WORDS = {"G": "Green", "GA": "Green Amber", "RA": "Red Amber", "R": "Red"}
RATING_HEADERS = ("RAG", "RAG rating", "Rating", "Status")


def _ref_at(cells: list[str], expected: int) -> int | None:
    for index in range(max(expected - 1, 0), min(expected + 4, len(cells))):
        if cells[index] and parse_ref(cells[index]) is not None:
            return index
    return None


def _offsets(table: Table) -> list[int]:
    """For each data line, how far its cells stand from the header's (cell = column + offset)."""
    header = table[0]
    ref = next(i for i, cell in enumerate(header) if cell.strip().startswith("Ref"))
    found = [_ref_at(cells, ref) for cells in table[1:]]
    offsets = [None if position is None else position - ref for position in found]
    fallback = next((offset for offset in offsets if offset is not None), 0)
    result = []
    for offset in offsets:
        fallback = offset if offset is not None else fallback
        result.append(fallback)
    return result


def _lead(header: list[str]) -> int:
    return next(index for index, cell in enumerate(header) if cell.strip())


def _normalised(header: list[str]) -> list[str]:
    """``Ref | | Indicator``: the blank the ref's header cell spread into is no column."""
    ref = next(i for i, cell in enumerate(header) if cell.strip())
    name = next(i for i in range(ref + 1, len(header)) if header[i].strip())
    return header[: ref + 1] + header[name:]


def permuted(table: Table, seed: str, template: list[str] | None) -> Table:
    """The table with its named columns in a random order (blank columns stay put).

    The order follows from the labels, so tables printing the same header are laid out
    alike; a blank header cell counts as what ``template`` (the previous header, if it has
    the same columns) prints there, as a report that lost a header cell's text would.
    """
    header = _normalised(table[0])
    lead = _lead(header)
    before = template[_lead(template) :] if template else []
    keys = [cell.strip() for cell in header]
    if len(before) == len(header) - lead:
        keys = [
            key or before[index - lead].strip() if index >= lead else key
            for index, key in enumerate(keys)
        ]
    named = [index for index, key in enumerate(keys) if key]
    order = sorted(named, key=lambda index: random.Random(f"{seed}:{keys[index]}").random())
    if order == named and len(named) > 1:
        order = order[1:] + order[:1]
    moves = dict(zip(order, named, strict=True))  # column -> the column it moves to
    lines = []
    for cells, offset in zip(table[1:], _offsets(table), strict=True):
        new = cells + [""] * max(0, len(header) + offset - len(cells))
        moved = new[:]
        for source, target in moves.items():
            if source + offset >= 0 and target + offset >= 0:
                moved[target + offset] = new[source + offset]
        lines.append(moved)
    header_moved = header[:]
    for source, target in moves.items():
        header_moved[target] = header[source]
    return [header_moved, *lines]


def rating_column(table: Table, seed: str, template: list[str] | None) -> Table:
    """The current result's rating marker moved into a column of its own."""
    header = _normalised(table[0])
    chance = random.Random(seed)  # the same place in every table of a report
    result = next((i for i, cell in enumerate(header) if "Result" in cell), None)
    if result is None:
        return table  # a table of targets only: no rating to move
    lead = _lead(header)
    where = lead + chance.randrange(1, len(header) - lead + 1)
    words = chance.random() < 0.5
    label = chance.choice(RATING_HEADERS)
    lines = [[*header[:where], label, *header[where:]]]
    for cells, offset in zip(table[1:], _offsets(table), strict=True):
        new = cells + [""] * max(0, len(header) + offset - len(cells))
        rating = ""
        if 0 <= result + offset < len(new) and (marker := _MARKER.search(new[result + offset])):
            new[result + offset] = new[result + offset][: marker.start()]
            rating = _WORDS[marker[1]] if words else marker[1]
        at = where + offset
        lines.append([*new[:at], rating, *new[at:]] if at >= 0 else new)
    return lines


def changed(text: str, change: Change, seed: int) -> tuple[str, int]:
    """``text`` with each indicator table changed; how many tables were."""
    lines = text.split("\n")
    index, tables = 0, 0
    template: list[str] | None = None
    while index < len(lines):
        cells = lines[index].split("\t")
        if not _is_header(cells):
            index += 1
            continue
        end = index + 1
        while end < len(lines) and "\t" in lines[end]:
            if _is_header(lines[end].split("\t")):
                break
            end += 1
        table = [line.split("\t") for line in lines[index:end]]
        new = change(table, str(seed), template)
        template = _normalised(cells)
        lines[index:end] = ["\t".join(cells) for cells in new]
        tables += 1
        index = end
    return "\n".join(lines), tables


_RATINGS = {"green", "red"}


def _is_count_header(cells: list[str]) -> bool:
    """A count table's or dashboard's header that names each column once and leaves none
    blank between them (a garbled one, "Green Green Amber | | Red", is read by position)."""
    named = [cell.strip() for cell in cells if cell.strip()]
    first = next((i for i, cell in enumerate(cells) if cell.strip()), 0)
    last = max((i for i, cell in enumerate(cells) if cell.strip()), default=0)
    return (
        {cell.lower() for cell in named} >= _RATINGS
        and len(set(named)) == len(named) >= 5
        and all(cell.strip() for cell in cells[first : last + 1])
    )


def counts_permuted(text: str, seed: int) -> tuple[str, int]:
    """``text`` with the count columns of every count table and dashboard in another order
    (the column of row labels stays first); how many tables were changed."""
    lines = text.split("\n")
    tables = 0
    for index, line in enumerate(lines):
        header = line.split("\t")
        if not _is_count_header(header):
            continue
        lead = _lead(header)
        movable = [i for i, cell in enumerate(header) if cell.strip() and i > 0][
            (0 if lead else 1) :
        ]
        chance = random.Random(f"{seed}:{line}")
        order = movable[:]
        while order == movable:
            chance.shuffle(order)
        end = index + 1
        while end < len(lines) and "\t" in lines[end]:
            end += 1
        above = lines[index - 1] if index else ""
        two_lines = "\t" in above and not re.search(r"\d", above)  # a two-line header
        start = index - 1 if two_lines else index
        for number in range(start, end):
            cells = lines[number].split("\t")
            cells += [""] * (len(header) - len(cells))
            moved = cells[:]
            for source, target in zip(order, movable, strict=True):
                moved[target] = cells[source]
            lines[number] = "\t".join(moved)
        tables += 1
    return "\n".join(lines), tables


_ACTION_WORDS = re.compile(r"^(ref|intention|commitment|action|key action|status|rag|due)", re.I)
_FINANCE_BUDGET = re.compile(r"budget", re.I)
_FINANCE_OUTCOME = re.compile(r"variance|forecast|outturn|slippage|actual", re.I)


def _is_action_or_finance_header(cells: list[str]) -> bool:
    """A key action table's header (an action and a status column) or a finance table's (a
    budget and an outcome column), with no blank cell between its named ones."""
    named = [cell.strip() for cell in cells if cell.strip()]
    first = next((i for i, cell in enumerate(cells) if cell.strip()), 0)
    last = max((i for i, cell in enumerate(cells) if cell.strip()), default=0)
    if len(named) < 3 or not all(cell.strip() for cell in cells[first : last + 1]):
        return False
    actions = any(re.match("status|rag", c, re.I) for c in named) and any(
        re.match("commitment|action|key action", c, re.I) for c in named
    )
    finance = any(_FINANCE_BUDGET.search(c) for c in named) and any(
        _FINANCE_OUTCOME.search(c) for c in named
    )
    return actions or finance


def tables_permuted(text: str, seed: int) -> tuple[str, int]:
    """``text`` with the columns of every key action and finance table in another order,
    each data line's cells moving with their header's; how many tables were changed."""
    lines = text.split("\n")
    tables = 0
    for index, line in enumerate(lines):
        header = line.split("\t")
        if not _is_action_or_finance_header(header):
            continue
        movable = [i for i, cell in enumerate(header) if cell.strip()]
        chance = random.Random(f"{seed}:{line}")
        order = movable[:]
        while order == movable:
            chance.shuffle(order)
        end = index + 1
        while end < len(lines) and "\t" in lines[end]:
            following = lines[end].split("\t")
            if _is_action_or_finance_header(following) or _is_count_header(following):
                break
            end += 1
        for number in range(index, end):
            cells = lines[number].split("\t")
            cells += [""] * (len(header) - len(cells))
            moved = cells[:]
            for source, target in zip(order, movable, strict=True):
                moved[target] = cells[source]
            lines[number] = "\t".join(moved)
        tables += 1
    return "\n".join(lines), tables


_RISK_ROW = re.compile(r"^[A-Z]{2,8}\d{3,5}\s*[-–]")


def _risk_printings(lines: list[str]) -> list[tuple[int, int]]:
    """(header line, end) of every printing of a risk register: the tabular line before a
    line that starts with a risk id, and the tabular lines after it."""
    found = []
    for index in range(1, len(lines)):
        if not _RISK_ROW.match(lines[index]) or _RISK_ROW.match(lines[index - 1]):
            continue
        if "\t" not in lines[index - 1]:
            continue
        end = index
        while end < len(lines) and "\t" in lines[end]:
            end += 1
        found.append((index - 1, end))
    return found


def _risk_labels(header: list[str]) -> list[str]:
    """One label per column: a cell that names the columns after it ("Current Assessment
    Impact Probability Rating" over three) gives each its group and its own word."""
    labels = [cell.strip() for cell in header]
    for index, label in enumerate(labels):
        blanks = 0
        while index + blanks + 1 < len(labels) and not labels[index + blanks + 1]:
            blanks += 1
        words = label.split()
        if label and blanks and len(words) > blanks + 1:
            group = " ".join(words[: -(blanks + 1)])
            for offset, word in enumerate(words[-(blanks + 1) :]):
                labels[index + offset] = f"{group} {word}"
    return labels


def _cut(label: str, chance: random.Random) -> tuple[str, str]:
    """A label split over two header lines at a random letter; sometimes the rest of the cut
    word is lost, as extraction loses it ("Current Asse" | "Impact"), keeping 3 letters."""
    if not label:
        return "", ""
    at = chance.randrange(len(label) + 1)
    upper, lower = label[:at].strip(), label[at:].strip()
    stem = re.search(r"[A-Za-z]+$", label[:at])
    if chance.random() < 0.3 and stem and len(stem[0]) >= 3 and label[at : at + 1].isalpha():
        lower = re.sub(r"^[A-Za-z]+", "", label[at:]).strip()
    return upper, lower


def risks_permuted(text: str, seed: int) -> tuple[str, int]:
    """``text`` with the columns of every risk register in another order (the same for each
    printing of a register, as one table split over pages), its header printed one cell per
    column, over two lines where a blank line above leaves room, words cut across the lines,
    and one column's label lost in each printing but the fullest; how many were changed."""
    lines = text.split("\n")
    printings = _risk_printings(lines)
    if not printings:
        return text, 0
    headers = [lines[start].split("\t") for start, _ in printings]
    named = [sum(1 for label in _risk_labels(header) if label) for header in headers]
    fullest = named.index(max(named))
    labels = _risk_labels(headers[fullest])
    width = len(labels)
    chance = random.Random(f"{seed}:risks")
    order = list(range(width))
    while order == list(range(width)):
        chance.shuffle(order)
    for number, (start, end) in enumerate(printings):
        shown = labels[:]
        if number != fullest:
            shown[chance.randrange(width)] = ""
        for line in range(start + 1, end):
            cells = lines[line].split("\t")
            cells += [""] * (width - len(cells))
            lines[line] = "\t".join([cells[source] for source in order] + cells[width:])
        moved = [shown[source] for source in order]
        if start > 0 and not lines[start - 1].strip() and chance.random() < 0.7:
            cut = [_cut(label, chance) for label in moved]
            lines[start - 1] = "\t".join(upper for upper, _ in cut)
            lines[start] = "\t".join(lower for _, lower in cut)
        else:
            lines[start] = "\t".join(moved)
    return "\n".join(lines), len(printings)


def write_counts_variant(seed: int, folder: Path) -> dict[str, int]:
    return write_text_variant(counts_permuted, seed, folder)


def write_text_variant(
    change: Callable[[str, int], tuple[str, int]], seed: int, folder: Path
) -> dict[str, int]:
    """The five reports changed by ``change`` in ``folder``; tables changed per report."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for path in report_paths():
        text, tables = change(path.read_text(encoding="utf-8"), seed)
        (folder / path.name).write_text(text, encoding="utf-8")
        counts[path.name] = tables
    return counts


VARIANTS: dict[str, Change] = {"columns in another order": permuted, "rating column": rating_column}


def write_variant(change: Change, seed: int, folder: Path) -> dict[str, int]:
    """The five reports, changed, in ``folder`` (same names); tables changed per report."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for path in report_paths():
        text, tables = changed(path.read_text(encoding="utf-8"), change, seed)
        (folder / path.name).write_text(text, encoding="utf-8")
        counts[path.name] = tables
    return counts


def main() -> int:
    """Rows kept per report and variant, for a person (and a closing note) to read."""
    import tempfile

    from barnet_tui.ingest.errors import IngestError
    from barnet_tui.ingest.pipeline import ingest

    corrections = REPO / "data" / "corrections.csv"
    original = ingest(report_paths(), corrections)
    rows = original.tables["indicators"]
    counts = dict(rows.group_by("source").len().iter_rows())
    every = set(rows.rows())
    before = {str(warning) for warning in original.warnings}
    for name, change in VARIANTS.items():
        for seed in range(int(sys.argv[1]) if sys.argv[1:] else 3):
            with tempfile.TemporaryDirectory() as folder:
                write_variant(change, seed, Path(folder))
                print(f"{name}, seed {seed}:")
                for path in sorted(Path(folder).glob("*.txt")):
                    try:
                        result = ingest([path], corrections)
                        found = result.tables["indicators"]
                        kept = sum(row in every for row in found.rows())
                        new = {str(w) for w in result.warnings} - before
                        shown = (
                            f"{kept} of {counts[path.name]} rows identical, {found.height} read, "
                            f"{len(new)} new warnings"
                        )
                    except IngestError as error:
                        shown = f"refused: {error}"
                    print(f"  {path.name:40} {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
