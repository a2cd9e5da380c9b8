"""Header words: one vocabulary of synonyms per column, for every kind of table.

Councils word the same column many ways ("Ref", "Reference", "Indicator ref"; "Result",
"Actual", "Outturn"). A header cell names a column by its leading words once the periods it
prints are set aside, so ``Q1 2016/17 Actual`` is a result column for Q1 2016/17 and
``2016/17 Annual Target`` an annual target. Words that PDF wrapping split ("Impro ved",
"Indicato r") still match, because cells are compared with spaces removed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from barnet_tui.domain.periods import Period

KNOWN_LABELS = 4096
"""How many labels each cache keeps: a long report repeats its headers thousands of times,
but a million-row tracker's data cells, every one different, must not all be kept."""


@lru_cache(maxsize=KNOWN_LABELS)  # pure, and a long report repeats its headers
def header_key(label: str) -> str:
    """A header cell folded for matching: lower case, single spaces, no hyphen gaps."""
    text = label.lower().replace("–", "-")
    text = re.sub(r"\s*-\s*", "-", text)
    return " ".join(text.split())


@lru_cache(maxsize=KNOWN_LABELS)
def squash(label: str) -> str:
    """Letters and digits only: matches headers whose words PDF wrapping split ("Impro ved")."""
    return re.sub(r"[^a-z0-9]", "", label.lower())


_YEAR = r"(\d{4})/(\d{2})"
_QUARTER = r"(?:q|quarter )([1-4])"
_PERIOD = re.compile(rf"\b(?:{_QUARTER} {_YEAR}|{_YEAR} {_QUARTER}|{_YEAR})\b")
_YEAR_END = re.compile(r"\b(?:eoy|end of (?:the )?year|year end)\b")
_BRACKETS = re.compile(r"\([^)]*\)?")


@dataclass(frozen=True)
class HeaderPeriod:
    """A period a header names: a quarter ("Q1 2016/17") or a whole year ("2016/17")."""

    start_year: int
    quarter: int | None
    """None for a year; a year sorts with its fourth quarter, where it ends."""

    @property
    def label(self) -> str:
        year = f"{self.start_year}/{(self.start_year + 1) % 100:02d}"
        return f"Q{self.quarter} {year}" if self.quarter else year

    @property
    def order(self) -> tuple[int, int]:
        return self.start_year, self.quarter or 4

    def as_period(self) -> Period:
        """The reporting period: a year's figures are its end-of-year (Q4) figures."""
        return Period(self.start_year, self.quarter or 4)

    def year_before(self, other: HeaderPeriod) -> bool:
        """Whether ``other`` is the same quarter (or the whole year) one year earlier."""
        return other.quarter == self.quarter and other.start_year == self.start_year - 1


def header_period(label: str) -> HeaderPeriod | None:
    """The period a header cell names outside brackets ("(From Q4 2015/16)" is not it)."""
    key = _BRACKETS.sub(" ", header_key(label))
    match = _PERIOD.search(key)
    if match is None:
        return None
    quarter = match[1] or match[6]
    start, end = match[2] or match[4] or match[7], match[3] or match[5] or match[8]
    if (int(start) + 1) % 100 != int(end):
        return None
    return HeaderPeriod(int(start), int(quarter) if quarter else None)


def _words(label: str) -> str:
    """A header cell's words with its periods and bracketed notes set aside."""
    key = _BRACKETS.sub(" ", header_key(label))
    key = _YEAR_END.sub(" ", _PERIOD.sub(" ", key))
    return squash(key)


