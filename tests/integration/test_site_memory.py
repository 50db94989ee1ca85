"""The site memory on a real Redis server: the adapter against the fake, the extractor app
learning a template as its pages flow, two extractors at once, replays, status, the switch."""

from __future__ import annotations

import asyncio
import json
import random

from redis import Redis as SyncRedis
from redis.asyncio import Redis

from bench.site_pages import SITES, builtin_stories, site_pages
from extractor.app import build_app
from extractor.boilerplate import InMemorySiteMemory, Policy, SiteCounts
from extractor.site_memory import RedisSiteMemory, host_summaries
from pagewire import status
from shared.streams import DATA_FIELD, Streams
from tests.helpers import events, running, wait_until
from tests.helpers import extractor_settings as settings

NEWSLETTER = "Get the day's top stories and the analysis behind them"
SITE = SITES[0]


async def _publish_site(redis: Redis, streams: Streams, count: int) -> list[str]:
    urls = []
    for page in site_pages(SITE, builtin_stories(SITE.language, count)):
        await redis.xadd(
            streams.raw, {DATA_FIELD: json.dumps({"url": page.url, "content": page.html})}
        )
        urls.append(page.url)
    return urls


async def _extracted(redis: Redis, streams: Streams) -> int:
    return int(await redis.xlen(streams.extracted))


async def test_the_adapter_counts_exactly_as_the_fake(redis: Redis, stream_prefix: str) -> None:
    policy = Policy(min_pages=2, max_blocks=40, max_pages=15, window=25, max_per_page=12)
    real = RedisSiteMemory(redis, stream_prefix, policy)
    fake = InMemorySiteMemory(policy)
    rng = random.Random(7)
    furniture = list(range(1, 9))
    for _ in range(80):
        page = rng.sample(furniture, 5) + [rng.randrange(2**64) for _k in range(10)]
        key = f"p{rng.randrange(60)}"  # some pages come back: replays
        assert await real.record("a.example", key, page) == fake.record_now("a.example", key, page)
        assert await real.counts("a.example") == fake.counts_now("a.example")
    meta = f"{stream_prefix}sitemem:{{a.example}}:meta"
    assert 0 < await redis.ttl(meta) <= 14 * 86400
    assert await redis.zcard(f"{stream_prefix}sitemem:{{a.example}}:fps") <= 40
    assert await redis.zcard(f"{stream_prefix}sitemem:{{a.example}}:pages") <= 15


async def test_later_pages_of_a_site_lose_its_newsletter_box(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams
) -> None:
    urls = await _publish_site(redis, streams, 8)
    app = build_app(settings(redis_url, stream_prefix))
    async with running(app):
        await wait_until(lambda: _count_is(redis, streams, 8))
    texts = {e["url"]: e["text"] for e in await events(redis, streams.extracted)}
    assert all(NEWSLETTER in texts[u] for u in urls[:3])  # nothing learned yet
    assert not any(NEWSLETTER in texts[u] for u in urls[4:])
    with SyncRedis.from_url(redis_url) as client:
        [summary] = host_summaries(client, stream_prefix)
        report = status.collect(client, streams, "http://127.0.0.1:9")
    assert summary.host == SITE.host and summary.pages == 8 and summary.learned > 10
    assert report.sites == [summary]
    assert json.loads(report.to_json())["sites"][0]["learned"] == summary.learned
    assert "blocks learned" in status.render(report) and SITE.host in status.render(report)


async def _count_is(redis: Redis, streams: Streams, count: int) -> bool:
    return await _extracted(redis, streams) >= count


async def test_two_extractors_share_one_memory_and_a_replay_counts_once(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams
) -> None:
    urls = await _publish_site(redis, streams, 16)
    first = build_app(settings(redis_url, stream_prefix, consumer_name="one", max_records=2))
    second = build_app(settings(redis_url, stream_prefix, consumer_name="two", max_records=2))
    async with running(first), running(second):
        await wait_until(lambda: _count_is(redis, streams, 16), within=60)
        page = next(site_pages(SITE, builtin_stories(SITE.language, 1)))
        replay = {"url": page.url, "content": page.html}
        await redis.xadd(streams.raw, {DATA_FIELD: json.dumps(replay)})
        await wait_until(lambda: _count_is(redis, streams, 17), within=60)
    memory = RedisSiteMemory(redis, stream_prefix)
    counts = await memory.counts(SITE.host)
    assert counts.pages == 16  # every page counted once, the replay not at all
    texts = [e["text"] for e in await events(redis, streams.extracted)]
    assert sum(NEWSLETTER not in t for t in texts) >= 8
    newsletter = max(counts.counts.values())
    assert newsletter == 16  # the template's constant lines: on every page, no update lost
    assert len(urls) == 16


async def test_switched_off_nothing_is_learned_or_kept(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams
) -> None:
    await _publish_site(redis, streams, 6)
    app = build_app(settings(redis_url, stream_prefix, site_memory=False))
    async with running(app):
        await wait_until(lambda: _count_is(redis, streams, 6))
    texts = [e["text"] for e in await events(redis, streams.extracted)]
    assert all(NEWSLETTER in t for t in texts)
    assert await redis.keys(f"{stream_prefix}sitemem:*") == []


async def test_concurrent_records_of_one_host_lose_nothing(
    redis: Redis, redis_url: str, stream_prefix: str
) -> None:
    clients = [Redis.from_url(redis_url) for _ in range(4)]

    async def replica(client: Redis) -> None:
        memory = RedisSiteMemory(client, stream_prefix)
        for k in range(40):  # every replica sees every page: each must count once
            await memory.record("a.example", f"p{k}", [1, 2, k + 100])

    try:
        await asyncio.gather(*(replica(c) for c in clients))
    finally:
        for client in clients:
            await client.aclose()
    counts = await RedisSiteMemory(redis, stream_prefix).counts("a.example")
    assert counts.pages == 40 and counts.counts[1] == 40 and counts.counts[2] == 40


async def test_a_refused_memory_leaves_extraction_alone(redis: Redis, stream_prefix: str) -> None:
    memory = RedisSiteMemory(redis, stream_prefix)
    await redis.set(f"{stream_prefix}sitemem:{{a.example}}:fps", "not a sorted set")
    await redis.set(f"{stream_prefix}sitemem:{{a.example}}:pages", "nor this")
    assert await memory.counts("a.example") == SiteCounts()
    assert not await memory.record("a.example", "p1", [1, 2])
