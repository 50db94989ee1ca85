"""Small test helpers, one of each: waiting for an end state, reading a stream's events,
running an app, Docker's presence; and, from bench.local (which the benchmarks use too, and
which never imports tests), a free port, a search API's health, timing a call."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, Protocol

from redis.asyncio import Redis

from bench.local import free_port, health, timed, wait_healthy
from extractor.config import ExtractorSettings
from runtime.redis_streams import normalise_entries
from shared.streams import DATA_FIELD

__all__ = [
    "docker_works",
    "events",
    "extractor_settings",
    "free_port",
    "health",
    "pending",
    "running",
    "timed",
    "wait_healthy",
    "wait_until",
]


async def wait_until(
    check: Callable[[], Awaitable[bool]], within: float = 20.0, every: float = 0.1
) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(every)
    raise AssertionError(f"condition not met within {within} s")


async def events(redis: Redis, stream: str) -> list[dict[str, Any]]:
    """Every entry's `__data__` as JSON, oldest first."""
    entries = normalise_entries(await redis.xrange(stream))
    return [json.loads(fields[DATA_FIELD.encode()]) for _, fields in entries]


async def pending(redis: Redis, stream: str, group: str) -> int:
    info = await redis.xpending(stream, group)
    return int(info["pending"])


class _App(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...


@asynccontextmanager
async def running(app: _App, within: float = 60.0) -> AsyncIterator[None]:
    """Start an app and stop it afterwards, also when starting failed (its tasks would
    otherwise outlive the test); a start or stop that hangs fails with its step named."""
    try:
        async with asyncio.timeout(within):
            await app.start()
    except BaseException as exc:
        await _stop(app, within)
        raise AssertionError(f"{type(app).__name__}.start() failed: {exc!r}") from exc
    try:
        yield
    finally:
        await _stop(app, within)


async def _stop(app: _App, within: float) -> None:
    try:
        async with asyncio.timeout(within):
            await app.stop()
    except TimeoutError as exc:
        raise AssertionError(f"{type(app).__name__}.stop() hung for {within} s") from exc


def docker_works() -> bool:
    """Whether a Docker engine answers here (and PAGEWIRE_TEST_REDIS does not say embedded)."""
    if os.environ.get("PAGEWIRE_TEST_REDIS") == "embedded" or shutil.which("docker") is None:
        return False
    try:
        done = subprocess.run(["docker", "info"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def extractor_settings(redis_url: str, prefix: str, **overrides: object) -> ExtractorSettings:
    """Settings for an extractor under test: its own prefix, a fixed name, a short claim idle."""
    values: dict[str, object] = {
        "redis_url": redis_url,
        "stream_prefix": prefix,
        "consumer_name": "test-1",
        "claim_idle_ms": 1000,
    }
    values.update(overrides)
    return ExtractorSettings.model_validate(values)
