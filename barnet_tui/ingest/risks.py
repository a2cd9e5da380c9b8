"""Risk registers, the 5x5 heat map that counts them, and risks named only in prose.

A register row starts with the risk's id and category ("DUFS0035 – Health and Safety If the
GDIT system fails..."). Its header is usually mangled by extraction ("Current Asse Impact
Proba | | ng"), so cells are read by what they say: an impact ("Major 4"), a probability
("Likely 4"), a rating with its score ("Medium High 12"), a response ("Treat"), a review
timing ("Quarterly"). The first assessment is the current one; one after the controls is the
target. A figure the row leaves blank stays null. Prose names risks as "FS001 Significant
child safeguarding incident (risk score 15) risk that ...".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from barnet_tui.domain.contract import schema
from barnet_tui.ingest.arithmetic import Disagreement
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.report import Report
from barnet_tui.ingest.services import service_for_ref
from barnet_tui.ingest.text import Line

Row = dict[str, Any]

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
_ID_START = re.compile(r"^(?P<id>[A-Z]{2,8}\d{3,5})\s*[-–—:]\s*(?P<rest>.+)$")
_LEVEL = re.compile(r"^(?P<word>[a-z ]+?)\s+(?P<number>[1-5])$", re.IGNORECASE)
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


def _assessments(cells: Sequence[str]) -> Row:
    """The current and target assessments, controls, response and review of one row."""
    row: Row = {}
    prefix = ""
    for cell in cells:
        if not cell:
            continue
        if (impact := _level(cell, IMPACTS)) is not None:
            row.setdefault(f"{prefix}impact", impact)
        elif (probability := _level(cell, PROBABILITIES)) is not None:
            row.setdefault(f"{prefix}probability", probability)
        elif (rating := _RATING.match(cell)) is not None:
            row.setdefault(f"{prefix}rating", " ".join(rating["rating"].title().split()))
            row.setdefault(f"{prefix}score", int(rating["score"]))
            prefix = "target_"
        elif cell.strip().title() in RESPONSES:
            row["status"] = cell.strip().title()
            prefix = "target_"
        elif _TIMINGS.match(cell.strip()):
            row["review"] = cell.strip()
            prefix = "target_"
        elif "controls" not in row:
            row["controls"] = cell
            prefix = "target_"
    return row


def _heat_map(lines: Sequence[Line], index: int) -> HeatMap | None:
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
    floor = next(
        (int(m[1]) for line in lines[index:] if (m := _REGISTER_FLOOR.search(line.text))), None
    )
    return HeatMap(lines[index].number, counts, floor)


class _Reader:
    def __init__(self, report: Report, period: str) -> None:
        self.report, self.period = report, period
        self.evidence = RiskEvidence()

    def _service(self, risk_id: str) -> str | None:
        if self.report.service is not None:
            return self.report.service
        return service_for_ref(f"{re.match(r'[A-Z]+', risk_id)[0]}/")  # type: ignore[index]

    def _add(self, line: Line, risk_id: str, fields: Row) -> None:
        service = self._service(risk_id)
        if service is None:
            message = f"risk {risk_id} not read: no service owns it"
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

    def register_row(self, line: Line) -> bool:
        match = _ID_START.match(line.cells[0]) if line.cells else None
        if match is None:
            return False
        category, description = _category(match["rest"])
        fields = {"category": category, "description": description or None}
        self._add(line, match["id"], fields | _assessments(line.cells[1:]))
        return True

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


def extract_risks(report: Report, period: str) -> RiskEvidence:
    """Every risk the report lists or names, and the heat maps and counts that sum them."""
    reader = _Reader(report, period)
    lines = report.lines
    previous: Line | None = None
    for index, line in enumerate(lines):
        if line.is_blank:
            continue
        if line.is_tabular:
            if not reader.register_row(line) and (grid := _heat_map(lines, index)) is not None:
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
