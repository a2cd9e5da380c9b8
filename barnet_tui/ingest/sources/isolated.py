"""Reading a PDF or a workbook in a child process with a memory limit.

PDFium (C++) and calamine (Rust, under Polars) answer a file they cannot allocate for by
aborting the process: a Rust panic trace or nothing at all, never a line a user can act on.
So they run in a child of their own, started afresh, with its address space capped
(``RLIMIT_AS``, never above what the command itself was given, as under ``ulimit -v``): an
abort, a crash or running out of memory ends the child only, and the parent says so in one
line. The child gets the file's bytes on stdin and answers in JSON on stdout.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

CHILD_MEMORY = 1 << 30
"""Bytes of address space a reader may use: a 40-page report takes under 100 MB."""


class ReaderFailed(Exception):
    """The reader could not finish; ``str()`` says why, in a few words."""

    def __init__(self, reason: str, crashed: bool = True) -> None:
        super().__init__(reason)
        self.crashed = crashed
        """The child died (memory, a crash) rather than saying what is wrong with the file."""


def _limit() -> int:
    """The child's address space: ``CHILD_MEMORY``, or less if the command has less."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return CHILD_MEMORY if soft == resource.RLIM_INFINITY else min(soft, CHILD_MEMORY)


def read_isolated(kind: str, data: bytes) -> Any:
    """What the reader ``kind`` (``pdf`` or ``excel``) makes of ``data``, read in a child
    process; ReaderFailed says why when it could not."""
    limit = _limit()
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    env["POLARS_MAX_THREADS"] = "1"
    env["RUST_BACKTRACE"] = "0"
    try:
        child = subprocess.run(
            # -P: the working directory (a downloads folder, say) is not on the child's path.
            [sys.executable, "-P", "-m", "barnet_tui.ingest.sources.isolated", kind, str(limit)],
            input=data,
            capture_output=True,
            env=env,
            check=False,
        )
    except OSError as error:
        raise ReaderFailed(f"its reader could not start ({error.strerror or error})") from None
    if child.returncode == 0:
        try:
            answer = json.loads(child.stdout)
        except ValueError:
            answer = None
        if isinstance(answer, dict) and "result" in answer:
            return answer["result"]
        if isinstance(answer, dict) and isinstance(answer.get("error"), str):
            raise ReaderFailed(answer["error"], crashed=False)
    raise ReaderFailed(_why_stopped(child.returncode, child.stderr, limit))


def _why_stopped(code: int, stderr: bytes, limit: int) -> str:
    said = stderr.decode("utf-8", "replace")
    if code == _OUT_OF_MEMORY or "memory allocation" in said or "MemoryError" in said:
        return f"reading it needs more than {limit / (1 << 30):.1f} GB of memory; not read"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        gigabytes = limit / (1 << 30)
        return f"its reader crashed ({name}), given {gigabytes:.1f} GB of memory at most; not read"
    return f"its reader stopped (exit {code}) on it; not read"


_OUT_OF_MEMORY = 3


def _read(kind: str, data: bytes) -> Any:
    if kind == "pdf":
        from barnet_tui.ingest.sources.pdf import read_pdf

        read = read_pdf(data)
        return {"text": read.text, "pages": read.pages, "warnings": read.warnings}
    from barnet_tui.ingest.sources.workbook import excel_sheets

    return excel_sheets(data)


def _main() -> int:
    """The child: the limit first, then the bytes from stdin, the answer to stdout."""
    kind, limit = sys.argv[1], int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    try:
        data = sys.stdin.buffer.read()
        answer: dict[str, Any] = {"result": _read(kind, data)}
    except MemoryError:
        return _OUT_OF_MEMORY
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # what the reader says of the file (a Rust panic too)
        answer = {"error": str(error).strip().splitlines()[0] if str(error).strip() else ""}
        answer["error"] = answer["error"] or type(error).__name__
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
