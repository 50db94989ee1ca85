"""Writing a batch of raw pages from a worker thread, with a bounded number of retries.

The batch is written by the synchronous redis-py client in a thread (`asyncio.to_thread`), so
the event loop Scrapy's reactor runs on never waits on the network (docs/scrapy.md has the
measurement). A batch Redis refuses is retried after `retry_wait_s`, doubling; after the last
retry its pages are counted as failed and their URLs logged: never dropped in silence.
A retry may repeat pages a broken connection had already written: the pipeline is
at-least-once, and the indexer keeps one document per article.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from redis.exceptions import RedisError

from shared.events import PageFetched

logger = logging.getLogger(__name__)

WriteBatch = Callable[[list[PageFetched]], object]
"""Writes pages to the stream, blocking (it runs in a worker thread); raises on failure."""
Count = Callable[[str, int], None]
"""Adds to a counter of the crawl's stats."""


class Publisher:
    def __init__(self, write_batch: WriteBatch, retries: int, retry_wait_s: float, count: Count,
                 describe: Callable[[BaseException], str]) -> None:  # fmt: skip
        self.write_batch = write_batch
        self.retries = retries
        self.retry_wait_s = retry_wait_s
        self.count = count
        self.describe = describe

    async def write(self, pages: list[PageFetched]) -> None:
        """Write `pages`; never raises (the Batcher's ticker would only log it): what cannot be
        written is counted in `pagewire/pages_failed` and logged with its URLs."""
        for attempt in range(self.retries + 1):
            try:
                await asyncio.to_thread(self.write_batch, pages)
            except (RedisError, OSError) as exc:
                problem = self.describe(exc)
                if attempt == self.retries:
                    return self._failed(pages, f"after {attempt + 1} attempts: {problem}")
                wait = self.retry_wait_s * 2**attempt
                self.count("pagewire/publish_retries", 1)
                logger.warning("pagewire: %d pages not written (%s); retrying in %.1f s",
                               len(pages), problem, wait)  # fmt: skip
                await asyncio.sleep(wait)
            except Exception as exc:  # a bug of ours must not lose pages without a word
                logger.exception("pagewire: writing %d pages failed", len(pages))
                return self._failed(pages, f"{type(exc).__name__}: {exc}")
            else:
                self.count("pagewire/pages_published", len(pages))
                return None
        return None

    def _failed(self, pages: list[PageFetched], why: str) -> None:
        self.count("pagewire/pages_failed", len(pages))
        logger.error("pagewire: %d pages NOT published %s; their URLs: %s",
                     len(pages), why, " ".join(p.url for p in pages))  # fmt: skip
