"""The questions the command line and the explorer both ask, answered once in the domain;
and the explorer asking them, never reading the dataset's tables itself."""

from __future__ import annotations

import ast
from pathlib import Path

from barnet_tui.config import load_config
from barnet_tui.domain.dataset import load_dataset
from barnet_tui.domain.questions import (
    BelowTargetQuery,
    ListQuery,
    below_target_list,
    indicator_row,
    indicator_rows,
    latest_indicators,
    period_asked,
    report_list,
    service_asked,
    services,
)
from barnet_tui.domain.validate import Problem
from tests.conftest import DATA, REPO

DATASET = load_dataset(DATA)
EXPLORER = REPO / "barnet_tui" / "tui"


def _nothing_said(problem: Problem) -> None:
    raise AssertionError(f"the shipped dataset has no value outside the contract: {problem}")


def test_an_indicator_is_found_by_its_ref_in_any_case_and_opened_where_asked() -> None:
    rows = indicator_rows(DATASET, "fs/s11")  # as typed at the command line
    assert sorted(rows["period"]) == ["2015/16 Q4", "2016/17 Q4", "2017/18 Q4"]
    assert indicator_row(rows, "2016/17 Q4")["source_line"] == 199  # the summary's period
    assert indicator_row(rows, "2019/20 Q1")["period"] == "2017/18 Q4"  # else its latest
    where = ("Family Services", "2015/16 Q4")  # what a palette hit names
    assert indicator_row(rows, "2016/17 Q4", where)["source_line"] == 59
    assert indicator_rows(DATASET, "NO/SUCH").is_empty()


def test_the_palette_offers_each_named_indicator_once_at_its_latest_row() -> None:
    latest = latest_indicators(DATASET)
    assert "TBC" not in latest["ref"].to_list()
    assert latest["ref"].is_unique().all() and latest["ref"].is_sorted()
    row = latest.row(latest["ref"].to_list().index("FS/S11"), named=True)
    assert (row["service"], row["period"], row["rag"]) == ("Family Services", "2017/18 Q4", "Red")
    assert "Family Services" in services(DATASET) and services(DATASET) == sorted(services(DATASET))


def test_the_explorer_and_the_command_line_resolve_a_typed_period_and_service_alike() -> None:
    config = load_config()._replace(data_dir=DATA)
    query = BelowTargetQuery("latest", "fam", None)
    selection = below_target_list(query, DATA, config.below_target, _nothing_said)
    assert selection.title == f"{service_asked(DATASET, 'fam')}, {period_asked(DATASET, 'latest')}"
    assert selection.title == "Family Services, 2016/17 Q4"
    assert set(selection.rows["service"]) == {"Family Services"}
    listing = report_list(ListQuery("actions", "latest", "fam"), DATA, _nothing_said)
    assert listing.title == selection.title


def _uses(tree: ast.AST, palette: bool) -> list[str]:
    """Where a module reads a dataset's tables itself, or (the ``palette``) reaches the app
    by name."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("indicators", "counts", "by_ref"):
            owner = node.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if name == "dataset":
                found.append(f"line {node.lineno}: dataset.{node.attr}")
        if (
            palette
            and isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "getattr"
            and "app" in ast.unparse(node.args[0])
        ):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_the_explorer_asks_for_answers_and_the_palette_is_given_its_session() -> None:
    """The app, its screens and its palette are given answers (``questions``, the dataset's
    methods): none scans the indicators itself; the palette is given the session it
    searches, never looking it up on the app by name."""
    modules = sorted(EXPLORER.rglob("*.py"))
    assert EXPLORER / "commands.py" in modules and EXPLORER / "app.py" in modules
    found = {
        str(path.relative_to(REPO)): uses
        for path in modules
        if (
            uses := _uses(
                ast.parse(Path(path).read_text(encoding="utf-8")), path.name == "commands.py"
            )
        )
    }
    assert found == {}
