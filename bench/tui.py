"""Speed of the explorer: start-up to a usable summary, and each step of the drill-down.

The goals: the summary is populated and accepts keys within 1 s of starting the process,
and each interaction (open a service, toggle below target, type a filter character, open an
indicator with its history, go back) answers within 50 ms, median.

Start-up runs the installed ``barnet-tui`` in a real pseudo-terminal (80x24,
xterm-256color) and times, from just before the spawn, until the summary's total row and
headline are on the screen; then it presses q and times the exit. A bare
``python -c "import textual.app, polars"`` runs alternately as the baseline: how much of
start-up is the interpreter and the imports.

Interactions run under Textual's Pilot (80x24), a key at a time with a pause between, as a
person types, and time each key from posting it until it, and everything it set off, is
handled and the screen has painted the result; the goal is judged on that. Pilot's own
``press()`` + ``pause()`` is shown beside it for comparison, but it cannot judge a 50 ms
goal: it waits for the CPU to go idle in 20 ms sleeps, so it never reads much under 60 ms
(the unbound-key row is that floor) and moves in 20 ms steps.

    python bench/tui.py [--runs 7] [--interactions 15] [--data DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import codecs
import compileall
import errno
import fcntl
import os
import pty
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from textual.message import Message
    from textual.pilot import Pilot

    from barnet_tui.tui.app import BarnetApp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from machine import describe  # noqa: E402

START_GOAL = 1.0  # seconds, process start to a summary that takes keys
STEP_GOAL = 0.050  # seconds, median per interaction
COLUMNS, ROWS = 80, 24
# The summary's headline: there only once the data is shown (at any size: a big
# dataset's total row is off screen).
READY = ("367 reported",)
# The baseline says when its imports are done, so both are timed to the same kind of moment.
BASELINE = "import textual.app, polars"
BASELINE_SCRIPT = f"{BASELINE}\nprint('imported', flush=True)"
# CSI (colours, cursor moves, mode queries), OSC (titles, clipboard), and two-byte escapes.
ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)


# Start-up -----------------------------------------------------------------------------------


class Run(NamedTuple):
    ready: float
    """Seconds from spawn until the screen shows what we wait for."""
    exit: float
    """Seconds from then (for the app, from pressing q) until the process has exited."""
    status: int
    peak_rss: int
    """Bytes: the most memory the process held at once."""


class Terminal:
    """The master side of a pseudo-terminal: what the child has drawn, as plain text."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.raw = ""
        self.closed = False
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    @property
    def text(self) -> str:
        # Strip the whole stream each time: an escape can straddle two reads.
        return ANSI.sub("", self.raw)

    def tail(self) -> str:
        """The last of the text, blank runs squeezed: enough to see what went wrong."""
        return " ".join(self.text.split())[-400:]

    def read_until(self, done: Callable[[str], bool], deadline: float) -> bool:
        """Read until ``done(text)`` or end of output; TimeoutError at ``deadline``."""
        while not done(self.text):
            if self.closed:
                return False
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError
            readable, _, _ = select.select([self.fd], [], [], remaining)
            if not readable:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError as error:  # Linux says EIO once every slave end is closed
                if error.errno != errno.EIO:
                    raise
                chunk = b""
            self.closed = not chunk
            self.raw += self._decoder.decode(chunk, final=self.closed)
        return True

    def drain(self, deadline: float) -> None:
        """Read to the end, so a child writing its goodbye never blocks on a full buffer."""
        self.read_until(lambda _text: False, deadline)


def high_water_mark(pid: int) -> int:
    """Bytes: the most memory a running process has held so far (VmHWM), 0 if unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found[1]) * 1024 if found else 0


def in_pty(
    command: list[str], cwd: Path, markers: tuple[str, ...], keys: bytes, timeout: float
) -> Run:
    """Spawn in an 80x24 pseudo-terminal, wait until ``markers`` are all on the screen, type
    ``keys``, and wait for the exit; each wait gives up after ``timeout`` seconds."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"
    terminal = Terminal(master)
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env,
        start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    name = Path(command[0]).name
    try:
        shown = terminal.read_until(lambda text: all(m in text for m in markers), start + timeout)
        ready = time.perf_counter()
        if not shown:
            raise RuntimeError(
                f"{name} exited ({process.wait()}) before showing {markers}; "
                f"its screen: {terminal.tail()}"
            )
        peak_rss = high_water_mark(process.pid)
        os.write(master, keys)
        since = time.perf_counter()
        terminal.drain(since + timeout)
        process.wait(timeout=max(since + timeout - time.perf_counter(), 0.1))
        return Run(ready - start, time.perf_counter() - since, process.returncode, peak_rss)
    except (TimeoutError, subprocess.TimeoutExpired):
        raise RuntimeError(
            f"{name} took over {timeout:.0f} s; its screen so far: {terminal.tail()}"
        ) from None
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)


