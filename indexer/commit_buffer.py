"""Committing articles to the store in batches, and acknowledging them only after the commit.

A tantivy commit costs about the same whatever its size, so committing each small read batch
would make the indexer the pipeline's bottleneck. The buffer (a `runtime.batcher.Batcher`)
upserts a batch of articles in one commit and then acknowledges their entries. Entries not yet
committed stay pending in Redis: if the process dies they are claimed again, and the idempotent
upsert makes a second delivery harmless.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from runtime.batcher import Batcher
from shared.events import PageExtracted

__all__ = ["Buffered", "CommitBuffer", "Upserts"]

logger = logging.getLogger(__name__)

Ack = Callable[[list[str]], Awaitable[None]]
OnCommit = Callable[[int, int, float], None]
"""Told each commit's articles, documents written and seconds (the metrics)."""


class Upserts(Protocol):
    """The part of the `Store` port the buffer needs."""

    def upsert(self, articles: Sequence[PageExtracted]) -> int: ...


@dataclass(frozen=True, slots=True)
class Buffered:
    """An article and the stream entry to acknowledge once it is committed."""

    article: PageExtracted
    entry_id: str


class CommitBuffer(Batcher[Buffered]):
    def __init__(
        self, store: Upserts, ack: Ack, max_size: int, max_wait_s: float,
        on_commit: OnCommit | None = None,
    ) -> None:  # fmt: skip
        super().__init__("commit-buffer", self._commit_and_ack, max_size, max_wait_s)
        self.store = store
        self.ack = ack
        self.on_commit = on_commit

    async def _commit_and_ack(self, items: list[Buffered]) -> None:
        articles = [item.article for item in items]
        started = time.perf_counter()
        written = await asyncio.to_thread(self.store.upsert, articles)
        if self.on_commit is not None:
            self.on_commit(len(articles), written, time.perf_counter() - started)
        logger.debug("committed %d articles (%d written)", len(articles), written)
        await self.ack([item.entry_id for item in items])
