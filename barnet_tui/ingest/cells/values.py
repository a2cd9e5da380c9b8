"""Cell values: numbers, RAG markers, directions of travel, polarity and counts.

Each function takes one cleaned cell and returns the contract's form of it, or None when the
cell does not say (``Fail``, ``New for 2016/17``, two figures in one cell). Nothing here guesses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_RAG_MARKERS = {"G": "Green", "GA": "Green Amber", "RA": "Red Amber", "R": "Red"}
_RAG_SUFFIX = re.compile(r"\s*\((G|GA|RA|R)\)\s*$")
_RAG_WORD_SUFFIX = re.compile(r"\s*\(?\b(green amber|red amber|green|red)\)?\s*$", re.IGNORECASE)
_RAG_WORDS = {
    "green": "Green",
    "green amber": "Green Amber",
    "red amber": "Red Amber",
    "red": "Red",
    "monitor": "Monitor",
}

# One number with an optional currency, unit or trailing bracketed notes. Units are the
# ones the reports use; a word that is not a unit ("20% reduction") makes the cell text.
_NUMBER = re.compile(
    r"""^(?P<sign>[-−])?\s*(?P<pound>£)?\s*(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<decimals>\.\d+)?
        \s*(?P<unit>%|m\b|bn\b|k\b|days?\b|kg\s+per\s+HH\b)?
        (?P<notes>(?:\s*\([^()]*(?:\([^()]*\)[^()]*)*\))*)\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
# "£1,878,9 55": a thousands group that PDF wrapping split with a space.
_SPLIT_GROUP = re.compile(r"(,\d{1,2}) (\d{1,2})(?!\d)")
# "2.3%10": a footnote number printed straight after a percentage.
_FOOTNOTE_AFTER_PERCENT = re.compile(r"(\d%)\d{1,2}$")

_DOT_WORDS = {
    "improving": "Improving",
    "improved": "Improving",
    "worsening": "Worsening",
    "worsened": "Worsening",
    "same": "Same",
    "not comparable": "Not comparable",
    "not applicable": "Not comparable",
    "n/a": "Not comparable",
    "na": "Not comparable",
    "monitor": "Monitor",
}
_NO_DOT = {"-", ""}
_NEW = re.compile(r"^new\b", re.IGNORECASE)
_ARROWS = re.compile(r"^[▲▼↔►◄▶◀→←↑↓]\s*")

_POLARITIES = {
    "bigger is better": "Bigger is Better",
    "smaller is better": "Smaller is Better",
    "monitor": "Monitor",
}
_INDICATOR_TYPES = {
    "cpi": "CPI",
    "spi": "SPI",
    "mpi": "MPI",
    "kpi": "KPI",
    "strategic": "Strategic",
    "critical": "Critical",
}
_COUNT = re.compile(r"^(?:\d+%\s*)?\(?(\d+)\)?$|^(\d+)\s*\(\d+%\)$")


def strip_footnote(raw: str) -> str:
    """A figure without the footnote number printed straight after it ("2.3%10")."""
    return _FOOTNOTE_AFTER_PERCENT.sub(r"\1", raw)


def _join_split_groups(raw: str) -> str:
    """ "£1,878,9 55" -> "£1,878,955": a thousands group that PDF wrapping split."""
    return _SPLIT_GROUP.sub(
        lambda match: match[1] + match[2] if len(match[1]) - 1 + len(match[2]) == 3 else match[0],
        raw,
    )


def _number_match(raw: str | None) -> re.Match[str] | None:
    """The one number a cell states, with its currency and unit, or None."""
    if raw is None:
        return None
    return _NUMBER.match(_join_split_groups(strip_footnote(raw.strip())))


def parse_number(raw: str | None) -> float | None:
    """The number a cell states, or None when it is not one number. A ``k`` after it is
    thousands (``£12k`` is 12,000); an ``m`` or ``bn`` is kept as printed, its magnitude in
    the unit (``m``, ``£m``, ``bn``, ``£bn``: see ``unit_of``)."""
    match = _number_match(raw)
    if match is None:
        return None
    value = float(match["digits"].replace(",", "") + (match["decimals"] or ""))
    if (match["unit"] or "").lower() == "k":  # "1.2k", "£12k": thousands, not a unit
        value = round(value * 1000, 9)
    return -value if match["sign"] else value


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")


def dated_figures(row: dict[str, object], ref: str, warn: Callable[[str], None]) -> None:
    """Warn of each figure cell (result, target, previous) of ``row`` that holds a date
    (``2017-03-31``, as a spreadsheet shows a number formatted as one): it is no figure."""
    for name in ("result_raw", "target_raw", "previous_raw"):
        raw = str(row.get(name) or "").strip()
        if _DATE.match(raw):
            shown = name.removesuffix("_raw")
            warn(
                f"{ref!r}: its {shown} cell holds a date ({raw}), not a figure (a number "
                "formatted as a date?)"
            )