# Interactions -------------------------------------------------------------------------------


class Step(NamedTuple):
    label: str | None
    """What the figure is called; None for a step that only sets up the next."""
    key: str
    screen: str
    """The screen class that should be showing once the key is handled."""


# One round trip through the explorer; it ends where it started, on the summary.
CYCLE = (
    Step("unbound key (harness floor)", "z", "SummaryScreen"),
    Step("switch period ([ and ])", "left_square_bracket", "SummaryScreen"),
    Step("switch period ([ and ])", "right_square_bracket", "SummaryScreen"),
    Step("open a service (enter)", "enter", "ServiceScreen"),
    Step("toggle below target (b, on and off)", "b", "ServiceScreen"),
    Step("toggle below target (b, on and off)", "b", "ServiceScreen"),
    Step(None, "vertical_line", "ServiceScreen"),  # opens the filter box
    Step("type a filter character (t)", "t", "ServiceScreen"),
    Step(None, "escape", "ServiceScreen"),  # clears the filter and closes the box
    Step("open an indicator (enter)", "enter", "IndicatorScreen"),
    Step("back to the service (escape)", "escape", "ServiceScreen"),
    Step("back to the summary (escape)", "escape", "SummaryScreen"),
)
CHARACTERS = {
    "enter": "\r",
    "escape": "\x1b",
    "slash": "/",
    "vertical_line": "|",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
}
# A person's pace: the app has gone idle before the next key arrives, as it would between
# keystrokes. (Straight after the previous step some steps read 10 ms faster.)
PAUSE = 0.1
STEP_TIMEOUT = 20.0

Press = Callable[[str, str], Awaitable[float]]


class Signal:
    """A callback the harness posts into the app, to hear when the app has reached it."""

    def __init__(self) -> None:
        self.event = asyncio.Event()

    def __call__(self) -> None:
        self.event.set()


class Activity:
    """Message hook: counts the messages the app handles, other than the harness's own."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, message: Message) -> None:
        callback = getattr(message, "callback", None)
        if isinstance(callback, partial):
            callback = callback.func
        if not isinstance(callback, Signal):
            self.count += 1


async def signalled(post: Callable[[Signal], object]) -> None:
    """Post a Signal with ``post`` (call_later, call_after_refresh) and wait until it runs."""
    signal = Signal()
    post(signal)
    await signal.event.wait()


async def settled(app: BarnetApp, activity: Activity, screen_name: str) -> None:
    """Until ``screen_name`` shows and the app goes once round with nothing to do.

    One round: the app handles what it has queued, then the screen paints what is pending.
    A round that handles no message but ours means the key, and all it set off (bubbling,
    handlers, messages they post, mounting a screen), is done and on the screen.
    """
    while True:
        before = activity.count
        await signalled(app.call_later)
        screen = app.screen
        nodes = [app, *screen.walk_children(with_self=True)]
        if type(screen).__name__ != screen_name or any(n.message_queue_size for n in nodes):
            await asyncio.sleep(0)
            continue
        await signalled(screen.call_after_refresh)
        if activity.count == before and app.screen is screen:
            return


Times = dict[str, tuple[list[float], list[float]]]


def interactions(data: Path, cwd: Path, runs: int) -> tuple[Times, dict[str, float]]:
    """Each labelled step's times, (key to painted, Pilot press + pause), over ``runs`` cycles,
    and the first time of each (key to painted), when the app builds its screens."""
    from textual import events

    from barnet_tui.config import load_config
    from barnet_tui.tui.app import BarnetApp

    activity = Activity()

    def direct(app: BarnetApp) -> Press:
        async def press(key: str, screen_name: str) -> float:
            await asyncio.sleep(PAUSE)
            start = time.perf_counter()
            # What Pilot.press posts, without its idle waits.
            app.post_message(events.Key(key, CHARACTERS.get(key, key)).set_sender(app))
            await settled(app, activity, screen_name)
            return time.perf_counter() - start

        return press

    def piloted(app: BarnetApp, pilot: Pilot[int]) -> Press:
        async def press(key: str, screen_name: str) -> float:
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            while type(app.screen).__name__ != screen_name:
                await pilot.pause()
            return time.perf_counter() - start

        return press

    async def cycle(press: Press) -> list[tuple[str, float]]:
        """Once through CYCLE; the labelled steps' times."""
        times = []
        for step in CYCLE:
            try:
                async with asyncio.timeout(STEP_TIMEOUT):
                    elapsed = await press(step.key, step.screen)
            except TimeoutError:
                raise RuntimeError(
                    f"{step.key} did not settle on {step.screen} in {STEP_TIMEOUT:.0f} s"
                ) from None
            if step.label is not None:
                times.append((step.label, elapsed))
        return times

    async def run() -> tuple[Times, dict[str, float]]:
        times: Times = {step.label: ([], []) for step in CYCLE if step.label is not None}
        config = load_config(cwd=cwd)._replace(data_dir=data)
        app = BarnetApp(config)
        async with app.run_test(size=(COLUMNS, ROWS), message_hook=activity) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            ways = (direct(app), piloted(app, pilot))
            first = dict(await cycle(ways[0]))  # warm-up: first use of each query and screen
            await cycle(ways[1])
            for _ in range(runs):  # alternate, so drift on the machine affects both alike
                for index, press in enumerate(ways):
                    for label, elapsed in await cycle(press):
                        times[label][index].append(elapsed)
        return times, first

    return asyncio.run(run())


