from __future__ import annotations

import pytest

from barnet_tui.domain.periods import Period, PeriodError, sort_periods


def test_periods_sort_in_time_not_as_text() -> None:
    assert sort_periods(["2016/17 Q1", "2015/16 Q4", "2017/18 Q4", "2016/17 Q3", "junk"]) == [
        "2015/16 Q4",
        "2016/17 Q1",
        "2016/17 Q3",
        "2017/18 Q4",
    ]
    assert Period.parse("2015/16 Q4") < Period.parse("2016/17 Q1")


@pytest.mark.parametrize("text", ["2016-17 Q4", "2016/18 Q4", "2016/17 Q5", "Q4 2016/17", ""])
def test_malformed_periods_are_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_period_parts() -> None:
    period = Period.parse("2099/00 Q2")
    assert (period.fin_year, period.quarter, str(period)) == ("2099/00", 2, "2099/00 Q2")


def test_periods_are_read_as_people_type_them() -> None:
    for typed in ("2016/17 Q4", "2016/17 q4", "2016/17Q4", " 2016/17   Q4 "):
        assert str(Period.parse(typed)) == "2016/17 Q4"


def test_an_unknown_choice_lists_the_closest_twenty_in_one_line() -> None:
    from barnet_tui.domain.choices import ChoiceError

    periods = [f"{year}/{(year + 1) % 100:02d} Q4" for year in range(1980, 2030)]
    message = str(ChoiceError("period", "2016/17 Q5", periods))
    assert message.startswith("unknown period '2016/17 Q5'; choose from: 2016/17 Q4,")
    assert message.endswith("and 30 more") and "\n" not in message
