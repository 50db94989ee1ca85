"""A Scrapy crawl as a Scrapy user runs one, for tests/integration/test_scrapy.py:
`python -m tests.integration.scrapy_crawl START_URL` follows every link of the site with
pagewire's middleware on (its settings from the PAGEWIRE_* environment) and prints the crawl's
stats as one JSON line."""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import HtmlResponse, Response

PREFIX = "pagewire/"


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(self, start: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = start

    async def start(self) -> AsyncIterator[scrapy.Request]:
        # Filtered like every other request: the site's links lead back to it.
        yield scrapy.Request(self.start_url)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        if isinstance(response, HtmlResponse):
            yield from response.follow_all(css="a")


def crawl(start: str) -> dict[str, Any]:
    process = CrawlerProcess(
        settings={
            "DOWNLOADER_MIDDLEWARES": {"pagewire.scrapy.PagewireMiddleware": 540},
            "ROBOTSTXT_OBEY": False,
            "LOG_LEVEL": "INFO",
            "TELNETCONSOLE_ENABLED": False,
        }
    )
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, start=start)
    process.start()
    assert crawler.stats is not None
    return crawler.stats.get_stats()


if __name__ == "__main__":
    stats = crawl(sys.argv[1])
    mine = {k: v for k, v in stats.items() if k.startswith(PREFIX) or k == "finish_reason"}
    print(json.dumps(mine | {"status_404": stats.get("downloader/response_status_count/404")}))
