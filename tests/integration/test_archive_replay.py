"""Archive, upgrade the engine, replay: every article is extracted again once, nothing lost,
nothing doubled (real Redis, the real services in this process, the real store)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from redis.asyncio import Redis
from warcio.archiveiterator import ArchiveIterator

from archiver.app import build_app as build_archiver
from archiver.config import ArchiverSettings
from extractor.app import build_app as build_extractor
from indexer.app import IndexerApp
from indexer.app import build_app as build_indexer
from indexer.config import IndexerSettings
from pagewire.cli import main
from runtime.redis_streams import text
from shared.streams import DATA_FIELD, Streams
from tests.factories import article_page
from tests.helpers import events, extractor_settings, running, wait_until

ARTICLES = 24
WORDS = ["harbour", "orchard", "glacier", "lantern", "meadow", "quarry", "violin", "walnut"]


def _page(i: int) -> dict[str, str]:
    word = WORDS[i % len(WORDS)]
    title = f"Volunteers restore the {word} number {i} after years of neglect"
    paragraphs = [
        f"Residents gathered on Saturday to restore the {word} number {i}, which had been left "
        f"to decay for more than {i + 10} years, the organisers of the project said.",
        f"Work on the {word} began in the spring with a survey by local students, who counted "
        f"{i * 3 + 7} problems to fix before the summer festival could take place.",
        "The council promised to match every hour given by a volunteer with money for tools, "
        "and said that similar projects could follow in the neighbouring villages next year.",
    ]
    url = f"https://news{i % 3}.example/stories/{i}"
    html = article_page(title, paragraphs, site_name="Valley News")
    if i % 4 == 1:  # bytes in a legacy charset, declared in the headers
        return {
            "url": url,
            "content_b64": base64.b64encode(html.encode("cp1252")).decode(),
            "headers": {"Content-Type": "text/html; charset=windows-1252"},  # type: ignore[dict-item]
            "fetched_at": f"2024-05-01T12:{i:02d}:00.{i:06d}Z",
        }
    if i % 4 == 2:  # a producer that gives no fetch time
        return {"url": url, "content": html}
    return {"url": url, "content": html, "fetched_at": f"2024-05-01T12:{i:02d}:00.123456Z"}


NOT_ARTICLES = [
    {"url": "https://news0.example/empty", "content": ""},
    {"url": "https://news0.example/blank", "content": "<html><body></body></html>"},
]


async def _drained(redis: Redis, streams: Streams, group: str) -> bool:
    for info in await redis.xinfo_groups(streams.raw):
        if text(info["name"]) == group:
            return int(info["pending"]) == 0 and info.get("lag") == 0
    return False


async def test_archive_then_replay_with_a_newer_engine_re_extracts_every_article_once(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams, tmp_path: Path
) -> None:
    archive = tmp_path / "archive"
    common: dict[str, Any] = {
        "redis_url": redis_url,
        "stream_prefix": stream_prefix,
        "claim_idle_ms": 1000,
        "trim_interval_s": 3600,
    }
    archiver = build_archiver(
        ArchiverSettings(**common, consumer_name="arch-1", dir=archive, sync_interval_s=0.1)
    )
    indexer_settings = IndexerSettings(
        **common, consumer_name="idx-1", batch_size=8, data_dir=tmp_path / "index"
    )
    for page in [*map(_page, range(ARTICLES)), *NOT_ARTICLES]:
        await redis.xadd(streams.raw, {DATA_FIELD: json.dumps(page)})

    # 1. the pipeline with engine 1 and the archiver beside it
    indexer = build_indexer(indexer_settings)
    extractor = build_extractor(
        extractor_settings(
            redis_url, stream_prefix, site_memory=False, engine_version=1, trim_interval_s=3600
        )
    )
    async with running(indexer), running(extractor), running(archiver):
        await wait_until(lambda: _indexed(indexer, ARTICLES), within=60)
        await wait_until(lambda: _drained(redis, streams, streams.archiver_group))
    first = {e["id"]: e for e in await events(redis, streams.extracted)}
    assert len(first) == ARTICLES and {e["engine_version"] for e in first.values()} == {1}

    archived = _archived(archive)
    assert sorted(archived) == sorted(
        p["url"] for p in [*map(_page, range(ARTICLES)), *NOT_ARTICLES]
    )

    # 2. a newer engine, and the archive replayed through the real command
    result = CliRunner().invoke(
        main, ["replay", str(archive), "--redis-url", redis_url, "--stream-prefix", stream_prefix]
    )
    assert result.exit_code == 0, result.output
    assert f"replayed {ARTICLES + len(NOT_ARTICLES)} pages" in result.output
    indexer = build_indexer(indexer_settings)
    extractor = build_extractor(
        extractor_settings(
            redis_url, stream_prefix, site_memory=False, engine_version=2, trim_interval_s=3600
        )
    )
    async with running(indexer), running(extractor):
        await wait_until(lambda: _indexer_drained(redis, streams, 2 * ARTICLES), within=60)
        stored = [indexer.store.get(article_id) for article_id in first]
        count = indexer.store.count()
    again = [e for e in await events(redis, streams.extracted) if e["engine_version"] == 2]
    assert sorted(e["id"] for e in again) == sorted(first)  # each re-extracted once
    assert count == ARTICLES  # nothing doubled
    assert all(a is not None and a.engine_version == 2 for a in stored)  # every one replaced
    for event in again:  # the same fetch: what was known of it came back as it was
        assert event["fetched_at"] == first[event["id"]]["fetched_at"] or (
            first[event["id"]]["fetched_at"] is None and event["fetched_at"] is None
        )
        assert event["title"] == first[event["id"]]["title"]
    assert len(await events(redis, streams.rejected)) == 2 * len(NOT_ARTICLES)


def _archived(folder: Path) -> list[str]:
    """The target URIs of every response record, read with warcio (another library than the
    one that wrote them)."""
    urls = []
    for path in sorted(folder.glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    urls.append(record.rec_headers.get_header("WARC-Target-URI"))
    return urls


async def _indexed(indexer: IndexerApp, expected: int) -> bool:
    return indexer.store.count() == expected


async def _indexer_drained(redis: Redis, streams: Streams, events_expected: int) -> bool:
    if await redis.xlen(streams.extracted) < events_expected:
        return False
    info = {text(g["name"]): g for g in await redis.xinfo_groups(streams.extracted)}
    group = info.get(streams.indexer_group)
    return group is not None and int(group["pending"]) == 0 and group.get("lag") == 0
