"""Finding tables in report text by what their header rows say.

A header row names its columns; a small table of synonyms per table kind maps each header
cell to a field. Everything that follows a header up to the next line without tabs belongs to
that table. The same kind of table comes in many layouts (annual or quarterly, with or without
a type column), so nothing here depends on a column's position.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum

from barnet_tui.ingest.text import Line


class TableKind(Enum):
    INDICATORS = "indicators"
    COMMENTS = "comments"
    COUNTS = "counts"
    DASHBOARD = "dashboard"


def header_key(label: str) -> str:
    """A header cell folded for matching: lower case, single spaces, no hyphen gaps."""
    text = label.lower().replace("–", "-")
    text = re.sub(r"\s*-\s*", "-", text)
    return " ".join(text.split())


def squash(label: str) -> str:
    """Letters and digits only: matches headers whose words PDF wrapping split ("Impro ved")."""
    return re.sub(r"[^a-z0-9]", "", label.lower())


_PERIOD_LABEL = re.compile(r"\b(?:(q[1-4]) )?(\d{4}/\d{2})(?: (q[1-4]))?\b")

# Indicator table columns: first pattern that matches a header cell names its field.
_INDICATOR_COLUMNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), name)
    for pattern, name in (
        (r"^ref( no\.?)?$", "ref"),
        (r"^indicator", "indicator"),
        (r"^type of indicato", "indicator_type"),
        (r"^polarity", "polarity"),
        (r"^period cover", "period_covered"),
        (r"annual.*target|target.*annual", "annual_target"),
        (r"^q[1-4] \d{4}/\d{2} target$", "period_target"),
        (r"^\d{4}/\d{2} target$", "year_target"),
        (r"^target variance", "ignored"),
        (r"^target\b", "target"),
        (r"^previous outturn", "previous"),
        (r"^numerator", "ignored"),
        (r"^dot short", "dot_short"),
        (r"^dot\b", "dot"),
        (r"result", "result"),
        (r"^benchmark", "benchmark"),
        (r"^comment", "comment"),
        (r"^service$", "service"),
    )
)

# Count tables: checked in order, on the squashed header, so "greenamber" wins over "green".
_COUNT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("greenamber", "green_amber"),
    ("redamber", "red_amber"),
    ("totalrag", "rag_rated"),
    ("ragrating", "rag_rated"),
    ("expectedtoreport", "reported"),
    ("reported", "reported"),
    ("noindicat", "reported"),
    ("monitor", "monitor"),
    ("improv", "improved_same"),
    ("worse", "worsened"),
    ("nodirection", "no_dot"),
    ("dot", "dot_rated"),
    ("green", "green"),
    ("red", "red"),
)
_ACTION_COUNTS = re.compile(r"keyaction|commissioningintention|status")
_LONGEST_COUNT_LABEL = 40


@dataclass
class Header:
    """A table's header row and what each of its cells means."""

    line: Line
    kind: TableKind
    labels: list[str]
    """Header cells with leading empty cells removed."""
    fields: list[str]
    """The field each label names ("" when the cell is blank or unknown)."""
    lead: int
    """How many empty cells were removed from the start of the row."""
    periods: dict[int, str] = field(default_factory=dict)
    """Period label printed in a result or target column ("2015/16", "Q3 2015/16")."""

    def index(self, name: str) -> int | None:
        return self.fields.index(name) if name in self.fields else None

    @property
    def signature(self) -> tuple[str, ...]:
        return tuple(header_key(label) for label in self.labels)


@dataclass
class Table:
    header: Header
    rows: list[Line]


def _period_label(label: str) -> str | None:
    match = _PERIOD_LABEL.search(header_key(label))
    if match is None:
        return None
    quarter = (match[1] or match[3] or "").upper()
    return f"{quarter} {match[2]}".strip() if quarter else match[2]


def _indicator_fields(labels: Sequence[str]) -> list[str]:
    fields = []
    for label in labels:
        key = header_key(label)
        name = next((name for pattern, name in _INDICATOR_COLUMNS if pattern.search(key)), "")
        fields.append(name)
    # The first result column is this period's; a later one is a comparison figure, for the
    # short-term direction of travel when that column follows it, else for the long-term one.
    seen_result = False
    for index, name in enumerate(fields):
        if name != "result":
            continue
        if seen_result:
            following = next((later for later in fields[index + 1 :] if later), "")
            fields[index] = "previous_short" if following == "dot_short" else "previous"
        seen_result = True
    return fields


def _count_fields(labels: Sequence[str]) -> list[str]:
    fields = []
    for label in labels:
        key = squash(label)
        fields.append(next((name for part, name in _COUNT_COLUMNS if part in key), ""))
    return fields


def classify_header(line: Line, above: Line | None = None) -> Header | None:
    """The header a line is, or None; ``above`` is the line before, for two-line headers."""
    if not line.is_tabular:
        return None
    cells = list(line.cells)
    lead = 0
    while lead < len(cells) and not cells[lead]:
        lead += 1
    labels = cells[lead:]
    keys = [header_key(label) for label in labels]
    squashed = " ".join(squash(label) for label in labels)
    first = keys[0] if keys else ""

    if re.match(r"^ref (no\.? )?and (title|indicator)", first) and any(
        "comment" in key for key in keys
    ):
        return Header(line, TableKind.COMMENTS, labels, ["ref_title", "comment"], lead)

    if any(re.match(r"^ref( no\.?)?$", key) for key in keys) and any(
        key.startswith("indicator") for key in keys
    ):
        fields = _indicator_fields(labels)
        if "result" in fields or "target" in fields or "annual_target" in fields:
            periods = {
                index: period
                for index, label in enumerate(labels)
                if fields[index] in {"result", "previous", "previous_short", "year_target"}
                and (period := _period_label(label))
            }
            return Header(line, TableKind.INDICATORS, labels, fields, lead, periods)
        return None

    has_ratings = "green" in squashed and "red" in squashed
    if not has_ratings or _ACTION_COUNTS.search(squashed):
        return None
    if any(len(label) > _LONGEST_COUNT_LABEL for label in labels):
        return None  # a row of prose that happens to mention ratings
    fields = _count_fields(labels)
    if above is not None and above.is_tabular:
        # A two-line header: a cell the lower line leaves unnamed ("2016/17") may be named by
        # the cell above it ("Monitor").
        upper = list(above.cells)[lead:]
        for index, name in enumerate(fields):
            if not name and index < len(upper):
                fields[index] = _count_fields([upper[index]])[0]
    if {"reported", "monitor", "rag_rated"} & set(fields):
        return Header(line, TableKind.COUNTS, labels, fields, lead)
    if "worsened" in fields:
        return Header(line, TableKind.DASHBOARD, labels, fields, lead)
    return None


def layout(lines: Sequence[Line]) -> Iterator[Table | Line]:
    """The report as a sequence of tables and the text lines between them."""
    table: Table | None = None
    previous: Line | None = None
    for line in lines:
        header = classify_header(line, previous)
        if header is not None:
            if table is not None:
                yield table
            table = Table(header, [])
        elif table is not None and line.is_tabular:
            table.rows.append(line)
        else:
            if table is not None:
                yield table
                table = None
            yield line
        previous = line
    if table is not None:
        yield table