# Report -------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def spread(values: list[float]) -> str:
    low, high = min(values) * 1000, max(values) * 1000
    digits = 1 if high < 10 else 0
    return f"{ms(statistics.median(values))} {f'({low:.{digits}f}–{high:.{digits}f})':11}"


def verdict(value: float, goal: float) -> str:
    return f"goal < {goal * 1000:.0f} ms {'ok' if value < goal else 'OVER'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="start-up runs of each")
    parser.add_argument("--interactions", type=int, default=15, help="runs of each interaction")
    parser.add_argument("--data", type=Path, default=HERE.parent / "data")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for a screen")
    args = parser.parse_args()
    data = args.data.resolve()
    executable = shutil.which("barnet-tui")
    app_command = [executable] if executable else [sys.executable, "-m", "barnet_tui"]
    app_command += ["--data", str(data)]
    bare_command = [sys.executable, "-c", BASELINE_SCRIPT]
    # pip byte-compiles a package when it installs it; an editable checkout (or a shell with
    # PYTHONDONTWRITEBYTECODE set) would otherwise pay for compiling our sources on every run.
    import barnet_tui

    compileall.compile_dir(Path(barnet_tui.__file__).parent, quiet=1)

    bare: list[Run] = []
    app: list[Run] = []
    with tempfile.TemporaryDirectory() as empty:  # no ./config.toml in the way
        cwd = Path(empty)
        try:
            for round_ in range(args.runs + 1):  # round 0 only warms the file cache
                bare_run = in_pty(bare_command, cwd, ("imported",), b"", args.timeout)
                app_run = in_pty(app_command, cwd, READY, b"q", args.timeout)
                if round_:
                    bare.append(bare_run)
                    app.append(app_run)
            steps, first = interactions(data, cwd, args.interactions)
        except RuntimeError as error:
            sys.exit(f"bench/tui.py: {error}")

    print(f"machine: {describe()}")
    print(
        f"start-up: {args.runs} runs each, alternating, in an {COLUMNS}x{ROWS} pty; "
        f"median (min–max) wall time; baseline: python -c {BASELINE!r}"
    )
    bare_ready = statistics.median(run.ready for run in bare)
    ready = statistics.median(run.ready for run in app)
    rows = (
        ("baseline: spawn to imports done", [run.ready for run in bare], ""),
        ("baseline: imports done to exit", [run.exit for run in bare], ""),
        (
            "barnet-tui: spawn to summary on screen",
            [run.ready for run in app],
            f"{ready / bare_ready:4.2f}x baseline  {verdict(ready, START_GOAL)}",
        ),
        (
            "barnet-tui: q to exit",
            [run.exit for run in app],
            "exit status " + ", ".join(str(s) for s in sorted({run.status for run in app})),
        ),
    )
    for label, values, note in rows:
        print(f"  {label:38} {spread(values)} {note}".rstrip())
    print(
        f"interactions: {args.interactions} runs each after a warm-up, Pilot at {COLUMNS}x{ROWS}; "
        "median (min–max)"
    )
    print(f"  {'':38} {'key to painted':22} {'':17} {'Pilot press+pause':18} first time")
    for label, (direct, piloted) in steps.items():
        median = statistics.median(direct)
        goal = "" if label.startswith("unbound") else verdict(median, STEP_GOAL)
        print(
            f"  {label:38} {spread(direct)} {goal:17} {ms(statistics.median(piloted))}"
            f"         {ms(first[label])}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
