"""A reviewable text form of an ingest result, for golden files."""

from __future__ import annotations

from barnet_tui.ingest.pipeline import IngestResult

_KEYS = {
    "indicators": ("source_line", "ref"),
    "service_summary": ("source_line", "service"),
    "targets": ("source_line", "ref"),
    "actions": ("source_line", "ref"),
    "finance": ("source_line", "line"),
    "risks": ("source_line", "risk_id"),
}
INDICATOR_TABLES = ("indicators", "service_summary", "targets")
WHOLE_REPORT_TABLES = ("actions", "finance", "risks")
_OMIT = {"source"}


def render(result: IngestResult, tables: tuple[str, ...] = INDICATOR_TABLES) -> str:
    """Every non-null field of every row of ``tables``, one per line, then the warnings."""
    lines: list[str] = []
    for table in tables:
        frame = result.tables[table]
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
    if WHOLE_REPORT_TABLES[0] in tables:
        lines.append("")
        lines.append(f"## disagreements ({len(result.disagreements)})")
        lines += [
            f"- line {item.line}: {item.service} / {item.table}: {item.message}"
            for item in result.disagreements
        ]
    return "\n".join(lines) + "\n"
