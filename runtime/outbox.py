"""Publishing results and acknowledging their entries, a batch per MULTI/EXEC.

A handler puts each result here instead of making its own round trip to Redis; the outbox writes
up to `max_size` results and acknowledges their source entries in one transaction, or sooner
when the oldest has waited `max_wait_s`. So an entry is still acknowledged exactly when its
result is written. Results not yet flushed when a process dies are lost with it, but their
entries stay pending and are claimed again: at-least-once, as before.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from runtime.periodic import Periodic
from runtime.redis_streams import AsyncRedis
from shared.streams import DATA_FIELD

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One result for `stream`, replacing the source entry `entry_id`."""

    stream: str
    payload: str | bytes
    entry_id: str
    maxlen: int | None = None


class Outbox:
    def __init__(
        self, redis: AsyncRedis, source: str, group: str, max_size: int, max_wait_s: float
    ) -> None:
        self.redis = redis
        self.source = source
        self.group = group
        self.max_size = max_size
        self.max_wait_s = max_wait_s
        self._items: list[Outgoing] = []
        self._since: float | None = None
        self._lock = asyncio.Lock()
        self._ticker = Periodic(f"outbox:{source}", max_wait_s / 2, self.flush_due)

    @property
    def waiting(self) -> int:
        return len(self._items)

    async def put(self, item: Outgoing) -> None:
        async with self._lock:
            self._since = self._since or time.monotonic()
            self._items.append(item)
            if len(self._items) >= self.max_size:
                await self._flush()

    async def flush(self) -> None:
        async with self._lock:
            await self._flush()

    async def _flush(self) -> None:
        items, self._items, self._since = self._items, [], None
        if not items:
            return
        async with self.redis.pipeline(transaction=True) as pipe:
            for item in items:
                pipe.xadd(item.stream, {DATA_FIELD: item.payload}, maxlen=item.maxlen,
                          approximate=item.maxlen is not None)  # fmt: skip
            pipe.xack(self.source, self.group, *[item.entry_id for item in items])
            await pipe.execute()

    async def flush_due(self) -> None:
        """Write if the oldest waiting result has waited `max_wait_s`."""
        async with self._lock:
            if self._since is not None and time.monotonic() - self._since >= self.max_wait_s:
                await self._flush()

    def start(self) -> None:
        self._ticker.start()

    async def stop(self) -> None:
        """Stop the ticker and write what is waiting."""
        await self._ticker.stop()
        await self.flush()
