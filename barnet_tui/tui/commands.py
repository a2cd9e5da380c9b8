"""The command palette's jump: a ref or id, an indicator's, action's or risk's words, a
service or a period."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

import polars as pl
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import FuzzySearch, Matcher
from textual.markup import escape

from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.queries import current_rows
from barnet_tui.tui.reads import FAILURES, failure_message
from barnet_tui.tui.screens.error import ErrorScreen

if TYPE_CHECKING:
    from barnet_tui.tui.app import BarnetApp


class JumpProvider(Provider):
    """Hits from the loaded dataset: services, indicators (by ref and name) and periods."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets: list[tuple[str, str, partial[None]]] = []

    @property
    def barnet(self) -> BarnetApp:
        return self.app  # type: ignore[return-value]

    async def startup(self) -> None:
        """The hits, built once per palette from the dataset (in a thread: on millions of
        rows, each indicator's latest row takes a moment), never on each keystroke."""
        try:
            self.targets = await asyncio.to_thread(list, self._targets())
        except FAILURES as error:  # the dataset's files gone since it was opened
            directory = self.barnet.dataset.directory
            self.app.push_screen(ErrorScreen(failure_message(error, directory)))

    def _targets(self) -> Iterator[tuple[str, str, partial[None]]]:
        dataset = self.barnet.dataset
        if dataset is None:
            return
        services = dataset.collect(dataset.indicators.select(pl.col("service").unique()))
        for service in sorted(services["service"].drop_nulls()):
            yield (
                f"Service: {literal(service)}",
                "Open this service's indicators",
                partial(self.barnet.jump_to_service, service),
            )
        columns = ("ref", "indicator", "service", "period", "fin_year", "quarter", "rag")
        latest = dataset.collect(
            lambda: (
                current_rows(dataset.indicators.select(*columns, "below_target"))
                .filter(pl.col("ref") != "TBC")
                .sort("ref")
            )
        )
        for row in latest.iter_rows(named=True):
            yield (
                f"{literal(row['ref'])} {literal(row['indicator'])}",
                f"{literal(row['service'])}, latest {row['period']}",
                partial(
                    self.barnet.jump_to_indicator,
                    row["ref"],
                    where=(row["service"], row["period"]),
                ),
            )
        yield from self._report_targets()
        yield (
            "Changes since each service's report before",
            "Newly below target, recovered, ratings up or down, new and dropped (c)",
            partial(self.barnet.action_changes),
        )
        yield (
            "RAG rule audit",
            "The reports' RAG rule beside each published rating, with its working (a)",
            partial(self.barnet.action_audit),
        )
        for period in dataset.periods:
            yield (
                f"Period: {period}",
                "Show the corporate summary",
                partial(self.barnet.jump_to_period, period),
            )

    def _report_targets(self) -> Iterator[tuple[str, str, partial[None]]]:
        """Key actions and risks, by id and words."""
        dataset = self.barnet.dataset
        where = ("service", "period", "source", "source_line")
        actions = dataset.report_columns("actions", ("ref", "action", *where))
        for row in actions.iter_rows(named=True):
            yield (
                f"{literal(row['ref'] or 'Key action')} {_short(row['action'])}",
                f"Key action, {literal(row['service'])}, {row['period']}",
                partial(self._open, "actions", row),
            )
        risks = dataset.report_columns("risks", ("risk_id", "category", "description", *where))
        for row in risks.iter_rows(named=True):
            words = " ".join(filter(None, [row["category"], row["description"]]))
            yield (
                f"{literal(row['risk_id'])} {_short(words)}",
                f"Risk, {literal(row['service'])}, {row['period']}",
                partial(self._open, "risks", row),
            )

    def _open(self, table: str, row: dict[str, Any]) -> None:
        self.barnet.jump_to_report_row(
            table, row["service"], row["period"], (row["source"], row["source_line"])
        )

    async def discover(self) -> Hits:
        for text, help_text, command in self.targets:
            if text.startswith(("Service:", "Period:", "Changes since", "RAG rule")):
                yield DiscoveryHit(text, command, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self.targets:
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score, highlight(matcher, text), command, text=text, help=escape(help_text)
                )


_LONGEST_HIT = 70
"""Characters of an action's or risk's words in a hit: fuzzy matching a long query against
paragraphs takes seconds a keystroke."""


def _short(text: str) -> str:
    shown = literal(text)
    return shown if len(shown) <= _LONGEST_HIT else shown[: _LONGEST_HIT - 1].rstrip() + "…"


def highlight(matcher: Matcher, text: str) -> Content:
    """The matched letters of ``text`` highlighted, the text itself never read as markup.

    (Textual's own ``Matcher.highlight`` parses its candidate as markup.)
    """
    content = Content(text)
    _score, offsets = FuzzySearch(case_sensitive=matcher.case_sensitive).match(matcher.query, text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
