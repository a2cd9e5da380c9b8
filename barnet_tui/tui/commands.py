"""The command palette's jump: a ref or id, an indicator's, action's or risk's words, a
service or a period."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape
from textual.message import Message

from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.questions import latest_indicators, services
from barnet_tui.tui.messages import (
    JumpToIndicator,
    JumpToPeriod,
    JumpToReportRow,
    JumpToService,
    ShowAudit,
    ShowChanges,
)
from barnet_tui.tui.reads import FAILURES, failure_message
from barnet_tui.tui.screens.error import ErrorScreen
from barnet_tui.tui.session import Session

Target = tuple[str, str, Callable[[], None]]


class JumpProvider(Provider):
    """Hits from the loaded dataset: services, indicators (by ref and name) and periods.

    The session it searches is given it (``jumps_for``): it never reaches into the app."""

    session: ClassVar[Session]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets: list[Target] = []

    def _post(self, kind: Callable[..., Message], *args: Any) -> Callable[[], None]:
        """A hit's command: a ``kind`` message, made afresh each time the hit is chosen,
        posted to the app, which routes it."""

        def command() -> None:
            self.app.post_message(kind(*args))

        return command

    async def startup(self) -> None:
        """The hits, built once per palette from the dataset (in a thread: on millions of
        rows, each indicator's latest row takes a moment), never on each keystroke."""
        try:
            self.targets = await asyncio.to_thread(list, self._targets())
        except FAILURES as error:  # the dataset's files gone since it was opened
            directory = self.session.dataset.directory
            self.app.push_screen(ErrorScreen(failure_message(error, directory)))

    def _targets(self) -> Iterator[Target]:
        if not self.session.loaded:
            return
        dataset = self.session.dataset
        for service in services(dataset):
            yield (
                f"Service: {literal(service)}",
                "Open this service's indicators",
                self._post(JumpToService, service),
            )
        for row in latest_indicators(dataset).iter_rows(named=True):
            yield (
                f"{literal(row['ref'])} {literal(row['indicator'])}",
                f"{literal(row['service'])}, latest {row['period']}",
                self._post(JumpToIndicator, row["ref"], (row["service"], row["period"])),
            )
        yield from self._report_targets()
        yield (
            "Changes: each indicator against its latest earlier figure",
            "Newly below target, recovered, ratings up or down, worse or better than the "
            "previous result printed, new and dropped (c)",
            self._post(ShowChanges),
        )
        yield (
            "RAG rule audit",
            "The reports' RAG rule beside each published rating, with its working (a)",
            self._post(ShowAudit),
        )
        for period in dataset.periods:
            yield (
                f"Period: {period}",
                "Show the corporate summary",
                self._post(JumpToPeriod, period),
            )

    def _report_targets(self) -> Iterator[Target]:
        """Key actions and risks, by id and words."""
        dataset = self.session.dataset
        where = ("service", "period", "source", "source_line")
        actions = dataset.report_columns("actions", ("ref", "action", *where))
        for row in actions.iter_rows(named=True):
            yield (
                f"{literal(row['ref'] or 'Key action')} {_short(row['action'])}",
                f"Key action, {literal(row['service'])}, {row['period']}",
                self._open("actions", row),
            )
        risks = dataset.report_columns("risks", ("risk_id", "category", "description", *where))
        for row in risks.iter_rows(named=True):
            words = " ".join(filter(None, [row["category"], row["description"]]))
            yield (
                f"{literal(row['risk_id'])} {_short(words)}",
                f"Risk, {literal(row['service'])}, {row['period']}",
                self._open("risks", row),
            )

    def _open(self, table: str, row: dict[str, Any]) -> Callable[[], None]:
        place = (row["source"], row["source_line"])
        return self._post(JumpToReportRow, table, row["service"], row["period"], place)

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


def jumps_for(session: Session) -> type[JumpProvider]:
    """The palette's jumps through ``session``'s dataset: a provider class, as a command
    palette takes them, with the session it searches given."""

    class Jumps(JumpProvider):
        pass

    Jumps.session = session
    return Jumps


_LONGEST_HIT = 70
"""Characters of an action's or risk's words in a hit: fuzzy matching a long query against
paragraphs takes seconds a keystroke."""


def _short(text: str) -> str:
    shown = literal(text)
    return shown if len(shown) <= _LONGEST_HIT else shown[: _LONGEST_HIT - 1].rstrip() + "…"


def highlight(matcher: Matcher, text: str) -> Content:
    """The matched letters of ``text`` highlighted, the text itself never read as markup.

    (Textual's own ``Matcher.highlight`` parses its candidate as markup.) The offsets come
    from the matcher's own search, whose cache holds them from scoring: a fresh search would
    enumerate every alignment of a long query again, seconds a keystroke on a long hit.
    """
    content = Content(text)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