def unit_of(raw: str | None) -> str | None:
    """The unit a figure is printed in, when it is evident from the figure itself."""
    match = _number_match(raw)
    if raw is None or match is None:
        return None
    text = raw.strip()
    if "%" in text.split("(")[0]:
        return "%"
    # "1.5m", "1.5M", "3bn": the figure stays as printed, so its magnitude is its unit (an
    # "m" may be millions or metres: the unit says which letter the report printed).
    magnitude = (
        (match["unit"] or "").lower() if (match["unit"] or "").lower() in ("m", "bn") else ""
    )
    if "£" in text:
        return "£" + magnitude
    if magnitude:
        return magnitude
    if re.search(r"\bdays?\b", text, re.IGNORECASE):
        return "days"
    if re.search(r"kg\s+per\s+HH", text, re.IGNORECASE):
        return "kg per HH"
    return None


_DAYS_IN_NAME = re.compile(r"\((?:in )?days\)\s*$", re.IGNORECASE)
_COUNT_NAME = re.compile(r"^numbers? of\b", re.IGNORECASE)


def unit_from_name(name: str, value: float | None) -> str | None:
    """A unit the indicator's name states: "... (days)", or a count ("Number of ...")."""
    if _DAYS_IN_NAME.search(name):
        return "days"
    if value is not None and value.is_integer() and _COUNT_NAME.match(name):
        return "count"
    return None


def split_rag(raw: str) -> tuple[str, str | None]:
    """A result cell without its RAG marker (``10.4% (R)``, ``10.4% Red Amber``), and the
    rating the marker stands for."""
    match = _RAG_SUFFIX.search(raw)
    if match is not None:
        return raw[: match.start()].strip(), _RAG_MARKERS[match[1]]
    match = _RAG_WORD_SUFFIX.search(raw)
    if match is not None and parse_number(raw[: match.start()]) is not None:
        return raw[: match.start()].strip(), _RAG_WORDS[" ".join(match[1].lower().split())]
    return raw.strip(), None


def rating(raw: str | None) -> str | None:
    """A rating cell of its own: ``GA``, ``(GA)``, ``Green Amber``, ``Monitor``; None when it
    says none of these."""
    if not raw:
        return None
    text = " ".join(raw.strip().strip("()").split())
    return _RAG_MARKERS.get(text.upper()) or rag_from_words(text)


def rag_from_words(text: str) -> str | None:
    """``RED AMBER`` / ``Green`` as a contract rating."""
    return _RAG_WORDS.get(" ".join(text.lower().split()))


def direction_of_travel(raw: str | None) -> str | None:
    """A direction-of-travel cell in the contract's vocabulary; None when there is none."""
    if raw is None:
        return None
    text = _ARROWS.sub("", raw.strip())
    key = " ".join(text.lower().split())
    if key in _NO_DOT:
        return None
    if _NEW.match(key):
        return "New"
    return _DOT_WORDS.get(key)


def polarity(raw: str | None) -> str | None:
    if raw is None:
        return None
    return _POLARITIES.get(" ".join(raw.lower().split()))


def indicator_type(raw: str | None) -> str | None:
    if raw is None:
        return None
    return _INDICATOR_TYPES.get(raw.strip().lower())


def parse_count(raw: str | None) -> int | None:
    """A published count: ``29``, ``65% (15)`` -> 15; None for an empty cell."""
    if raw is None:
        return None
    match = _COUNT.match(raw.strip())
    if match is None:
        return None
    return int(match[1] or match[2])


_SHARE = re.compile(r"^(\d+(?:\.\d+)?)%\s*\((\d+)\)$")
_SHARE_TOLERANCE = 1.0
"""Percentage points a printed share may differ from its count's exact share (rounding)."""


def total_of_shares(cells: list[str | None]) -> int | None:
    """The whole that printed shares add up to: ``59% (16)``, ``41% (11)`` -> 27.

    Only when every cell is a share and each percentage is its count's share of the sum, so
    the parts are the whole (a report that prints counts only as percentages of the total).
    """
    shares = [_SHARE.match(cell.strip()) if cell else None for cell in cells]
    if not shares or None in shares:
        return None
    parts = [(float(match[1]), int(match[2])) for match in shares if match]
    total = sum(count for _share, count in parts)
    if total == 0:
        return None
    fits = all(abs(100 * count / total - share) <= _SHARE_TOLERANCE for share, count in parts)
    return total if fits else None
