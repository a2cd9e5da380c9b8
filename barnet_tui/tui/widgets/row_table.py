"""A read-only table that renders only the rows on screen, each once.

Textual's DataTable re-renders every cell through Rich padding whenever its rows change and
lays the screen out again; filtering as you type made that the cost of every key. Here a
row is turned into one Strip the first time it is seen, the header stays put while the rows
scroll, and changing the rows never changes the layout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar, NamedTuple, overload

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from barnet_tui.tui.render import line_strip
from barnet_tui.tui.render import segments as text_segments


class Column(NamedTuple):
    key: str
    label: Text
    width: int


Cells = Sequence[Text]


class LazyRows(Sequence[Cells]):
    """Rows whose cells are made the first time they are needed: a table of thousands of
    rows (every council's services) builds a screenful, not all of them."""

    def __init__(self, count: int, make: Callable[[int], Cells]) -> None:
        self._count = count
        self._make = make
        self._made: dict[int, Cells] = {}

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Cells: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Cells]: ...

    def __getitem__(self, index: int | slice) -> Cells | Sequence[Cells]:
        if isinstance(index, slice):
            return [self[item] for item in range(*index.indices(self._count))]
        if not -self._count <= index < self._count:
            raise IndexError(index)
        index %= self._count
        if index not in self._made:
            self._made[index] = self._make(index)
        return self._made[index]


class RowTable(ScrollView, can_focus=True):
    """Rows of pre-made cells (Rich Text) under a fixed header, with a row cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "cursor_to(0)", "First", show=False),
        Binding("end", "cursor_to(-1)", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header",
        "row-table--cursor",
        "row-table--even",
    }
    DEFAULT_CSS = """
    RowTable {
        height: 1fr;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 0;
    }
    RowTable > .row-table--header {
        text-style: bold;
        background: $panel;
    }
    RowTable > .row-table--cursor {
        background: $block-cursor-blurred-background;
    }
    RowTable:focus > .row-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    RowTable > .row-table--even {
        background: $boost;
    }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        """The cursor moved to ``row``."""

        def __init__(self, table: RowTable, row: int) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> RowTable:
            return self.table

    class Selected(Highlighted):
        """Enter (or a click on the cursor row) on ``row``."""

    class HeaderSelected(Message):
        """A click on the header of the column ``key``."""

        def __init__(self, table: RowTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> RowTable:
            return self.table

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[Column] = []
        self.rows: Sequence[Cells] = []
        self._strips: dict[tuple[int, str], Strip] = {}
        """Rendered rows by (row index, style kind); the header is row -1."""

    # Data ---------------------------------------------------------------------------------

    def set_columns(self, columns: Iterable[Column]) -> None:
        self.columns = list(columns)
        self._strips.clear()
        self.refresh()

    def set_rows(self, rows: Sequence[Cells], cursor: int = 0) -> None:
        """New rows (a list, or LazyRows made as they show), the cursor on ``cursor``; no
        Highlighted message (the caller knows)."""
        self.rows = rows
        self._strips.clear()
        width = sum(column.width for column in self.columns)
        self.virtual_size = Size(width, len(self.rows) + 1)
        self.set_reactive(RowTable.cursor_row, max(min(cursor, len(self.rows) - 1), 0))
        self._scroll_to_cursor()
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def column_index(self, key: str) -> int:
        return next(index for index, column in enumerate(self.columns) if column.key == key)

    def cells(self, key: str) -> list[str]:
        """The text shown in column ``key`` of every row, top to bottom."""
        index = self.column_index(key)
        return [row[index].plain.strip() for row in self.rows]

    # Rendering ----------------------------------------------------------------------------

    def _strip(self, index: int, kind: str) -> Strip:
        key = (index, kind)
        cached = self._strips.get(key)
        if cached is not None:
            return cached
        cells = [column.label for column in self.columns] if index < 0 else self.rows[index]
        base = self.get_component_rich_style(kind) if kind else Style()
        segments: list[Segment] = []
        for column, cell in zip(self.columns, cells, strict=False):
            text = cell.copy()
            if cell.justify == "right" and cell.cell_len < column.width:
                text = Text.assemble(" " * (column.width - cell.cell_len), text)
            text.truncate(column.width, overflow="ellipsis", pad=True)
            segments.extend(text_segments(text, self.app.console))
        self._strips[key] = line_strip(segments, self.size.width, self.rich_style + base)
        return self._strips[key]

    def render_line(self, y: int) -> Strip:
        if y == 0:
            return self._strip(-1, "row-table--header")
        index = self.scroll_offset.y + y - 1
        if index >= len(self.rows):
            return Strip.blank(self.size.width, self.rich_style)
        kind = "row-table--cursor" if index == self.cursor_row else ""
        if not kind and index % 2:
            kind = "row-table--even"
        return self._strip(index, kind)

    def on_resize(self) -> None:
        self._strips.clear()

    def notify_style_update(self) -> None:
        """A theme or style change: rows drawn in the old colours must be drawn again."""
        super().notify_style_update()
        self._strips.clear()
        self.refresh()

    # Cursor -------------------------------------------------------------------------------

    def watch_cursor_row(self, row: int) -> None:
        self._strips = {
            key: strip for key, strip in self._strips.items() if key[1] != "row-table--cursor"
        }
        self._scroll_to_cursor()
        self.refresh()
        if self.rows:
            self.post_message(self.Highlighted(self, row))

    def _scroll_to_cursor(self) -> None:
        visible = max(self.size.height - 1, 1)
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def move_cursor(self, row: int) -> None:
        if self.rows:
            self.cursor_row = max(min(row, len(self.rows) - 1), 0)

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step * max(self.size.height - 2, 1))

    def action_cursor_to(self, row: int) -> None:
        self.move_cursor(row if row >= 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = event.x
            for column in self.columns:
                if x < column.width:
                    self.post_message(self.HeaderSelected(self, column.key))
                    return
                x -= column.width
            return
        row = self.scroll_offset.y + event.y - 1
        if 0 <= row < len(self.rows):
            if row == self.cursor_row:
                self.action_select()
            else:
                self.move_cursor(row)
