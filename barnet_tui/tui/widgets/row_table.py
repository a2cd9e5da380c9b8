"""A read-only table that renders only the rows on screen, each once, and its search.

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
from textual import events, on
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input

from barnet_tui.tui.render import line_strip
from barnet_tui.tui.render import segments as text_segments
from barnet_tui.tui.widgets.key_hints import key_for
from barnet_tui.tui.widgets.movement import MOVEMENT_BINDINGS
from barnet_tui.tui.widgets.self_sized_view import SelfSizedView

SORT_BINDINGS: list[BindingType] = [
    Binding(
        "less_than_sign",
        "sort_step(-1)",
        "Sort",
        key_display="<>",
        tooltip="Sort by the column to the left",
        id="sort.left",
    ),
    Binding(
        "greater_than_sign,s",
        "sort_step(1)",
        "Sort by the column to the right",
        show=False,
        id="sort.right",
    ),
    Binding("S", "sort_reverse", "Reverse sort", show=False, id="sort.reverse"),
]
"""The sort keys of every sortable list (a screen's or a tab's): ``<`` / ``>`` (or ``s``)
move the sort to the next column, ``S`` reverses it; the owner has ``sort_step`` and
``sort_reverse`` actions."""


class Column(NamedTuple):
    key: str
    label: Text
    """The column's name, with a space on the side its cells keep one (left or right)."""
    width: int
    arrow: str = ""
    """▲ or ▼ on the column the rows are sorted by."""


def header_cell(column: Column) -> Text:
    """The label with its sort arrow, the arrow taking the label's padding rather than
    its letters when the column is narrow: the arrow never hides the name."""
    label = column.label
    if not column.arrow:
        return label
    right = label.justify == "right"
    if label.cell_len + 1 > column.width:
        label = Text(label.plain.strip(), style=label.style, justify=label.justify)
    if right:
        return Text.assemble(column.arrow, label, justify="right")
    return Text.assemble(label, column.arrow)


Cells = Sequence[Text]


class LazyRows(Sequence[Cells]):
    """Rows whose cells are made the first time they are needed: a table of thousands of
    rows (every council's services) builds a screenful, not all of them."""

    def __init__(
        self,
        count: int,
        make: Callable[[int], Cells],
        texts: Callable[[], Sequence[str]] | None = None,
    ) -> None:
        """``texts``: each row's words for ``/`` to search, made only when searched (from
        the frame, at once), so a search never makes every row's cells."""
        self._count = count
        self._make = make
        self._made: dict[int, Cells] = {}
        self._texts = texts
        self._searchable: Sequence[str] | None = None

    def searchable(self) -> Sequence[str] | None:
        """Each row's words, lower case; None when the rows were given none."""
        if self._searchable is None and self._texts is not None:
            self._searchable = [text.casefold() for text in self._texts()]
        return self._searchable

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


