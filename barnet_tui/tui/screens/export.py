"""The export dialog: a format, a path proposed from the view and period, Enter writes.

In a terminal the file is written where the user says. Served to a browser (``barnet-tui
serve``) the explorer runs as the serving user, so it writes nothing: the file goes to the
browser as a download, and the name is only the download's.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from barnet_tui.domain.literal_text import CONTROL_CHARACTERS, literal
from barnet_tui.output.export import (
    FORMATS,
    MIME_TYPES,
    Cell,
    ExportError,
    export_bytes,
    extension_for,
    proposed_path,
    write_export,
)

_CONTROL = re.compile(CONTROL_CHARACTERS)


class TableExport(NamedTuple):
    """What is on screen, as plain text: the rows in their sort and filter, the columns
    shown."""

    view: str
    period: str
    headers: list[str]
    rows: list[list[Cell]]


class FormatButton(RadioButton):
    """A format that reads as chosen without colour: ``●`` chosen, ``○`` not."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else "○"
        return super()._button


class FormatList(RadioSet):
    """The formats, where ``1``-``4`` choose one and Enter writes: a digit typed here never
    reaches the file name, and the name's box, where digits type, offers none."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "write", "Write", show=False),
        *(
            Binding(str(number), f"screen.format('{extension}')", name, show=False)
            for number, (extension, name) in enumerate(FORMATS.items(), start=1)
        ),
    ]

    def action_write(self) -> None:
        """Enter on a format the cursor is on chooses it, then writes."""
        dialog = self.screen
        assert isinstance(dialog, ExportDialog)
        if self._selected is not None:
            button = self._nodes[self._selected]
            assert isinstance(button, FormatButton)
            button.value = True
            dialog.choose(button.name or "csv")
        dialog.action_write()


class ExportDialog(ModalScreen[str | None]):
    """Choose CSV, XLSX or Markdown and a path; returns where the rows went (a path, or
    "your browser"), or None."""

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
            with FormatList(id="export-format"):
                for number, (extension, name) in enumerate(FORMATS.items(), start=1):
                    yield FormatButton(
                        f"{number} {name}", value=extension == self.extension, name=extension
                    )
            yield Input(self._proposed(), id="export-path")
            yield Static(self._help(keys=True), id="export-status")

    @property
    def served(self) -> bool:
        """Under ``barnet-tui serve``: deliver to the browser, write nothing here."""
        return self.app.is_web

    def _help(self, keys: bool) -> Text:
        """What the keys do where the focus is: digits choose a format only in the list."""
        enter = "Enter downloads it" if self.served else "Enter writes"
        if keys:
            numbers = f"1-{len(FORMATS)}"
            where = f"{numbers} or ↑ ↓: format · Tab: the file name"
        else:
            where = "Shift+Tab: back to the formats (1-4 there)"
        return Text(f"{where} · {enter} · Escape cancels", style="dim")

    def on_mount(self) -> None:
        self.query_one("#export-format", FormatList).focus()

    def on_descendant_focus(self) -> None:
        self._offer_keys(self.focused is self.query_one("#export-format"))

    def _offer_keys(self, keys: bool) -> None:
        """The format keys are shown beside the formats only while pressing one chooses it
        (the list has the focus); in the name's box a digit is part of the name."""
        for number, button in enumerate(self.query(FormatButton), start=1):
            name = FORMATS[button.name or "csv"]
            button.label = f"{number} {name}" if keys else name
        if self.confirm_overwrite is None:
            self.query_one("#export-status", Static).update(self._help(keys))

    def _proposed(self) -> str:
        name = proposed_path(self.table.view, self.table.period, self.extension)
        return str(name) if self.served else f"./{name}"

    def action_format(self, extension: str) -> None:
        for button in self.query(FormatButton):
            if button.name == extension:
                button.value = True

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        self.choose(event.pressed.name or "csv")

    def choose(self, extension: str) -> None:
        """The format, and the name's suffix to match."""
        if extension == self.extension:
            return
        path_input = self.query_one("#export-path", Input)
        typed = Path(path_input.value)
        self.extension = extension
        keep_dot = "./" if path_input.value.startswith("./") else ""
        with contextlib.suppress(ValueError):  # no name to put a suffix on yet
            path_input.value = keep_dot + str(
                typed.with_suffix(f".{extension_for(self.extension)}")
            )
        self.confirm_overwrite = None

    def _refuse(self, why: str) -> None:
        self.query_one("#export-status", Static).update(Text(why, style="bold red"))

    @on(Input.Submitted, "#export-path")
    def action_write(self) -> None:
        """Enter, in the name's box or the format list: write (or deliver) the rows."""
        typed = self.query_one("#export-path", Input).value.strip()
        if not typed:
            self._refuse("Type a file name.")
        elif _CONTROL.search(typed):
            self._refuse(f"{literal(typed)}: a file name cannot hold control characters")
        elif self.served:
            self._deliver(typed)
        else:
            self._write_here(typed)

    def _deliver(self, name: str) -> None:
        """The file, made in memory, to the browser: the server's disk is not touched."""
        if "/" in name or "\\" in name or name in (".", ".."):
            self._refuse(f"{literal(name)}: a download is a file name, without folders")
            return
        content = export_bytes(self.extension, self.table.headers, self.table.rows)
        self.app.deliver_binary(
            io.BytesIO(content),
            save_directory=".",
            save_filename=name,
            mime_type=MIME_TYPES[self.extension],
        )
        self.dismiss(f"your browser, as {name}")

    def _write_here(self, typed: str) -> None:
        try:
            path = Path(typed).expanduser()
        except RuntimeError as error:  # ~someone who is not a user here
            self._refuse(f"{literal(typed)}: {error}")
            return
        status = self.query_one("#export-status", Static)
        overwrite = self.confirm_overwrite == path
        try:
            exists = path.exists() and not path.is_dir()
        except OSError:
            exists = False  # write_export says why in one line
        if exists and not overwrite:
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
            self._refuse(str(error))
            return
        self.dismiss(str(written))

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self.confirm_overwrite = None

    def action_cancel(self) -> None:
        self.dismiss(None)
