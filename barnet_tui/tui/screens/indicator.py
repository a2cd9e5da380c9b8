"""One indicator: every field laid out for reading, and its history across periods."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Console
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from barnet_tui.domain.audit import rule_sentence
from barnet_tui.domain.describe import cited, copy_line, rating_sentence, trend, where_printed
from barnet_tui.domain.history import PRINTED, indicator_history, reported
from barnet_tui.domain.literal_text import fit, literal
from barnet_tui.domain.queries import earlier_report_differs
from barnet_tui.domain.questions import rows_again
from barnet_tui.tui.reads import reads_dataset
from barnet_tui.tui.render import badge, dot, plain
from barnet_tui.tui.screens.base import BarnetScreen
from barnet_tui.tui.session import Session
from barnet_tui.tui.widgets.breadcrumbs import Breadcrumbs
from barnet_tui.tui.widgets.history_chart import history_bars
from barnet_tui.tui.widgets.key_hints import KeyHints, key_for
from barnet_tui.tui.widgets.text_view import TextView

if TYPE_CHECKING:  # frames are only typed here: the domain builds them
    import polars as pl

HOME = "Corporate"
_HISTORY = "History"
_LABEL_WIDTH = 16
_WRAP_CONSOLE = Console(file=io.StringIO(), width=200)
"""Only measures text to wrap it; never writes anywhere."""

# Field label, row key: the order a reader wants them in.
FIELDS: tuple[tuple[str, str], ...] = (
    ("Type", "indicator_type"),
    ("Polarity", "polarity"),
    ("Period covered", "period_covered"),
    ("Target", "target_raw"),
    ("Annual target", "annual_target_raw"),
    ("Result", "result_raw"),
    ("Compared with", "previous_raw"),
    ("Short-term vs", "previous_short_raw"),
    ("Benchmarking", "benchmark"),
    ("Ref as printed", "ref_raw"),
    ("Ref note", "ref_note"),
)


class IndicatorScreen(BarnetScreen[int]):
    """An indicator; ``n`` / ``N`` step through the service list it was opened from.

    Dismisses with the list index it ends on, so the list puts its cursor there.
    """

    AUTO_FOCUS = "#indicator-body"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "step(1)", "Next", id="indicator.next"),
        Binding("N", "step(-1)", "Previous", id="indicator.previous"),
        Binding("h", "history", "History", id="indicator.history"),
        Binding("y", "copy", "Copy", id="indicator.copy"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, session: Session, service: str, rows: pl.DataFrame, index: int) -> None:
        super().__init__(session)
        self.service = service
        self.rows = rows
        self.index = index
        self._width = 0

    def reopen(self, service: str, rows: pl.DataFrame, index: int) -> None:
        """Show another list's indicator in this (already built) screen."""
        self.service, self.rows, self.index = service, rows, index
        if self.is_mounted:
            self.show()

    @reads_dataset
    def reload_data(self) -> None:
        """The same list's indicators from the new data, in the same order, and the same
        one shown; those the new data no longer has drop out of the list."""
        ref = self.row["ref"]
        rows = rows_again(self.session.dataset, self.rows)
        if not rows.height:
            self.notify(f"{ref} is not in the new data.", markup=False)
            return
        refs = rows["ref"].to_list()
        self.rows, self.index = rows, refs.index(ref) if ref in refs else 0
        self.show(scroll_home=False)

    @property
    def row(self) -> dict[str, Any]:
        return self.rows.row(self.index, named=True)

    def compose(self) -> ComposeResult:
        row = self.row
        self._width = self._content_width()
        yield Breadcrumbs(HOME, self.service, row["ref"], id="crumbs")
        yield TextView(self._body(row), id="indicator-body")
        yield KeyHints(self)

    def on_resize(self) -> None:
        if self._width and self._width != self._content_width():
            self.show(scroll_home=False)

    def _content_width(self) -> int:
        return (self.size.width or self.app.size.width) - 3  # the body's padding, scrollbar

    def _body(self, row: dict[str, Any]) -> Text:
        """Details and history as one text: one widget, whose size never changes."""
        width = self._content_width()
        history = indicator_history(self.session.dataset, self.rows, self.index)
        details = self._details(row, width, history.height)
        return Text("\n").join([details, self._history(row, history, width)])

    def show(self, scroll_home: bool = True) -> None:
        row = self.row
        self._width = self._content_width()
        self.query_one("#crumbs", Breadcrumbs).show(HOME, self.service, row["ref"])
        view = self.query_one("#indicator-body", TextView)
        offset = view.scroll_offset.y
        view.set_text(self._body(row))
        if not scroll_home:
            view.scroll_to(y=offset, animate=False)

    def _details(self, row: dict[str, Any], width: int, periods: int) -> Text:
        """Everything about the row as one Text laid out for ``width`` (cheap to show)."""
        colours = self.session.config.badges
        parts: list[Text] = [
            Text.assemble(
                plain(row["ref"], style="bold"), "  ", plain(row["indicator"], style="bold")
            ),
            Text.assemble(
                (f"{row['period']} · {self.index + 1} of {self.rows.height} in the list · ", "dim"),
                (
                    f"History: {periods} period{'' if periods == 1 else 's'}, below · "
                    + key_for(self, "indicator.history"),
                    "bold",
                ),
            ),
            Text(),
            Text.assemble(badge(row["rag"], colours), " ", plain(rating_sentence(row))),
            labelled("RAG rule", plain(rule_sentence(row)), width),
            Text(),
        ]
        for label, key in FIELDS:
            value = row[key]
            if key == "previous_raw" and value and row["previous_period"]:
                value = f"{value} ({row['previous_period']})"
                history = indicator_history(self.session.dataset, self.rows, self.index)
                reports = reported(history)
                earlier = earlier_report_differs(row, reports)
                if earlier is not None:  # restated: say both, not two figures unexplained
                    value += f"; the {earlier['period']} report gave {earlier['result_raw']}"
                    value += " (rounded here)" if earlier["rounded"] else ""
            if value and not (key == "ref_raw" and value == row["ref"]):
                parts.append(labelled(label, plain(value), width))
        direction = Text("Direction of travel: ", style="dim")
        direction.append_text(dot(row["dot"]) if row["dot"] else Text("not given"))
        if row["dot_short"]:
            direction.append("   short-term: ", style="dim")
            direction.append_text(dot(row["dot_short"]))
        comment = (
            plain(row["comment"]) if row["comment"] else Text("No comment in the report.", "dim")
        )
        source = Text.assemble(("Source: ", "dim"), plain(f"{row['source']}, {where_printed(row)}"))
        parts += [Text(), direction, Text(), _heading("Comment"), comment, Text(), source]
        return Text("\n").join(parts)

    def _history(self, row: dict[str, Any], history: pl.DataFrame, width: int) -> Text:
        colours = self.session.config.badges
        points = history.to_dicts()
        figure = max(6, *(len(literal(p["result_raw"] or p["target_raw"] or "–")) for p in points))
        figure = min(figure, max(16, (width - 60) // 3))  # wide terminals: whole figures
        header = Text(
            f"{'Period':<11}{'Rating':<11}{fit('Result', figure)} {fit('Target', figure)} "
            f"{'Direction':<15}Source",
            style="bold",
        )
        lines = [Text(), _heading(_HISTORY), header]
        for point in points:
            source = cited(point)
            lines.append(
                Text.assemble(
                    (f"{point['period']:<11}", "bold" if point["period"] == row["period"] else ""),
                    _rating_cell(point, colours),
                    " " * max(11 - len(_rating_cell(point, colours)), 1),
                    plain(fit(literal(point["result_raw"] or "–"), figure)),
                    " ",
                    plain(fit(literal(point["target_raw"] or "–"), figure)),
                    " ",
                    dot(point["dot"]),
                    " " * max(15 - len(dot(point["dot"])), 1),
                    plain(fit(source, max(width - 39 - 2 * figure, 8)).rstrip(), style="dim"),
                )
            )
        if any(point["kind"] == PRINTED for point in points):
            lines.append(
                Text(
                    "previous: the previous result a report prints beside its own (Source: "
                    "that report), for a period no report's row gives",
                    style="dim",
                )
            )
        lines += [Text(), *history_bars(points, width, colours), Text()]
        lines.append(Text(trend(history, row["polarity"]), style="italic"))
        return Text("\n").join(lines)

    @reads_dataset
    def action_step(self, step: int) -> None:
        index = self.index + step
        if 0 <= index < self.rows.height:
            self.index = index
            self.show()
        else:
            self.notify(
                "That was the last one." if step > 0 else "That was the first one.", markup=False
            )

    def action_history(self) -> None:
        """``h``: the history at the top of the view, wherever the details end."""
        view = self.query_one("#indicator-body", TextView)
        view.scroll_to(y=view.line_index(_HISTORY), animate=False)

    def action_copy(self) -> None:
        # Pasted into a shell or a document, a control character would act, not read.
        line = literal(copy_line(self.row))
        self.app.copy_to_clipboard(line)
        self.notify(f"Copied: {line}", markup=False)

    def action_back(self) -> None:
        self.dismiss(self.index)


def labelled(label: str, value: Text, width: int) -> Text:
    """``label`` in a column of its own, ``value`` wrapped beside it with a hanging indent."""
    indent = _LABEL_WIDTH
    lines = value.wrap(_WRAP_CONSOLE, max(width - indent, 10))
    text = Text(f"{label:<{indent}}", style="dim")
    for index, line in enumerate(lines):
        if index:
            text.append("\n" + " " * indent)
        text.append_text(line)
    return text


def _heading(text: str) -> Text:
    return Text(text, style="bold underline")


def _rating_cell(point: dict[str, Any], colours: dict[str, str]) -> Text:
    """The badge, and "below" where the report says so without printing a rating;
    "previous" for a previous result a report prints, which has no rating of its own."""
    if point.get("kind") == PRINTED:
        return Text("previous", style="italic")
    text = Text.assemble(badge(point["rag"], colours))
    if point["rag"] is None and point["below_target"]:
        text.append(" below", style="italic")
    return text
