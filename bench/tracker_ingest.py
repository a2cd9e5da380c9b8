"""How long and how much memory ``barnet-tui ingest`` takes on a big tracker, CSV or XLSX:
both should grow linearly with its rows, and memory stay a small multiple of the file.

A tracker is what a performance team keeps: a title row, then one row per indicator and
period under the headers people type, written by ``tracker`` below (about 120 bytes a row
as CSV; the same rows as an XLSX by ``tracker_xlsx``). Each size is run as a fresh process,
the median of ``--runs``; the peak RSS is the most memory one process of the command held at
once (``wait4``: the command, or the child that reads a workbook, whichever held more), and
"RSS / file" is that peak over the file's size (the goal: at most 5x).

    python bench/tracker_ingest.py                       # 50k, 100k and 200k rows, CSV
    python bench/tracker_ingest.py --rows 1000000 --runs 1 --kind csv --kind xlsx
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ingest import ingested  # noqa: E402
from measure import Figures, Launcher  # noqa: E402

SIZES = (50_000, 100_000, 200_000)
_SERVICES = {
    "Adults and Communities": "AC",
    "Family Services": "FS",
    "Barnet Homes": "BH",
    "Commissioning Group": "CG",
}
_HEADERS = (
    "Ref", "Indicator", "Service", "Period", "Polarity", "Target", "Result", "RAG",
    "Direction of travel", "Comment",
)  # fmt: skip


def tracker(rows: int, out: Path) -> Path:
    """A CSV tracker of ``rows`` indicator rows: 10,000 indicators over as many periods."""
    services = list(_SERVICES.items())
    with out.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerows([["Performance tracker"], [], _HEADERS])
        for number in range(rows):
            service, prefix = services[number % len(services)]
            year = 2000 + (number // 40_000) % 20
            quarter = 1 + (number // 10_000) % 4
            writer.writerow(
                [
                    f"{prefix}/C{number % 10_000}",
                    f"Indicator number {number % 10_000}",
                    service,
                    f"{year}/{(year + 1) % 100:02d} Q{quarter}",
                    "Bigger is Better",
                    "75%",
                    f"{50 + number % 50}%",
                    "Green" if number % 3 else "Red",
                    "Improving",
                    "On track for the year.",
                ]
            )
    return out


def tracker_xlsx(rows: int, out: Path) -> Path:
    """The rows of ``tracker`` as a one-sheet XLSX, written a row at a time."""
    import xlsxwriter

    with tempfile.TemporaryDirectory() as work:
        text = tracker(rows, Path(work) / "tracker.csv")
        with xlsxwriter.Workbook(out, {"constant_memory": True}) as book:
            sheet = book.add_worksheet("Tracker")
            with text.open(newline="", encoding="utf-8") as file:
                for number, row in enumerate(csv.reader(file)):
                    sheet.write_row(number, 0, row)
    return out


WRITERS = {"csv": tracker, "xlsx": tracker_xlsx}


def table(rows: list[tuple[str, int, int, Figures]]) -> str:
    lines = [
        "| tracker | rows | file | ingest time | per 100k rows | peak RSS | RSS / file |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for kind, size, file_size, figures in rows:
        per = figures.median / size * 100_000
        lines.append(
            f"| {kind.upper()} | {size:,} | {file_size / 2**20:,.0f} MB | {figures.time_cell()} "
            f"| {per:.1f} s | {figures.rss_cell()} | {ratio(figures, file_size)} |"
        )
    return "\n".join(lines)


def ratio(figures: Figures, file_size: int) -> str:
    """Peak memory over the file's size: the goal is at most 5x."""
    return f"{figures.rss / file_size:.1f}x"


def measure(
    sizes: tuple[int, ...] = SIZES,
    runs: int = 3,
    launcher: Launcher | None = None,
    kinds: tuple[str, ...] = ("csv",),
) -> str:
    """Each kind and size's median ingest time and peak memory, as a Markdown table
    (``launcher``: see ``ingest.ingested``)."""
    results = []
    with tempfile.TemporaryDirectory() as work:
        for kind in kinds:
            for size in sizes:
                path = WRITERS[kind](size, Path(work) / f"tracker-{size}.{kind}")
                figures = ingested(path, f"{work}/out-{size}", runs, launcher)
                results.append((kind, size, path.stat().st_size, figures))
                said = f"{figures.time_cell()}, {figures.rss_cell()}"
                print(
                    f"{kind} {size:,} rows: {said}, {ratio(figures, path.stat().st_size)}",
                    file=sys.stderr,
                )
                path.unlink()
    return table(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="a size (repeatable)")
    parser.add_argument("--kind", choices=sorted(WRITERS), action="append", help="csv, xlsx")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    kinds = tuple(args.kind) if args.kind else ("csv",)
    print(measure(tuple(args.rows) if args.rows else SIZES, args.runs, kinds=kinds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
