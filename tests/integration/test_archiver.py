"""The archiver's files (rotation, a torn tail) and the service against a real Redis: what it
acknowledges is on disk, what a dead archiver held is taken over, a refused entry is skipped."""

from __future__ import annotations

import json
from pathlib import Path

from redis.asyncio import Redis

from archiver.app import build_app
from archiver.config import ArchiverSettings
from archiver.page_records import page_record
from archiver.warc import Corrupt, Record, read
from archiver.warc_files import WarcFiles
from shared.events import PageFetched
from shared.streams import DATA_FIELD, Streams
from tests.helpers import pending, running, wait_until


def _page(i: int) -> PageFetched:
    return PageFetched(url=f"https://a.example/{i}", content=f"<html><p>page {i} {'x' * 500}</p>")


def _urls(folder: Path) -> list[str | None]:
    found: list[str | None] = []
    for path in sorted(folder.glob("*.warc.gz")):
        with path.open("rb") as stream:
            found += [r.target_uri for r in read(stream, lambda _: False) if isinstance(r, Record)]
    return found


def test_files_rotate_by_size_and_by_age_and_keep_the_order(tmp_path: Path) -> None:
    now = [0.0]
    files = WarcFiles(tmp_path, "pagewire-a/b", max_bytes=1, max_age_s=60, clock=lambda: now[0])
    for i in range(3):  # each write finds the file at its size limit
        files.append([page_record(_page(i), f"{i}-0", _page(i).body_bytes())])
    assert len(list(tmp_path.glob("*.warc.gz"))) == 3
    files.max_bytes = 1 << 30
    files.append([page_record(_page(i), f"{i}-0", _page(i).body_bytes()) for i in range(3, 6)])
    now[0] = 61.0  # the open file is too old: the next write begins another
    files.append([page_record(_page(6), "6-0", _page(6).body_bytes())])
    files.close()
    names = sorted(p.name for p in tmp_path.glob("*.warc.gz"))
    assert len(names) == 4 and all(n.startswith("pagewire-a_b-") for n in names)
    assert _urls(tmp_path) == [f"https://a.example/{i}" for i in range(7)]


def test_a_torn_last_member_is_reported_and_every_whole_record_read(tmp_path: Path) -> None:
    files = WarcFiles(tmp_path, "p", max_bytes=1 << 20, max_age_s=60)
    files.append([page_record(_page(i), f"{i}-0", _page(i).body_bytes()) for i in range(3)])
    path = files.current
    assert path is not None
    files.close()
    whole = path.read_bytes()
    path.write_bytes(whole + whole[: len(whole) // 5])  # a crash in the middle of a write
    with path.open("rb") as stream:
        items = list(read(stream, lambda _: True))
    assert [r.target_uri for r in items if isinstance(r, Record)] == [
        f"https://a.example/{i}" for i in range(3)
    ]
    [torn] = [c for c in items if isinstance(c, Corrupt)]
    assert torn.offset == len(whole)


def test_a_last_member_cut_anywhere_is_reported_never_read_as_a_record(tmp_path: Path) -> None:
    files = WarcFiles(tmp_path, "p", max_bytes=1 << 20, max_age_s=60)
    files.append([page_record(_page(0), "0-0", _page(0).body_bytes())])
    path = files.current
    assert path is not None
    second_at = path.stat().st_size  # where the second record's member starts
    files.append([page_record(_page(1), "1-0", _page(1).body_bytes())])
    files.close()
    whole = path.read_bytes()
    with path.open("rb") as stream:
        first, second = [r for r in read(stream, lambda _: True) if isinstance(r, Record)]
    for cut in range(second_at + 10, len(whole) - 1, max(1, (len(whole) - second_at) // 40)):
        path.write_bytes(whole[:cut])  # a crash anywhere in the last write, its headers too
        with path.open("rb") as stream:
            items = list(read(stream, lambda _: True))
        assert [r.target_uri for r in items if isinstance(r, Record)] == [first.target_uri]
        assert [c.offset for c in items if isinstance(c, Corrupt)] == [second_at], cut
    assert second.target_uri == "https://a.example/1"


def _settings(redis_url: str, prefix: str, folder: Path) -> ArchiverSettings:
    return ArchiverSettings(
        redis_url=redis_url,
        stream_prefix=prefix,
        consumer_name="arch-1",
        dir=folder,
        claim_idle_ms=1000,
        sync_interval_s=0.1,
    )


async def test_the_archiver_takes_over_what_a_dead_one_held_and_skips_refused_entries(
    redis: Redis, redis_url: str, stream_prefix: str, streams: Streams, tmp_path: Path
) -> None:
    for i in range(5):
        await redis.xadd(streams.raw, {DATA_FIELD: _page(i).model_dump_json()})
    await redis.xadd(streams.raw, {DATA_FIELD: json.dumps({"content": "no url"})})
    await redis.xgroup_create(streams.raw, streams.archiver_group, id="0", mkstream=True)
    # another archiver read two entries and died before writing them
    await redis.xreadgroup(streams.archiver_group, "dead-1", {streams.raw: ">"}, count=2)
    app = build_app(_settings(redis_url, stream_prefix, tmp_path))
    async with running(app):

        async def all_acked() -> bool:
            return await pending(redis, streams.raw, streams.archiver_group) == 0

        await wait_until(all_acked, within=30)
    assert sorted(u or "" for u in _urls(tmp_path)) == [f"https://a.example/{i}" for i in range(5)]
    assert await redis.xlen(streams.dead) == 0  # the extractor dead-letters it, not this
