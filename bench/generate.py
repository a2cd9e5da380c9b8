"""A synthetic dataset in the shipped schema, at any size, for measuring speed and memory.

People who use this kind of tool compare many councils over many years (LG Inform holds
every English council's indicators for a decade: about 5 million rows). This writes such a
dataset from the shipped one: its rows (real names, comments, nulls and ratings) repeated
for many councils, each with its own copy of the thirteen services, over up to 120 quarters.
Each indicator repeats in every period, so history, the latest report per indicator and the
period filters have real work to do. A ref names one council's indicator (the contract
matches history on ref), so each council's refs carry its number: ``FS/S11 C007``.

    python bench/generate.py ROWS OUT_DIR      # e.g. 5000000 /tmp/barnet-5m

Rows come out in (period, council) order, the order ingest appends reports in.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from barnet_tui.domain.contract import ALL_SERVICES, MANIFEST_NAME, TABLES  # noqa: E402
from barnet_tui.domain.derived import derived_tables  # noqa: E402
from barnet_tui.domain.periods import Period  # noqa: E402
from barnet_tui.domain.storage.generations import current_tables  # noqa: E402
from barnet_tui.ingest.writers.table_files import write_table  # noqa: E402

SHIPPED = current_tables(HERE.parent / "data")
MAX_PERIODS = 120
FIRST_PERIOD = Period(1988, 1)
"""120 quarters from here end at 2017/18 Q4, the shipped data's latest period."""


def periods(count: int) -> list[Period]:
    """``count`` consecutive quarters ending at 2017/18 Q4."""
    every = [
        Period(FIRST_PERIOD.start_year + index // 4, index % 4 + 1) for index in range(MAX_PERIODS)
    ]
    return every[-count:]


def shape(rows: int, per_report: int) -> tuple[int, int]:
    """(councils, periods) so that councils x periods x per_report covers ``rows``."""
    reports = math.ceil(rows / per_report)
    councils = math.ceil(reports / MAX_PERIODS)
    return councils, math.ceil(reports / councils)


def _repeat(base: pl.DataFrame, councils: int, quarters: list[Period]) -> pl.LazyFrame:
    """``base`` once for every (period, council): period columns, service and source set."""
    grid = pl.LazyFrame(
        {
            "_period": [str(period) for period in quarters for _ in range(councils)],
            "_fin_year": [period.fin_year for period in quarters for _ in range(councils)],
            "_quarter": [period.quarter for period in quarters for _ in range(councils)],
            "_council": [f"Council {index:03d}" for _ in quarters for index in range(councils)],
        },
        schema_overrides={"_quarter": pl.Int64},
    )
    columns = base.columns
    replaced = {
        "period": pl.col("_period"),
        "fin_year": pl.col("_fin_year"),
        "quarter": pl.col("_quarter"),
        # Each council its own services; "All services" stays the name of a report's total.
        "service": pl.when(pl.col("service") == ALL_SERVICES)
        .then(pl.col("service"))
        .otherwise(pl.format("{}: {}", pl.col("_council"), pl.col("service"))),
        "source": pl.format("{} {} {}", pl.col("_council"), pl.col("_period"), pl.col("source")),
        "ref": pl.when(pl.col("ref") == "TBC")
        .then(pl.col("ref"))
        .otherwise(pl.format("{} C{}", pl.col("ref"), pl.col("_council").str.slice(-3))),
    }
    present = {name: expr for name, expr in replaced.items() if name in columns}
    return grid.join(base.lazy(), how="cross").with_columns(**present).select(columns)


def generate(rows: int, out: Path) -> dict[str, int]:
    """Write a dataset of about ``rows`` indicator rows to ``out``; rows per table."""
    indicators = pl.read_parquet(SHIPPED / "indicators.parquet")
    councils, count = shape(rows, indicators.height)
    quarters = periods(count)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for table in ("indicators", "service_summary", "targets"):
        base = pl.read_parquet(SHIPPED / f"{table}.parquet")
        if table == "targets":
            # Targets are per financial year, not per quarter: one copy per council.
            frame = _repeat(base, councils, quarters[-1:]).collect()
        else:
            frame = _repeat(base, councils, quarters).collect()
            if table == "indicators":
                frame = frame.head(rows)
        write_table(frame, out, table)
        written[table] = frame.height
        if table == "indicators":
            # As ingest does, after the indicators: derived from the file just written.
            del frame
            rows_written = pl.scan_parquet(out / "indicators.parquet")
            for name, derived in derived_tables(rows_written).items():
                write_table(derived, out, name)
                written[name] = derived.height
    manifest = {
        "generator": "bench/generate.py (synthetic: the shipped rows repeated)",
        "councils": councils,
        "periods": count,
        "tables": {name: {"rows": height} for name, height in written.items()},
    }
    (out / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    assert set(written) <= set(TABLES)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", type=int, help="indicator rows, e.g. 10000 or 5000000")
    parser.add_argument("out", type=Path, help="dataset directory to write")
    args = parser.parse_args()
    start = time.perf_counter()
    written = generate(args.rows, args.out)
    counts = ", ".join(f"{rows} {table}" for table, rows in written.items())
    print(f"wrote {counts} to {args.out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
