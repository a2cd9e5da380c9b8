"""A report's key actions or risks (``barnet-tui --actions`` / ``--risks``) as a table,
Markdown, CSV or JSON, in the quick check's formats."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO

from barnet_tui.config import Config
from barnet_tui.domain.attention import NOT_ON_TRACK, NOT_ON_TRACK_MEANS
from barnet_tui.domain.contract import TABLES
from barnet_tui.domain.judging import nothing_off_track, nothing_scored
from barnet_tui.domain.literal_text import fit, literal
from barnet_tui.domain.questions import Listing, ListQuery
from barnet_tui.domain.ratings import badge_letters
from barnet_tui.output.formats import (
    colour_wanted,
    markdown_cell,
    wrapped,
    write_records,
)
from barnet_tui.output.painter import titled


def _heading(query: ListQuery) -> str:
    if query.table == "actions":
        return f"Key actions {NOT_ON_TRACK}"
    if query.min_score is None:
        return "Risks"
    return f"Risks scored {query.min_score} or more"


def _nothing(query: ListQuery, listing: Listing, shown: Callable[[str], str]) -> str:
    """What the empty list judged, its scope made safe by ``shown`` for where it goes."""
    scope = shown(listing.title)
    if query.table == "actions":
        return nothing_off_track(listing.judged, scope)
    return nothing_scored(listing.judged, scope, query.min_score)


def _risk_figures(row: dict[str, Any]) -> str:
    score = "?" if row["score"] is None else str(row["score"])
    target = "" if row["target_score"] is None else f" → {row['target_score']}"
    return f"{score:>2}{target}"


def _action_name(row: dict[str, Any]) -> str:
    return literal(f"{row['ref'] or '—'} {row['action']}")


def _risk_name(row: dict[str, Any]) -> str:
    category = f"{row['category']}: " if row["category"] else ""
    return literal(f"{row['risk_id']} {category}{row['description'] or ''}")


def write_table(
    query: ListQuery,
    listing: Listing,
    out: TextIO,
    colour: bool,
    config: Config,
    width: int | None = None,
) -> None:
    heading = config.headed(f"{_heading(query)} — {literal(listing.title)}")
    painter, width = titled(out, colour, config, width, heading)
    if listing.rows.height == 0:
        print(wrapped(_nothing(query, listing, literal), width), file=out)
        return
    period_width = 12 if listing.period_shown else 0  # "  2016/17 Q4"
    lead_width = 4 if query.table == "actions" else 7  # a badge, or "15 → 10"
    name_width = max(width - lead_width - 2 - period_width, 12)
    service = None
    for row in listing.rows.iter_rows(named=True):
        if row["service"] != service:
            service = row["service"]
            print(f"\n{painter.paint(wrapped(literal(service), width), '1;4')}", file=out)
        if query.table == "actions":
            lead, name = painter.badge(row["rag"]), _action_name(row)
        else:
            lead = painter.paint(_risk_figures(row).ljust(lead_width), "1")
            name = _risk_name(row)
        line = f"{lead}  {fit(name, name_width)}"
        if listing.period_shown:
            line += "  " + painter.paint(row["period"], "2")
        print(line.rstrip(), file=out)
    lines = (wrapped(literal(line), width) for line in footer(query, listing))
    print("\n" + "\n".join(lines), file=out)


def footer(query: ListQuery, listing: Listing) -> list[str]:
    """How many were listed of how many the scope holds, and what the report's own overview
    counts where it counts otherwise."""
    count, held = listing.rows.height, listing.judged.held
    if query.table == "actions":
        many = "" if held == 1 else "s"
        said = f"{count} of the {held} key action{many} the reports list are {NOT_ON_TRACK}"
        return [f"{said} ({NOT_ON_TRACK_MEANS}).", *listing.notes]
    if query.min_score is None:
        return [f"{count} risk{'' if count == 1 else 's'}."]
    return [f"{count} of the {held} risks scored {query.min_score} or more."]


_MARKDOWN = {
    "actions": (
        ("Service", "service"),
        ("Ref", "ref"),
        ("Action", "action"),
        ("Rating", "rag"),
        ("Status as printed", "rag_raw"),
        ("Period", "period"),
    ),
    "risks": (
        ("Service", "service"),
        ("Risk", "risk_id"),
        ("Category", "category"),
        ("Description", "description"),
        ("Score", "score"),
        ("Target score", "target_score"),
        ("Period", "period"),
    ),
}


def write_markdown(query: ListQuery, listing: Listing, out: TextIO) -> None:
    print(f"## {_heading(query)}: {markdown_cell(listing.title)}\n", file=out)
    if listing.rows.height == 0:
        print(_nothing(query, listing, markdown_cell), file=out)
        return
    columns = _MARKDOWN[query.table]
    print("| " + " | ".join(label for label, _name in columns) + " |", file=out)
    print("|" + "---|" * len(columns), file=out)
    for row in listing.rows.iter_rows(named=True):
        cells = [row[name] for _label, name in columns]
        if query.table == "actions":
            cells[3] = badge_letters(row["rag"])
        print("| " + " | ".join(markdown_cell(cell) for cell in cells) + " |", file=out)
    print("\n" + "\n\n".join(markdown_cell(line) for line in footer(query, listing)), file=out)


def write(
    query: ListQuery,
    listing: Listing,
    fmt: str,
    out: TextIO,
    config: Config,
    width: int | None = None,
) -> None:
    """Print ``listing`` as ``fmt``, its columns those of the contract's table."""
    write_records(
        listing.rows.select(column.name for column in TABLES[query.table]),
        fmt,
        out,
        lambda rows, stream: write_markdown(query, listing._replace(rows=rows), stream),
        lambda _rows, stream: write_table(
            query, listing, stream, colour_wanted(stream), config, width
        ),
    )
