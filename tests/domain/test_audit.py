"""The audit: every row's published rating beside the rule's, in three kinds."""

from __future__ import annotations

import polars as pl

from barnet_tui.domain.audit import AUDIT_COLUMNS, agreement, audit
from barnet_tui.domain.generations import current_tables
from tests.conftest import DATA, REPO


def rows(*records: dict[str, object]) -> pl.DataFrame:
    base = {name: None for name in AUDIT_COLUMNS} | {
        "period": "2016/17 Q4", "service": "Family Services", "indicator": "An indicator",
        "polarity": "Bigger is Better", "source": "report.txt", "source_line": 1,
    }  # fmt: skip
    schema = {name: pl.String for name in AUDIT_COLUMNS} | {
        "target": pl.Float64, "result": pl.Float64, "previous": pl.Float64,
        "source_line": pl.Int64,
    }  # fmt: skip
    return pl.DataFrame([base | record for record in records], schema=schema)


def test_kinds_in_order_disagreements_first() -> None:
    audited = audit(
        rows(
            {"ref": "OK", "rag": "Green", "target": 90.0, "result": 95.0},
            {"ref": "WRONG", "rag": "Red", "target": 90.0, "result": 95.0},
            {"ref": "UNRATED", "rag": None, "target": 90.0, "result": 86.0, "previous": 70.0},
            {"ref": "TEXT", "rag": "Red", "target_raw": "Top 10%", "result": 80.0},
        )
    )
    assert audited.select("ref", "kind", "published", "computed", "agrees").rows() == [
        ("WRONG", "checked", "Red", "Green", False),
        ("OK", "checked", "Green", "Green", True),
        ("UNRATED", "not published", None, "Green Amber", None),
        ("TEXT", "cannot rate", "Red", None, None),
    ]
    assert audited.filter(pl.col("ref") == "TEXT")["working"].item() == (
        "Cannot rate: the target is not one number (printed: Top 10%)"
    )
    assert agreement(audited).sentence() == (
        "The rule agrees with 1 of 2 published ratings it can check (50%)."
    )


def test_a_green_that_misses_its_target_is_always_flagged() -> None:
    # No comparison figure, so no % of the targeted improvement: still not a Green.
    audited = audit(rows({"ref": "G", "rag": "Green", "target": 90.0, "result": 89.0}))
    assert audited.select("kind", "computed", "agrees").row(0) == ("checked", None, False)


def test_agreement_on_the_shipped_data() -> None:
    audited = audit(pl.read_parquet(current_tables(DATA) / "indicators.parquet"))
    assert agreement(audited) == (36, 45)  # FS/C12: 78% on its 78% target, no polarity
    disagreeing = audited.filter(pl.col("agrees").not_())
    assert sorted(disagreeing["ref"]) == sorted(
        ["AC/S16", "CG/C17", "CSG/S1", "PH/C14", "SS/C1", "YCB11", "CES/S1", "CES/S3", "FS/C18"]
    )


def test_the_readme_states_the_agreement_and_every_disagreement() -> None:
    audited = audit(pl.read_parquet(current_tables(DATA) / "indicators.parquet"))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    agreed, checked = agreement(audited)
    assert f"the rule agrees with {agreed} of {checked} published ratings" in readme
    for row in audited.filter(pl.col("agrees").not_()).iter_rows(named=True):
        line = f"| {row['period']} | {row['ref']} | {row['published']} | {row['computed']} |"
        assert line in readme
