"""``barnet-tui ingest`` run in a child process that the command watches.

Ingest leans on native code (Polars, PDFium, calamine) that answers an allocation it cannot
make by aborting the whole process: a Rust ``memory allocation of N bytes failed`` and a
backtrace, exit 134, whatever the report (a 15 MB text report under ``ulimit -v 3G`` did
it). So the command runs the ingest in a child, started afresh with the same arguments and
the same limits, keeps the child's stderr, and says what the child said only when the
child ended as a program does (its warnings, its summary, its own one-line error). A child
ended by a signal or by running out of memory is one line and exit 2, its noise dropped.

The dataset is safe whatever the child's end: the writers build a new generation beside
the old one and switch the manifest last, in one rename (a folder) or one conditional PUT
(a store), so a child that dies before the switch leaves the dataset as it was. A child
whose command is gone (a ``kill -9`` of it) is killed with it and never switches
(``ingest/writers/watched.py``).

Only the command itself is supervised (``main()`` called with no arguments, as the
installed ``barnet-tui`` and ``python -m barnet_tui`` call it); ``main([...])`` in a program
or a test ingests in its own process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import TextIO

from barnet_tui.ingest.writers.watched import WATCHER

CHILD = "BARNET_TUI_INGEST_CHILD"
"""Set in the child's environment: the child ingests itself, it does not start another."""
PROGRESS_FD = "BARNET_TUI_PROGRESS_FD"
"""The terminal's descriptor, passed to the child for its "reading 3/12" line (its stderr
is a pipe to the command)."""
JEMALLOC_CONF = "_RJEM_MALLOC_CONF"
"""How Polars' jemalloc is configured (Polars adds its own defaults before it)."""
GIVE_BACK_AT_ONCE = "dirty_decay_ms:0,muzzy_decay_ms:0"
KEPT = 4 << 20
"""Bytes of the start of the child's stderr kept: its warnings are at most 200 lines and a
count, each of a few hundred characters."""
TAIL_KEPT = 64 << 10
"""Bytes of the end of the child's stderr kept past ``KEPT``: its summary and error lines."""

OUT_OF_MEMORY = (
    "out of memory reading the reports (is a memory limit set, as by ulimit -v?); "
    "the dataset is as it was"
)
_MEMORY_WORDS = (b"memory allocation of", b"MemoryError", b"out of memory", b"Cannot allocate")


def in_child() -> bool:
    return os.environ.get(CHILD) == "1"


def progress_stream() -> TextIO | None:
    """The terminal the command handed its child for progress, if it did."""
    fd = os.environ.get(PROGRESS_FD)
    if not in_child() or not fd or not fd.isdigit():
        return None
    try:
        return open(int(fd), "w", encoding="utf-8", errors="replace", closefd=False)
    except OSError:
        return None


def run_supervised(argv: list[str]) -> int:
    """``barnet-tui ARGV`` (an ingest) in a child; its exit status, or 2 with one line when
    it was killed or ran out of memory."""
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    env[CHILD] = "1"
    env[WATCHER] = str(os.getpid())  # the child dies with this command (``watched.py``)
    env["RUST_BACKTRACE"] = "0"
    # glibc gives each thread that allocates an arena of its own, 64 MB of address space
    # apiece: under ``ulimit -v`` that, not the data, ran out first (a 50,000-row report:
    # 1.37 GB of address space for 0.36 GB used; 0.71 GB with two arenas).
    env.setdefault("MALLOC_ARENA_MAX", "2")
    # Polars' allocator (jemalloc) keeps what it frees for a while before giving it back:
    # ingest lets a table's old columns go as it builds the new ones, and what was kept made
    # the peak (a 200,000-row tracker: 446 MB; 332 MB given back at once). Last, so it
    # wins over the defaults Polars put there when this process imported it.
    kept = env.get(JEMALLOC_CONF)
    env[JEMALLOC_CONF] = f"{kept},{GIVE_BACK_AT_ONCE}" if kept else GIVE_BACK_AT_ONCE
    passed: tuple[int, ...] = ()
    if sys.stderr.isatty():
        terminal = os.dup(sys.stderr.fileno())
        os.set_inheritable(terminal, True)
        env[PROGRESS_FD] = str(terminal)
        passed = (terminal,)
    try:
        # -P: the working directory (a downloads folder, say) is not on the child's path.
        child = subprocess.Popen(
            [sys.executable, "-P", "-m", "barnet_tui", *argv],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            pass_fds=passed,
        )
    except OSError as error:
        print(
            f"barnet-tui ingest: error: cannot start the ingest ({error.strerror or error})",
            file=sys.stderr,
        )
        return 2
    finally:
        for fd in passed:
            os.close(fd)
    # Stopping the command (``timeout``, a service manager) stops its ingest, not orphans it.
    signal.signal(signal.SIGTERM, lambda _number, _frame: child.terminate())
    said = _kept_stderr(child)
    code = child.wait()
    if code >= 0 and not (code == 134 or (code == 1 and _memory(said))):
        sys.stderr.write(said.decode("utf-8", "replace"))
        sys.stderr.flush()
        return code
    print(f"barnet-tui ingest: error: {_why(code, said)}", file=sys.stderr)
    return 2


def _kept_stderr(child: subprocess.Popen[bytes]) -> bytes:
    """All the child writes on stderr, in whole lines: up to ``KEPT`` bytes of its start and
    ``TAIL_KEPT`` of its end (its summary), with one line saying how much between was left
    out (that is read and dropped, so the child never blocks on a full pipe); a Ctrl-C
    reaches the child too, and the command waits for it to stop cleanly."""
    assert child.stderr is not None
    kept = bytearray()
    tail = bytearray()
    dropped = 0
    while True:
        try:
            chunk = os.read(child.stderr.fileno(), 65536)
        except KeyboardInterrupt:
            child.wait()
            raise
        if not chunk:
            return _whole_lines(bytes(kept), bytes(tail), dropped)
        taken = chunk[: KEPT - len(kept)]
        kept += taken
        tail += chunk[len(taken) :]
        if len(tail) > TAIL_KEPT:
            dropped += len(tail) - TAIL_KEPT
            del tail[: len(tail) - TAIL_KEPT]


def _whole_lines(head: bytes, tail: bytes, dropped: int) -> bytes:
    """The start and end of what the child said, cut only between lines."""
    if not dropped:
        return head + tail  # all of it
    cut = head.rfind(b"\n") + 1
    start = tail.find(b"\n") + 1 or len(tail)  # its first line began in what was dropped
    left_out = len(head) - cut + dropped + start
    note = f"warning: ... {left_out:,} bytes of the ingest's messages left out\n".encode()
    return head[:cut] + note + tail[start:]


def _memory(said: bytes) -> bool:
    return any(words in said for words in _MEMORY_WORDS)


def _why(code: int, said: bytes) -> str:
    """Why a child that did not finish as a program does stopped, in a few words."""
    number = -code if code < 0 else signal.SIGABRT  # 134: an abort, as a shell reports it
    if _memory(said) or number == signal.SIGKILL:  # SIGKILL: the kernel's OOM killer
        return OUT_OF_MEMORY
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    return f"the ingest stopped ({name}) reading the reports; the dataset is as it was"
