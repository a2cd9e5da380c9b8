"""Each table layout of the five reports, parsed from a verbatim excerpt, against a golden file.

The golden files were reviewed by hand against the excerpts. After a deliberate parser change,
regenerate them with ``UPDATE_GOLDEN=1 pytest tests/ingest/test_golden_layouts.py`` and review
the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from barnet_tui.ingest.pipeline import ingest
from tests.ingest.render import render

HERE = Path(__file__).resolve().parent
EXCERPTS = sorted((HERE / "excerpts").glob("*.txt"))


@pytest.mark.parametrize("excerpt", EXCERPTS, ids=[path.stem for path in EXCERPTS])
def test_layout_matches_golden(excerpt: Path) -> None:
    golden = HERE / "golden" / f"{excerpt.stem}.golden"
    actual = render(ingest([excerpt]))
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden file for {excerpt.name}; run with UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


def test_every_layout_has_an_excerpt() -> None:
    names = {path.stem for path in EXCERPTS}
    assert {
        "eoy-annual",
        "eoy-quarterly",
        "eoy-re-contract",
        "eoy-scrambled-dashboard",
        "cg-quarterly-no-rag",
        "fs-type-and-sections",
        "ces-type-column",
        "plan-addendum-targets",
    } <= names
