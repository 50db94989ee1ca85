"""pagewire.scrapy in a real Scrapy crawl (a subprocess, as a Scrapy user runs it) of a small
site on loopback: its HTML pages reach the search API through the real extractor and indexer;
the crawl waits while the extractors are behind; with Redis down, every page is counted as
failed and named in the log."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Awaitable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from redis.asyncio import Redis

from extractor.app import build_app as build_extractor
from indexer.app import build_app as build_indexer
from indexer.config import IndexerSettings
from runtime.redis_conn import acl_rules
from runtime.redis_streams import read_group
from shared.streams import DATA_FIELD, Streams
from tests.helpers import events, extractor_settings, free_port, running, wait_until
from tests.integration.scrapy_site import HTML_PATHS, serving

ROOT = Path(__file__).resolve().parents[2]
CRAWL = [sys.executable, "-m", "tests.integration.scrapy_crawl"]
HTML_PAGES = len(HTML_PATHS)  # not the CSV, not the 404
SEARCHES = {"/news/ferry": "ferry timetable", "/news/orchard": "pear rootstock",
            "/news/choir": "chapel choir"}  # fmt: skip


def _environ(redis_url: str, prefix: str, **settings: str) -> dict[str, str]:
    values = {"PAGEWIRE_REDIS_URL": redis_url, "PAGEWIRE_STREAM_PREFIX": prefix} | settings
    return dict(os.environ, **values)


def _crawl(start: str, env: dict[str, str]) -> tuple[dict[str, Any], str]:
    """The crawl's pagewire stats and its log."""
    done = subprocess.run([*CRAWL, start], capture_output=True, text=True, timeout=180, env=env,
                          cwd=ROOT, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    stats: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return stats, done.stderr


async def _search(api: str, query: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=api) as client:
        found = (await client.get("/search", params={"q": query})).raise_for_status().json()
    hits: list[dict[str, Any]] = found["hits"]
    return hits


async def _found(api: str, query: str) -> list[dict[str, Any]]:
    """The hits of `query` once there are any (the pipeline takes a moment)."""
    await wait_until(lambda: _any(_search(api, query)), within=60)
    return await _search(api, query)


async def _any(hits: Awaitable[list[dict[str, Any]]]) -> bool:
    return bool(await hits)


async def _finished(redis: Redis, streams: Streams, expected: int) -> bool:
    """Whether the extractor has turned `expected` raw pages into articles, rejections or dead
    letters."""
    total = 0
    for name in (streams.extracted, streams.rejected, streams.dead):
        if await redis.exists(name):
            total += int((await redis.xinfo_stream(name))["entries-added"])
    return total == expected


async def test_crawled_pages_come_out_of_the_search_api(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams, tmp_path: Path
) -> None:
    extractor = build_extractor(extractor_settings(redis_url, stream_prefix, trim_interval_s=3600))
    indexer = build_indexer(IndexerSettings(
        redis_url=redis_url, stream_prefix=stream_prefix, consumer_name="idx-scrapy",
        data_dir=tmp_path / "index", port=0, commit_interval_s=0.1, trim_interval_s=3600,
    ))  # fmt: skip
    api_task = asyncio.create_task(indexer.run())
    try:
        with serving() as site:
            async with running(extractor):
                env = _environ(redis_url, stream_prefix, PAGEWIRE_PUBLISH_BATCH_SIZE="2")
                stats, log = await asyncio.to_thread(_crawl, f"{site}/", env)
                await wait_until(lambda: asyncio.sleep(0, indexer.bound_port() is not None))
                api = f"http://127.0.0.1:{indexer.bound_port()}"
                hits = {path: await _found(api, query) for path, query in SEARCHES.items()}
                await wait_until(lambda: _finished(redis, streams, HTML_PAGES), within=30)
                raw = await events(redis, streams.raw)
    finally:
        if indexer.server is not None:
            indexer.server.should_exit = True
        await asyncio.wait_for(api_task, 30)

    for path, found in hits.items():
        assert [hit["url"] for hit in found] == [f"{site}{path}"], path
    # Decoded as the header said: the right single quote is byte 0x92 in Windows-1252.
    choir_title = hits["/news/choir"][0]["title"]
    assert choir_title == "A miners\u2019 choir sings again in the restored chapel"
    assert stats["pagewire/pages_published"] == HTML_PAGES, log[-3000:]
    assert stats["pagewire/pages_skipped/not_html"] == 1  # the CSV file
    assert stats["pagewire/pages_skipped/status_404"] == stats["status_404"] == 1
    assert "pagewire/pages_failed" not in stats
    assert sorted(page["url"] for page in raw) == sorted(f"{site}{path}" for path in HTML_PATHS)
    choir = next(page for page in raw if page["url"].endswith("/news/choir"))
    assert "content_b64" in choir  # Windows-1252 bytes travel as they came ...
    assert choir["headers"]["Content-Type"] == "text/html; charset=windows-1252"  # ... with it
    assert choir["headers"]["Content-Language"] == "en-GB"
    assert not any(name.lower() == "set-cookie" for name in choir["headers"])
    assert choir["source"] == "scrapy:site"
    assert abs(time.time() - datetime.fromisoformat(choir["fetched_at"]).timestamp()) < 600


async def test_the_crawl_waits_while_the_extractors_are_behind(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams, tmp_path: Path
) -> None:
    # Five pages wait for an extractor group that has read none: above a limit of 3.
    await redis.xgroup_create(streams.raw, streams.extractor_group, id="0", mkstream=True)
    for n in range(5):
        page = {"url": f"https://earlier.example/{n}", "content": "<p>earlier</p>"}
        await redis.xadd(streams.raw, {DATA_FIELD: json.dumps(page)})
    env = _environ(redis_url, stream_prefix, PAGEWIRE_MAX_LAG="3",
                   PAGEWIRE_LAG_CHECK_INTERVAL_S="0.2",
                   PAGEWIRE_PUBLISH_BATCH_SIZE="1")  # fmt: skip
    log = tmp_path / "crawl.log"
    with serving() as site, log.open("w") as err:
        crawl = await asyncio.create_subprocess_exec(
            *CRAWL, f"{site}/", stdout=subprocess.PIPE, stderr=err, env=env, cwd=ROOT
        )
        try:
            await wait_until(lambda: asyncio.sleep(0, "holding responses back" in log.read_text()),
                             within=60)  # fmt: skip
            await asyncio.sleep(1.0)  # held for a while: nothing more is published meanwhile
            assert await redis.xlen(streams.raw) == 5
            assert crawl.returncode is None
            # An extractor catches up: the five are read and acknowledged.
            read = await read_group(redis, streams.raw, streams.extractor_group, "x", 10)
            await redis.xack(streams.raw, streams.extractor_group, *(i for i, _ in read))
            out, _ = await asyncio.wait_for(crawl.communicate(), 120)
        finally:
            if crawl.returncode is None:
                crawl.kill()
                await crawl.wait()
    assert crawl.returncode == 0, log.read_text()[-3000:]
    stats = json.loads(out.strip().splitlines()[-1])
    assert stats["pagewire/pages_published"] == HTML_PAGES
    assert stats["pagewire/responses_held"] >= 1
    assert await redis.xlen(streams.raw) == 5 + HTML_PAGES
    assert "letting responses through again" in log.read_text()


def test_with_redis_down_every_page_is_counted_failed_and_named() -> None:
    port = free_port()  # nothing listens there
    with serving() as site:
        env = _environ(f"redis://127.0.0.1:{port}/0", "", PAGEWIRE_PUBLISH_RETRIES="1",
                       PAGEWIRE_PUBLISH_RETRY_WAIT_S="0.1")  # fmt: skip
        stats, log = _crawl(f"{site}/", env)
    assert stats["pagewire/pages_failed"] == HTML_PAGES
    assert "pagewire/pages_published" not in stats
    assert stats["pagewire/publish_retries"] >= 1
    assert f"cannot reach Redis at redis://127.0.0.1:{port}/0" in log
    failed = "\n".join(line for line in log.splitlines() if "NOT published" in line)
    for path in HTML_PATHS:
        assert f"{site}{path}" in failed


async def test_a_producer_only_user_publishes_and_says_once_it_cannot_hold_back(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams
) -> None:
    user, password = f"producer-{stream_prefix.rstrip('.')}", "producer-secret"
    # The role's exact rules (acl_rules), as compose.yaml's producer has them.
    rules = acl_rules("producer", stream_prefix).split()
    await redis.execute_command("ACL", "SETUSER", user, "on", f">{password}", *rules)  # type: ignore[no-untyped-call]
    try:
        with serving() as site:
            env = _environ(redis_url, stream_prefix, PAGEWIRE_REDIS_USERNAME=user,
                           PAGEWIRE_REDIS_PASSWORD=password, PAGEWIRE_MAX_LAG="3",
                           PAGEWIRE_LAG_CHECK_INTERVAL_S="0.05")  # fmt: skip
            stats, log = await asyncio.to_thread(_crawl, f"{site}/", env)
    finally:
        await redis.execute_command("ACL", "DELUSER", user)  # type: ignore[no-untyped-call]
    assert stats["pagewire/pages_published"] == HTML_PAGES
    assert await redis.xlen(streams.raw) == HTML_PAGES
    warned = [line for line in log.splitlines() if "cannot read the extractors' backlog" in line]
    assert len(warned) == 1, warned
    assert "lacks a permission" in warned[0]
    assert password not in log
