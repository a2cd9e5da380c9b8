"""A reviewable text form of an ingest result, for golden files."""

from __future__ import annotations

from barnet_tui.ingest.pipeline import IngestResult

_KEYS = {
    "indicators": ("source_line", "ref"),
    "service_summary": ("source_line", "service"),
    "targets": ("source_line", "ref"),
}
_OMIT = {"source"}


def render(result: IngestResult) -> str:
    """Every non-null field of every row, one per line, then the warnings."""
    lines: list[str] = []
    for table, frame in result.tables.items():
        lines.append(f"## {table} ({frame.height} rows)")
        first, second = _KEYS[table]
        for row in frame.iter_rows(named=True):
            lines.append(f"- line {row[first]}: {row[second]}")
            for name, value in row.items():
                if value is None or name in _OMIT or name in (first, second):
                    continue
                lines.append(f"    {name}: {value!r}")
        lines.append("")
    lines.append(f"## warnings ({len(result.warnings)})")
    lines += [f"- line {warning.line}: {warning.message}" for warning in result.warnings]
    return "\n".join(lines) + "\n"
