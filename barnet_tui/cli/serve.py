"""``barnet-tui serve``: the explorer in a browser, through textual-serve, for colleagues
without a terminal.

Each browser tab runs its own explorer process (textual-serve starts the command once per
connection). There is no authentication: by default it listens on 127.0.0.1 only, and any
other address needs ``--host`` and gets a warning.
"""

from __future__ import annotations

import argparse
import shlex
import socket
import sys
from pathlib import Path

from barnet_tui.cli import common
from barnet_tui.cli.argparsing import OneLineParser
from barnet_tui.config import Config
from barnet_tui.domain.dataset import scan_table
from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.storage import is_url

LOCAL = "127.0.0.1"


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="barnet-tui serve",
        description="Serve the explorer to a web browser (textual-serve). No authentication:\n"
        "it listens on 127.0.0.1 unless --host says otherwise.",
        epilog="examples:\n  barnet-tui serve                      http://127.0.0.1:8000\n"
        "  barnet-tui serve --port 8080 --data /srv/barnet/data\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=_port, default=8000, metavar="N", help="default 8000")
    parser.add_argument(
        "--host", default=LOCAL, metavar="ADDRESS", help=f"address to listen on (default {LOCAL})"
    )
    parser.add_argument("--data", metavar="DIR|URL", help="dataset directory or s3:// URL")
    parser.add_argument("--config", type=Path, metavar="FILE", help="config file to read last")
    return parser


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1-65535)")
    return port


def _usable(config: Config) -> int:
    """0 when the configuration reads and its dataset has rows; DatasetError otherwise."""
    scan_table(config.data_dir, "indicators").require_rows()
    return 0


def explorer_command(data: str | None, config: Path | None) -> str:
    """The command each browser connection runs: this Python, this package, the same flags."""
    words = [sys.executable, "-m", "barnet_tui"]
    if data is not None:
        words += ["--data", data if is_url(data) else str(Path(data).resolve())]
    if config is not None:
        words += ["--config", str(config.resolve())]
    return shlex.join(words)


def _free(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on, or None: said before the server starts, in
    one line, instead of aiohttp's traceback."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        return f"--host {literal(host)}: {error.strerror}"
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            return f"cannot listen on {literal(host)}:{port} ({error.strerror})"
    return None


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    # A missing config or dataset is said once here, not in every browser tab that opens.
    status = common.run(args, _usable)
    if status:
        return status
    problem = _free(args.host, args.port)
    if problem is not None:
        print(f"barnet-tui: error: {problem}", file=sys.stderr)
        return 2
    if args.host != LOCAL:
        print(
            f"barnet-tui: warning: serving on {literal(args.host)}:{args.port} with no "
            "authentication: anyone who can reach it sees the data",
            file=sys.stderr,
        )
    from textual_serve.server import Server

    server = Server(
        explorer_command(args.data, args.config),
        host=args.host,
        port=args.port,
        title="barnet-tui",
    )
    print(f"barnet-tui: serving the explorer on http://{args.host}:{args.port} (Ctrl+C stops)",
          file=sys.stderr)  # fmt: skip
    server.serve()
    return 0
