"""``barnet-tui serve``: the explorer in a browser, through textual-serve, for colleagues
without a terminal.

Each browser tab runs its own explorer process (textual-serve's protocol, behind the guards
in ``barnet_tui.tui.serving.server``). Only a browser with the token printed at start gets in; by
default it listens on 127.0.0.1, and any other address needs ``--host`` and gets a warning.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import shlex
import socket
import sys
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

from barnet_tui.cli import common
from barnet_tui.cli.argparsing import OneLineParser
from barnet_tui.config import ENV_TOKEN, Config
from barnet_tui.domain.dataset import scan_table
from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.storage.location import is_url
from barnet_tui.tui.serving.gate import (
    LATEST_GUESS,
    MIN_CONNECTIONS,
    Waits,
    connection_cap,
    file_limit,
)

if TYPE_CHECKING:  # yarl comes with aiohttp, imported only to serve
    from yarl import URL


LOCAL = "127.0.0.1"


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="barnet-tui serve",
        description="Serve the explorer to a web browser (textual-serve). Only a browser with\n"
        "the token in the printed URL gets in; it listens on 127.0.0.1 unless --host says\n"
        "otherwise.",
        epilog="examples:\n  barnet-tui serve                      http://127.0.0.1:8000/?token=...\n"
        "  barnet-tui serve --port 8080 --data /srv/barnet/data\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=_port, default=8000, metavar="N", help="default 8000")
    parser.add_argument(
        "--host", default=LOCAL, metavar="ADDRESS", help=f"address to listen on (default {LOCAL})"
    )
    parser.add_argument(
        "--token",
        metavar="TOKEN",
        help=f"the secret in the URL (default: ${ENV_TOKEN}, else a random one); "
        "a flag shows in the process list, the environment variable does not",
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use when it is not this one (an HTTPS proxy, another name)",
    )
    parser.add_argument(
        "--max-sessions",
        type=_count,
        default=10,
        metavar="N",
        help="explorers open at once (default 10); the next browser is told the server is full",
    )
    waits = Waits()
    for flag, default, what in (
        ("--request-deadline", waits.request, "seconds a connection has to send a whole request"),
        ("--heartbeat", waits.heartbeat, "between pings; a browser silent half of it is gone"),
        (
            "--guess-delay",
            waits.guess,
            "the wait before answering the 4th wrong token from one address, doubled for "
            f"each after it up to {LATEST_GUESS} times",
        ),
    ):
        parser.add_argument(
            flag,
            type=_seconds,
            default=default,
            metavar="SECONDS",
            help=f"{what} (default {default:g})",
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


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0.01 <= seconds <= 3600:  # nan, inf and the rest are refused too
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0.01-3600)")
    return seconds


def _count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of sessions (1-1000)")
    return int(text)


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


MIN_TOKEN = 16
"""Characters a token must have at least: guessing one is then hopeless, back-off or not."""


def _token(args: argparse.Namespace) -> str:
    """--token, else BARNET_TUI_TOKEN, else a fresh random one; ValueError saying why when
    the one given is unusable (not said: the token itself)."""
    where = "--token" if args.token is not None else f"${ENV_TOKEN}"
    token = args.token if args.token is not None else os.environ.get(ENV_TOKEN)
    if token is None:
        return secrets.token_urlsafe(32)
    if not token.isprintable() or not token.isascii() or " " in token:
        raise ValueError(f"{where}: a token is printable ASCII, without spaces")
    if len(token) < MIN_TOKEN:
        raise ValueError(
            f"{where}: a token needs at least {MIN_TOKEN} characters ({len(token)} given); "
            "leave it out for a random one"
        )
    return token


def _public(text: str | None) -> URL | None:
    """--public-url, its path ending with a slash; ValueError saying why it will not do
    (never repeating a password it carries)."""
    if text is None:
        return None
    from yarl import URL

    try:
        url = URL(text)
    except ValueError:
        raise ValueError(f"--public-url {literal(text)!r} is not a URL") from None
    if url.user is not None or url.password is not None:
        raise ValueError("--public-url must not carry a user name or password")
    if url.scheme not in ("http", "https") or not url.raw_host:
        raise ValueError(f"--public-url {literal(text)!r} is not an http(s) URL")
    if url.query_string or url.fragment:
        raise ValueError(
            f"--public-url {literal(text)!r}: no query or fragment (the token is added to it)"
        )
    return url.with_path(url.path.rstrip("/") + "/")


def _wildcard(host: str) -> bool:
    return host in ("0.0.0.0", "::", "")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_port(host: str, port: int) -> str:
    """``host:port``, an IPv6 address in brackets (``[::1]:8000``)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def url_for(host: str, port: int, token: str) -> str:
    """A URL a browser can open: an IPv6 address in brackets, the token percent-encoded in
    the query (a ``+``, ``&``, ``#`` or ``%`` in it would otherwise be read as something else)."""
    netloc = _host_port(host, port).removesuffix(":80")
    return f"http://{netloc}/?token={urllib.parse.quote(token, safe='')}"


