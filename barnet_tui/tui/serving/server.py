"""The explorer served to browsers: textual-serve's protocol behind the guards Jupyter and
ttyd put in front of a terminal on the web.

textual-serve 1.1.3 lets in anyone who reaches the port and starts a process per
WebSocket with no limit. When a browser goes, the process's screen output has nobody to
read it: ``AppService.run`` stops reading at the first failed send, the explorer blocks on a
full pipe, ``stop`` asks it to quit through a pipe it no longer reads, and nothing ever
kills it. Here every request must carry the token and come to a served Host (a WebSocket
also from the served Origin); sessions are counted and capped; a session whose browser has
gone is asked to quit, then sent SIGTERM, then SIGKILL, within seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
import json
import logging
import os
import re
import secrets
import shlex
import signal
import sys
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server
from yarl import URL

from barnet_tui.config import ENV_TOKEN
from barnet_tui.domain.literal_text import literal
from barnet_tui.tui.serving.gate import IDLE_DEADLINE, Door, Gate, Refusals, Waits

MAX_COLUMNS, MAX_ROWS = 400, 200
"""The biggest screen a browser may ask for: a 4K display at a small font, no more. Memory
and output grow with the screen, and a client chooses it."""
SEND_TIMEOUT = 8.0
"""Seconds a browser (or the explorer) may take to accept what is sent before it counts as
stalled and the session ends."""
QUIT_GRACE = 2.0
"""Seconds an explorer has to quit when asked, and again after SIGTERM, before SIGKILL."""
_TEMPLATES = Path(__file__).parent / "templates"

log = logging.getLogger("barnet-tui.serve")


@dataclass(frozen=True)
class Guard:
    """Who may come in: with the token, to a served Host, and for a WebSocket from the
    served Origin."""

    token: str
    port: int
    names: frozenset[str]
    """Host names (lower case) this server answers to on its port, besides IP literals."""
    public: URL | None
    """--public-url: an origin outside (a proxy, another name) that is served too; its path
    ends with a slash."""

    @property
    def cookie(self) -> str:
        """Per port: browsers share cookies between the ports of one host."""
        return f"barnet-tui-token-{self.port}"

    @property
    def cookie_value(self) -> str:
        """What the cookie holds: a digest of the token, not the token itself, in characters
        a cookie carries as they are (a token may hold ``;`` or ``"``)."""
        return hashlib.sha256(b"barnet-tui cookie\0" + self.token.encode()).hexdigest()

    def admits(self, request: web.Request) -> bool | None:
        """Whether the request carries the token (query, ``Authorization: token`` or the
        cookie); None when it carries none at all."""
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("token "):
            return _same(header[6:].strip(), self.token)
        if "token" in request.query:
            return _same(request.query["token"], self.token)
        cookie = request.cookies.get(self.cookie)
        return None if cookie is None else _same(cookie, self.cookie_value)

    def host_served(self, host: str | None) -> bool:
        """``Host`` names this server: an IP literal or a name of this machine on the port, or
        the public URL's. Any other name is a DNS rebinding (evil.example resolved to us)."""
        if not host:
            return False
        if self.public is not None and host.lower() == _netloc(self.public):
            return True
        name, port = _split_host(host)
        if port != self.port:
            return False
        if name in self.names:
            return True
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return ":" not in name or host.startswith("[")

    def origin_served(self, origin: str | None, host: str) -> bool:
        """The WebSocket's ``Origin`` is the page's own: this Host over http, or the public
        URL. A page elsewhere (cross-site WebSocket hijacking) gets no session. localhost,
        127.0.0.1 and [::1] on this port are one server: a page from any may use another,
        as the Host rule serves them all."""
        if not origin:
            return False
        origin = origin.lower().rstrip("/")
        if self.public is not None and origin == f"{self.public.scheme}://{_netloc(self.public)}":
            return True
        scheme, _, netloc = origin.partition("://")
        if scheme != "http":
            return False
        return netloc == host.lower() or (self._here(netloc) and self._here(host))

    def _here(self, netloc: str) -> bool:
        name, port = _split_host(netloc)
        return port == self.port and name in _LOOPBACK_NAMES

    def via_public(self, host: str) -> bool:
        return self.public is not None and host.lower() == _netloc(self.public)

    def base_url(self, host: str) -> str:
        """The URL the page should use for itself: the public URL when reached through it,
        else this Host (never the listening address: 0.0.0.0 is no place to connect to)."""
        if self.public is not None and self.via_public(host):
            return str(self.public).rstrip("/")
        return f"http://{host}"

    def base_path(self, host: str) -> str:
        """The path the browser sees the page at: the public URL's, or ``/``."""
        return self.public.path if self.public is not None and self.via_public(host) else "/"


_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def _same(given: str, expected: str) -> bool:
    return secrets.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _netloc(url: URL) -> str:
    host = url.raw_host or ""
    host = f"[{host}]" if ":" in host else host
    return host.lower() if url.is_default_port() else f"{host.lower()}:{url.port}"


def _split_host(host: str) -> tuple[str, int]:
    """``Host`` as (name, port); port 80 when none is said, -1 when it does not parse."""
    host = host.lower()
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        port_text = rest.removeprefix(":") if rest.startswith(":") else ("80" if not rest else "")
    else:
        name, _, port_text = host.partition(":")
        port_text = port_text or "80"
    return name, int(port_text) if port_text.isdigit() else -1


def clamped(width: object, height: object) -> tuple[int, int]:
    """A screen size a client asked for, as whole cells within the cap."""
    return (
        min(max(_whole(width, 80), 1), MAX_COLUMNS),
        min(max(_whole(height, 24), 1), MAX_ROWS),
    )


def _whole(value: object, default: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return default


def attachment(name: str) -> str:
    """``Content-Disposition`` for a download: the name as typed (RFC 6266 ``filename*``),
    and a plain-ASCII one for browsers that know no better."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", name) or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{urllib.parse.quote(name)}"


class Session(AppService):
    """One browser's explorer, started without a shell in its own process group, and ended
    for sure: asked, then SIGTERM, then SIGKILL."""

    def __init__(self, command: str, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.gone = asyncio.Event()
        """Set when the browser or the explorer has gone: the session ends."""

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(*clamped(width, height))
        environment.pop(ENV_TOKEN, None)  # the explorer has no use for the secret
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        environment = self._build_environment(width, height)
        self._process = process = await asyncio.create_subprocess_exec(
            *shlex.split(self.command),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
        self._stdin = process.stdin
        # The explorer's stderr is logged a line at a time, made inert, instead of copied
        # raw to the server's terminal: textual-serve's reader is handed an empty stream.
        assert process.stderr is not None
        self._stderr_task = asyncio.create_task(_log_lines(process.stderr))
        empty = asyncio.StreamReader()
        empty.feed_eof()
        process.stderr = empty
        return process

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            self.gone.set()

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*clamped(width, height))

    async def end(self) -> None:
        """The explorer stopped and reaped, whatever state its browser left it in."""
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        process = self._process
        if process is None:
            return
        draining: asyncio.Task[None] | None = None
        if self._task is None or self._task.done():
            # Nobody reads its screen any more: read it here, so it can flush and quit.
            assert process.stdout is not None
            draining = asyncio.create_task(_discard(process.stdout))
        if process.returncode is None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.send_meta({"type": "quit"}), QUIT_GRACE)
        for sent in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), QUIT_GRACE)
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sent)
        await process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # anything it left in its group
        for task in (self._task, draining):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self._task = None


async def _discard(stream: asyncio.StreamReader) -> None:
    while await stream.read(65536):
        pass


async def _log_lines(stream: asyncio.StreamReader) -> None:
    while line := await stream.readline():
        log.warning("explorer: %s", literal(line.decode("utf-8", "replace").rstrip())[:500])


def _timed(send: Callable[..., Awaitable[object]], gone: Callable[[], None]) -> Any:
    """``send`` that gives up after SEND_TIMEOUT: a browser that stops reading is gone, and
    the explorer must never block writing to it."""

    async def sending(*args: Any) -> None:
        try:
            await asyncio.wait_for(send(*args), SEND_TIMEOUT)
        except Exception:
            gone()
            raise ConnectionResetError("the browser has gone") from None

    return sending


class GuardedServer(Server):
    """textual-serve's Server with the token, Host and Origin checks, a session cap, a
    page of our own (no web font from the internet) and sessions that end for sure."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        guard: Guard,
        max_sessions: int,
        max_connections: int,
        listening: Callable[[], None],
        waits: Waits,
    ) -> None:
        super().__init__(command, host=host, port=port, title="barnet-tui")
        self.guard = guard
        self.max_sessions = max_sessions
        self.sessions: set[Session] = set()
        self.sockets: set[web.WebSocketResponse] = set()
        self.templates_path = _TEMPLATES
        self.refusals = Refusals()
        self.gate = Gate(max_connections, self.refusals, waits)
        self.heartbeat = waits.heartbeat
        self.listening = listening
        """Called once the server listens: where it serves is said then, not before (a quick
        click on the URL would be refused)."""

    def initialize_logging(self) -> None:
        """One plain line per event on stderr; no rich tracebacks with local variables."""
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("barnet-tui: %(message)s"))
        for name in ("barnet-tui.serve", "textual-serve"):
            logger = logging.getLogger(name)
            logger.handlers[:] = [handler]
            logger.setLevel(logging.INFO)
            logger.propagate = False
        logging.getLogger("aiohttp").setLevel(logging.CRITICAL)  # its tracebacks, too

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C or SIGTERM; OSError when the address cannot be listened on."""
        self.initialize_logging()
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        # asyncio's own errors (an accept() out of file descriptors) as one line, not a
        # traceback each, and at most a line a second.
        loop.set_exception_handler(self._loop_error)
        stop = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        runner = web.AppRunner(
            await self._make_app(), handle_signals=False, access_log=None,
            keepalive_timeout=IDLE_DEADLINE,
        )  # fmt: skip
        await runner.setup()
        try:
            handlers = runner.server
            assert handlers is not None
            listener = await loop.create_server(
                lambda: Door(self.gate, handlers()), self.host, self.port, backlog=512
            )
            self.listening()
            await stop.wait()
            listener.close()
        finally:
            await runner.cleanup()
            self.refusals.flush()

    def _loop_error(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        message = context.get("message", "error")
        said = literal(f"{message}: {error}" if error else message)
        self.refusals.say("errors", f"error: {said[:300]}")

    def refuse(self, request: web.Request, status: int, kind: str, why: str) -> web.Response:
        """One log line at most a second (peer text made inert) and a short plain page."""
        path = literal(request.path[:200])
        self.refusals.say(
            kind, f"refused {request.method} {path} from {literal(request.remote)}: {why}"
        )
        return web.Response(status=status, text=f"barnet-tui: {why}\n")

    async def on_startup(self, app: web.Application) -> None:
        """serve_command has said where it serves; nothing more on stdout."""

    async def on_shutdown(self, app: web.Application) -> None:
        for socket_ in list(self.sockets):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(socket_.close(), QUIT_GRACE)
        await asyncio.gather(*(session.end() for session in list(self.sessions)))

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._checked])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        # Under the public URL's path too, for a proxy that passes it on.
        prefixes = {"", (self.guard.public.path if self.guard.public else "/").rstrip("/")}
        for prefix in sorted(prefixes):
            app.add_routes(
                [
                    web.get(f"{prefix}/", self.handle_index),
                    web.get(f"{prefix}/ws", self.handle_websocket),
                    web.get(f"{prefix}/download/{{key}}", self.handle_download),
                    web.static(f"{prefix}/static", self.statics_path),
                ]
            )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def _checked(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Every request: a served Host, then the token. A connection that shows the token is
        the owner's, and the last the gate closes; wrong tokens are answered ever later."""
        door = self.gate.started(request.transport)
        try:
            host = request.headers.get("Host")
            if not self.guard.host_served(host):
                why = f"Host {literal(host)[:100]!r} is not served here"
                return self.refuse(request, 403, "Host not served", why)
            admitted = self.guard.admits(request)
            if admitted is None:
                why = "no token: open the URL serve printed, with its token"
                return self.refuse(request, 401, "no token", why)
            if not admitted:
                return await self._wrong(request, door)
            self.gate.trust(door)
            response = await handler(request)
        finally:
            self.gate.finished(door)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    async def _wrong(self, request: web.Request, door: Door | None) -> web.StreamResponse:
        """A wrong token: after the first few from one address, answered twice as late as the
        last (up to LATEST_GUESS times the first delay), on a connection then closed."""
        key = door.key if door is not None else str(request.remote)
        delay = self.gate.guesses.wrong(key, asyncio.get_running_loop().time())
        if delay:
            await asyncio.sleep(delay)
        later = f" (answered after {delay:g} s: too many wrong tokens from here)" if delay else ""
        response = self.refuse(
            request, 401, "wrong token", f"wrong token: open the URL serve printed{later}"
        )
        response.force_close()
        return response

    def _full(self, request: web.Request) -> web.Response | None:
        if len(self.sessions) < self.max_sessions:
            return None
        line = f"refused {literal(request.path[:200])} from {literal(request.remote)}: server full"
        self.refusals.say("server full", line)
        return aiohttp_jinja2.render_template(
            "full.html", request, {"sessions": self.max_sessions}, status=503
        )

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        full = self._full(request)
        if full is not None:
            return full
        if "token" in request.query:
            return self._logged_in(request)
        base = self.guard.base_url(request.host)
        websocket = "wss" + base[5:] if base.startswith("https:") else "ws" + base[4:]
        context = {
            "font_size": min(max(_whole(request.query.get("fontsize"), 16), 6), 64),
            "app_websocket_url": f"{websocket}/ws",
            "static_url": f"{base}/static/",
            "base_path": self.guard.base_path(request.host),
            "title": self.title,
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self' 'unsafe-inline'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    def _logged_in(self, request: web.Request) -> web.StreamResponse:
        """The token from the URL goes into a cookie, and the browser on to the same page
        without it: the token leaves the address bar and the history."""
        query = urllib.parse.urlencode([(k, v) for k, v in request.query.items() if k != "token"])
        location = self.guard.base_path(request.host) + (f"?{query}" if query else "")
        response = web.Response(status=303, headers={"Location": location})
        response.set_cookie(
            self.guard.cookie,
            self.guard.cookie_value,
            httponly=True,
            # Lax, not Strict: a link clicked in a mail or chat in the browser is a
            # cross-site navigation, whose redirect would arrive without a Strict cookie.
            # The page does nothing when loaded; the WebSocket checks its Origin.
            samesite="Lax",
            secure=self.guard.base_url(request.host).startswith("https:"),
            path="/",
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        try:
            download = await self.download_manager.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text="no such download\n") from None
        response = web.StreamResponse()
        response.content_type = download.mime_type or "application/octet-stream"
        if download.encoding:
            response.charset = download.encoding
        response.headers["Content-Disposition"] = attachment(download.file_name)
        response.headers["X-Content-Type-Options"] = "nosniff"
        await response.prepare(request)
        async for chunk in self.download_manager.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        origin = request.headers.get("Origin")
        if not self.guard.origin_served(origin, request.host):
            why = f"WebSocket from Origin {literal(origin)[:100]!r}"
            return self.refuse(request, 403, "Origin not served", why)
        full = self._full(request)
        if full is not None:
            return full
        websocket = web.WebSocketResponse(heartbeat=self.heartbeat, max_msg_size=1 << 16)
        await websocket.prepare(request)
        width, height = clamped(request.query.get("width"), request.query.get("height"))
        session = Session(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        gone = session.gone.set
        session.remote_write_bytes = _timed(websocket.send_bytes, gone)
        session.remote_write_str = _timed(websocket.send_str, gone)
        session.remote_close = _timed(websocket.close, gone)
        self.sessions.add(session)
        self.sockets.add(websocket)
        try:
            await session.start(width, height)
            messages = asyncio.create_task(self._process_messages(websocket, session))
            ended = asyncio.create_task(session.gone.wait())
            await asyncio.wait({messages, ended}, return_when=asyncio.FIRST_COMPLETED)
            for task in (messages, ended):
                task.cancel()
        finally:
            await asyncio.shield(session.end())
            self.sessions.discard(session)
            self.sockets.discard(websocket)
            if not websocket.closed:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(websocket.close(), QUIT_GRACE)
            if request.transport is not None:
                request.transport.abort()
        return websocket

    async def _process_messages(  # type: ignore[override]
        self, websocket: web.WebSocketResponse, app_service: Session
    ) -> None:
        """The browser's keys, sizes and pings; anything malformed is dropped, and an
        explorer that stops taking input ends the session."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, data = json.loads(message.data)
            except (ValueError, TypeError):
                continue
            try:
                await asyncio.wait_for(self._dispatch(websocket, app_service, kind, data),
                                       SEND_TIMEOUT)  # fmt: skip
            except TimeoutError:
                return

    async def _dispatch(
        self, websocket: web.WebSocketResponse, session: Session, kind: object, data: object
    ) -> None:
        if kind == "stdin" and isinstance(data, str):
            await session.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            await session.set_terminal_size(*clamped(data.get("width"), data.get("height")))
        elif kind == "ping" and isinstance(data, str):
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await session.blur()
        elif kind == "focus":
            await session.focus()
