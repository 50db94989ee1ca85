"""The Scrapy downloader middleware that publishes HTML responses: its composition root.

A downloader middleware, not an item pipeline: it sees every response whatever the spider
yields (a pipeline sees items only, so each spider would have to yield its responses), it can
hold a response back (back-pressure that Scrapy's concurrency limits turn into fewer requests),
and it runs after the built-in middlewares that decompress bodies and follow redirects, so it
publishes each page once, as received, under its final URL.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Self

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.utils.asyncio import is_asyncio_available

from pagewire.publish import publish_pages
from pagewire.scrapy.backpressure import LagGate
from pagewire.scrapy.pages import raw_page, skip_reason
from pagewire.scrapy.publisher import Publisher
from pagewire.scrapy.settings import ENV_PREFIX, PublisherSettings
from pagewire.status import backlog, stream_status
from runtime.batcher import Batcher
from runtime.redis_conn import describe_error
from shared.errors import InvalidMessage
from shared.events import PageFetched
from shared.streams import Streams

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

REDIS_TIMEOUT_S = 10.0
"""A Redis that does not answer fails a write after this long (then it is retried) rather than
holding the worker thread, and the crawl, forever; a URL's `?socket_timeout=` wins."""
NEEDS_ASYNCIO = (
    "pagewire.scrapy needs Scrapy's asyncio reactor: set TWISTED_REACTOR = "
    "'twisted.internet.asyncioreactor.AsyncioSelectorReactor' (Scrapy's default since 2.13)"
)


class PagewireMiddleware:
    """Publishes each 2xx HTML response to `pages.raw`; see docs/scrapy.md."""

    def __init__(self, crawler: Crawler, settings: PublisherSettings) -> None:
        self.crawler = crawler
        self.target = settings.redis_target()
        self.streams = Streams.with_prefix(settings.stream_prefix)
        self.redis = self.target.client(socket_timeout=REDIS_TIMEOUT_S,
                                        socket_connect_timeout=REDIS_TIMEOUT_S)  # fmt: skip
        publisher = Publisher(
            self._write, settings.publish_retries, settings.publish_retry_wait_s, self._count,
            self._describe,
        )  # fmt: skip
        self.batcher: Batcher[PageFetched] = Batcher(
            "pagewire-scrapy", publisher.write, settings.publish_batch_size,
            settings.publish_batch_wait_s,
        )  # fmt: skip
        self.gate = LagGate(self._read_backlog, settings.max_lag, settings.lag_check_interval_s)
        self._lag_problem: str | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not is_asyncio_available():
            raise RuntimeError(NEEDS_ASYNCIO)
        return cls(crawler, PublisherSettings.from_scrapy(crawler.settings))

    def spider_opened(self) -> None:
        self.batcher.start()
        logger.info("pagewire: publishing HTML pages to %s on %s", self.streams.raw,
                    self.target.display)  # fmt: skip

    async def spider_closed(self) -> None:
        await self.batcher.stop()
        stats = self.crawler.stats
        assert stats is not None  # a crawler has its stats from the start
        if self.gate.holds:
            stats.set_value("pagewire/responses_held", self.gate.holds)
            stats.set_value("pagewire/held_seconds", round(self.gate.held_s, 3))
        self.redis.close()
        logger.info("pagewire: %d pages published, %d failed",
                    stats.get_value("pagewire/pages_published", 0),
                    stats.get_value("pagewire/pages_failed", 0))  # fmt: skip

    async def process_response(self, request: Request, response: Response) -> Response:
        reason = skip_reason(response)
        if reason is not None:
            self._count(f"pagewire/pages_skipped/{reason}", 1)
            return response
        spider = self.crawler.spider
        source = f"scrapy:{spider.name}" if spider is not None else "scrapy"
        try:
            page = raw_page(response, datetime.now(UTC), source)
        except InvalidMessage as exc:
            self._count("pagewire/pages_skipped/invalid", 1)
            logger.warning("pagewire: not publishing %s: %s", response.url, exc)
            return response
        await self.gate.admit()
        await self.batcher.put(page)
        return response

    def _write(self, pages: list[PageFetched]) -> None:
        publish_pages(self.redis, self.streams.raw, pages)

    async def _read_backlog(self) -> int | None:
        try:
            found = await asyncio.to_thread(stream_status, self.redis, self.streams.raw)
        except (RedisError, OSError) as exc:
            problem = self._describe(exc)
            if problem != self._lag_problem:  # once per kind of failure, not once a second
                logger.warning("pagewire: cannot read the extractors' backlog, so not holding "
                               "responses back (%s)", problem)  # fmt: skip
            self._lag_problem = problem
            return None
        self._lag_problem = None
        return backlog(found, self.streams.extractor_group)

    def _count(self, key: str, n: int) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, n)

    def _describe(self, exc: BaseException) -> str:
        return describe_error(exc, self.target, ENV_PREFIX + "REDIS_")
