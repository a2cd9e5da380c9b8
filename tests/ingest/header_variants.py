"""The five reports with their table headers worded as other councils word them.

Only header cells change (never a data row, never prose), each to a synonym that keeps the
period it names: ``Ref`` -> ``Reference``, ``Q1 2016/17 Result`` -> ``Q1 2016/17 Actual``
(the current period's result only; older result columns stay ``Result``), and so on. Ingest
must read every variant exactly as it reads the originals.

Header rows are found here by their own simple rule, not by the parser's: a tab-separated
line whose first cell is ``Ref`` / ``Ref No.`` and whose next is ``Indicator...``, or a
comment table's ``Ref and title`` / ``Ref No. and Indicator Description``.

    python -m tests.ingest.header_variants     # rows kept per report and variant
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import REPO, report_paths

Rename = Callable[[str, bool], str]
"""(header cell, whether it is the table's current result) -> the cell as the variant words it."""

_RESULT = re.compile(r"\bResult\b")


def _issue_wording(cell: str, current: bool) -> str:
    """The issue's own example: Reference, Performance measure, <period> Actual for the
    current result, Direction of travel, Benchmark."""
    if cell in ("Ref", "Ref No."):
        return "Reference"
    if cell.startswith("Ref and title"):
        return "Reference and title"
    if cell.startswith("Ref No. and Indicator"):
        return "Reference and indicator description"
    if cell.startswith("Indicator"):
        return "Performance measure"
    if current:
        return _RESULT.sub("Actual", cell, count=1)
    if cell.startswith("DOT"):
        return cell.replace("DOT", "Direction of travel", 1)
    if cell == "Benchmarking":
        return "Benchmark"
    return cell


_ANNUAL_TARGET = re.compile(r"^(?:Annual (\d{4}/\d{2}) Target|(\d{4}/\d{2}) Annual Target)$")
_PERIOD_TARGET = re.compile(r"^(Q[1-4] \d{4}/\d{2}) Target$")
_DOT = re.compile(r"^DOT (Short|Long)[- ]+Term \(From ([^)]*)\)$")


def _other_councils(cell: str, current: bool) -> str:
    """Indicator ref, Performance indicator, Outturn, Good performance is, Annual target,
    Period target, Direction of travel (long term, from ...)."""
    if cell in ("Ref", "Ref No."):
        return "Indicator ref"
    if cell.startswith("Indicator"):
        return "Performance indicator"
    if current:
        return _RESULT.sub("Outturn", cell, count=1)
    if cell == "Polarity":
        return "Good performance is"
    if annual := _ANNUAL_TARGET.match(cell):
        return f"Annual target {annual[1] or annual[2]}"
    if period := _PERIOD_TARGET.match(cell):
        return f"Period target {period[1]}"
    if dot := _DOT.match(cell):
        return f"Direction of travel ({dot[1].lower()} term, from {dot[2]})"
    return cell


def _shouted(cell: str, current: bool) -> str:
    """Upper case, with the spacing a careless export leaves."""
    return f"  {cell.upper()}  " if cell else cell


VARIANTS: dict[str, Rename] = {
    "issue wording": _issue_wording,
    "other councils": _other_councils,
    "upper case, padded": _shouted,
}


def _is_header(cells: list[str]) -> bool:
    named = [cell.strip() for cell in cells if cell.strip()]
    if len(named) < 2:
        return False
    if named[0].startswith(("Ref and title", "Ref No. and Indicator")):
        return True
    return named[0] in ("Ref", "Ref No.") and named[1].startswith("Indicator")


def reworded(text: str, rename: Rename) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with its header rows reworded, and each (old, new) cell changed."""
    changes: list[tuple[str, str]] = []
    lines = text.split("\n")
    for number, line in enumerate(lines):
        cells = line.split("\t")
        if not _is_header(cells):
            continue
        results = [index for index, cell in enumerate(cells) if _RESULT.search(cell)]
        for index, cell in enumerate(cells):
            new = rename(cell.strip(), bool(results) and index == results[0])
            if new != cell.strip():
                changes.append((cell.strip(), new.strip()))
                cells[index] = new
        lines[number] = "\t".join(cells)
    return "\n".join(lines), changes


def write_variant(rename: Rename, folder: Path) -> dict[str, list[tuple[str, str]]]:
    """The five reports, reworded, in ``folder`` (same file names); the changes per report."""
    folder.mkdir(parents=True, exist_ok=True)
    changes = {}
    for path in report_paths():
        text, changed = reworded(path.read_text(encoding="utf-8"), rename)
        (folder / path.name).write_text(text, encoding="utf-8")
        changes[path.name] = changed
    return changes


def main() -> int:
    """Rows kept per report and variant, for a person (and a closing note) to read."""
    import tempfile

    from barnet_tui.ingest.errors import IngestError
    from barnet_tui.ingest.pipeline import ingest

    corrections = REPO / "data" / "corrections.csv"
    original = ingest(report_paths(), corrections).tables["indicators"]
    counts = dict(original.group_by("source").len().iter_rows())
    every = set(original.rows())
    for name, rename in VARIANTS.items():
        with tempfile.TemporaryDirectory() as folder:
            changes = write_variant(rename, Path(folder))
            print(f"{name}:")
            for path in sorted(Path(folder).glob("*.txt")):
                try:
                    rows = ingest([path], corrections).tables["indicators"]
                    kept = sum(row in every for row in rows.rows())
                    shown = (
                        f"{rows.height} rows read, {kept} of the original "
                        f"{counts[path.name]} kept exactly"
                    )
                except IngestError as error:
                    shown = f"refused: {error}"
                cells = len(changes[path.name])
                print(f"  {path.name:40} {cells:3} header cells reworded  {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
