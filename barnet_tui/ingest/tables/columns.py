"""Which field each column of a table holds, from its header and, where the header cell is
blank, from where the column sits.

PDF extraction leaves some header cells empty ("2015/16 Latest Approved Budget | | (Slippage)
| | Variance"): the blank sits where the report's usual column order puts one field, so the
blank is that field when its data are the right kind (figures for figures, words for a
comment). A blank with no such field stays unread.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

_UNITS = re.compile(r"£\s*000s?|\(000s\)|\badv/\(fav\)")
_YEARS = re.compile(r"\b\d{4}\s*[-/]\s*\d{2}\b|\bq[1-4]\b")


@cache  # a long report repeats its headers thousands of times
def header_label(label: str) -> str:
    """A header cell without units and periods: ``Proposed 2016/17 Budget £000`` -> budget."""
    return " ".join(_YEARS.sub(" ", _UNITS.sub(" ", label.lower())).split())


def column_fields(
    labels: Sequence[str],
    named: Sequence[str],
    order: Sequence[str],
    numeric: Sequence[bool | None],
) -> list[str]:
    """The field of each column ("" for none): ``named`` for the columns whose header says
    (as the table's reader understood it), a field by position for the blank ones.
    ``numeric[i]`` says whether column i's data are figures (None when it has none)."""
    fields = [field if label.strip() else "" for label, field in zip(labels, named, strict=True)]
    for index, label in enumerate(labels):
        if label.strip() or index >= len(numeric) or numeric[index] is None:
            continue
        left = next((fields[i] for i in range(index - 1, -1, -1) if fields[i]), None)
        right = next((fields[i] for i in range(index + 1, len(fields)) if fields[i]), None)
        start = order.index(left) + 1 if left in order else 0
        stop = order.index(right) if right in order else len(order)
        wanted_text = not numeric[index]
        for field in order[start:stop]:
            if field not in fields and (field in TEXT_FIELDS) == wanted_text:
                fields[index] = field
                break
    return fields


TEXT_FIELDS = frozenset({"line", "comment", "ref", "priority", "action", "due", "rag"})
"""Fields whose cells are words; every other field is a figure."""
