"""Plain-language sentences about an indicator row: what its rating means, how it is trending.

Pure functions of row dicts and frames, so the CLI, the app and their tests say the same thing.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from barnet_tui.domain.ratings import badge_letters

Row = dict[str, Any]


def rating_sentence(row: Row) -> str:
    """ "Red · 69.3% against a target of 81.5% (bigger is better)"."""
    rag = row.get("rag")
    if rag:
        rating = rag if badge_letters(rag) != "?" else f"{rag} (not a known rating)"
        if row.get("rag_source") == "fill":
            rating += " (read from the cell's colour)"
    elif row.get("below_target"):
        rating = "Below target (no rating printed)"
    else:
        rating = "Not rated"
    parts = [rating]
    result, target = row.get("result_raw"), row.get("target_raw")
    if result and target:
        parts.append(f"{result} against a target of {target}")
    elif result:
        parts.append(f"{result}, no target")
    elif target:
        parts.append(f"no result against a target of {target}")
    sentence = " · ".join(parts)
    polarity = row.get("polarity")
    if polarity in ("Bigger is Better", "Smaller is Better"):
        sentence += f" ({polarity.lower()})"
    return sentence


def trend(history: pl.DataFrame, polarity: str | None) -> str:
    """Whether results across periods are getting better, in words a reader can check."""
    # NaN or an infinity (a dataset from another tool) is no point of a trend
    points = history.filter(pl.col("result").is_finite()).select("period", "result").rows()
    if len(points) < 2:
        return "Not enough results across periods to show a trend."
    (first_period, first), (last_period, last) = points[0], points[-1]
    change = f"{first:g} in {first_period} to {last:g} in {last_period}"
    if last == first:
        return f"Unchanged: {change}."
    if polarity not in ("Bigger is Better", "Smaller is Better"):
        return f"{'Up' if last > first else 'Down'} from {change} (no polarity to judge by)."
    better = (last > first) == (polarity == "Bigger is Better")
    return f"{'Improving' if better else 'Worsening'}: {change} ({polarity.lower()})."


def copy_line(row: Row) -> str:
    """One line about an indicator for the clipboard: ref, name, result, target, rating."""
    rating = row.get("rag") or ("below target" if row.get("below_target") else "not rated")
    result = row.get("result_raw") or "no result"
    target = row.get("target_raw") or "no target"
    return (
        f"{row['ref']} {row['indicator']}: {result} against a target of {target}, "
        f"{rating} ({row['period']})"
    )


def where_printed(row: Row) -> str:
    """Where the report prints a row: "line 123" of a text report, "page 7, line 12" of a
    PDF (the line within the page's text)."""
    page = row.get("source_page")
    if page is None:
        return f"line {row['source_line']}"
    line = row.get("page_line")
    return f"page {page}" if line is None else f"page {page}, line {line}"


def cited(row: Row) -> str:
    """A row's source in a few characters: "family.txt:123", "family.pdf, page 7"."""
    page = row.get("source_page")
    if page is None:
        return f"{row['source']}:{row['source_line']}"
    return f"{row['source']}, page {page}"
