"""The ``barnet-tui`` command: the explorer, the quick check and ``ingest``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "ingest":
        from barnet_tui.ingest.command import run

        return run(argv[1:])
    print("barnet-tui: only 'ingest' is available yet", file=sys.stderr)
    return 2
