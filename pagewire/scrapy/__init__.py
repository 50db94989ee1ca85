"""Publish a Scrapy crawl's HTML pages to pagewire (the `pagewire[scrapy]` extra).

In a Scrapy project's settings.py:

    DOWNLOADER_MIDDLEWARES = {"pagewire.scrapy.PagewireMiddleware": 540}
    PAGEWIRE_REDIS_URL = "redis://127.0.0.1:6479/0"  # or the environment variable

Every HTML response with a 2xx status becomes a raw page on `pages.raw` (its URL, headers and
fetch time), written in batches; the crawl slows down while the extractors' backlog is above
`PAGEWIRE_MAX_LAG`. See docs/scrapy.md.
"""

from __future__ import annotations

from pagewire.scrapy.middleware import PagewireMiddleware
from pagewire.scrapy.settings import PublisherSettings

__all__ = ["PagewireMiddleware", "PublisherSettings"]
