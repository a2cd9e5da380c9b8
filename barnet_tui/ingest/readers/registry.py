"""The readers of a report's own tables, found rather than listed: every module of
``ingest/readers/`` that declares a ``READER`` is one, in the order of the modules' names.

A reader's module declares everything about its kind: its header words, its ``TableKind``
(how the finder knows its tables), how it maps a table's columns to the rows of one dataset
table, and the report's arithmetic about them; its ``READER`` ties them together. Adding a
kind is one such module (and the contract's entry for its table, ``domain/contract.py``):
no list here or elsewhere names it. The indicator and count readers (``indicators``,
``summary``) fill the required tables from the finder's indicator tables (``report.parts``)
and run first, as the pipeline reconciles them.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from barnet_tui.domain.contract import REPORT_TABLES
from barnet_tui.ingest.arithmetic import Disagreement
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.report import Report
from barnet_tui.ingest.tables.finder import FoundTable, TableKind, find_tables


class Evidence(Protocol):
    """What a reader found in one report: its rows, and what it could not read."""

    @property
    def rows(self) -> list[dict[str, Any]]: ...

    @property
    def warnings(self) -> list[IngestWarning]: ...


def no_checks(_evidence: Any, _source: str, _period: str) -> list[Disagreement]:
    """For a kind whose report states no arithmetic about its rows."""
    return []


@dataclass(frozen=True)
class Reader:
    """One table kind's reader: the tables it claims, the dataset table it fills, how, and
    its checks."""

    table: str
    """The contract's name for the table its rows go to (``REPORT_TABLES``)."""
    kind: TableKind
    """How the finder knows the kind's tables (``tables/finder.py``)."""
    read: Callable[[Report, Sequence[FoundTable], str], Evidence]
    """The rows of a report for its period, from the tables the finder gave the kind."""
    checks: Callable[[Any, str, str], list[Disagreement]] = no_checks
    """Where the report's own figures about those rows disagree (its evidence, source,
    period)."""


class ReaderError(Exception):
    """A reader module declares what the contract or the other readers contradict: a
    mistake in the code, found when the readers are first asked for."""


@cache
def readers() -> tuple[Reader, ...]:
    """Every module of this package that declares a ``READER``, in its name's order."""
    found: list[Reader] = []
    package = __name__.rpartition(".")[0]
    for name in sorted(
        module.name for module in pkgutil.iter_modules([str(Path(__file__).parent)])
    ):
        declared = vars(importlib.import_module(f"{package}.{name}")).get("READER")
        if declared is None:
            continue
        if not isinstance(declared, Reader):
            raise ReaderError(f"readers/{name}.py: its READER is no Reader")
        if declared.table not in REPORT_TABLES:
            raise ReaderError(
                f"readers/{name}.py fills {declared.table!r}, which domain/contract.py's "
                "REPORT_TABLE_COLUMNS does not name"
            )
        found.append(declared)
    for names in ([r.table for r in found], [r.kind.name for r in found]):
        if len(set(names)) != len(names):
            raise ReaderError(f"two readers share a table or a kind: {sorted(names)}")
    return tuple(found)


def reader_tables(report: Report) -> dict[str, list[FoundTable]]:
    """Every reader's tables in a report, from one walk over its lines: kind -> tables."""
    return find_tables(report.lines, [reader.kind for reader in readers()])
