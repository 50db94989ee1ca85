"""Writing in batches: when `max_size` items are waiting, or when the oldest has waited
`max_wait_s`. Both services use it: the extractor's outbox (`runtime.outbox`) and the indexer's
commit buffer (`indexer.commit_buffer`); each supplies only the `write` step.

The guarantee rests on `write`: it acknowledges a batch's stream entries only once the batch's
results exist (published, committed). A batch is taken out before it is written, so when
`write` fails its items are not retried here: their entries stay pending in Redis, where the
claimer delivers them again (at-least-once). The failure goes to the caller of `put` or
`flush`, or, when the age ticker wrote the batch, to its log.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from runtime.periodic import Periodic

__all__ = ["Batcher"]

T = TypeVar("T")
TICKS_PER_WAIT = 4
"""How often per `max_wait_s` the age of the oldest item is checked: a batch waits at most
`max_wait_s * (1 + 1 / TICKS_PER_WAIT)`."""


class Batcher(Generic[T]):
    def __init__(
        self,
        name: str,
        write: Callable[[list[T]], Awaitable[None]],
        max_size: int,
        max_wait_s: float,
    ) -> None:
        self.write = write
        self.max_size = max_size
        self.max_wait_s = max_wait_s
        self._items: list[T] = []
        self._since: float | None = None
        self._lock = asyncio.Lock()
        self._ticker = Periodic(name, max_wait_s / TICKS_PER_WAIT, self.flush_due)

    @property
    def waiting(self) -> int:
        return len(self._items)

    async def put(self, *items: T) -> None:
        """Add items; write the batch now if it is full."""
        async with self._lock:
            if items and self._since is None:
                self._since = time.monotonic()
            self._items.extend(items)
            if len(self._items) >= self.max_size:
                await self._flush()

    async def flush(self) -> None:
        """Write whatever is waiting."""
        async with self._lock:
            await self._flush()

    async def flush_due(self) -> None:
        """Write if the oldest waiting item has waited `max_wait_s`."""
        async with self._lock:
            if self._since is not None and time.monotonic() - self._since >= self.max_wait_s:
                await self._flush()

    async def _flush(self) -> None:
        items, self._items, self._since = self._items, [], None
        if items:
            await self.write(items)

    def start(self) -> None:
        """Start the ticker that writes batches grown old."""
        self._ticker.start()

    async def stop(self) -> None:
        """Stop the ticker and write what is waiting."""
        await self._ticker.stop()
        await self.flush()
