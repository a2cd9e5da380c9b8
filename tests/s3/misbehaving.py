"""A store that misbehaves the way SeaweedFS never does: a proxy in front of it that passes
every request through (signature, Host and all) except a GET of the objects it is told
of (the Parquet files, or the manifest), which it answers
the way a broken network or server would: never, or with its body cut short."""

from __future__ import annotations

import http.client
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

HANG = "hang"
"""A Parquet GET gets no answer at all (a peer that accepted and went quiet)."""
CUT = "cut"
"""A Parquet GET gets its headers and a third of its body, then the connection closes."""


class _Proxy(http.server.ThreadingHTTPServer):
    daemon_threads = True
    upstream: tuple[str, int]
    mode: str
    on: str
    released: threading.Event


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Proxy

    def log_message(self, *args: object) -> None:
        """Quiet: the test's output is the command's."""

    def do_HEAD(self) -> None:
        self._pass()

    def do_GET(self) -> None:
        self._pass()

    def do_PUT(self) -> None:
        self._pass()

    def _pass(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        parquet = self.command == "GET" and self.path.split("?")[0].endswith(self.server.on)
        if parquet and self.server.mode == HANG:
            self.server.released.wait()  # until the test ends
            return
        connection = http.client.HTTPConnection(*self.server.upstream, timeout=10)
        connection.request(self.command, self.path, body, dict(self.headers.items()))
        answer = connection.getresponse()
        data = answer.read()
        connection.close()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        sent = answer.getheader("Content-Length") if self.command == "HEAD" else str(len(data))
        self.send_header("Content-Length", sent or "0")
        self.end_headers()
        if self.command == "HEAD":
            return
        if parquet and self.server.mode == CUT and len(data) > 3:
            self.wfile.write(data[: len(data) // 3])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(data)


@contextmanager
def misbehaving(endpoint: str, mode: str, on: str = ".parquet") -> Iterator[str]:
    """The endpoint of a proxy to ``endpoint`` that answers GETs of keys ending in ``on``
    (every Parquet file, or ``manifest.json``) as ``mode`` says."""
    where = urlsplit(endpoint)
    proxy = _Proxy(("127.0.0.1", 0), _Handler)
    proxy.upstream = (where.hostname or "127.0.0.1", where.port or 80)
    proxy.mode = mode
    proxy.on = on
    proxy.released = threading.Event()
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}"
    finally:
        proxy.released.set()
        proxy.shutdown()
        proxy.server_close()
