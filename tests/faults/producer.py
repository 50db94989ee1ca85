"""A producer that publishes with confirmation and re-publishes what the server lost.

An entry counts as published once XADD has returned its id. Redis with AOF `everysec` may lose
the last second of writes when it is killed; AOF is a prefix of the write history, so after a
restart exactly the confirmed entries with an id above the stream's `last-generated-id` are
gone: `reconcile()` counts them (per fsync mode) and publishes them again. An XADD that failed
without an answer is ambiguous: the entries after the last confirmed one are read back and the
batch's items not found there are published again.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from runtime.redis_streams import normalise_entries
from tests.faults.harness import wait_redis
from tests.faults.pages import Item

EntryId = tuple[int, int]
_TRANSIENT = (RedisConnectionError, RedisTimeoutError, OSError)


def parse_id(value: Any) -> EntryId:
    text = value.decode() if isinstance(value, bytes) else str(value)
    ms, _, seq = text.partition("-")
    return int(ms), int(seq or 0)


def _fields(item: Item) -> dict[bytes, bytes]:
    return {k.encode(): v for k, v in item.fields.items()}


@dataclass
class Producer:
    url: str
    stream: str
    items: list[Item]
    rate: float  # items a second
    batch: int = 20
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    confirmed: list[tuple[EntryId, Item]] = field(default_factory=list)
    lost: Counter[str] = field(default_factory=Counter)  # confirmed entries lost, by fsync mode
    republished: int = 0
    errors: int = 0
    finished_at: float | None = None

    def __post_init__(self) -> None:
        self.redis = Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=2)

    async def run(self) -> None:
        start = time.monotonic()
        for i in range(0, len(self.items), self.batch):
            chunk = self.items[i : i + self.batch]
            async with self.lock:
                await self._publish(chunk)
            due = start + (i + len(chunk)) / self.rate
            await asyncio.sleep(max(0.0, due - time.monotonic()))
        self.finished_at = time.monotonic()

    async def _publish(self, chunk: list[Item]) -> None:
        while chunk:
            try:
                await self._xadd(chunk)
                return
            except _TRANSIENT:
                self.errors += 1
                await wait_redis(self.url)
                chunk = await self._not_in_stream(chunk)

    async def _xadd(self, chunk: list[Item]) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            for item in chunk:
                pipe.xadd(self.stream, _fields(item))  # type: ignore[arg-type]
            ids = await pipe.execute()
        self.confirmed.extend(zip((parse_id(i) for i in ids), chunk, strict=True))

    async def _not_in_stream(self, chunk: list[Item]) -> list[Item]:
        after = self.confirmed[-1][0] if self.confirmed else (0, 0)
        raw = await self.redis.xrange(self.stream, f"({after[0]}-{after[1]}", "+")
        present = [fields for _, fields in normalise_entries(raw)]
        return [item for item in chunk if _fields(item) not in present]

    async def reconcile(self, mode: str) -> int:
        """After a restart of the server (killed in fsync `mode`), with `lock` held: count and
        re-publish the confirmed entries it lost; returns how many."""
        last = await self._last_generated_id()
        kept = [(i, item) for i, item in self.confirmed if i <= last]
        gone = [item for i, item in self.confirmed if i > last]
        self.confirmed = kept
        self.lost[mode] += len(gone)
        if gone:
            await self._publish(gone)
            self.republished += len(gone)
        return len(gone)

    async def _last_generated_id(self) -> EntryId:
        while True:
            try:
                info = await self.redis.xinfo_stream(self.stream)
                return parse_id(info["last-generated-id"])
            except ResponseError:  # the stream itself was lost
                return (0, 0)
            except _TRANSIENT:
                await wait_redis(self.url)

    async def close(self) -> None:
        await self.redis.aclose()
