"""The reviewed corrections file: fixes the parser cannot make, each with its reason.

``corrections.csv`` has the columns source, line, column, value, reason. A correction sets
one column of the indicator row that starts at ``source``:``line``. An empty value sets null.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from barnet_tui.domain.contract import INDICATORS
from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.storage.files import REPORT_LIMIT, FileRefused, regular_file_or_error
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.errors import IngestError

CORRECTIONS_NAME = "corrections.csv"
FIELDS = ("source", "line", "column", "value", "reason")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""The control and bidi characters a corrections file may not hold (tab and newline are
text): an escape sequence in a value would reach a terminal from the file's copy."""
_COLUMNS = {column.name: column for column in INDICATORS}
_LOCKED = {"source", "source_line"}


@dataclass(frozen=True)
class Correction:
    source: str
    line: int
    column: str
    value: Any
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }


def _typed(text: str, column: str, where: str) -> Any:
    if text == "":
        if not _COLUMNS[column].nullable:
            raise IngestError(f"{where}: column {column!r} cannot be empty")
        return None
    dtype = _COLUMNS[column].dtype
    try:
        if dtype == pl.Float64:
            return float(text)
        if dtype == pl.Int64:
            return int(text)
        if dtype == pl.Boolean:
            if text.lower() not in {"true", "false"}:
                raise ValueError(text)
            return text.lower() == "true"
    except ValueError:
        raise IngestError(f"{where}: {text!r} is not a valid {column}") from None
    vocabulary = _COLUMNS[column].vocabulary
    if vocabulary is not None and text not in vocabulary:
        raise IngestError(f"{where}: {text!r} is not one of {', '.join(vocabulary)}")
    return text


@dataclass(frozen=True)
class CorrectionsFile:
    """A corrections file as read: its bytes (copied into the dataset) and its entries."""

    data: bytes
    corrections: list[Correction]


def read_corrections(path: Path, sources: set[str]) -> CorrectionsFile:
    """The corrections in a file for the reports in ``sources``; IngestError names the file
    line of any bad entry.

    Corrections of other reports are checked but left out: ingesting next quarter's report
    alone must not warn that last year's corrections match nothing.
    """
    try:
        data = regular_file_or_error(path, REPORT_LIMIT, "corrections")
        text = data.decode("utf-8")
    except FileRefused as refused:
        raise IngestError(f"{path}: {refused}") from None
    except UnicodeDecodeError as error:
        raise IngestError(
            f"{path}: corrections file is not UTF-8 (byte offset {error.start})"
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [name for name in FIELDS if name not in (reader.fieldnames or [])]
    if missing:
        raise IngestError(f"{path}: corrections file lacks columns {', '.join(missing)}")
    corrections = []
    for entry in reader:
        where = f"{path}:{reader.line_num}"
        _refuse_controls(entry, where)
        column = (entry["column"] or "").strip()
        if column not in _COLUMNS or column in _LOCKED:
            raise IngestError(f"{where}: {column!r} is not a correctable indicators column")
        if not (entry["reason"] or "").strip():
            raise IngestError(f"{where}: every correction needs a reason")
        try:
            line = int(entry["line"])
        except (TypeError, ValueError):
            raise IngestError(f"{where}: line {entry['line']!r} is not a number") from None
        value = _typed(entry["value"] or "", column, where)
        if entry["source"] in sources:
            corrections.append(
                Correction(entry["source"], line, column, value, entry["reason"].strip())
            )
    return CorrectionsFile(data, corrections)


def _refuse_controls(entry: dict[str, Any], where: str) -> None:
    """IngestError naming the first field of a corrections entry with a control character:
    the file is copied into the dataset as it is, for the next review."""
    for name in FIELDS:
        value = entry.get(name)
        if isinstance(value, str) and _CONTROL.search(value):
            raise IngestError(
                f"{where}: the {name} {literal(value)[:80]!r} holds a control character "
                "(shown as \ufffd); a corrections file is plain text"
            )


def apply_corrections(
    rows: list[dict[str, Any]], corrections: list[Correction]
) -> list[IngestWarning]:
    """Apply corrections in place; a correction that matches no row is a warning."""
    by_place = {(row["source"], row["source_line"]): row for row in rows}
    warnings = []
    for correction in corrections:
        row = by_place.get((correction.source, correction.line))
        if row is None:
            warnings.append(
                IngestWarning(
                    correction.source,
                    correction.line,
                    f"correction of {correction.column} matches no indicator row",
                )
            )
            continue
        row[correction.column] = correction.value
    return warnings
