"""Risk registers, the 5x5 heat map that counts them, and risks named only in prose.

A register is read by what its header says (``risk_header``): which column holds the risk
("DUFS0035 – Health and Safety If the GDIT system fails..."), the current and the target
impact, probability and rating, the controls, the response and the review timing. A header
that extraction garbled takes the columns it leaves unnamed from the other printings of the
same register; a register whose columns still cannot be told apart is a warning, and its
rows are not guessed; a column still unnamed whose cells hold something is a warning too.
A cell says its value ("Major 4", "Likely 4", "Medium High 12"); one
that does not match its column is a warning and null. Prose names risks as "FS001
Significant child safeguarding incident (risk score 15) risk that ...".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from barnet_tui.domain.contract import schema
from barnet_tui.ingest.arithmetic import Disagreement
from barnet_tui.ingest.cells.services import service_for_ref
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.readers.registry import Reader
from barnet_tui.ingest.report import Report
from barnet_tui.ingest.sources.text import Line
from barnet_tui.ingest.tables.finder import (
    Claim,
    FoundTable,
    TableKind,
    no_service,
    row_service,
    unread_columns,
)
from barnet_tui.ingest.tables.risk_header import (
    CURRENT,
    RISK_ID_ALONE,
    RISK_ID_START,
    filled,
    header_labels,
    is_risk_header,
    names_a_risk,
    register_fields,
)
from barnet_tui.ingest.tables.risk_header import problem as register_problem

Row = dict[str, Any]

# The kind: a register's header, its words read by ``tables/risk_header.py`` (which the key
# action kind asks too, to refuse a register) ---------------------------------------------


def _register_header(lines: Sequence[Line], index: int) -> Claim | None:
    """A register's header: two lines, one, or none."""
    line = lines[index]
    if not line.is_tabular:
        return None
    after = lines[index + 1] if index + 1 < len(lines) else None
    if (
        after is not None
        and after.is_tabular
        and is_risk_header([line.cells, after.cells])
        and not names_a_risk(line.cells)
        and not names_a_risk(after.cells)
    ):
        return Claim(2)
    return Claim(1) if is_risk_header([line.cells]) and not names_a_risk(line.cells) else None


def _register_row(line: Line) -> bool:
    """A register's rows run to the first line of another table (one naming no risk)."""
    return line.is_tabular and (line.is_blank or names_a_risk(line.cells))


def _register_columns(table: FoundTable) -> tuple[list[str], list[str]]:
    header = [line.cells for line in table.header]
    return header_labels(header), register_fields(header)


def _settle_registers(tables: list[FoundTable]) -> None:
    """A register's column its header leaves unnamed, named by its other printings."""
    distinct = [list(fields) for fields in dict.fromkeys(tuple(t.fields) for t in tables)]
    read: dict[tuple[str, ...], list[str]] = {}  # a long report prints one register often
    for table in tables:
        key = tuple(table.fields)
        if key not in read:
            read[key] = filled(table.fields, distinct)
        table.fields = list(read[key])


KIND = TableKind(
    "risks",
    "risk register",
    _register_header,
    holds=_register_row,
    columns=_register_columns,
    settle=_settle_registers,
    problem=register_problem,
)
"""A risk register, its header printed over one or two lines."""


# The rows ------------------------------------------------------------------------------------