def _names(host: str) -> frozenset[str]:
    """Host names the server answers to (IP literals are always fine: they cannot be
    rebound). This machine's names; the --host given, if a name."""
    names = {"localhost", host.lower()}
    if not _loopback(host):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(names)


def _addresses(host: str, port: int, token: str, public: URL | None) -> list[str]:
    """The URLs to print: where a browser on this machine, and one elsewhere, can go."""
    if public is not None:
        return [f"{public}?token={urllib.parse.quote(token, safe='')}"]
    if _wildcard(host):
        # asyncio listens on :: for IPv6 only, so this machine reaches it through ::1.
        here = "::1" if ":" in host else "127.0.0.1"
        return [url_for(socket.gethostname(), port, token), url_for(here, port, token)]
    return [url_for(host, port, token)]


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    # A missing config or dataset is said once here, not in every browser tab that opens.
    status = common.run(args, _usable)
    if status:
        return status
    try:
        token = _token(args)
        public = _public(args.public_url)
    except ValueError as error:
        return _error(str(error))
    problem = _free(args.host, args.port)
    if problem is not None:
        return _error(problem)
    max_connections = connection_cap(file_limit(), args.max_sessions)
    if max_connections < MIN_CONNECTIONS:
        return _error(
            f"--max-sessions {args.max_sessions} leaves no room for connections under the "
            f"open-file limit ({file_limit()}): raise `ulimit -n` or lower --max-sessions"
        )
    urls = [literal(url) for url in _addresses(args.host, args.port, token, public)]
    from barnet_tui.tui.serving.server import Guard, GuardedServer

    server = GuardedServer(
        explorer_command(args.data, args.config),
        host=args.host,
        port=args.port,
        guard=Guard(token, args.port, _names(args.host), public),
        max_sessions=args.max_sessions,
        max_connections=max_connections,
        listening=lambda: _say_where(args.host, args.port, urls),
        waits=Waits(args.request_deadline, args.heartbeat, args.guess_delay),
    )
    try:
        server.serve()
    except OSError as error:
        return _error(f"cannot listen on {literal(args.host)}:{args.port} ({error.strerror})")
    return 0


def _say_where(host: str, port: int, urls: list[str]) -> None:
    """Where the explorer is served, said once the server listens."""
    if _loopback(host):
        print(
            f"barnet-tui: serving the explorer on {urls[0]} (Ctrl+C stops). Every user of "
            "this machine can reach this address; only those with the token get in.",
            file=sys.stderr, flush=True,
        )  # fmt: skip
    else:
        print(
            f"barnet-tui: warning: serving on {_host_port(literal(host), port)}, "
            "reachable from other machines: anyone who reaches it with the token drives the "
            "explorer and reads the whole dataset. Plain HTTP: the token and the data cross "
            "the network readable; put an HTTPS proxy in front (--public-url).",
            file=sys.stderr,
        )
        print(f"barnet-tui: serving the explorer on {' and '.join(urls)} (Ctrl+C stops)",
              file=sys.stderr, flush=True)  # fmt: skip


def _error(message: str) -> int:
    print(f"barnet-tui: error: {message}", file=sys.stderr)
    return 2
