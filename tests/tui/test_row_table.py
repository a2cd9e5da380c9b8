"""The list widget every screen uses, alone in a bare app."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from barnet_tui.tui.widgets.row_table import Column, RowTable


class Listing(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.highlighted: list[int] = []

    def compose(self) -> ComposeResult:
        yield RowTable(id="rows")

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        table.set_columns([Column("name", Text("Name"), 20, "")])
        table.set_rows([(Text(f"row {number}"),) for number in range(5)])
        table.focus()

    def on_row_table_highlighted(self, event: RowTable.Highlighted) -> None:
        self.highlighted.append(event.row)


async def test_a_move_to_where_the_cursor_is_is_no_move() -> None:
    """No message and no repaint when the cursor stays: coming back from an indicator to the
    row it was opened from painted the list again a frame later."""
    app = Listing()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(RowTable)
        table.move_cursor(2)
        await pilot.pause()
        assert app.highlighted == [2]
        table.move_cursor(2)
        await pilot.pause()
        assert app.highlighted == [2]
        table.move_cursor(99)  # past the end: the last row
        await pilot.press("down")  # already there
        await pilot.pause()
        assert app.highlighted == [2, 4] and table.cursor_row == 4
        await pilot.press("up")
        assert app.highlighted == [2, 4, 3]