class RowTable(SelfSizedView, can_focus=True):
    """Rows of pre-made cells (Rich Text) under a fixed header, with a row cursor; ``/``
    searches the rows and ``n`` / ``N`` step through the matches."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *MOVEMENT_BINDINGS,
        Binding("enter", "select", "Open", show=False, id="list.open"),
        # A priority binding runs as the key arrives, before the keys typed after it reach
        # the list (which hands them to the box while it is being made).
        Binding("slash", "search", "Search", id="list.search", priority=True),
        Binding("n", "next_match(1)", "Next match", show=False, id="list.next_match"),
        Binding("N", "next_match(-1)", "Previous match", show=False, id="list.previous_match"),
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
        overflow-y: scroll;  /* always there: its column never comes and goes */
        overflow-x: hidden;
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
        self.widths: list[int] = []
        """The columns' widths as drawn: an empty column's goes to the widest."""
        self.rows: Sequence[Cells] = []
        self._strips: dict[tuple[int, str], Strip] = {}
        """Rendered rows by (row index, style kind); the header is row -1."""
        self.search_text = ""
        """What ``/`` last looked for; ``n`` / ``N`` look for it again."""
        self._search_box: SearchBox | None = None

    # Data ---------------------------------------------------------------------------------

    def set_columns(self, columns: Iterable[Column]) -> None:
        self.columns = list(columns)
        self.widths = [column.width for column in self.columns]
        self._strips.clear()
        self.refresh()

    def set_rows(
        self, rows: Sequence[Cells], cursor: int = 0, blank: Sequence[int] | None = None
    ) -> None:
        """New rows (a list, or LazyRows made as they show), the cursor on ``cursor``; no
        Highlighted message (the caller knows). ``blank``: the columns with nothing in any
        row, where the caller knows them without making every row."""
        self.rows = rows
        self.widths = self._widths_given_away(rows, blank)
        self._strips.clear()
        width = sum(self.widths)
        self.set_virtual_size(Size(width, len(self.rows) + 1))
        self.set_reactive(RowTable.cursor_row, max(min(cursor, len(self.rows) - 1), 0))
        self._scroll_to_cursor()
        self.refresh()

    def _widths_given_away(self, rows: Sequence[Cells], blank: Sequence[int] | None) -> list[int]:
        """The columns' widths, those with nothing in any row (a type no indicator of the
        list gives) given to the widest, where names are cut. Rows made as they show are
        not all made to find out: their ``blank`` columns are the caller's to say."""
        widths = [column.width for column in self.columns]
        if not rows or not widths or (isinstance(rows, LazyRows) and blank is None):
            return widths
        empty = (
            list(blank)
            if blank is not None
            else [
                index
                for index in range(len(widths))
                if all(index >= len(row) or not row[index].plain.strip() for row in rows)
            ]
        )
        if len(empty) == len(widths):
            return widths
        widest = max(range(len(widths)), key=lambda index: widths[index])
        for index in empty:
            if index != widest:
                widths[widest] += widths[index]
                widths[index] = 0
        return widths

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
        if index < 0:
            cells: Cells = [
                header_cell(column._replace(width=width))
                for column, width in zip(self.columns, self.widths, strict=True)
            ]
        else:
            cells = self.rows[index]
        base = self.get_component_rich_style(kind) if kind else Style()
        segments: list[Segment] = []
        for width, cell in zip(self.widths, cells, strict=False):
            if not width:
                continue
            text = cell.copy()
            if cell.justify == "right" and cell.cell_len < width:
                text = Text.assemble(" " * (width - cell.cell_len), text)
            text.truncate(width, overflow="ellipsis", pad=True)
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
        """The cursor to ``row``; where it already is, nothing (no repaint, no message): back
        from an indicator, the list would otherwise paint again a frame later."""
        row = max(min(row, len(self.rows) - 1), 0)
        if self.rows and row != self.cursor_row:
            self.cursor_row = row

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step * max(self.size.height - 2, 1))

    def action_half_page(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step * max((self.size.height - 1) // 2, 1))

    def action_cursor_to(self, row: int) -> None:
        self.move_cursor(row if row >= 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = event.x
            for column, width in zip(self.columns, self.widths, strict=True):
                if x < width:
                    self.post_message(self.HeaderSelected(self, column.key))
                    return
                x -= width
            return
        row = self.scroll_offset.y + event.y - 1
        if 0 <= row < len(self.rows):
            if row == self.cursor_row:
                self.action_select()
            else:
                self.move_cursor(row)

    # Search -------------------------------------------------------------------------------

    def matches(self, text: str) -> list[int]:
        """The rows with ``text`` in any cell (any case; cells hold the whole text, even
        where the column cuts it)."""
        wanted = text.casefold().strip()
        if not wanted:
            return []
        searchable = self.rows.searchable() if isinstance(self.rows, LazyRows) else None
        if searchable is not None:
            return [index for index, words in enumerate(searchable) if wanted in words]
        return [
            index
            for index in range(len(self.rows))
            if any(wanted in cell.plain.casefold() for cell in self.rows[index])
        ]

    def find(self, text: str, start: int, step: int = 1) -> tuple[int, int] | None:
        """The first match at or after ``start`` (before it, for ``step`` -1), wrapping
        round; (its place among the matches from 1, how many match), or None."""
        found = self.matches(text)
        if not found:
            return None
        after = [index for index in found if (index >= start if step > 0 else index <= start)]
        row = (after[0] if after else found[0]) if step > 0 else (after[-1] if after else found[-1])
        self.move_cursor(row)
        return found.index(row) + 1, len(found)

    def action_search(self) -> None:
        """``/``: a box above the list; the cursor goes to the first row that matches."""
        parent = self.parent
        if not isinstance(parent, Widget):
            return
        found = parent.query(SearchBox)
        box = found.first(SearchBox) if found else SearchBox(self)
        self._search_box = box  # until it has the focus
        if not found:
            parent.mount(box, before=self)
        box.focus()

    def on_key(self, event: events.Key) -> None:
        """Keys typed after ``/`` but before its box has the focus ("/par" typed fast, or
        pasted) go into the box, not to the list's and the screen's own keys."""
        box = self._search_box
        if box is not None and event.is_printable:
            event.stop()
            event.prevent_default()
            box.insert_text_at_cursor(event.character or "")

    def action_next_match(self, step: int) -> None:
        if not self.search_text:
            self.notify("Press / to search this list first.", markup=False)
            return
        start = self.cursor_row + step
        place = self.find(self.search_text, start, step)
        if place is None:
            self.notify(f"No row has {self.search_text!r}.", markup=False)
        else:
            self.notify(f"Match {place[0]} of {place[1]}", markup=False, timeout=1.5)


class SearchBox(Input):
    """``/`` on any list: a box above it; as you type, the cursor goes to the first row that
    matches (the search of less, vim and VisiData). Enter stays there, ``n`` / ``N`` step
    through the matches afterwards; Escape puts the cursor back where it was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel search", show=False, id="search.cancel"),
    ]
    DEFAULT_CSS = """
    SearchBox { height: 3; }  /* no side margin: see #search in app.tcss */
    """

    def __init__(self, table: RowTable) -> None:
        super().__init__(placeholder="Search this list (any column)")
        self.table = table
        self.origin = table.cursor_row
        self.border_title = "Search · Enter stays on the match · Escape goes back"

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()  # a search, not the list's filter
        self.table.search_text = event.value
        place = self.table.find(event.value, self.origin) if event.value.strip() else None
        if not event.value.strip():
            self.table.move_cursor(self.origin)
            self.border_subtitle = ""
        elif place is None:
            self.border_subtitle = "no row matches"
        else:
            keys = ("list.next_match", "list.previous_match")
            steps = " / ".join(key_for(self.table, key) for key in keys)
            self.border_subtitle = f"match {place[0]} of {place[1]} · {steps} next, previous"

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._close()

    def action_cancel(self) -> None:
        self.table.search_text = ""
        self.table.move_cursor(self.origin)
        self._close()

    def _close(self) -> None:
        self.table.focus()
        self.remove()

    def on_focus(self) -> None:
        self.table._search_box = None  # keys come here now

    def on_unmount(self) -> None:
        self.table._search_box = None
