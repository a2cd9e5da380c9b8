"""The RAG rule audited: every indicator row's published rating beside the rule's.

Three kinds of row come out, in this order: rows published with a rating the rule can check
(does it agree?), rows the rule can rate that were published without one, and rows it cannot
rate (why not). A published Green whose result misses its target always disagrees, even when
the % of the targeted improvement cannot be computed.
"""

from __future__ import annotations

from typing import NamedTuple

import polars as pl

from barnet_tui.domain.rag_rule import rate

AUDIT_COLUMNS = (
    "period",
    "service",
    "ref",
    "indicator",
    "rag",
    "rag_source",
    "polarity",
    "target",
    "target_raw",
    "result",
    "result_raw",
    "previous",
    "dot",
    "source",
    "source_line",
)
"""The indicator columns the audit reads (nothing else is read from Parquet)."""

CHECKED = "checked"
NOT_PUBLISHED = "not published"
CANNOT_RATE = "cannot rate"
KINDS = (CHECKED, NOT_PUBLISHED, CANNOT_RATE)

AUDIT_SCHEMA = pl.Schema(
    {
        "kind": pl.String(),
        "period": pl.String(),
        "service": pl.String(),
        "ref": pl.String(),
        "indicator": pl.String(),
        "published": pl.String(),
        "rag_source": pl.String(),
        "computed": pl.String(),
        "agrees": pl.Boolean(),
        "percent": pl.Float64(),
        "amendment": pl.String(),
        "working": pl.String(),
        "source": pl.String(),
        "source_line": pl.Int64(),
    }
)


class Agreement(NamedTuple):
    agreed: int
    checked: int

    @property
    def rate(self) -> float | None:
        return self.agreed / self.checked if self.checked else None

    def sentence(self) -> str:
        if not self.checked:
            return "No published rating has the figures the rule needs."
        return (
            f"The rule agrees with {self.agreed} of {self.checked} published ratings it can "
            f"check ({self.rate:.0%})."
        )


def audit(indicators: pl.DataFrame) -> pl.DataFrame:
    """One row per indicator row (columns :data:`AUDIT_SCHEMA`), checked rows first, then
    those published without a rating, then those the rule cannot rate; disagreements first
    within the checked, each kind in period order."""
    records = []
    for row in indicators.select(AUDIT_COLUMNS).iter_rows(named=True):
        rating = rate(
            row["result"], row["target"], row["previous"], row["polarity"], row["dot"],
            row["result_raw"], row["target_raw"],
        )  # fmt: skip
        published = row["rag"] if row["rag"] != "Monitor" else None
        agrees: bool | None = None
        if published is not None and rating.rating is not None:
            kind, agrees = CHECKED, published == rating.rating
        elif published is not None and published == "Green" and rating.missed:
            kind, agrees = CHECKED, False
        elif published is None and row["rag"] is None and rating.rating is not None:
            kind = NOT_PUBLISHED
        else:
            kind = CANNOT_RATE
        records.append(
            {
                "kind": kind,
                "period": row["period"],
                "service": row["service"],
                "ref": row["ref"],
                "indicator": row["indicator"],
                "published": row["rag"],
                "rag_source": row["rag_source"],
                "computed": rating.rating,
                "agrees": agrees,
                "percent": None if rating.percent is None else round(rating.percent, 1),
                "amendment": rating.amendment,
                "working": rating.working,
                "source": row["source"],
                "source_line": row["source_line"],
            }
        )
    frame = pl.DataFrame(records, schema=AUDIT_SCHEMA)
    order = {kind: index for index, kind in enumerate(KINDS)}
    return frame.sort(
        pl.col("kind").replace_strict(order, return_dtype=pl.Int8),
        pl.col("agrees").fill_null(True),
        "period",  # canonical "2016/17 Q4" text sorts in time order
        "service",
        "source_line",
    )


def agreement(audited: pl.DataFrame) -> Agreement:
    checked = audited.filter(pl.col("kind") == CHECKED)
    return Agreement(int(checked["agrees"].sum()), checked.height)
