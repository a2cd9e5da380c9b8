"""What the text around a table says about its rows.

Some tables print no rating per row; the section they sit in says it instead ("Performance
Indicators that did not meet their target", "...which have met or exceeded their target",
"...which have been monitored"). Some reports list below-target indicators by ref and title
only, after a sentence that counts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from barnet_tui.ingest.cells.refs import Ref, parse_ref
from barnet_tui.ingest.cells.values import rag_from_words
from barnet_tui.ingest.sources.text import Line


class Section(Enum):
    """What a section heading says about the rows under it."""

    BELOW_TARGET = "below target"
    MET_TARGET = "met target"
    MONITORED = "monitored"


_SECTION_PATTERNS = (
    (re.compile(r"\b(did not meet|not met)\b.*\btarget", re.I), Section.BELOW_TARGET),
    (re.compile(r"\bmet or exceeded\b", re.I), Section.MET_TARGET),
    (re.compile(r"\bbeen monitored\b|\bmonitored throughout\b", re.I), Section.MONITORED),
)
_NUMBERED_HEADING = re.compile(r"^(#+\s*)?(\d+(\.\d+)*[a-z]?\.?\s|appendix [a-z]\b)", re.I)
_BULLET = re.compile(r"^\s*[-•*]\s*")
_LONGEST_HEADING = 160


def is_bullet(text: str) -> bool:
    return bool(_BULLET.match(text))


def section_change(line: Line) -> tuple[bool, Section | None]:
    """Whether a line starts a new section, and what that section says about its rows."""
    text = line.text
    if line.is_tabular or not text or is_bullet(text) or len(text) > _LONGEST_HEADING:
        return False, None
    for pattern, section in _SECTION_PATTERNS:
        if pattern.search(text):
            return True, section
    if _NUMBERED_HEADING.match(text.lstrip("# ")):
        return True, None
    return False, None


_TERMINAL = re.compile(r"""[.!?)"'’”:]$""")


def is_terminated(text: str) -> bool:
    """Whether text ends a sentence; wrapped text that does not is continued elsewhere."""
    stripped = text.strip()
    return not stripped or bool(_TERMINAL.search(stripped))


def carries_on(text: str | None, following: str | None) -> bool:
    """Whether ``following`` continues ``text``, one cell the extraction split: ``text``
    stops mid-sentence and ``following`` starts in lower case or with a figure ("...to take
    place in an" / "efficient and timely manner...")."""
    return bool(
        text
        and following
        and not is_terminated(text)
        and (following[0].islower() or following[0].isdigit())
    )


# A sentence that counts or announces below-target indicators opens a list of them.
_LIST_OPENER = re.compile(r"below\W+target|not met\b|did not meet", re.I)
_RATED = re.compile(r"\(RAG rated ([A-Z ]+)\)\s*", re.I)
_FOOTNOTE_LINE = re.compile(r"^\s*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]|<sup>|\$\^)")


@dataclass
class ListedIndicator:
    """An indicator a report names as below target in running text."""

    ref: Ref
    title: str
    line: int
    rag: str | None
    commentary: str
    indicator_type: str | None = None


def opens_list(line: Line) -> bool:
    return not line.is_tabular and bool(_LIST_OPENER.search(line.text))


def list_indicator_type(opener: Line) -> str | None:
    """The type a list's opening sentence gives its items ("...are Corporate Plan Indicators")."""
    text = opener.text.lower()
    if "corporate plan indicator" in text and "none are corporate plan" not in text:
        return "CPI"
    return None


def listed_indicator(line: Line) -> ListedIndicator | None:
    """The indicator a list line names: "- BH/C5 Temporary Accommodation ... debit."."""
    if line.is_tabular:
        return None
    text = _BULLET.sub("", line.text)
    ref = parse_ref(text, title_follows=True)
    if ref is None or not ref.rest:
        return None
    title, rag, commentary = ref.rest, None, ""
    rated = _RATED.search(title)
    if rated:
        rag = rag_from_words(rated[1])
        title, commentary = title[: rated.start()], title[rated.end() :]
    return ListedIndicator(ref, title.strip().rstrip(".;").strip(), line.number, rag, commentary)


def is_footnote(line: Line) -> bool:
    return bool(_FOOTNOTE_LINE.match(line.raw))


def continues_text(line: Line) -> bool:
    """A paragraph that carries on a sentence broken by a page or footnote."""
    text = line.text
    return bool(text) and not line.is_tabular and text[0].islower()
