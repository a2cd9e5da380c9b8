"""The reports' disagreements with their own arithmetic, as ingest recorded them in the
manifest: what the explorer flags beside the rows they concern."""

from __future__ import annotations

from typing import Any

import polars as pl

DISAGREEMENT_FIELDS = {
    "source": pl.String,
    "line": pl.Int64,
    "period": pl.String,
    "service": pl.String,
    "table": pl.String,
    "message": pl.String,
}


def no_disagreements() -> pl.DataFrame:
    return pl.DataFrame(schema=DISAGREEMENT_FIELDS)


def read_disagreements(manifest: dict[str, Any] | None) -> pl.DataFrame:
    """The manifest's record of the reports' own arithmetic; records of the wrong shape, or
    an unreadable manifest (None), give none (the tables load all the same)."""
    records = manifest.get("disagreements", []) if manifest is not None else []
    if not isinstance(records, list):
        return no_disagreements()
    types = {pl.String: str, pl.Int64: int}
    kept = [
        record
        for record in records
        if isinstance(record, dict)
        and all(
            type(record.get(name)) is types[dtype] for name, dtype in DISAGREEMENT_FIELDS.items()
        )
    ]
    rows = [{name: record[name] for name in DISAGREEMENT_FIELDS} for record in kept]
    return pl.DataFrame(rows, schema=DISAGREEMENT_FIELDS) if rows else no_disagreements()
