"""The tables derived for speed fit the address space a long report's ingest has: under
``ulimit -v`` a lazy sort of 200,000 rows once reserved 4.9 GB and aborted the ingest."""

from __future__ import annotations

import subprocess
import sys

from barnet_tui.domain.storage.generations import current_tables
from tests.conftest import DATA, REPO

ROWS = 200_000
LIMIT = 2 << 30
"""Bytes of address space: the derived tables of 200,000 rows take 0.7 GB of it."""

SCRIPT = f"""
import resource
resource.setrlimit(resource.RLIMIT_AS, ({LIMIT}, {LIMIT}))
import polars as pl
from barnet_tui.domain.derived import derived_tables
shipped = pl.read_parquet({str(current_tables(DATA) / "indicators.parquet")!r})
rows = pl.concat([shipped] * ({ROWS} // shipped.height + 1)).head({ROWS})
rows = rows.with_columns(ref=pl.format("FS/S{{}}", pl.int_range(pl.len())))
tables = derived_tables(rows)
print(tables["indicators_by_ref"].height, tables["current_indicators"].height)
"""


def test_the_derived_tables_of_200000_rows_fit_2_gb_of_address_space() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "MALLOC_ARENA_MAX": "2", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.split()[0] == str(ROWS)
