"""How a kind knows its header, and the one kind every report is read with.

A kind's header is a line whose cells name the fields the kind needs (by its header words,
a ``Vocabulary``); ``named_header`` reads most kinds that way. Each other kind is declared by
its reader's module (``ingest/readers/``), which the pipeline hands to the finder: the
finder never looks for its kinds itself. Indicator, comment, count and dashboard tables are
``LAYOUT``, found as a report is read (``report_of``), since its period and the indicators'
readers rest on them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from barnet_tui.ingest.sources.text import Line
from barnet_tui.ingest.tables.columns import header_label
from barnet_tui.ingest.tables.finder import Claim, HeaderRule, TableKind
from barnet_tui.ingest.tables.layout import classify_header, settle_headers
from barnet_tui.ingest.tables.vocabulary import Vocabulary


def named_header(
    fields: Callable[[str], str],
    *needs: frozenset[str],
    refuse: Callable[[Sequence[Line], int], bool] | None = None,
) -> HeaderRule:
    """A header rule: a line whose cells name one field of each of ``needs`` (and that
    ``refuse`` does not turn away); it claims the field each cell names ("" for none)."""

    def rule(lines: Sequence[Line], index: int) -> Claim | None:
        line = lines[index]
        if not line.is_tabular:
            return None
        named = [fields(label) if label else "" for label in line.cells]
        if not all(need & set(named) for need in needs):
            return None
        if refuse is not None and refuse(lines, index):
            return None
        return Claim(1, named)

    return rule


def words(vocabulary: Vocabulary) -> Callable[[str], str]:
    """A vocabulary's reading of a header cell with its units and periods set aside."""
    return lambda label: vocabulary.field(header_label(label))


# Indicator, comment, count and dashboard tables ---------------------------------------------


def _layout_header(lines: Sequence[Line], index: int) -> Claim | None:
    header = classify_header(lines[index], lines[index - 1] if index else None)
    return None if header is None else Claim(1, header)


LAYOUT = TableKind("layout", "indicator table", _layout_header, columns=None, settle=settle_headers)
"""Indicator, comment, count and dashboard tables (``Header.kind`` says which)."""
