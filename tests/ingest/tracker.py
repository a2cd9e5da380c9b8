"""A tracker spreadsheet written from the shipped dataset: what a performance team keeps.

One row per indicator and period under the headers people type (Ref, Indicator, Service,
Period, Polarity, Target, Result, RAG, Direction of travel, Comment), a title row and a
blank row above them. Figures are written as the reports print them (``10.4%``, ``1,045``)
or as numbers (``10.4``), where the dataset has the number.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import polars as pl

HEADERS = (
    "Ref", "Indicator", "Service", "Period", "Polarity", "Target", "Result", "RAG",
    "Direction of travel", "Comment",
)  # fmt: skip
COMPARED = (
    "period", "service", "ref", "indicator", "polarity", "target", "result", "rag", "dot",
    "comment",
)  # fmt: skip
"""What a tracker says of an indicator; how a report printed it (its type, the line it
stood on) a tracker does not."""


def _figure(row: dict[str, Any], name: str, as_numbers: bool) -> Any:
    if as_numbers and row[name] is not None:
        return row[name]
    return row[f"{name}_raw"]


def tracker_rows(indicators: pl.DataFrame, as_numbers: bool) -> list[list[Any]]:
    return [
        [
            row["ref_raw"],
            row["indicator"],
            row["service"],
            row["period"],
            row["polarity"],
            _figure(row, "target", as_numbers),
            _figure(row, "result", as_numbers),
            row["rag"],
            row["dot"],
            row["comment"],
        ]
        for row in indicators.iter_rows(named=True)
    ]


def by_source(indicators: pl.DataFrame) -> dict[str, pl.DataFrame]:
    return {
        str(source): frame
        for (source,), frame in indicators.group_by("source", maintain_order=True)
    }


def write_xlsx(indicators: pl.DataFrame, path: Path, as_numbers: bool) -> None:
    """One sheet per report the rows came from, with a sheet of notes (no table) first."""
    import xlsxwriter

    with xlsxwriter.Workbook(path) as book:
        book.add_worksheet("Notes").write(0, 0, "How to fill in this tracker")
        for number, frame in enumerate(by_source(indicators).values(), start=1):
            sheet = book.add_worksheet(f"Sheet {number}")
            sheet.write(0, 0, "Barnet performance tracker")
            sheet.write_row(2, 0, HEADERS)
            for index, row in enumerate(tracker_rows(frame, as_numbers), start=3):
                for column, value in enumerate(row):
                    if value is not None:
                        sheet.write(index, column, value)


def write_csvs(indicators: pl.DataFrame, folder: Path, as_numbers: bool) -> list[Path]:
    """One CSV per report the rows came from."""
    paths = []
    for number, frame in enumerate(by_source(indicators).values(), start=1):
        path = folder / f"tracker-{number}.csv"
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(["Barnet performance tracker"])
            writer.writerow([])
            writer.writerow(HEADERS)
            writer.writerows(tracker_rows(frame, as_numbers))
        paths.append(path)
    return paths


def compared(indicators: pl.DataFrame) -> list[tuple[Any, ...]]:
    return sorted(indicators.select(COMPARED).rows(), key=repr)
