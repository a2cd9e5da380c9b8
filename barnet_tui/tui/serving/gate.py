"""Who gets a connection to ``serve``: a cap on open connections, in all and per client
address, that keeps room for the owner; a deadline for a request's headers; back-off on
wrong tokens; and refusals said on the log a line at most once a second.

aiohttp accepts every connection and waits for its headers for ever. 1,100 clients that
send half a request hold 1,100 file descriptors; the next ``accept()`` fails with EMFILE,
the owner's own browser is never answered, and asyncio logs a traceback for each failure in
a tight loop. Here a connection is let in only when there is room, made by closing the
oldest connection that has not shown the token (the owner's browser sends it at once, so
it always gets in); one that has not sent a whole request within ``HEADER_DEADLINE`` is
closed; and the number open stays well under the process's open-file limit.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import resource
from collections import Counter, OrderedDict
from typing import NamedTuple

HEADER_DEADLINE = 10.0
"""Seconds a connection has to send a whole request line and headers (a browser takes
milliseconds; a slowloris client never finishes)."""
IDLE_DEADLINE = 30.0
"""Seconds a connection that has shown the token may wait idle between requests."""
PER_ADDRESS = 32
"""Connections open at once from one client address (an IPv6 /64) without the token yet:
more, and its oldest is closed. Browsers open six per server."""
MAX_CONNECTIONS = 512
"""Connections open at once, at most; fewer when the open-file limit is low."""
FILES_RESERVED = 64
"""Open files the server keeps for itself: listening sockets, the event loop, logs."""
FILES_PER_SESSION = 8
"""Open files an explorer session takes in the server (its pipes, while starting more)."""
MIN_CONNECTIONS = 16
"""Fewer connections than this and even one browser could not load the page."""
FREE_GUESSES = 3
"""Wrong tokens from one address answered at once (a typo or two); each one after that is
answered twice as late as the last, from ``GUESS_DELAY`` up to ``LATEST_GUESS`` times it."""
GUESS_DELAY = 0.25
LATEST_GUESS = 32
HEARTBEAT = 6.0
"""Seconds between pings; a browser that has not answered in half that is gone."""
GUESS_MEMORY = 600.0
"""Seconds after its last wrong token that an address starts afresh."""
ADDRESSES_REMEMBERED = 4096
"""Addresses whose wrong tokens are counted; the longest quiet one is forgotten first."""

log = logging.getLogger("barnet-tui.serve")


def file_limit() -> int:
    """The open-file limit, first raised to the hard one (up to 65,536): a server may use
    what it is allowed, and the soft limit is often a quarter of it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return 65536 if soft == resource.RLIM_INFINITY else soft


