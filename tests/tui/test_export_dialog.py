"""``x`` on a table: the dialog, and a file with exactly the rows on screen, in their sort
and filter (every field typed: see test_export_contents)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from barnet_tui.tui.screens.export import ExportDialog
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
        assert app.screen.query_one("#export-path").value == "./barnet-summary-2016-17-q4.csv"
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
        await pilot.press("x", "shift+tab", "down", "down", "down", "enter")  # Markdown
        await pilot.pause()
        path_input = app.screen.query_one("#export-path")
        assert path_input.value == ("./barnet-service-commissioning-group-actions-2016-17-q1.md")
        await pilot.press("enter")
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
        assert app.screen.query_one("#export-path").value == f"./barnet-{view}-2016-17-q4.csv"
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
