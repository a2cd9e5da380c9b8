"""``x`` on a table: the dialog, and a file with exactly the rows on screen, in their sort
and filter (every field typed: see test_export_contents)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from textual.widgets import Input

from barnet_tui.tui.screens.export import ExportDialog, FormatButton
from tests.tui.conftest import loaded, make_app
from tests.tui.test_explorer import table_column


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


async def test_x_on_the_summary_writes_what_is_shown(tmp_path: Path) -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("s", "s")  # sorted by Rep, biggest first
        await pilot.press("x")
        assert isinstance(app.screen, ExportDialog)
        assert (
            app.screen.query_one("#export-path", Input).value == "./barnet-summary-2016-17-q4.csv"
        )
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        rows = read_csv(tmp_path / "barnet-summary-2016-17-q4.csv")
        assert rows[0][:2] == ["period", "service"]
        assert [row[1] for row in rows[1:]] == [
            name.strip() for name in table_column(app, "#services", "service")
        ]
        assert rows[1][1] == "Regional Enterprise (Re)"  # the sort on screen
        # Again: the file exists, so Enter asks first and only a second Enter overwrites.
        (tmp_path / "barnet-summary-2016-17-q4.csv").write_text("mine", encoding="utf-8")
        await pilot.press("x", "enter")
        assert isinstance(app.screen, ExportDialog)
        assert "exists: Enter again overwrites it" in str(
            app.screen.query_one("#export-status").content
        )
        assert (tmp_path / "barnet-summary-2016-17-q4.csv").read_text() == "mine"
        await pilot.press("escape")
        assert (tmp_path / "barnet-summary-2016-17-q4.csv").read_text() == "mine"


async def test_x_on_a_filtered_service_tab_as_markdown(tmp_path: Path) -> None:
    app = make_app(service="Commissioning Group", period="2016/17 Q1")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("2", "b")  # key actions not on track: 14 rows
        await pilot.press("x", "down", "down", "down")  # the cursor on Markdown
        await pilot.press("enter")  # chooses it, and writes
        await pilot.pause()
        text = (tmp_path / "barnet-service-commissioning-group-actions-2016-17-q1.md").read_text()
        lines = text.splitlines()
        assert len(lines) == 2 + 14
        cells = [line[2:-2].split(" | ") for line in lines]
        at = cells[0].index("ref")
        shown = table_column(app, "#actions-rows", "ref")
        assert [row[at] for row in cells[2:]] == [ref.strip() for ref in shown]


@pytest.mark.parametrize(
    ("keys", "view"),
    [(("c", "s", "s"), "changes"), (("a", "b"), "audit")],  # sorted; disagreements only
)
async def test_x_on_the_changes_and_the_audit(
    tmp_path: Path, keys: tuple[str, ...], view: str
) -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press(*keys)
        await pilot.press("x")
        assert (
            app.screen.query_one("#export-path", Input).value == f"./barnet-{view}-2016-17-q4.csv"
        )
        await pilot.press("enter")
        await pilot.pause()
        rows = read_csv(tmp_path / f"barnet-{view}-2016-17-q4.csv")
        shown = table_column(app, "#findings", "ref")
        assert len(rows) == 1 + len(shown) and len(shown) > 0
        at = rows[0].index("ref")
        assert [row[at] for row in rows[1:]] == shown  # the rows, in the sort on screen


async def test_an_exported_header_never_carries_the_sort_arrow(tmp_path: Path) -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for _ in range(4):  # to the right-aligned G column, whose arrow comes first
            await pilot.press("s")
        await pilot.press("x", "enter")
        await pilot.pause()
        header = read_csv(tmp_path / "barnet-summary-2016-17-q4.csv")[0]
        assert "green" in header and not any("▲" in name or "▼" in name for name in header)


def status_text(app: object) -> str:
    return str(app.screen.query_one("#export-status").content)  # type: ignore[attr-defined]


def formats_shown(app: object) -> list[str]:
    """The format list as it reads without colour."""
    buttons = app.screen.query(FormatButton)  # type: ignore[attr-defined]
    return [button.render().plain.strip() for button in buttons]


async def test_the_format_is_chosen_with_keys_it_shows_and_reads_without_colour(
    tmp_path: Path,
) -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("x")
        assert "1-4 or ↑ ↓: format" in status_text(app)
        assert formats_shown(app) == [
            "▐●▌ 1 CSV (UTF-8)",
            "▐○▌ 2 CSV for Excel (UTF-8 with BOM)",
            "▐○▌ 3 Excel (XLSX)",
            "▐○▌ 4 Markdown",
        ]
        await pilot.press("4")
        await pilot.pause()
        assert formats_shown(app)[3] == "▐●▌ 4 Markdown"
        assert app.screen.query_one("#export-path", Input).value == "./barnet-summary-2016-17-q4.md"
        await pilot.press("3", "enter")  # the key it shows chooses XLSX; Enter writes
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        assert (tmp_path / "barnet-summary-2016-17-q4.xlsx").read_bytes()[:2] == b"PK"
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["barnet-summary-2016-17-q4.xlsx"]


async def test_in_the_name_a_digit_is_part_of_the_name_and_no_format_offers_it(
    tmp_path: Path,
) -> None:
    """Where a digit types into the name, the formats show none: a key the dialog offers
    for a format never ends in the file name."""
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("x", "tab", "end", "backspace", "backspace", "backspace", "3")
        await pilot.pause()
        assert app.screen.query_one("#export-path", Input).value == "./barnet-summary-2016-17-q4.3"
        assert formats_shown(app) == [
            "▐●▌ CSV (UTF-8)",
            "▐○▌ CSV for Excel (UTF-8 with BOM)",
            "▐○▌ Excel (XLSX)",
            "▐○▌ Markdown",
        ]
        assert "back to the formats" in status_text(app)
        await pilot.press("shift+tab", "2")  # back in the list, 2 chooses again
        await pilot.pause()
        assert formats_shown(app)[1] == "▐●▌ 2 CSV for Excel (UTF-8 with BOM)"
        assert (
            app.screen.query_one("#export-path", Input).value == "./barnet-summary-2016-17-q4.csv"
        )


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("evil\x1b]0;owned\x07.csv", "a file name cannot hold control characters"),
        ("./" + "a" * 300 + ".csv", "File name too long"),
        ("./" + "a" * 300 + "/out.csv", "File name too long"),
        ("./a-file/out.csv", "Not a directory"),
        ("~nobody-here-at-all/out.csv", "nobody-here-at-all"),
        ("./nowhere/out.csv", "No such file or directory"),
    ],
)
async def test_a_name_that_cannot_be_written_is_one_line_in_the_dialog(
    tmp_path: Path, name: str, said: str
) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("x")
        app.screen.query_one("#export-path", Input).value = name
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)  # still open, the explorer alive
        shown = status_text(app)
        assert said in shown and "\n" not in shown and "\x1b" not in shown
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["a-file"]


async def test_served_the_rows_go_to_the_browser_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(period="2016/17 Q4")
    delivered: list[tuple[bytes, str | None, str | None]] = []

    def deliver_binary(binary: io.BytesIO, **options: str) -> str:
        delivered.append((binary.read(), options.get("save_filename"), options.get("mime_type")))
        return "key"

    monkeypatch.setattr(type(app), "is_web", property(lambda _app: True))
    monkeypatch.setattr(app, "deliver_binary", deliver_binary)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("x")
        assert "Enter downloads it" in status_text(app)
        path_input = app.screen.query_one("#export-path", Input)
        assert path_input.value == "barnet-summary-2016-17-q4.csv"  # a name, not a path
        for name in ("~/.bashrc", "../../etc/passwd", "/tmp/x.csv"):
            path_input.value = name
            await pilot.press("enter")
            assert "a download is a file name, without folders" in status_text(app)
        path_input.value = "summary.csv"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
    ((content, file_name, mime_type),) = delivered
    assert (file_name, mime_type) == ("summary.csv", "text/csv")
    assert content.decode("utf-8").startswith("period,service,")
    assert list(tmp_path.iterdir()) == []


async def test_a_folder_that_cannot_be_read_is_one_line_in_the_dialog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root every folder can be read, so the refusal a user would get is made here."""
    original_stat = Path.stat

    def stat(path: Path, *args: object, **kwargs: object) -> object:
        if "locked" in path.parts:
            raise PermissionError(13, "Permission denied", str(path))
        return original_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", stat)
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("x")
        app.screen.query_one("#export-path", Input).value = "./locked/out.csv"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "cannot write locked/out.csv: Permission denied" in status_text(app)
