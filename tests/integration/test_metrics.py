"""Prometheus metrics of both services, scraped from their real endpoints while pages flow,
agree with `pagewire status` (which reads the streams and the API's /health)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis

from extractor.app import build_app as build_extractor
from indexer.app import IndexerApp
from indexer.app import build_app as build_indexer
from indexer.config import IndexerSettings
from pagewire.cli import main
from shared.streams import DATA_FIELD, Streams
from tests.factories import article_page
from tests.helpers import extractor_settings, free_port, running, wait_until

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]

PAGES = 12
ARTICLE = article_page(
    "Lock keepers open the canal gates at dawn, number {n}",
    [
        "The lock keepers of the old canal opened the gates at dawn on Saturday, letting the "
        "first narrowboats of the season through after a winter of repairs to the walls.",
        "Volunteers had replaced the oak beams of the upper gate and cleared the silt from the "
        "basin, work that took four months and cost less than the trust had feared.",
    ],
)


@dataclass
class Scraped:
    seen: list[float]  # the extracted counter, scraped after each page was published
    extractor: Samples
    indexer: Samples
    status: dict[str, Any]


def _scrape(url: str) -> Samples:
    text = httpx.get(url, timeout=10).raise_for_status().text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def _status(prefix: str, api: str, redis_url: str) -> dict[str, Any]:
    args = ["status", "--json", "--stream-prefix", prefix, "--api", api, "--redis-url", redis_url]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    status: dict[str, Any] = json.loads(result.output)
    return status


async def _flow(redis: Redis, streams: Streams, url: str, api: str) -> list[float]:
    """Publish the pages, an empty one and an unreadable entry, scraping as they go; search
    once well and once with a query too long."""
    seen = []
    for n in range(PAGES):
        page = {"url": f"https://canal.example/{n}", "content": ARTICLE.format(n=n)}
        await redis.xadd(streams.raw, {DATA_FIELD: json.dumps(page)})
        scraped = await asyncio.to_thread(_scrape, url)
        seen.append(_value(scraped, "pagewire_extractor_pages_total", outcome="extracted"))
    empty = {"url": "https://canal.example/empty", "content": "   "}
    await redis.xadd(streams.raw, {DATA_FIELD: json.dumps(empty)})
    await redis.xadd(streams.raw, {DATA_FIELD: b"{not json"})
    async with httpx.AsyncClient(base_url=api) as client:
        assert (await client.get("/search", params={"q": "canal"})).status_code == 200
        assert (await client.get("/search", params={"q": "a" * 5000})).status_code == 400
    return seen


async def _settle(url: str, streams: Streams, indexer: IndexerApp) -> None:
    last: list[float] = []

    async def settled() -> bool:
        got = await asyncio.to_thread(_scrape, url)
        done = sum(_value(got, "pagewire_extractor_pages_total", outcome=o)
                   for o in ("extracted", "rejected", "dead_lettered"))  # fmt: skip
        pending = _value(got, "pagewire_stream_pending", stream=streams.raw,
                         group=streams.extractor_group)  # fmt: skip
        last[:] = [done, pending, indexer.store.count()]
        return last == [PAGES + 2, 0, PAGES]

    try:
        await wait_until(settled, within=30)
    except AssertionError as exc:
        raise AssertionError(f"handled, pending, indexed: {last}") from exc
    await asyncio.sleep(0.5)  # one more refresh of the stream gauges


async def _run_and_scrape(
    redis: Redis, redis_url: str, prefix: str, streams: Streams, data_dir: Path
) -> Scraped:
    port = free_port()
    extractor = build_extractor(extractor_settings(
        redis_url, prefix, metrics_port=port, metrics_interval_s=0.2, trim_interval_s=3600,
    ))  # fmt: skip
    indexer = build_indexer(IndexerSettings(
        redis_url=redis_url, stream_prefix=prefix, consumer_name="idx-m", data_dir=data_dir,
        port=0, metrics_interval_s=0.2, commit_interval_s=0.1, trim_interval_s=3600,
    ))  # fmt: skip
    serving = asyncio.create_task(indexer.run())
    url = f"http://127.0.0.1:{port}/metrics"
    try:
        async with running(extractor):
            await wait_until(lambda: asyncio.sleep(0, indexer.bound_port() is not None))
            api = f"http://127.0.0.1:{indexer.bound_port()}"
            seen = await _flow(redis, streams, url, api)
            await _settle(url, streams, indexer)
            return Scraped(
                seen,
                await asyncio.to_thread(_scrape, url),
                await asyncio.to_thread(_scrape, f"{api}/metrics"),
                await asyncio.to_thread(_status, prefix, api, redis_url),
            )
    finally:
        if indexer.server is not None:
            indexer.server.should_exit = True
        await asyncio.wait_for(serving, 30)


async def test_scraped_metrics_agree_with_status_while_pages_flow(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams, tmp_path: Path
) -> None:
    got = await _run_and_scrape(redis, redis_url, stream_prefix, streams, tmp_path / "index")
    assert got.seen == sorted(got.seen), "a counter never goes down"
    counts, ex = got.status["accounting"], got.extractor
    for outcome, expected in (("extracted", PAGES), ("rejected", 1), ("dead_lettered", 1)):
        assert _value(ex, "pagewire_extractor_pages_total", outcome=outcome) == counts[
            outcome] == expected, outcome  # fmt: skip
    assert _value(ex, "pagewire_extractor_rejected_total", reason="empty") == 1
    assert _value(ex, "pagewire_dead_lettered_total", error_type="InvalidMessage") == 1
    html = sum(
        value
        for (name, labels), value in ex.items()
        if name == "pagewire_extraction_seconds_count" and ("engine", "html") in labels
    )
    assert html == PAGES + 1  # the unreadable entry never reached an engine
    raw = {s["name"]: s for s in got.status["streams"]}[streams.raw]
    assert _value(ex, "pagewire_stream_length", stream=streams.raw) == raw["length"]
    assert _value(ex, "pagewire_stream_pending", stream=streams.raw,
                  group=streams.extractor_group) == 0  # fmt: skip

    ix = got.indexer
    assert _value(ix, "pagewire_indexer_documents") == got.status["documents"] == PAGES
    assert _value(ix, "pagewire_indexer_articles_total") == PAGES
    assert _value(ix, "pagewire_indexer_commit_seconds_count") >= 1
    assert _value(ix, "pagewire_search_request_seconds_count", status="200") == 1
    assert _value(ix, "pagewire_search_request_seconds_count", status="400") == 1
    assert _value(ix, "pagewire_stream_pending", stream=streams.extracted,
                  group=streams.indexer_group) == 0  # fmt: skip
