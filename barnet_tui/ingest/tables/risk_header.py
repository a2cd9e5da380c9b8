"""What each column of a risk register holds, read from its header words.

Register headers come out of extraction garbled: words cut ("Current Asse Impact Proba"),
split over two lines, or one cell naming several columns ("Current Assessment Impact
Probability Rating" over three). A header is read word by word: a word names a concept when
it is a concept word, a prefix of one (cut), one with a few letters more ("Controls"), or
one when joined with the next word ("Proba bility"). A two-line header is read column by
column, the upper cell before the lower. A cell naming several measures covers itself and
the cells after it that name nothing, in the order it prints them. Nothing here depends on
where a column stands in the usual layout.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from barnet_tui.ingest.tables.finder import claimed_twice

_CONCEPTS: dict[str, tuple[str, ...]] = {
    "current": ("current", "residual", "actual"),
    "target": ("target",),
    "inherent": ("inherent", "gross", "original"),
    "impact": ("impact", "severity", "consequence"),
    "probability": ("probability", "likelihood"),
    "rating": ("rating", "rag"),
    "score": ("score",),
    "risk": ("risk",),
    "id": ("id", "ref", "reference", "number", "code"),
    "description": ("description", "title", "name", "summary"),
    "category": ("category", "type", "kind"),
    "controls": ("controls", "mitigation", "mitigations", "actions", "mitigating"),
    "status": ("status", "response", "treatment"),
    "review": ("review", "timing", "frequency"),
    "ignored": ("owner", "direction", "trend", "travel", "lead", "responsible"),
    "filler": ("assessment", "board", "delivery", "and", "the", "of", "in", "place"),
}
_WORDS = {word: concept for concept, words in _CONCEPTS.items() for word in words}
_MEASURES = ("impact", "probability", "rating", "score")
_SHORTEST_CUT = 3
"""A cut word needs this many letters to stand for a concept ("Pro" for probability)."""
_MOST_EXTRA = 3
"""Letters a word may have beyond a concept word ("controls", "risks", "ratings")."""
_LONGEST_LABEL = 60
"""A header cell longer than this is a line of prose, not a header."""

REPEATABLE = frozenset({"", "ignored"})
"""Fields several columns may hold."""
ID_FIELDS = ("risk", "risk_id")
CURRENT = ("impact", "probability", "rating", "score")
RISK_ID_START = re.compile(r"^(?P<id>[A-Z]{2,8}\d{3,5})\s*[-–—:]\s*(?P<rest>.+)$")
RISK_ID_ALONE = re.compile(r"^(?P<id>[A-Z]{2,8}\d{3,5})$")


def names_a_risk(cells: Sequence[str]) -> bool:
    """Whether a line names a risk ("DUFS0035 – Health and Safety ...", or the id alone)."""
    return any(RISK_ID_START.match(cell) or RISK_ID_ALONE.match(cell) for cell in cells)


@lru_cache(maxsize=1 << 16)  # a word is looked for among all the known ones: once
def _concept(word: str) -> str | None:
    """The concept a single word names, or None (unknown, too short, or ambiguous)."""
    if word in _WORDS:
        return _WORDS[word]
    found = {
        concept
        for known, concept in _WORDS.items()
        if (len(word) >= _SHORTEST_CUT and known.startswith(word))
        or (
            len(known) >= _SHORTEST_CUT
            and word.startswith(known)
            and len(word) - len(known) <= _MOST_EXTRA
        )
    }
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=1 << 14)  # a long report repeats its headers many times
def concepts(label: str) -> tuple[str, ...]:
    """The concepts a header cell names, in the order it prints them."""
    words = re.findall(r"[a-z]+", label.lower())
    found: list[str] = []
    index = 0
    while index < len(words):
        joined = words[index] + words[index + 1] if index + 1 < len(words) else ""
        if joined in _WORDS:
            found.append(_WORDS[joined])
            index += 2
            continue
        concept = _concept(words[index])
        if concept is not None:
            found.append(concept)
        index += 1
    return tuple(found)


@dataclass(frozen=True)
class _Cell:
    group: str | None
    """"current", "target" or "inherent" when the cell says which assessment it is part of."""
    measures: tuple[str, ...]
    field: str
    """The field a cell without measures names ("" when it names none)."""

    @property
    def names_nothing(self) -> bool:
        return not self.measures and not self.field and self.group is None


@cache
def _cell(label: str) -> _Cell:
    found = [c for c in concepts(label) if c != "filler"]
    group = next((c for c in found if c in ("current", "target", "inherent")), None)
    measures = tuple(dict.fromkeys(c for c in found if c in _MEASURES))
    others = [c for c in found if c not in ("current", "target", "inherent", "risk", *_MEASURES)]
    field = ""
    if measures:
        pass
    elif others:
        first = others[0]
        field = {"id": "risk_id"}.get(first, first)
    elif "risk" in found:
        field = "risk"
    return _Cell(group, measures, field)


def _measure_field(group: str | None, measure: str) -> str:
    """A measure's field; the inherent assessment (before controls) is not in the contract."""
    if group == "inherent":
        return "ignored"
    return f"target_{measure}" if group == "target" else measure


