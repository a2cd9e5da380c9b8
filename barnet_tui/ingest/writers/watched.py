"""An ingest that a command watches dies with that command, and never switches after it.

``barnet-tui ingest`` runs the ingest in a child (``cli/supervised.py``). A ``kill -9`` of
the command leaves no chance to stop the child, and a child left running, re-parented to
PID 1, would switch the manifest a minute later, over whatever a later ingest wrote. So the
child asks the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``), and, since
the parent may die before that request is made, checks its parent is still the one that
started it: at start, and again just before the manifest switch.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

from barnet_tui.ingest.errors import IngestError

WATCHER = "BARNET_TUI_INGEST_WATCHER"
"""Set in the child's environment: the process id of the command watching it."""
_PR_SET_PDEATHSIG = 1


def watcher() -> int | None:
    """The process id of the command watching this ingest, if one is."""
    text = os.environ.get(WATCHER, "")
    return int(text) if text.isdigit() else None


def die_with_watcher() -> None:
    """Be killed by the kernel when the watching command dies; exit at once if it already
    has (the request only covers a death after it is made)."""
    expected = watcher()
    if expected is None:
        return
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl: the check before the switch still holds
    if os.getppid() != expected:
        os._exit(2)  # nobody is left to tell; the dataset is untouched


def ensure_watched() -> None:
    """Refuse to switch the dataset once the command that started this ingest is gone."""
    expected = watcher()
    if expected is not None and os.getppid() != expected:
        raise IngestError(
            "the command that started this ingest is gone; nothing switched, the dataset is "
            "as it was"
        )
