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
    """Whether results across periods are getting better, in words a reader can check: from
    the first result to the last, and, where the last step went the other way, that step
    too (a long improvement and a worsening this period are both true, and both said)."""
    # NaN or an infinity (a dataset from another tool) is no point of a trend
    points = history.filter(pl.col("result").is_finite()).select("period", "result").rows()
    if len(points) < 2:
        return "Not enough results across periods to show a trend."
    kind, overall = _moved(points[0], points[-1], polarity)
    if len(points) == 2:
        return overall + "."
    last_kind, last = _moved(points[-2], points[-1], polarity)
    if last_kind == kind:
        return overall + "."
    return f"{overall}; latest step {last[0].lower()}{last[1:]}."


def _moved(
    first: tuple[str, float], last: tuple[str, float], polarity: str | None
) -> tuple[str, str]:
    """Which way, and "Worsening: 7.5 in 2015/16 to 9.9 in 2016/17 Q4 (smaller is better)"."""
    (first_period, before), (last_period, after) = first, last
    change = f"{before:g} in {first_period} to {after:g} in {last_period}"
    if after == before:
        return "same", f"Unchanged: {change}"
    if polarity not in ("Bigger is Better", "Smaller is Better"):
        way = "Up" if after > before else "Down"
        return way, f"{way} from {change} (no polarity to judge by)"
    way = "Improving" if (after > before) == (polarity == "Bigger is Better") else "Worsening"
    return way, f"{way}: {change} ({polarity.lower()})"


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
