"""The indexer service against a real Redis server and a real tantivy store."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from redis.asyncio import Redis

from indexer.app import build_app
from indexer.config import IndexerSettings
from shared.streams import DATA_FIELD, Streams
from tests.factories import article
from tests.helpers import events, pending, running, wait_until


def settings(redis_url: str, prefix: str, data_dir: Path) -> IndexerSettings:
    return IndexerSettings(
        redis_url=redis_url,
        stream_prefix=prefix,
        consumer_name="idx-1",
        data_dir=data_dir,
        batch_size=8,
        claim_idle_ms=1000,
    )


async def test_articles_are_indexed_once_and_searchable(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams, tmp_path: Path
) -> None:
    first = [article(f"a{i}", title=f"Harbour story {i}", text=f"tide gauge number {i}")
             for i in range(20)]  # fmt: skip
    newer = article("a3", title="Harbour story 3, updated", text="tide gauge revised",
                    fetched_minutes=30)  # fmt: skip
    for event in [*first, *first[:5], newer]:  # duplicates and a newer version
        await redis.xadd(streams.extracted, {DATA_FIELD: event.model_dump_json()})
    await redis.xadd(streams.extracted, {DATA_FIELD: b'{"kind": "page.extracted"}'})
    app = build_app(settings(redis_url, stream_prefix, tmp_path / "index"))
    async with running(app):

        async def drained() -> bool:
            return (
                await redis.xlen(streams.dead) == 1
                and await pending(redis, streams.extracted, streams.indexer_group) == 0
                and app.store.count() == 20
            )

        await wait_until(drained)
        transport = httpx.ASGITransport(app=app.api)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            found = (await client.get("/search", params={"q": "revised"})).json()
            one = (await client.get("/articles/a3")).json()
            health = (await client.get("/health")).json()
    assert [hit["id"] for hit in found["hits"]] == ["a3"], found
    assert one["title"] == "Harbour story 3, updated"
    assert health["documents"] == 20
    [dead] = await events(redis, streams.dead)
    assert dead["service"] == "indexer" and "invalid article event" in dead["error"]
    assert json.loads(dead["original"]) == {"kind": "page.extracted"}


async def test_index_survives_a_restart(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams, tmp_path: Path
) -> None:
    await redis.xadd(streams.extracted, {DATA_FIELD: article("k1").model_dump_json()})
    app = build_app(settings(redis_url, stream_prefix, tmp_path / "index"))
    async with running(app):
        await wait_until(lambda: _count_is(app.store.count, 1))
    again = build_app(settings(redis_url, stream_prefix, tmp_path / "index"))
    try:
        assert again.store.count() == 1
        assert again.store.get("k1") is not None
    finally:
        again.store.close()


async def _count_is(count: object, expected: int) -> bool:
    assert callable(count)
    return bool(count() == expected)