def connection_cap(files: int, max_sessions: int) -> int:
    """Connections that ``files`` open files leave room for, after the server's own and the
    sessions': half of what is left, since a connection may be sending a file too."""
    return min(MAX_CONNECTIONS, (files - FILES_RESERVED - FILES_PER_SESSION * max_sessions) // 2)


def address_key(address: str) -> str:
    """The client address connections and guesses are counted by: an IPv4 address, or an
    IPv6 /64 (what one household or server is given)."""
    try:
        ip = ipaddress.ip_address(address.partition("%")[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        if not ip.is_loopback:
            return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class Refusals:
    """The log of what was refused, a line at most once a second: the first said at once,
    the rest counted by kind and summed up a second later. A flood is a line a second."""

    def __init__(self) -> None:
        self._last = float("-inf")
        self._counts: Counter[str] = Counter()
        self._timer: asyncio.TimerHandle | None = None

    def say(self, kind: str, line: str) -> None:
        loop = asyncio.get_running_loop()
        if not self._counts and loop.time() - self._last >= 1.0:
            self._last = loop.time()
            log.warning("%s", line)
            return
        self._counts[kind] += 1
        if self._timer is None:
            self._timer = loop.call_at(self._last + 1.0, self.flush)

    def flush(self) -> None:
        """Say what was counted since the last line (also when the server stops)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._counts:
            return
        counted = ", ".join(f"{count} {kind}" for kind, count in self._counts.most_common())
        log.warning("refused %d more since the last line: %s", self._counts.total(), counted)
        self._counts.clear()
        self._last = asyncio.get_running_loop().time()


class Waits(NamedTuple):
    """How long serve waits on a client, in seconds: ``--request-deadline``, ``--heartbeat``
    and ``--guess-delay`` (a slow network may want them longer, a test shorter)."""

    request: float = HEADER_DEADLINE
    """For a connection's whole request (its line and headers)."""
    heartbeat: float = HEARTBEAT
    """Between pings to a browser's WebSocket."""
    guess: float = GUESS_DELAY
    """Before answering the first wrong token after the free ones."""


class Guesses:
    """Wrong tokens counted per client address, for the back-off."""

    def __init__(self, delay: float = GUESS_DELAY) -> None:
        self.delay = delay
        self._seen: OrderedDict[str, tuple[int, float]] = OrderedDict()

    def wrong(self, key: str, now: float) -> float:
        """Count a wrong token from ``key``; the seconds to wait before answering it."""
        count, last = self._seen.pop(key, (0, now))
        count = 1 if now - last > GUESS_MEMORY else count + 1
        self._seen[key] = (count, now)
        while len(self._seen) > ADDRESSES_REMEMBERED:
            self._seen.popitem(last=False)
        if count <= FREE_GUESSES:
            return 0.0
        return self.delay * min(2.0 ** min(count - FREE_GUESSES - 1, 16), LATEST_GUESS)


class Door(asyncio.Protocol):
    """One connection: aiohttp's handler for it, behind the gate."""

    def __init__(self, gate: Gate, inner: asyncio.Protocol) -> None:
        self.gate = gate
        self.inner = inner
        self.transport: asyncio.Transport | None = None
        self.address = "unknown"
        self.key = "unknown"
        self.trusted = False
        """It has sent a request with the token: the owner's; closed last, if ever."""
        self.busy = 0
        """Requests being answered on it (a WebSocket is one for as long as it is open)."""
        self.deadline: asyncio.TimerHandle | None = None
        self.admitted = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.address = str(peer[0]) if isinstance(peer, tuple) and peer else "unknown"
        self.key = address_key(self.address)
        if self.gate.admit(self):
            self.admitted = True
            self.inner.connection_made(transport)
        else:
            transport.abort()

    def data_received(self, data: bytes) -> None:
        if self.admitted:
            self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received() if self.admitted else None

    def pause_writing(self) -> None:
        if self.admitted:
            self.inner.pause_writing()

    def resume_writing(self) -> None:
        if self.admitted:
            self.inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        self.gate.left(self)
        if self.admitted:
            self.admitted = False
            self.inner.connection_lost(exc)


class Gate:
    """The connections open, oldest first: those that have not shown the token, and those
    that have. Room for a new one is made by closing the oldest without the token."""

    def __init__(self, cap: int, refusals: Refusals, waits: Waits) -> None:
        self.cap = cap
        self.refusals = refusals
        self.request_deadline = waits.request
        self.guesses = Guesses(waits.guess)
        self._waiting: dict[Door, None] = {}
        self._waiting_from: dict[str, dict[Door, None]] = {}
        self._trusted: dict[Door, None] = {}
        self._doors: dict[asyncio.BaseTransport, Door] = {}

    def __len__(self) -> int:
        return len(self._waiting) + len(self._trusted)

    def admit(self, door: Door) -> bool:
        """Let ``door`` in, closing another to make room if need be; False when every
        connection open has shown the token and the cap is reached."""
        here = self._waiting_from.get(door.key, {})
        if len(here) >= PER_ADDRESS:
            why = f"{PER_ADDRESS} connections from one address without the token"
            self._close(next(iter(here)), "over the cap for one address", why)
        if len(self) >= self.cap:
            oldest = next(iter(self._waiting), None)
            if oldest is None:
                oldest = next((open_ for open_ in self._trusted if not open_.busy), None)
            if oldest is None:
                self.refusals.say(
                    "over the connection cap",
                    f"refused a connection from {door.address}: {self.cap} connections "
                    "open, all in use by browsers with the token",
                )
                return False
            self._close(oldest, "over the connection cap", f"{self.cap} connections open")
        assert door.transport is not None
        self._doors[door.transport] = door
        self._waiting[door] = None
        self._waiting_from.setdefault(door.key, {})[door] = None
        self._arm(door, self.request_deadline)
        return True

    def started(self, transport: asyncio.BaseTransport | None) -> Door | None:
        """A whole request has arrived on ``transport``: no deadline while it is answered."""
        door = self._doors.get(transport) if transport is not None else None
        if door is not None:
            door.busy += 1
            if door.deadline is not None:
                door.deadline.cancel()
                door.deadline = None
        return door

    def finished(self, door: Door | None) -> None:
        """A request has been answered: the next must come within the deadline."""
        if door is None:
            return
        door.busy -= 1
        if not door.busy and door.transport in self._doors:
            self._arm(door, IDLE_DEADLINE if door.trusted else self.request_deadline)

    def trust(self, door: Door | None) -> None:
        """``door`` has shown the token: it is closed only when nothing else can be."""
        if door is None or door.trusted or door.transport not in self._doors:
            return
        door.trusted = True
        self._forget_waiting(door)
        self._trusted[door] = None

    def left(self, door: Door) -> None:
        """``door`` has closed (or been closed): forget it."""
        if door.deadline is not None:
            door.deadline.cancel()
            door.deadline = None
        if door.transport is None or self._doors.pop(door.transport, None) is None:
            return
        self._forget_waiting(door)
        self._trusted.pop(door, None)

    def _forget_waiting(self, door: Door) -> None:
        self._waiting.pop(door, None)
        here = self._waiting_from.get(door.key)
        if here is not None:
            here.pop(door, None)
            if not here:
                del self._waiting_from[door.key]

    def _arm(self, door: Door, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        door.deadline = loop.call_later(seconds, self._expired, door)

    def _expired(self, door: Door) -> None:
        door.deadline = None
        if door.busy:
            return
        if door.trusted:
            self._close(door, None, "")
        else:
            self._close(
                door, "slow or idle", f"no whole request within {self.request_deadline:g} s"
            )

    def _close(self, door: Door, kind: str | None, why: str) -> None:
        if kind is not None:
            self.refusals.say(kind, f"refused a connection from {door.address}: {why}")
        self.left(door)
        if door.transport is not None:
            door.transport.abort()
