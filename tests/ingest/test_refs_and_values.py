"""Refs and cell values: the contract's normalisation rules, one example each."""

from __future__ import annotations

import pytest

from barnet_tui.ingest.cells.refs import parse_ref
from barnet_tui.ingest.cells.services import canonical_service, services_in_cell
from barnet_tui.ingest.cells.values import direction_of_travel, parse_count, parse_number, split_rag
from barnet_tui.ingest.sources.text import clean


@pytest.mark.parametrize(
    ("printed", "ref", "note"),
    [
        ("FS/S 11", "FS/S11", None),
        ("CES/S1 3-1 (Annual)", "CES/S13-1", "(Annual)"),
        ("R/ 3", "R/3", None),
        ("CES/S27- 2", "CES/S27-2", None),
        ("AC/S16 (ASCOF 1C/2A)", "AC/S16", "(ASCOF 1C/2A)"),
        ("AC/S11 ASCOF 2B (1)", "AC/S11", "ASCOF 2B (1)"),
        ("CG/C17 (RPS – Biannual)", "CG/C17", "(RPS – Biannual)"),
        ("KPI002 (ENF)", "KPI002", "(ENF)"),
        ("NEW - AC/C16", "AC/C16", "NEW -"),
        ("Super KPI35b CSG/S1", "CSG/S1", "Super KPI35b"),
        ("KPI 1.2 NM", "KPI1.2 NM", None),
        ("NM KPI 2.2", "KPI2.2 NM", None),
        ("KPI001 LC", "KPI001 LC", None),
        ("NEW – TBC (Annual)", "TBC", "NEW – (Annual)"),
        ("REGEN KPIO5", "REGENKPI05", None),
        ("Re/S3 (Annual) Re/SK3", "RE/S3", "(Annual) Re/SK3"),
        ("Formerly CES/S13 (a) (Annual)", "CES/S13(A)", "Formerly (Annual)"),
        ("HBPL/C", "HBPL/C", None),
    ],
)
def test_refs_normalise_as_the_contract_says(printed: str, ref: str, note: str | None) -> None:
    parsed = parse_ref(printed)
    assert parsed is not None
    assert (parsed.ref, parsed.note, parsed.raw) == (ref, note, printed)


@pytest.mark.parametrize("cell", ["N/A", "Overall", "CPI", "Green", "Percentage of children"])
def test_words_are_not_refs(cell: str) -> None:
    assert parse_ref(cell) is None


def test_ref_and_title_in_one_cell_split_apart() -> None:
    parsed = parse_ref("CG/S9 (RPS - Biannual) Percentage of residents", title_follows=True)
    assert parsed is not None
    assert (parsed.ref, parsed.note, parsed.rest) == (
        "CG/S9",
        "(RPS - Biannual)",
        "Percentage of residents",
    )


@pytest.mark.parametrize(
    ("printed", "number"),
    [
        ("81.5%", 81.5),
        ("£4.47m", 4.47),
        ("3.03 days", 3.03),
        ("154.06 kg per HH", 154.06),
        ("37% (Spring 2016)", 37.0),
        ("262.0 (Q3 Target 363.8)", 262.0),
        ("-0.72", -0.72),
        ("£1,878,955", 1878955.0),
        ("£1,878,9 55", 1878955.0),
        ("2.3%10", 2.3),
        ("54.7 (Ranked 5th)", 54.7),
        ("Fail", None),
        ("Top 10% in England = 11%", None),
        ("New for 2016/17", None),
        ("20% reduction", None),
        ("76.7 179.7 17.0 36.9", None),
        ("89% Mon-Thur 87% Fri-Sun 92%", None),
        ("Monitor (40%)", None),
    ],
)
def test_numbers_only_where_the_cell_is_one_number(printed: str, number: float | None) -> None:
    assert parse_number(printed) == number


@pytest.mark.parametrize(
    ("printed", "rest", "rag"),
    [
        ("69.3% (R)", "69.3%", "Red"),
        ("37.5% (RA)", "37.5%", "Red Amber"),
        ("16.2% (GA)", "16.2%", "Green Amber"),
        ("54.7 (Ranked 5th) (G)", "54.7 (Ranked 5th)", "Green"),
        ("37.4%", "37.4%", None),
    ],
)
def test_rag_suffix_is_split_off(printed: str, rest: str, rag: str | None) -> None:
    assert split_rag(printed) == (rest, rag)


@pytest.mark.parametrize(
    ("printed", "dot"),
    [
        ("▼ Worsening", "Worsening"),
        ("↔ Same", "Same"),
        ("New (2016/17)", "New"),
        ("Not Comparable", "Not comparable"),
        ("Not Applicable", "Not comparable"),
        ("N/A", "Not comparable"),
        ("-", None),
    ],
)
def test_directions_of_travel(printed: str, dot: str | None) -> None:
    assert direction_of_travel(printed) == dot


def test_counts_read_the_bracketed_number() -> None:
    assert [parse_count(cell) for cell in ("65% (15)", "29", "(0)", "")] == [15, 29, 0, None]


@pytest.mark.parametrize(
    ("printed", "cleaned"),
    [
        ("Percentage <sup>2</sup>", "Percentage"),
        ("<b>Target</b> Achievement", "Target Achievement"),
        ("54.7 (Ranked 5 ^{th)} (G)", "54.7 (Ranked 5th) (G)"),
        ("Average Attainment 8 score ⁹", "Average Attainment 8 score"),
        ("СРІ", "CPI"),
        ("Children &amp; Young People", "Children & Young People"),
        ("health- related", "health-related"),
    ],
)
def test_cells_lose_markup_footnotes_and_lookalikes(printed: str, cleaned: str) -> None:
    assert clean(printed) == cleaned


def test_service_spellings() -> None:
    assert canonical_service("Re") == "Regional Enterprise (Re)"
    assert canonical_service("Adults & Communities") == "Adults and Communities"
    assert canonical_service("Public Health²") == "Public Health"
    named, rest = services_in_cell("CSG / Commissioning Group A score of 50% is likely")
    assert named == ["Customer and Support Group (CSG)", "Commissioning Group"]
    assert rest == "A score of 50% is likely"