@dataclass(frozen=True)
class Vocabulary:
    """Synonyms per field; a header cell names the field whose longest synonym it starts with."""

    synonyms: tuple[tuple[str, str], ...]
    """(squashed synonym, field), longest synonym first."""
    whole: frozenset[str] = frozenset()
    """Fields a cell names only with nothing after the synonym: a data cell that merely
    starts with "Ref..." ("Referrals to social care") is never taken for a ref header."""
    known: dict[str, str] = dataclasses.field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    """Labels already read: a long report repeats its headers thousands of times. Emptied
    when it holds ``KNOWN_LABELS``: every cell of every line is asked about."""

    @classmethod
    def of(
        cls, fields: Mapping[str, tuple[str, ...]], whole: frozenset[str] = frozenset()
    ) -> Vocabulary:
        pairs = [(squash(word), name) for name, words in fields.items() for word in words]
        return cls(tuple(sorted(pairs, key=lambda pair: -len(pair[0]))), whole)

    def field(self, label: str) -> str:
        """The field a header cell names, or "" when it names none."""
        found = self.known.get(label)
        if found is None:
            if len(self.known) >= KNOWN_LABELS:
                self.known.clear()
            found = self.known[label] = self._field(label)
        return found

    def _field(self, label: str) -> str:
        key = _words(label)
        if not key:
            return ""
        for word, name in self.synonyms:
            if key == word or (name not in self.whole and key.startswith(word)):
                return name
        return ""


INDICATOR_COLUMNS = Vocabulary.of(
    {
        "ref": (
            "ref",
            "ref no",
            "ref number",
            "reference",
            "indicator ref",
            "indicator reference",
            "pi ref",
        ),
        "indicator": (
            "indicator",
            "indicator description",
            "indicator name",
            "measure",
            "performance measure",
            "performance indicator",
            "description",
        ),
        "indicator_type": ("type of indicator", "indicator type", "type"),
        "polarity": ("polarity", "good performance is", "better if", "higher or lower"),
        "period_covered": ("period covered", "period cover", "timeframe", "data period"),
        "period": ("period", "reporting period", "quarter"),
        "year": ("year", "financial year"),
        "target": (
            "target",
            "annual target",
            "period target",
            "quarter target",
            "quarterly target",
        ),
        "result": ("result", "actual", "outturn", "achieved"),
        "previous": ("previous outturn", "previous result", "previous actual"),
        "rag": ("rag", "rag rating", "rag status", "rating", "status"),
        "dot": ("dot", "direction of travel", "direction", "trend"),
        "benchmark": ("benchmark", "comparator"),
        "comment": ("comment", "commentary", "narrative"),
        "service": ("service", "delivery unit"),
        "ignored": ("target variance", "variance", "numerator"),
    },
    whole=frozenset({"ref", "period", "year"}),
)
"""Columns of an indicator table."""

COUNT_COLUMNS = Vocabulary.of(
    {
        "green": ("green",),
        "green_amber": ("green amber",),
        "red_amber": ("red amber",),
        "red": ("red",),
        "rag_rated": ("total rag", "rag rating", "rag rated"),
        "reported": ("reported", "expected to report", "no indicat", "no of indicat", "total"),
        "monitor": ("monitor",),
        "improved_same": ("improv",),
        "worsened": ("worse",),
        "no_dot": ("no direction",),
        "dot_rated": ("dot", "direction of travel"),
    }
)
"""Columns of a table of RAG and direction-of-travel counts."""

_SHORT_TERM = re.compile(r"\bshort\b")
_ANNUAL = re.compile(r"\bannual\b|\bfull year\b|\byear end\b")
_PERIODIC = re.compile(r"\b(?:period|quarter|quarterly|q[1-4])\b")


def is_short_term(label: str) -> bool:
    """A direction-of-travel column against the previous quarter ("DOT Short Term")."""
    return bool(_SHORT_TERM.search(header_key(label)))


def is_annual(label: str) -> bool:
    return bool(_ANNUAL.search(header_key(label)))


def is_periodic(label: str) -> bool:
    """A target for the period rather than the year ("Q1 2016/17 Target", "Period target")."""
    return bool(_PERIODIC.search(_BRACKETS.sub(" ", header_key(label))))
