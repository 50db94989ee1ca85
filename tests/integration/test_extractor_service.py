"""The extractor service against a real Redis server: every entry ends as exactly one event."""

from __future__ import annotations

import base64
import json
import logging

import pytest
from redis.asyncio import Redis

from extractor.app import build_app
from runtime.delivery import ConsumerSpec, Entry, subscribe_each
from runtime.logs import ContextFilter
from shared.streams import DATA_FIELD, Streams
from tests.factories import article_page
from tests.helpers import events, pending, running, wait_until
from tests.helpers import extractor_settings as settings

ARTICLE = article_page(
    "Otters return to the river Wey",
    [
        "For the first time in forty years, otters have been filmed hunting along the river Wey, "
        "conservation volunteers said on Tuesday, after a decade of work to clean the water.",
        "Cameras set up near the old mill recorded a female with two cubs on three separate "
        "nights, feeding on crayfish and small fish in the shallows below the weir.",
        "The volunteers said the return of the otters showed that the river was healthy again, "
        "and asked walkers to keep their dogs on a lead along the stretch near the mill.",
    ],
    site_name="Riverside News",
)


async def test_pages_published_before_start_are_extracted_and_acked(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams
) -> None:
    # A foreign producer: plain JSON in `__data__`, written before any consumer exists.
    page = {"url": "https://news.example/otters", "content": ARTICLE}
    await redis.xadd(streams.raw, {DATA_FIELD: json.dumps(page)})
    app = build_app(settings(redis_url, stream_prefix))
    async with running(app):
        await wait_until(lambda: _has(redis, streams.extracted))
    [event] = await events(redis, streams.extracted)
    assert event["kind"] == "page.extracted"
    assert event["title"] == "Otters return to the river Wey"
    assert "crayfish" in event["text"]
    assert "Contact us" not in event["text"]
    assert isinstance(event["extraction_quality"], float)  # the service loads the model
    assert 0.0 <= event["extraction_quality"] <= 1.0
    assert await pending(redis, streams.raw, streams.extractor_group) == 0


async def test_every_kind_of_entry_ends_as_one_event(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams
) -> None:
    raw = base64.b64encode(ARTICLE.replace("Otters", "Beavers").encode("cp1252")).decode()
    entries: list[dict[str, bytes | str]] = [
        {DATA_FIELD: json.dumps({"url": "https://a.example/1", "content": ARTICLE})},
        {DATA_FIELD: json.dumps({"url": "https://a.example/2", "content_b64": raw,
                                 "content_type": "text/html; charset=windows-1252"})},
        {DATA_FIELD: json.dumps({"url": "https://a.example/3", "content": "<p><img src=x></p>"})},
        {DATA_FIELD: b"{not json"},
        {DATA_FIELD: json.dumps({"content": "<p>no url</p>"})},
        {DATA_FIELD: b"\x00\xff\xfe\x01 binary junk"},
        {"payload": "a field that is not __data__"},
        {DATA_FIELD: json.dumps({"url": "https://a.example/8", "content_b64": "%%%"})},
    ]  # fmt: skip
    for fields in entries:
        await redis.xadd(streams.raw, fields)  # type: ignore[arg-type]
    app = build_app(settings(redis_url, stream_prefix))

    async def all_handled() -> bool:
        return await _total(redis, streams) == len(entries)

    async with running(app):
        await wait_until(all_handled)
    extracted = await events(redis, streams.extracted)
    rejected = await events(redis, streams.rejected)
    dead = await events(redis, streams.dead)
    assert sorted(e["url"] for e in extracted) == ["https://a.example/1", "https://a.example/2"]
    assert any("Beavers" in e["title"] for e in extracted)
    assert [e["url"] for e in rejected] == ["https://a.example/3"]
    assert rejected[0]["reason"] == "no_text"  # never the safety net's "engine_error"
    assert len(dead) == 5
    reasons = " | ".join(d["error"] for d in dead)
    assert "url" in reasons and "__data__" in reasons and "base64" in reasons
    assert all(d["error_type"] == "InvalidMessage" and d["entry_id"] for d in dead)
    assert await pending(redis, streams.raw, streams.extractor_group) == 0


async def test_a_failing_entry_is_retried_then_dead_lettered_with_its_error(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams
) -> None:
    from faststream import FastStream
    from faststream.redis import RedisBroker

    from runtime.redis_streams import ensure_group

    attempts: list[str] = []

    async def always_fails(entry: Entry) -> None:
        attempts.append(entry.entry_id)
        raise RuntimeError("the store is on fire")

    spec = ConsumerSpec("test", streams.raw, "g", "c1", streams.dead, 10, 1000, 2, 50)
    broker = RedisBroker(redis_url)
    subscribe_each(broker, redis, spec, always_fails)
    app = FastStream(broker)
    await ensure_group(redis, streams.raw, "g")
    await redis.xadd(streams.raw, {DATA_FIELD: json.dumps({"url": "u", "content": "x"})})
    async with running(app):
        await wait_until(lambda: _has(redis, streams.dead), within=30)
    [dead] = await events(redis, streams.dead)
    assert len(attempts) == 2  # the cap: delivered twice, then given up
    assert dead["error_type"] == "RuntimeError"
    assert dead["error"] == "the store is on fire"
    assert dead["delivery_count"] == 3
    assert json.loads(dead["original"]) == {"url": "u", "content": "x"}
    assert await pending(redis, streams.raw, "g") == 0


async def _has(redis: Redis, stream: str) -> bool:
    return int(await redis.xlen(stream)) > 0


async def _total(redis: Redis, streams: Streams) -> int:
    names = (streams.extracted, streams.rejected, streams.dead)
    return sum([int(await redis.xlen(n)) for n in names])


async def test_a_page_published_by_a_faststream_producer_is_read(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams
) -> None:
    from faststream.redis import RedisBroker

    async with RedisBroker(redis_url) as producer:  # its binary envelope in `__data__`
        await producer.publish({"url": "https://fs.example/1", "content": ARTICLE},
                               stream=streams.raw)  # fmt: skip
    app = build_app(settings(redis_url, stream_prefix))
    async with running(app):
        await wait_until(lambda: _has(redis, streams.extracted))
    [event] = await events(redis, streams.extracted)
    assert event["url"] == "https://fs.example/1"


async def test_a_page_s_log_lines_name_its_entry_and_url(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.handler.addFilter(ContextFilter())  # as `runtime.logs.configure` sets up a service
    caplog.set_level(logging.INFO, logger="extractor")
    page = {"url": "https://a.example/short", "content": "<p><img src=x></p>"}
    added = await redis.xadd(streams.raw, {DATA_FIELD: json.dumps(page)})
    entry_id = added.decode() if isinstance(added, bytes) else added
    async with running(build_app(settings(redis_url, stream_prefix))):
        await wait_until(lambda: _has(redis, streams.rejected))
    [line] = [r for r in caplog.records if r.getMessage().startswith("rejected")][:1]
    assert getattr(line, "entry_id", None) == entry_id
    assert getattr(line, "url", None) == "https://a.example/short"
