"""``docs/dataset.md`` and ``domain/contract.py`` describe the same tables and columns."""

from __future__ import annotations

import re

import pytest

from barnet_tui.domain.contract import TABLES
from tests.conftest import REPO

DOC = (REPO / "docs" / "dataset.md").read_text(encoding="utf-8")


def _section(table: str) -> str:
    """The part of the document under the heading that names ``table``."""
    sections = re.split(r"^## ", DOC, flags=re.MULTILINE)
    found = [text for text in sections if f"`{table}`" in text.splitlines()[0]]
    assert found, f"docs/dataset.md has no section for {table}"
    return found[0]


@pytest.mark.parametrize("table", list(TABLES))
def test_every_contract_column_is_documented(table: str) -> None:
    section = _section(table)
    missing = [column.name for column in TABLES[table] if f"`{column.name}`" not in section]
    assert not missing, f"{table}: columns missing from docs/dataset.md: {missing}"


def test_every_documented_indicator_column_is_in_the_contract() -> None:
    documented = re.findall(r"^\| `(\w+)` \|", _section("indicators"), flags=re.MULTILINE)
    names = [column.name for column in TABLES["indicators"]]
    assert documented == names
