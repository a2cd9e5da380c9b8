"""What screens, widgets and the palette ask of the app: they post one of these and the app
routes it (opens a screen, switches the period). None of them imports the app."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from rich.text import Text
from textual.message import Message


class OpenService(Message):
    """A service's list for a period, on ``tab``; ``open_row`` (source, line) opens that
    indicator at once."""

    def __init__(
        self,
        service: str,
        period: str,
        open_row: tuple[str, int] | None = None,
        tab: str = "indicators",
    ) -> None:
        super().__init__()
        self.service, self.period, self.open_row, self.tab = service, period, open_row, tab


class OpenIndicator(Message):
    """An indicator of a finding (a change, an audited row): its service's list of that
    period is what ``n`` / ``N`` step through."""

    def __init__(self, service: str, period: str, ref: str) -> None:
        super().__init__()
        self.service, self.period, self.ref = service, period, ref


class ShowIndicators(Message):
    """The indicator at ``index`` of a list on screen (``rows``); ``returned`` is told the
    index the user ends on, so the list can put its cursor there."""

    def __init__(
        self,
        service: str,
        rows: pl.DataFrame,
        index: int,
        returned: Callable[[int | None], None] | None = None,
    ) -> None:
        super().__init__()
        self.service, self.rows, self.index, self.returned = service, rows, index, returned


class ShowRecord(Message):
    """A row of a list whole, on a screen of its own, ``crumbs`` saying where it is."""

    def __init__(self, crumbs: tuple[str, ...], text: Text) -> None:
        super().__init__()
        self.crumbs, self.text = crumbs, text


class ShowChanges(Message):
    """The changes for the summary's period."""


class ShowAudit(Message):
    """The RAG rule audit for the summary's period."""


class JumpToService(Message):
    """From the palette: a service, in the summary's period."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service


class JumpToPeriod(Message):
    """From the palette: the summary in ``period``."""

    def __init__(self, period: str) -> None:
        super().__init__()
        self.period = period


class JumpToIndicator(Message):
    """From the palette or the command line: an indicator by ref, in the summary's period
    when it has one, else its latest; with ``where`` (service, period), there: what a palette
    hit names is what it opens."""

    def __init__(self, ref: str, where: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.ref = ref
        self.where = where


class JumpToReportRow(Message):
    """From the palette: a key action or a risk, on its service's tab in its period."""

    def __init__(self, table: str, service: str, period: str, place: tuple[str, int]) -> None:
        super().__init__()
        self.table, self.service, self.period, self.place = table, service, period, place
