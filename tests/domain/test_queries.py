"""Queries the CLI and the app share, on the shipped dataset."""

from __future__ import annotations

import polars as pl
import pytest

from barnet_tui.domain.choices import ChoiceError
from barnet_tui.domain.dataset import load_dataset
from barnet_tui.domain.queries import (
    below_target,
    current_rows,
    history_for_ref,
    latest_period,
    periods,
    resolve_period,
    resolve_service,
    search,
    service_indicators,
)
from tests.conftest import DATA

DATASET = load_dataset(DATA)
ROWS = DATASET.indicators.collect()


def test_periods_and_the_default_one() -> None:
    assert periods(ROWS) == ["2015/16 Q4", "2016/17 Q1", "2016/17 Q3", "2016/17 Q4", "2017/18 Q4"]
    # 2017/18 Q4 is newer, but only 2016/17 Q4 has a council-wide summary.
    assert latest_period(ROWS, DATASET.service_summary) == "2016/17 Q4"
    no_council = DATASET.service_summary.filter(pl.col("level") != "council")
    assert latest_period(ROWS, no_council) == "2017/18 Q4"


def test_resolving_periods() -> None:
    assert resolve_period(ROWS, DATASET.service_summary, "latest") == "2016/17 Q4"
    assert resolve_period(ROWS, None, " 2015/16  Q4") == "2015/16 Q4"
    with pytest.raises(ChoiceError, match="no data for period '2019/20 Q1'; choose from: "):
        resolve_period(ROWS, None, "2019/20 Q1")
    with pytest.raises(ChoiceError, match="unknown period 'Q4'"):
        resolve_period(ROWS, None, "Q4")


def test_current_rows_are_each_indicators_latest() -> None:
    current = current_rows(ROWS)
    fs11 = current.filter(pl.col("ref") == "FS/S11")
    assert fs11.select("period", "result", "rag").row(0) == ("2017/18 Q4", 11.3, "Red")
    # CES/S1 was below target in 2016/17 Q4 and Green in 2017/18 Q4: no longer listed.
    assert below_target(current).filter(pl.col("ref") == "CES/S1").height == 0
    assert current.filter(pl.col("ref") == "TBC").height == 9  # never merged with each other
    assert current.select("ref").filter(pl.col("ref") != "TBC").is_duplicated().sum() == 0


def test_history_is_oldest_first_across_reports() -> None:
    history = history_for_ref(ROWS, "FS/S11")
    assert history.select("period", "result", "target").rows() == [
        ("2015/16 Q4", 9.7, 9.2),
        ("2016/17 Q4", 10.4, 9.2),
        ("2017/18 Q4", 11.3, 8.6),
    ]
    assert history_for_ref(ROWS, "TBC").height == 0


def test_search_matches_ref_name_and_comment_literally() -> None:
    assert search(ROWS, "fs/s11")["ref"].unique().to_list() == ["FS/S11"]
    assert "AC/S18" in search(ROWS, "TELECARE")["ref"].to_list()
    assert "KPI2.1 NM" in search(ROWS, "submitted data for Quarter")["ref"].to_list()
    assert search(ROWS, "[bold").height == 0  # not a regex
    assert search(ROWS, "  ").height == ROWS.height


def test_services_by_prefix_alias_and_case() -> None:
    assert resolve_service(ROWS, "family services") == "Family Services"
    assert resolve_service(ROWS, "fam") == "Family Services"
    assert resolve_service(ROWS, "Re") == "Regional Enterprise (Re)"
    with pytest.raises(ChoiceError) as caught:
        resolve_service(ROWS, "r")
    assert str(caught.value) == (
        "ambiguous service 'r'; choose from: Regional Enterprise (Re), Registrar Service"
    )
    with pytest.raises(ChoiceError) as caught:
        resolve_service(ROWS, "Famly Service")
    assert caught.value.choices[0] == "Family Services"


def test_a_services_rows_put_the_worst_first() -> None:
    rows = service_indicators(
        ROWS.filter(pl.col("period") == "2016/17 Q4"), "Adults and Communities"
    )
    assert rows["rag"].to_list()[:4] == ["Red", "Red", "Red", "Red"]
    assert rows["rag"].to_list()[-3:] == ["Green Amber"] * 3
