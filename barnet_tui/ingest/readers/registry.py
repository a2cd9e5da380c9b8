"""The readers of a report's own tables, listed once: each maps the tables the finder gave
its kind to the rows of one dataset table, and checks the report's arithmetic about them.

The indicator and count readers (``indicators``, ``summary``) are the required tables'
and run first, as the pipeline reconciles them; every other kind is one entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from barnet_tui.ingest.arithmetic import Disagreement
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.readers.actions import action_checks, extract_actions
from barnet_tui.ingest.readers.finance import extract_finance, finance_checks
from barnet_tui.ingest.readers.risks import extract_risks, risk_checks
from barnet_tui.ingest.report import Report


class Evidence(Protocol):
    """What a reader found in one report: its rows, and what it could not read."""

    @property
    def rows(self) -> list[dict[str, Any]]: ...

    @property
    def warnings(self) -> list[IngestWarning]: ...


@dataclass(frozen=True)
class Reader:
    """One table kind's reader: the dataset table it fills, how, and its checks."""

    table: str
    """The contract's name for the table its rows go to (``domain/contract.py``)."""
    read: Callable[[Report, str], Evidence]
    """The rows of a report for its period."""
    checks: Callable[[Any, str, str], list[Disagreement]]
    """Where the report's own figures about those rows disagree (its evidence, source,
    period)."""


READERS: Sequence[Reader] = (
    Reader("actions", extract_actions, action_checks),
    Reader("finance", extract_finance, lambda evidence, _source, _period: finance_checks(evidence)),
    Reader("risks", extract_risks, risk_checks),
)
"""Every reader of a report's own tables, in the order their rows are written."""
