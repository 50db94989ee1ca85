"""Group creation, dead letters and safe trimming against a real Redis server."""

from __future__ import annotations

from redis import Redis as SyncRedis
from redis.asyncio import Redis

from pagewire import dlq
from runtime.redis_streams import (
    Failure,
    dead_letter,
    ensure_group,
    normalise_entries,
    read_group,
    trim_consumed,
)
from shared.streams import DATA_FIELD, Streams
from tests.helpers import pending

DATA = DATA_FIELD.encode()


async def _ids(redis: Redis, stream: str) -> list[str]:
    return [i for i, _ in normalise_entries(await redis.xrange(stream))]


async def test_group_starts_at_zero_and_creation_is_idempotent(
    redis: Redis, streams: Streams
) -> None:
    await redis.xadd(streams.raw, {DATA_FIELD: "early"})
    await ensure_group(redis, streams.raw, "g")
    await ensure_group(redis, streams.raw, "g")
    got = await read_group(redis, streams.raw, "g", "c", 10)
    assert [fields[DATA] for _, fields in got] == [b"early"]


async def test_trim_never_removes_unread_or_unacked_entries(redis: Redis, streams: Streams) -> None:
    for i in range(10):
        await redis.xadd(streams.raw, {DATA_FIELD: str(i)})
    ids = await _ids(redis, streams.raw)
    await ensure_group(redis, streams.raw, "fast")
    await ensure_group(redis, streams.raw, "slow")
    fast = await read_group(redis, streams.raw, "fast", "c", 10)
    await redis.xack(streams.raw, "fast", *[i for i, _ in fast[:6]])  # 6 acked, 4 pending
    slow = await read_group(redis, streams.raw, "slow", "c", 8)
    await redis.xack(streams.raw, "slow", *[i for i, _ in slow])  # 8 read and acked
    assert await trim_consumed(redis, streams.raw) == 6
    assert await _ids(redis, streams.raw) == ids[6:]
    assert await pending(redis, streams.raw, "fast") == 4


async def test_trim_without_groups_removes_nothing(redis: Redis, streams: Streams) -> None:
    await redis.xadd(streams.raw, {DATA_FIELD: "x"})
    assert await trim_consumed(redis, streams.raw) == 0
    assert await redis.xlen(streams.raw) == 1


async def test_the_outbox_writes_results_and_acks_their_entries_together(
    redis: Redis, streams: Streams
) -> None:
    from runtime.outbox import Outbox, Outgoing

    for page in ("a", "b", "c"):
        await redis.xadd(streams.raw, {DATA_FIELD: page})
    await ensure_group(redis, streams.raw, "g")
    entries = await read_group(redis, streams.raw, "g", "c", 3)
    outbox = Outbox(redis, streams.raw, "g", max_size=2, max_wait_s=60)
    for entry_id, fields in entries:
        await outbox.put(Outgoing(streams.extracted, fields[DATA].upper(), entry_id))
    assert await redis.xlen(streams.extracted) == 2  # the first full batch
    assert await pending(redis, streams.raw, "g") == 1  # the third waits, unacknowledged
    await outbox.stop()
    written = [f[DATA] for _, f in normalise_entries(await redis.xrange(streams.extracted))]
    assert written == [b"A", b"B", b"C"]
    assert await pending(redis, streams.raw, "g") == 0


async def test_dead_letters_can_be_listed_replayed_and_dropped(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    await redis.xadd(streams.raw, {DATA_FIELD: b"\xff binary"})
    await redis.xadd(streams.raw, {DATA_FIELD: '{"url": "u"}'})
    await ensure_group(redis, streams.raw, "g")
    for entry_id, fields in await read_group(redis, streams.raw, "g", "c", 2):
        failure = Failure(streams.raw, "g", entry_id, fields[DATA], "bad", "InvalidMessage", 1,
                          "extractor")  # fmt: skip
        await dead_letter(redis, streams.dead, failure)
    assert await pending(redis, streams.raw, "g") == 0
    with SyncRedis.from_url(redis_url) as sync:
        letters = dlq.list_letters(sync, streams.dead)
        assert [letter.original_bytes() for letter in letters] == [b"\xff binary", b'{"url": "u"}']
        assert letters[0].event.original_b64 and letters[1].event.original == '{"url": "u"}'
        assert dlq.replay(sync, streams.dead, [letters[1].entry_id]) == 1
        assert dlq.drop(sync, streams.dead) == 1
    assert await redis.xlen(streams.dead) == 0
    last = normalise_entries(await redis.xrevrange(streams.raw, count=1))
    assert last[0][1][DATA] == b'{"url": "u"}'


async def test_idle_consumers_without_pending_entries_are_forgotten(
    redis: Redis, streams: Streams
) -> None:
    from runtime.redis_streams import prune_consumers

    await redis.xadd(streams.raw, {DATA_FIELD: "a"})
    await redis.xadd(streams.raw, {DATA_FIELD: "b"})
    await ensure_group(redis, streams.raw, "g")
    [(done, _)] = await read_group(redis, streams.raw, "g", "dead-replica", 1)
    await redis.xack(streams.raw, "g", done)
    await read_group(redis, streams.raw, "g", "busy-replica", 1)  # keeps one pending
    assert await prune_consumers(redis, streams.raw, "g", idle_ms=0) == 1
    names = [c["name"] for c in await redis.xinfo_consumers(streams.raw, "g")]
    assert names in ([b"busy-replica"], ["busy-replica"])
