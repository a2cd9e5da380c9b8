"""How long and how much memory ``barnet-tui ingest`` takes on a big CSV tracker: both should
grow linearly with its rows, and memory stay a small multiple of the file.

A tracker is what a performance team keeps: a title row, then one row per indicator and
period under the headers people type, written by ``tracker`` below (about 120 bytes a row).
Each size is run as a fresh process, the median of ``--runs``; the peak RSS is the most
memory the command held at once (its reading child included, which for a CSV there is none).

    python bench/tracker_ingest.py                       # 50k, 100k and 200k rows
    python bench/tracker_ingest.py --rows 1000000 --runs 1
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


def table(rows: list[tuple[int, int, Figures]]) -> str:
    lines = [
        "| tracker rows | file | ingest time | per 100k rows | peak RSS | RSS / file |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for size, file_size, figures in rows:
        per = figures.median / size * 100_000
        ratio = figures.rss / file_size
        lines.append(
            f"| {size:,} | {file_size / 2**20:,.0f} MB | {figures.time_cell()} | {per:.1f} s "
            f"| {figures.rss_cell()} | {ratio:.1f}x |"
        )
    return "\n".join(lines)


def measure(sizes: tuple[int, ...] = SIZES, runs: int = 3, launcher: Launcher | None = None) -> str:
    """Each size's median ingest time and peak memory, as a Markdown table (``launcher``:
    see ``ingest.ingested``)."""
    results = []
    with tempfile.TemporaryDirectory() as work:
        for size in sizes:
            path = tracker(size, Path(work) / f"tracker-{size}.csv")
            figures = ingested(path, f"{work}/out-{size}", runs, launcher)
            results.append((size, path.stat().st_size, figures))
            print(f"{size:,} rows: {figures.time_cell()}, {figures.rss_cell()}", file=sys.stderr)
            path.unlink()
    return table(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="a size (repeatable)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(measure(tuple(args.rows) if args.rows else SIZES, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
