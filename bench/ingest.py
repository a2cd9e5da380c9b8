"""How long ``barnet-tui ingest`` takes on long reports: time should grow with the input.

A long report is a shipped report whose tables are printed again and again (a long block of
tabular lines, the case that once took time growing with the square of its length), cut to
the wanted number of lines. Each size is timed as a fresh process, the median of ``--runs``.

    python bench/ingest.py                         # 10k, 50k and 200k lines: prints a table
    python bench/ingest.py --lines 200000 --runs 1 # one size, once
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import Figures, Launcher, Sample, run_once  # noqa: E402

REPORT = HERE.parent / "reports" / "service-performance-eoy-2016-17.txt"
SIZES = (10_000, 50_000, 200_000)


def long_report(lines: int, out: Path) -> Path:
    """The report with its tabular lines repeated until it has ``lines`` lines."""
    text = REPORT.read_text(encoding="utf-8").splitlines()
    tabular = [line for line in text if "\t" in line]
    body = list(text)
    while len(body) < lines:
        body += tabular[: lines - len(body)]
    out.write_text("\n".join(body) + "\n", encoding="utf-8")
    return out


def table(rows: list[tuple[int, str, str]]) -> str:
    lines = ["| report lines | ingest time | peak RSS |", "| --- | --- | --- |"]
    lines += [f"| {size:,} | {time} | {rss} |" for size, time, rss in rows]
    return "\n".join(lines)


def ingested(report: Path, out: str, runs: int, launcher: Launcher | None = None) -> Figures:
    """``runs`` fresh ingests of ``report`` into ``out``, by the package of this checkout
    run as a module from its root: their times and peak memory. From a large process
    (bench/run.py), pass its ``launcher``: a child forked from it starts with the parent's
    memory counted in its peak."""
    run: Callable[..., Sample] = launcher.run if launcher is not None else run_once
    command = [sys.executable, "-m", "barnet_tui", "ingest", str(report)]
    command += ["--out", out, "--no-corrections", "--force"]
    samples = [run(command, HERE.parent, quiet=True) for _ in range(runs)]
    return Figures([s.seconds for s in samples], [s.peak_rss for s in samples])


def measure(sizes: tuple[int, ...] = SIZES, runs: int = 3, launcher: Launcher | None = None) -> str:
    """Each size's median ingest time and peak memory, as a Markdown table (``launcher``:
    see ``ingested``)."""
    results = []
    with tempfile.TemporaryDirectory() as work:
        for size in sizes:
            report = long_report(size, Path(work) / f"long-{size}.txt")
            figures = ingested(report, f"{work}/out-{size}", runs, launcher)
            results.append((size, figures.time_cell(), figures.rss_cell()))
            print(f"{size:,} lines: {figures.time_cell()}", file=sys.stderr)
    return table(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, action="append", help="report lengths to time")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(measure(tuple(args.lines or SIZES), args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
