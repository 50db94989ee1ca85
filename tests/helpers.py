"""Small test helpers: waiting for an end state, reading a stream's events."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis

from pagewire.redis_streams import normalise_entries
from shared.streams import DATA_FIELD


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
