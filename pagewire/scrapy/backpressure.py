"""Back-pressure: the crawl waits while the extractors have too many pages left to finish.

The backlog is what `pagewire status` counts as in flight for the extractor group (its lag
plus its pending entries on `pages.raw`), read at most once per interval whoever asks. While
it is above the limit every response waits before it is published; a response held in a
downloader middleware keeps its download slot, so Scrapy's own concurrency limits stop new
requests too, and the crawl slows to the extractors' pace instead of filling Redis.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)

ReadBacklog = Callable[[], Awaitable[int | None]]
"""The backlog now, or None when it cannot be read (the reader says why)."""


def over_limit(backlog: int | None, limit: int) -> bool:
    """Whether to hold back: a limit is set (> 0) and a known backlog exceeds it. An unknown
    backlog holds nothing back: Redis unreachable is the publisher's failure to report."""
    return limit > 0 and backlog is not None and backlog > limit


class LagGate:
    """Lets responses through while the backlog is within `limit`."""

    def __init__(self, read: ReadBacklog, limit: int, interval_s: float) -> None:
        self.read = read
        self.limit = limit
        self.interval_s = interval_s
        self.held_s = 0.0  # seconds responses spent waiting, summed over responses
        self.holds = 0  # responses that had to wait
        self._backlog: int | None = None
        self._read_at = -float("inf")
        self._holding = False
        self._lock = asyncio.Lock()

    async def backlog(self) -> int | None:
        """The last reading, refreshed when older than the interval (one reader at a time)."""
        async with self._lock:
            if time.monotonic() - self._read_at >= self.interval_s:
                self._backlog = await self.read()
                self._read_at = time.monotonic()
            return self._backlog

    async def admit(self) -> None:
        """Return once the backlog is within the limit."""
        if self.limit <= 0:
            return
        started = None
        while over_limit(backlog := await self.backlog(), self.limit):
            if started is None:
                started = time.monotonic()
                self.holds += 1
            self._note(holding=True, backlog=backlog)
            await asyncio.sleep(self.interval_s)
        if started is not None:
            self.held_s += time.monotonic() - started
            self._note(holding=False, backlog=backlog)

    def _note(self, holding: bool, backlog: int | None) -> None:
        """Log each change between holding back and letting through, once."""
        if holding == self._holding:
            return
        self._holding = holding
        if holding:
            logger.info("pagewire: holding responses back: the extractors have %s pages left "
                        "(limit %d)", backlog, self.limit)  # fmt: skip
        else:
            logger.info("pagewire: letting responses through again (%s pages left)", backlog)
