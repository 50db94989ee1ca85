"""Committing articles to the store in batches, and acknowledging them only after the commit.

A tantivy commit costs milliseconds whatever its size, so committing each small read batch
would make the indexer the pipeline's bottleneck. The buffer collects articles until `max_size`
are waiting or `max_wait_s` has passed since the first one arrived, upserts them in one commit
and then acknowledges their entries. Entries not yet committed stay pending in Redis: if the
process dies they are claimed again, and the idempotent upsert makes a second delivery harmless.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from runtime.periodic import Periodic
from shared.events import PageExtracted

logger = logging.getLogger(__name__)

Ack = Callable[[list[str]], Awaitable[None]]


class Upserts(Protocol):
    """The part of the `Store` port the buffer needs."""

    def upsert(self, articles: Sequence[PageExtracted]) -> int: ...


class CommitBuffer:
    def __init__(self, store: Upserts, ack: Ack, max_size: int, max_wait_s: float) -> None:
        self.store = store
        self.ack = ack
        self.max_size = max_size
        self.max_wait_s = max_wait_s
        self._articles: list[PageExtracted] = []
        self._ids: list[str] = []
        self._since: float | None = None
        self._lock = asyncio.Lock()
        self._ticker = Periodic("commit-buffer", max_wait_s / 4, self.flush_due)

    @property
    def waiting(self) -> int:
        return len(self._articles)

    async def add(self, articles: Sequence[PageExtracted], entry_ids: Sequence[str]) -> None:
        """Buffer articles (and the entries to ack for them); commit when the batch is full."""
        async with self._lock:
            if self._since is None:
                self._since = time.monotonic()
            self._articles.extend(articles)
            self._ids.extend(entry_ids)
            if len(self._articles) >= self.max_size:
                await self._flush()

    async def flush(self) -> None:
        async with self._lock:
            await self._flush()

    async def flush_due(self) -> None:
        """Commit if the oldest waiting article has waited `max_wait_s`."""
        async with self._lock:
            if self._since is not None and time.monotonic() - self._since >= self.max_wait_s:
                await self._flush()

    async def _flush(self) -> None:
        articles, ids = self._articles, self._ids
        self._articles, self._ids, self._since = [], [], None
        if articles:
            written = await asyncio.to_thread(self.store.upsert, articles)
            logger.debug("committed %d articles (%d written)", len(articles), written)
        if ids:
            await self.ack(ids)

    def start(self) -> None:
        self._ticker.start()

    async def stop(self) -> None:
        """Stop the ticker and commit what is waiting."""
        await self._ticker.stop()
        await self.flush()