IMPACTS = {"negligible": 1, "minor": 2, "moderate": 3, "major": 4, "catastrophic": 5}
PROBABILITIES = {"rare": 1, "unlikely": 2, "possible": 3, "likely": 4, "almost certain": 5}
CATEGORIES = (
    "Business Continuity",
    "Compliance",
    "Financial",
    "Health and Safety",
    "Information Governance",
    "Legal",
    "Operational",
    "Reputational",
    "Service Delivery",
    "Staffing",
    "Strategic",
)
RESPONSES = ("Treat", "Tolerate", "Terminate", "Transfer", "Take")
_TIMINGS = re.compile(r"^(monthly|quarterly|bi-?monthly|annually|six-?monthly|weekly)$", re.I)
_LEVEL = re.compile(r"^(?P<word>[a-z ]+?)\s+(?P<number>[1-5])$", re.IGNORECASE)
_ID_CODE = re.compile(r"^(?P<id>[A-Z]{1,8}[-/]?\d{1,5}[A-Za-z]?)$")
"""What an id column holds; anywhere else a risk id is longer ("DUFS0035")."""
_RATING_WORD = re.compile(r"^(?:(?:very |medium |)(?:low|medium|high)|extreme)$", re.IGNORECASE)
_RATING = re.compile(
    r"^(?P<rating>(?:very |medium |)(?:low|medium|high)|extreme)\s+(?P<score>\d{1,2})$",
    re.IGNORECASE,
)
_PROSE = re.compile(
    r"\b(?P<id>[A-Z]{2,8}\d{3,5})\s+(?P<title>[^();]{3,150}?)\s*\(risk score (?P<score>\d{1,2})\)"
    r"\s*(?P<text>.*?)(?=;|\.\s|\.$|$)"
)
_RESPONSE = re.compile(r"\b(?:both|all)\b.*\bmanaged as '?(\w+)'?", re.IGNORECASE)
_NUMBER_WORDS = {"none": 0, "no": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_HIGH_LEVEL = re.compile(
    r"\b(?P<count>\w+) (?:are|is) high level risks? with a (?:residual )?risk score of "
    r"(?P<score>\d+) or above",
    re.IGNORECASE,
)
_REGISTER_FLOOR = re.compile(r"\brisks? rated (?:as )?(\d+) and above", re.IGNORECASE)


@dataclass(frozen=True)
class HeatMap:
    """The counts a heat map prints: (probability, impact) -> risks."""

    line: int
    counts: dict[tuple[int, int], int]
    floor: int | None
    """The register lists only risks scored this or more (it says so)."""


@dataclass(frozen=True)
class HighLevelCount:
    """ "Two are high level risks with a residual risk score of 15 or above"."""

    line: int
    count: int
    score: int


@dataclass
class RiskEvidence:
    rows: list[Row] = field(default_factory=list)
    heat_maps: list[HeatMap] = field(default_factory=list)
    high_level: list[HighLevelCount] = field(default_factory=list)
    warnings: list[IngestWarning] = field(default_factory=list)


def _level(cell: str, scale: dict[str, int]) -> int | None:
    """``Likely 4`` -> 4 when the word and the number agree on the scale."""
    match = _LEVEL.match(cell.strip())
    if match is None:
        return None
    number = scale.get(" ".join(match["word"].lower().split()))
    return number if number == int(match["number"]) else None


def _category(text: str) -> tuple[str | None, str]:
    for category in CATEGORIES:
        if text.lower().startswith(category.lower()):
            return category, text[len(category) :].strip()
    return None, text


def _level_or_number(cell: str, scale: dict[str, int]) -> int | None:
    """``Likely 4``, ``Likely`` or ``4``: a step of the scale."""
    if cell.isdigit():
        return int(cell) if 1 <= int(cell) <= len(scale) else None
    return scale.get(" ".join(cell.lower().split())) or _level(cell, scale)


def _rating_cell(cell: str) -> Row | None:
    """``Medium High 12`` -> rating and score; ``High`` -> rating; ``12`` -> score."""
    if cell.isdigit():
        return {"score": int(cell)}
    if (match := _RATING.match(cell)) is not None:
        return {"rating": " ".join(match["rating"].title().split()), "score": int(match["score"])}
    if _RATING_WORD.match(cell):
        return {"rating": " ".join(cell.title().split())}
    return None


def _measures(field_name: str, cell: str) -> Row | None:
    """The fields one assessment cell gives under a column named ``field_name``, or None
    when the cell is not what its column holds."""
    prefix = "target_" if field_name.startswith("target_") else ""
    measure = field_name.removeprefix("target_")
    if measure in ("impact", "probability"):
        scale = IMPACTS if measure == "impact" else PROBABILITIES
        value = _level_or_number(cell, scale)
        return None if value is None else {field_name: value}
    found = _rating_cell(cell)
    if found is None or (measure == "score" and "score" not in found):
        return None
    return {f"{prefix}{name}": value for name, value in found.items()}


_MEASURE_FIELDS = frozenset(
    f"{prefix}{measure}" for prefix in ("", "target_") for measure in CURRENT
)


def _floors(lines: Sequence[Line]) -> list[int | None]:
    """For each line, the floor ("risks rated 12 and above") the first line from it on states:
    found in one pass, not once per heat map."""
    found: list[int | None] = [None] * (len(lines) + 1)
    for index in range(len(lines) - 1, -1, -1):
        match = _REGISTER_FLOOR.search(lines[index].text)
        found[index] = int(match[1]) if match else found[index + 1]
    return found


def _heat_map(lines: Sequence[Line], index: int, floors: Sequence[int | None]) -> HeatMap | None:
    """A 5x5 grid: impact words across, then one row per probability with five counts."""
    words = [word for word in IMPACTS if word in lines[index].text.lower()]
    if len(words) != len(IMPACTS):
        return None
    counts: dict[tuple[int, int], int] = {}
    for line in lines[index + 1 : index + 8]:
        cells = [cell for cell in line.cells if cell]
        probability = next(
            (PROBABILITIES[c.lower()] for c in cells if c.lower() in PROBABILITIES), None
        )
        numbers = cells[-5:]
        if probability is None or not all(cell.isdigit() for cell in numbers) or len(numbers) < 5:
            continue
        for impact, cell in enumerate(numbers, start=1):
            counts[(probability, impact)] = int(cell)
    if len(counts) != len(IMPACTS) * len(PROBABILITIES):
        return None
    return HeatMap(lines[index].number, counts, floors[index])


class _Reader:
    def __init__(self, report: Report, period: str) -> None:
        self.report, self.period = report, period
        self.evidence = RiskEvidence()

    def _add(self, line: Line, risk_id: str, fields: Row, heading: str | None = None) -> None:
        """A risk's row; its service by the one rule (``row_service``): its id's prefix, the
        heading above its register, the report's."""
        prefix = re.match(r"[A-Z]+", risk_id)
        own = service_for_ref(f"{prefix[0]}/") if prefix else None
        service = row_service(heading, self.report.service, own)
        if service is None:
            message = f"risk {risk_id} not read: {no_service('it')}"
            self.evidence.warnings.append(IngestWarning(self.report.source, line.number, message))
            return
        row: Row = dict.fromkeys(schema("risks")) | {
            "period": self.period,
            "service": service,
            "risk_id": risk_id,
            **fields,
            "source": self.report.source,
            "source_line": line.number,
        }
        self.evidence.rows.append(row)

    def warn(self, line: int, message: str) -> None:
        self.evidence.warnings.append(IngestWarning(self.report.source, line, message))

    def register(self, register: FoundTable) -> None:
        """A register's rows, each cell read as what its column's header says it holds."""
        fields = register.fields
        if register.problem:
            rows = sum(1 for line in register.rows if names_a_risk(line.cells))
            self.warn(register.line, register.not_read(register.problem, rows))
            return
        for message in unread_columns(register, register.labels, fields):
            self.warn(register.line, message)
        for line in register.rows:
            cells = list(line.cells) + [""] * (len(fields) - len(line.cells))
            said = {name: cells[i].strip() for i, name in enumerate(fields) if name}
            found = _risk_named(said)
            if found is None:
                if any(cell.strip() for cell in cells):
                    self.warn(line.number, "no column of the risk register holds its risk id")
                continue
            risk_id, row = found
            for name, cell in said.items():
                if not cell or name not in _MEASURE_FIELDS:
                    continue
                values = _measures(name, cell)
                if values is None:
                    said_name = name.replace("_", " ")
                    self.warn(line.number, f"risk {risk_id}: {cell!r} is no {said_name}: left null")
                    continue
                for key, value in values.items():
                    row.setdefault(key, value)
            for name in ("controls", "review"):
                if said.get(name):
                    row[name] = said[name]
            if status := said.get("status"):
                row["status"] = status.title() if status.title() in RESPONSES else status
            self._add(line, risk_id, row, register.service)

    def prose(self, line: Line, previous: Line | None) -> None:
        found = list(_PROSE.finditer(line.text))
        if not found:
            return
        said = " ".join(filter(None, [previous.text if previous else "", line.text]))
        response = _RESPONSE.search(said)
        for match in found:
            text = " ".join(match["text"].split())
            description = f"{match['title'].strip()}: {text}" if text else match["title"].strip()
            fields: Row = {"description": description, "score": int(match["score"])}
            if response is not None and response[1].title() in RESPONSES:
                fields["status"] = response[1].title()
            self._add(line, match["id"], fields)


def _risk_named(said: dict[str, str]) -> tuple[str, Row] | None:
    """The risk a row names, with its category and description, or None. A risk column says
    "DUFS0035 – Health and Safety If ..." or only the id; an id column holds a code."""
    row: Row = {}
    risk_id: str | None = None
    text = said.get("risk", "")
    for cell in (said.get("risk_id", ""), text):
        if (match := RISK_ID_START.match(cell)) is not None:
            risk_id = match["id"]
            row["category"], description = _category(match["rest"])
            row["description"] = description or None
            break
    if risk_id is None:
        code = _ID_CODE.match(said.get("risk_id", "")) or RISK_ID_ALONE.match(text)
        risk_id = code["id"] if code else None
        if text and not RISK_ID_ALONE.match(text):
            row["category"], description = _category(text)
            row["description"] = description or None
    if said.get("description"):
        row["description"] = said["description"]
    if said.get("category"):
        row["category"] = said["category"]
    return None if risk_id is None else (risk_id, row)


def extract_risks(report: Report, registers: Sequence[FoundTable], period: str) -> RiskEvidence:
    """Every risk the report's ``registers`` list or its prose names, and the heat maps and
    counts that sum them."""
    reader = _Reader(report, period)
    lines = report.lines
    floors = _floors(lines)
    in_registers: set[int] = set()
    for register in registers:
        reader.register(register)
        in_registers.update(line.number for line in (*register.header, *register.rows))
    previous: Line | None = None
    for index, line in enumerate(lines):
        if line.is_blank:
            continue
        if line.number in in_registers:
            previous = line
            continue
        if line.is_tabular:
            if any(RISK_ID_START.match(cell) for cell in line.cells):
                reader.warn(line.number, "a risk row under no register header: not read")
            elif (grid := _heat_map(lines, index, floors)) is not None:
                reader.evidence.heat_maps.append(grid)
        else:
            reader.prose(line, previous)
            for match in _HIGH_LEVEL.finditer(line.text):
                count = _NUMBER_WORDS.get(match["count"].lower())
                if count is None and match["count"].isdigit():
                    count = int(match["count"])
                if count is not None:
                    high = HighLevelCount(line.number, count, int(match["score"]))
                    reader.evidence.high_level.append(high)
        previous = line
    reader.evidence.rows.sort(key=lambda row: row["source_line"])
    return reader.evidence


def placement(row: Row) -> tuple[int, int] | None:
    """Where a risk sits on the heat map: (probability, impact); an impact the row leaves
    blank is its score over its probability when that is a whole step of the scale."""
    probability, impact, score = row.get("probability"), row.get("impact"), row.get("score")
    if probability is None:
        return None
    if impact is None and score is not None and score % probability == 0:
        impact = score // probability
    if not isinstance(impact, int) or not 1 <= impact <= len(IMPACTS):
        return None
    return int(probability), impact


def risk_checks(evidence: RiskEvidence, source: str, period: str) -> list[Disagreement]:
    """Heat-map cells against the register; prose counts of high-level risks against the
    risks the prose then names."""
    found: list[Disagreement] = []
    rows = evidence.rows
    for grid in evidence.heat_maps:
        services = {row["service"] for row in rows}
        if len(services) != 1:
            continue
        service = services.pop()
        placed = [placement(row) for row in rows]
        for (probability, impact), printed in sorted(grid.counts.items()):
            if grid.floor is not None and probability * impact < grid.floor:
                continue
            listed = placed.count((probability, impact))
            if listed != printed:
                message = (
                    f"heat map (line {grid.line}) counts {printed} risks at probability "
                    f"{probability}, impact {impact} but the register lists {listed}"
                )
                found.append(Disagreement(source, grid.line, period, service, "risks", message))
        unplaced = [row["risk_id"] for row, spot in zip(rows, placed, strict=True) if spot is None]
        if unplaced:
            message = f"heat map (line {grid.line}) cannot place {', '.join(unplaced)}"
            found.append(Disagreement(source, grid.line, period, service, "risks", message))
    for said in evidence.high_level:
        named = [row for row in rows if row["source_line"] in (said.line, said.line + 1)]
        high = [row for row in named if (row.get("score") or 0) >= said.score]
        if named and len(high) != said.count:
            message = (
                f"the text (line {said.line}) says {said.count} risks score {said.score} or "
                f"above but names {len(high)}"
            )
            service = named[0]["service"]
            found.append(Disagreement(source, said.line, period, service, "risks", message))
    return found


READER = Reader("risks", KIND, extract_risks, risk_checks)
