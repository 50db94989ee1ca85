"""Everything pagewire does to Redis streams besides consuming them (the Redis adapter).

Groups are created at `0` (pages published before the first start are not skipped); results,
rejections and dead letters are written as plain JSON in the entry field `__data__`, the same
contract a foreign producer uses; streams are trimmed only below what every group has both
read and acknowledged, so no unconsumed or unacknowledged entry is ever trimmed away.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from shared.events import PageDeadLettered
from shared.streams import DATA_FIELD

logger = logging.getLogger(__name__)

FAILURES_TTL_S = 7 * 24 * 3600
AsyncRedis = Redis


async def ensure_group(redis: AsyncRedis, stream: str, group: str) -> None:
    """XGROUP CREATE <stream> <group> 0 MKSTREAM, tolerating an existing group."""
    try:
        await redis.xgroup_create(stream, group, id="0", mkstream=True)
        logger.info("created group %s on %s at 0", group, stream)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


async def add(
    redis: AsyncRedis, stream: str, payload: bytes | str, maxlen: int | None = None
) -> str:
    """XADD one entry with the payload in `__data__`; returns its id."""
    entry_id = await redis.xadd(
        stream, {DATA_FIELD: payload}, maxlen=maxlen, approximate=maxlen is not None
    )
    return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)


def _failures_key(stream: str, group: str) -> str:
    return f"{stream}:{group}:failures"


async def record_failure(
    redis: AsyncRedis, stream: str, group: str, entry_id: str, error: BaseException
) -> None:
    """Remember why an entry failed, so that the dead letter can say it later."""
    key = _failures_key(stream, group)
    await redis.hset(key, entry_id, f"{type(error).__name__}: {error}"[:2000])
    await redis.expire(key, FAILURES_TTL_S)


async def pop_failure(redis: AsyncRedis, stream: str, group: str, entry_id: str) -> str | None:
    key = _failures_key(stream, group)
    value = await redis.hget(key, entry_id)
    await redis.hdel(key, entry_id)
    if value is None:
        return None
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


@dataclass(frozen=True, slots=True)
class Failure:
    """What a dead letter records about the entry it replaces."""

    stream: str
    group: str
    entry_id: str
    data: bytes
    error: str
    error_type: str
    delivery_count: int
    service: str


def dead_letter_event(failure: Failure) -> PageDeadLettered:
    try:
        original, original_b64 = failure.data.decode("utf-8"), None
    except UnicodeDecodeError:
        original, original_b64 = None, base64.b64encode(failure.data).decode("ascii")
    return PageDeadLettered(
        stream=failure.stream,
        group=failure.group,
        entry_id=failure.entry_id,
        original=original,
        original_b64=original_b64,
        error=failure.error,
        error_type=failure.error_type,
        delivery_count=failure.delivery_count,
        service=failure.service,
        failed_at=datetime.now(UTC),
    )


async def dead_letter(redis: AsyncRedis, dead_stream: str, failure: Failure) -> str:
    """Write the dead letter, then acknowledge the original entry (in one transaction)."""
    event = dead_letter_event(failure)
    logger.warning(
        "dead-lettered %s %s after %d deliveries: %s",
        failure.stream,
        failure.entry_id,
        failure.delivery_count,
        failure.error,
    )
    async with redis.pipeline(transaction=True) as pipe:
        pipe.xadd(dead_stream, {DATA_FIELD: event.model_dump_json()})
        pipe.xack(failure.stream, failure.group, failure.entry_id)
        pipe.hdel(_failures_key(failure.stream, failure.group), failure.entry_id)
        results: list[Any] = await pipe.execute()
    entry = results[0]
    return entry.decode() if isinstance(entry, bytes) else str(entry)


def _id_tuple(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def text(value: Any) -> str:
    """A value redis-py returns as bytes or str, as str."""
    return value.decode() if isinstance(value, bytes) else str(value)


async def safe_trim_id(redis: AsyncRedis, stream: str) -> str | None:
    """The lowest id any group still needs (unread or pending), or None without groups."""
    try:
        groups = await redis.xinfo_groups(stream)
    except ResponseError:
        return None
    if not groups:
        return None
    floor: tuple[int, int] | None = None
    for group in groups:
        name = text(group["name"])
        last = _id_tuple(text(group["last-delivered-id"]))
        candidate = (last[0], last[1] + 1)
        pending = await redis.xpending(stream, name)
        if pending and pending.get("pending"):
            candidate = min(candidate, _id_tuple(text(pending["min"])))
        floor = candidate if floor is None else min(floor, candidate)
    return None if floor is None else f"{floor[0]}-{floor[1]}"


async def trim_consumed(redis: AsyncRedis, stream: str) -> int:
    """XTRIM MINID below what every group has read and acknowledged; returns entries removed."""
    floor = await safe_trim_id(redis, stream)
    if floor is None:
        return 0
    removed = await redis.xtrim(stream, minid=floor, approximate=False)
    return int(removed)


async def ack(redis: AsyncRedis, stream: str, group: str, entry_ids: list[str]) -> None:
    if entry_ids:
        await redis.xack(stream, group, *entry_ids)


Entries = list[tuple[str, dict[bytes, bytes]]]


def _bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()


def normalise_entries(raw: Any) -> Entries:
    """Stream entries as (id, fields) with text ids and byte fields; deleted entries dropped."""
    out: Entries = []
    for entry_id, fields in raw or []:
        if fields is not None:
            out.append((text(entry_id), {_bytes(k): _bytes(v) for k, v in fields.items()}))
    return out


async def read_group(
    redis: AsyncRedis, stream: str, group: str, consumer: str, count: int
) -> Entries:
    """XREADGROUP of new entries, normalised."""
    got: Any = await redis.xreadgroup(group, consumer, {stream: ">"}, count=count)
    return normalise_entries(got[0][1] if got else [])


async def prune_consumers(redis: AsyncRedis, stream: str, group: str, idle_ms: int) -> int:
    """Forget consumers of `group` that hold nothing and were idle `idle_ms` (dead replicas:
    every restart joins under a new `host-pid` name); returns how many were removed."""
    try:
        consumers = await redis.xinfo_consumers(stream, group)
    except ResponseError:
        return 0
    removed = 0
    for consumer in consumers:
        if int(consumer.get("pending", 0)) == 0 and int(consumer.get("idle", 0)) >= idle_ms:
            await redis.xgroup_delconsumer(stream, group, text(consumer["name"]))
            removed += 1
    return removed
