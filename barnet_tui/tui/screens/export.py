"""The export dialog: a format, a path proposed from the view and period, Enter writes."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from barnet_tui.display import literal
from barnet_tui.export import FORMATS, Cell, ExportError, extension_for, proposed_path, write_export


class TableExport(NamedTuple):
    """What is on screen, as plain text: the rows in their sort and filter, the columns
    shown."""

    view: str
    period: str
    headers: list[str]
    rows: list[list[Cell]]


class ExportDialog(ModalScreen[Path | None]):
    """Choose CSV, XLSX or Markdown and a path; returns the path written, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, table: TableExport) -> None:
        super().__init__()
        self.table = table
        self.extension = "csv"
        self.confirm_overwrite: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            count = len(self.table.rows)
            yield Static(
                Text(f"Export {count} row{'' if count == 1 else 's'} as shown", style="bold")
            )
            with RadioSet(id="export-format"):
                for extension, name in FORMATS.items():
                    yield RadioButton(name, value=extension == self.extension, name=extension)
            yield Input(self._proposed(), id="export-path")
            yield Static(Text("Enter writes · Escape cancels", style="dim"), id="export-status")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def _proposed(self) -> str:
        return f"./{proposed_path(self.table.view, self.table.period, self.extension)}"

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        path_input = self.query_one("#export-path", Input)
        typed = Path(path_input.value)
        self.extension = event.pressed.name or "csv"
        keep_dot = "./" if path_input.value.startswith("./") else ""
        path_input.value = keep_dot + str(typed.with_suffix(f".{extension_for(self.extension)}"))
        self.confirm_overwrite = None
        path_input.focus()

    @on(Input.Submitted, "#export-path")
    def _write(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        status = self.query_one("#export-status", Static)
        if not event.value.strip():
            status.update(Text("Type a file name.", style="bold red"))
            return
        overwrite = self.confirm_overwrite == path
        if path.exists() and not overwrite and not path.is_dir():
            self.confirm_overwrite = path
            status.update(
                Text(f"{literal(str(path))} exists: Enter again overwrites it", "bold red")
            )
            return
        try:
            written = write_export(
                path, self.extension, self.table.headers, self.table.rows, overwrite=overwrite
            )
        except ExportError as error:
            status.update(Text(str(error), style="bold red"))
            return
        self.dismiss(written)

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self.confirm_overwrite = None

    def action_cancel(self) -> None:
        self.dismiss(None)
