"""Numbers the explorer draws are checked where they are drawn: 1.7e308, NaN or infinity in
a dataset (one from another tool) is shown as text, never a crash; and an explorer that
stops on an error says so in one line with exit 2, never a traceback with exit 0."""

from __future__ import annotations

import os
import pty
import select
import sys
from pathlib import Path

import polars as pl

from barnet_tui.tui.screens.indicator import IndicatorScreen
from barnet_tui.tui.widgets.history_chart import history_bars
from tests.conftest import DATA, REPO, dataset_copy
from tests.tui.conftest import loaded, make_app
from tests.tui.test_explorer import text_of

HUGE = 1.7e308


def _extreme(frame: pl.DataFrame) -> pl.DataFrame:
    """FS/S11's three results: the largest float, NaN and minus infinity (the last two with
    no printed figure), its last target the most negative float."""
    ref, period = pl.col("ref") == "FS/S11", pl.col("period")
    result = {"2015/16 Q4": HUGE, "2016/17 Q4": float("nan"), "2017/18 Q4": float("-inf")}
    return frame.with_columns(
        pl.when(ref).then(period.replace_strict(result, default=None)).otherwise("result")
        .alias("result"),
        pl.when(ref & (period == "2015/16 Q4")).then(pl.lit("1.7e308"))
        .when(ref).then(pl.lit(None)).otherwise("result_raw").alias("result_raw"),
        pl.when(ref & (period == "2017/18 Q4")).then(pl.lit(-HUGE)).otherwise("target")
        .alias("target"),
    )  # fmt: skip


async def test_a_history_of_extreme_numbers_is_shown_not_a_crash(tmp_path: Path) -> None:
    app = make_app(dataset_copy(tmp_path, _extreme), indicator="FS/S11")
    async with app.run_test(size=(100, 40)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, IndicatorScreen)
        history = text_of(app, "#indicator-body").split("\nHistory\n", 1)[1]
        bars = [line for line in history.splitlines() if "┃" in line and "Q4" in line]
        assert len(bars) == 3
        assert bars[0].rstrip().endswith("1.7e308 ┃9.2%")
        assert bars[1].rstrip().endswith("nan ┃9.2%") and "█" not in bars[1]
        assert bars[2].rstrip().endswith("-inf ┃8.6%") and "█" not in bars[2]
        # The trend is drawn from the finite results only: the previous result the 2015/16
        # report prints (12 in 2014/15) and the largest float, never NaN or an infinity.
        trend = history.rstrip().splitlines()[-1]
        assert trend.startswith("Worsening: 12 in 2014/15 to 1.7e+308 in 2015/16 Q4"), trend
        assert "nan" not in trend and "inf" not in trend


def test_bars_from_the_most_negative_to_the_largest_float_fit_their_width() -> None:
    points = [
        {"period": "2015/16 Q4", "result": -HUGE, "target": HUGE, "rag": "Red",
         "result_raw": None, "target_raw": None},
        {"period": "2016/17 Q4", "result": HUGE, "target": float("inf"), "rag": "Green",
         "result_raw": "big", "target_raw": None},
    ]  # fmt: skip
    lines = [line.plain for line in history_bars(points, 80, {"red": "red", "green": "green"})]
    low, high = lines[0], lines[1]
    assert len(low) == len(high)
    assert low.index("┃") > low.rindex("█")  # the target at the far right, the bar at left
    assert high.rstrip().endswith("big ┃inf")
    assert low.rstrip().endswith("-1.7e+308 ┃1.7e+308")


def test_an_explorer_that_stops_on_an_error_says_one_line_and_exits_2() -> None:
    """Whatever fails (here the first screen, made to raise), the terminal gets one line."""
    script = (
        "import sys\n"
        "from barnet_tui.tui.app import BarnetApp\n"
        "def broken(self, message):\n"
        "    raise RuntimeError('the summary could not be drawn\\nsecond line')\n"
        "BarnetApp.on_dataset_loaded = broken\n"
        "from barnet_tui.cli.main import main\n"
        f"sys.exit(main(['--data', {str(DATA)!r}]))\n"
    )
    pid, fd = pty.fork()
    if pid == 0:  # the child: the explorer on a terminal
        os.environ.update(TERM="xterm-256color", PYTHONPATH=str(REPO))
        os.execv(sys.executable, [sys.executable, "-c", script])
    seen = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:
            os.kill(pid, 9)
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    shown = seen.decode("utf-8", errors="replace")
    assert os.waitstatus_to_exitcode(status) == 2, shown[-2000:]
    assert "Traceback" not in shown and "second line" not in shown
    said = "barnet-tui: error: the explorer stopped: RuntimeError: the summary could not be drawn"
    assert said in shown