def _padded(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    width = max(len(row) for row in rows)
    return [list(row) + [""] * (width - len(row)) for row in rows]


def _joined(padded: list[list[str]]) -> list[str]:
    """Each column's header words, the upper line's before the lower's."""
    if len(padded) == 1:
        return padded[0]
    return [" ".join(filter(None, column)) for column in zip(*padded, strict=True)]


def header_labels(rows: Sequence[Sequence[str]]) -> list[str]:
    """Each column's header words over one or two lines, the upper line's first."""
    return _joined(_padded(rows))


def register_fields(rows: Sequence[Sequence[str]]) -> list[str]:
    """The field of each column of a header printed over ``rows`` (one or two lines)."""
    padded = _padded(rows)
    width = len(padded[0])
    upper_groups: list[str | None] = [None] * width
    if len(padded) > 1:
        # The upper line's group label spans the blank cells after it (a merged cell).
        group: str | None = None
        for index, label in enumerate(padded[0]):
            if label.strip():
                group = _cell(label).group
            upper_groups[index] = group
    cells = [_cell(label) for label in _joined(padded)]
    fields = [""] * width
    covered: set[int] = set()
    for index, cell in enumerate(cells):
        if index in covered:
            continue
        group = cell.group or upper_groups[index]
        if not cell.measures:
            fields[index] = cell.field
            continue
        span = [index]
        for after in range(index + 1, width):
            if len(span) == len(cell.measures):
                break
            if not cells[after].names_nothing:
                break
            span.append(after)
        for column, measure in zip(span, cell.measures, strict=False):
            fields[column] = _measure_field(group, measure)
            covered.add(column)
    return fields


def is_risk_header(rows: Sequence[Sequence[str]]) -> bool:
    """Whether the lines name a register's columns: an impact or probability and two more."""
    if any(len(label) > _LONGEST_LABEL for row in rows for label in row):
        return False
    labels = header_labels(rows)
    if not any(c in ("impact", "probability") for label in labels for c in concepts(label)):
        return False  # the common case, cheaply: a line of figures or of another table
    named = set(register_fields(rows)) - REPEATABLE
    plain = {name.removeprefix("target_") for name in named}
    return bool(plain & {"impact", "probability"}) and len(named) >= 3


def filled(fields: list[str], others: Sequence[list[str]]) -> list[str]:
    """``fields`` with each column it leaves unnamed named by the other printings of the same
    register (same width, agreeing wherever both name a column), when they agree."""
    result = fields[:]
    alike = [
        other
        for other in others
        if len(other) == len(fields)
        and all(not a or not b or a == b for a, b in zip(fields, other, strict=True))
    ]
    for index, name in enumerate(fields):
        if name:
            continue
        offered = {other[index] for other in alike if other[index]}
        if len(offered) == 1:
            result[index] = offered.pop()
    return result


def problem(labels: Sequence[str], fields: Sequence[str]) -> str:
    """Why the register's rows cannot be read without guessing; "" when they can."""
    twice = claimed_twice(labels, fields, REPEATABLE)
    if twice:
        return twice
    if not set(ID_FIELDS) & set(fields):
        return "no column names the risk"
    if not set(CURRENT) & set(fields):
        return "no column names the current assessment (impact, probability, rating or score)"
    return ""
