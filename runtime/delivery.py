"""Consuming a Redis stream with faststream 0.7: a reader, a claimer, a delivery cap, dead letters.

For each input stream a service registers two subscribers on the same consumer group:
- the **reader** (`XREADGROUP >`, `max_records` at a time) gets new entries;
- the **claimer** (`XAUTOCLAIM`, `min_idle_time`) takes over entries left pending by a
  consumer that crashed or failed, one at a time.
Both use `AckPolicy.MANUAL`: an entry is acknowledged by the service itself only once its result
is published or committed (the extractor does XADD + XACK in one MULTI/EXEC). The outcome of
every exception is decided here, in one place:
- `InvalidMessage`: dead-lettered at once (retrying cannot help);
- anything else: the error is recorded and the entry stays pending; the claimer redelivers it
  after `claim_idle_ms`; once it has been delivered more than `max_deliveries` times it is
  dead-lettered with the last recorded error.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, Literal

from faststream import AckPolicy
from faststream.redis import RedisBroker, StreamSub
from faststream.redis.annotations import RedisBatchStreamMessage, RedisStreamMessage
from faststream.redis.parser.binary import BinaryMessageFormatV1

from runtime.logs import entry_context
from runtime.redis_conn import RedisTarget
from runtime.redis_streams import AsyncRedis, Failure, dead_letter, pop_failure, record_failure
from runtime.settings import ConsumerSettings
from shared.errors import InvalidMessage
from shared.streams import DATA_FIELD

logger = logging.getLogger(__name__)
_DATA_KEY = DATA_FIELD.encode()


@dataclass(frozen=True, slots=True)
class Entry:
    """One stream entry: its id, the raw `__data__` value and the payload inside it."""

    entry_id: str
    data: bytes
    body: bytes
    delivery_count: int = 1


@dataclass(frozen=True, slots=True)
class ConsumerSpec:
    """How one service consumes one stream."""

    service: str
    stream: str
    group: str
    consumer: str
    dead_stream: str
    max_records: int
    claim_idle_ms: int
    max_deliveries: int
    polling_ms: int = 100

    @classmethod
    def of(
        cls, service: str, streams: tuple[str, str, str], settings: ConsumerSettings,
        max_records: int,
    ) -> ConsumerSpec:  # fmt: skip
        """A spec from a service's settings; `streams` is (input stream, group, dead letters)."""
        stream, group, dead = streams
        return cls(service, stream, group, settings.consumer_name, dead, max_records,
                   settings.claim_idle_ms, settings.max_deliveries)  # fmt: skip


HandleOne = Callable[[Entry], Awaitable[None]]
OnDeadLetter = Callable[[str], None]
"""Told the error type of each entry dead-lettered (the services count them)."""


class WireFormat(BinaryMessageFormatV1):
    """`__data__` is plain JSON (our contract) or FastStream's binary envelope.

    FastStream's own parser also tries every plain payload as its pre-0.6 JSON envelope, which
    costs a full JSON parse of each page; only the binary envelope is recognised here."""

    @classmethod
    def parse(cls, data: bytes) -> tuple[bytes, dict[str, Any]]:
        if data.startswith(cls.IDENTITY_HEADER):
            return BinaryMessageFormatV1.parse(data)
        return data, {}


async def keep_raw(msg: Any) -> Any:
    """Decoder that leaves the body undecoded: handlers read raw entries themselves, so
    FastStream's JSON decoding of every page would be wasted work."""
    return msg.body


# A batch handler returns the entries it found invalid; the others it has handled and acked.
HandleBatch = Callable[[Sequence[Entry]], Awaitable[list[tuple[Entry, InvalidMessage]]]]


def make_broker(target: RedisTarget) -> RedisBroker:
    """The broker both services run on: our wire format, 30 s to finish in-flight work on
    stop, FastStream's own logs at debug level; credentials and TLS files from `target`,
    never logged."""
    return RedisBroker(
        target.url,
        graceful_timeout=30.0,
        log_level=logging.DEBUG,
        message_format=WireFormat,
        **target.kwargs(),
    )


def _entry(entry_id: Any, fields: Any, delivery_count: int = 1) -> Entry:
    ident = entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)
    data = fields.get(_DATA_KEY) if isinstance(fields, dict) else None
    if data is None:
        names = sorted(k.decode("utf-8", "replace") for k in fields) if fields else []
        return Entry(ident, repr(names).encode(), b"", delivery_count)
    body, _headers = WireFormat.parse(data)
    return Entry(ident, data, body, delivery_count)


def require_body(entry: Entry) -> bytes:
    """The payload, or InvalidMessage when the entry has no `__data__` field."""
    if not entry.body:
        # The field names, or an empty envelope: binary, escaped so that the message stays text.
        fields = entry.data[:200].decode("utf-8", "replace").encode("unicode_escape").decode()
        raise InvalidMessage(f"entry has no or an empty {DATA_FIELD!r} field (fields: {fields})")
    return entry.body


class Delivery:
    """Runs handlers over entries and maps every exception to its outcome."""

    def __init__(
        self, redis: AsyncRedis, spec: ConsumerSpec, on_dead_letter: OnDeadLetter | None = None
    ) -> None:
        self.redis = redis
        self.spec = spec
        self.on_dead_letter = on_dead_letter

    async def _dead_letter(self, failure: Failure) -> None:
        await dead_letter(self.redis, self.spec.dead_stream, failure)
        if self.on_dead_letter is not None:
            self.on_dead_letter(failure.error_type)

    def _failure(self, entry: Entry, error: str, error_type: str) -> Failure:
        s = self.spec
        return Failure(
            s.stream,
            s.group,
            entry.entry_id,
            entry.data,
            error,
            error_type,
            entry.delivery_count,
            s.service,
        )

    async def run(self, entries: Sequence[Entry], handle: Callable[[], Awaitable[None]]) -> None:
        """Run `handle` for `entries`; on failure record it so the claimer can retry or give up.
        A single entry's id is on every line logged meanwhile (`runtime.logs`)."""
        with entry_context(entries[0].entry_id) if len(entries) == 1 else nullcontext():
            await self._run(entries, handle)

    async def _run(self, entries: Sequence[Entry], handle: Callable[[], Awaitable[None]]) -> None:
        try:
            await handle()
        except InvalidMessage as exc:  # only raised for single entries
            for entry in entries:
                await self._dead_letter(self._failure(entry, str(exc), "InvalidMessage"))
        except Exception as exc:
            logger.exception(
                "%s failed on %d entries of %s; left pending for retry",
                self.spec.service,
                len(entries),
                self.spec.stream,
            )
            for entry in entries:
                await record_failure(
                    self.redis, self.spec.stream, self.spec.group, entry.entry_id, exc
                )

    async def run_batch(self, entries: Sequence[Entry], handle: HandleBatch) -> None:
        invalid: list[tuple[Entry, InvalidMessage]] = []

        async def handle_all() -> None:
            invalid.extend(await handle(entries))

        await self.run(entries, handle_all)
        for entry, exc in invalid:
            await self._dead_letter(self._failure(entry, str(exc), "InvalidMessage"))

    async def give_up(self, entry: Entry) -> None:
        reason = await pop_failure(self.redis, self.spec.stream, self.spec.group, entry.entry_id)
        error_type, _, error = (reason or "").partition(": ")
        if not reason:
            error_type = "DeliveryLimit"
            error = "the consumer stopped or crashed while handling it, every time"
        await self._dead_letter(self._failure(entry, error, error_type))


def subscribe_each(
    broker: RedisBroker, redis: AsyncRedis, spec: ConsumerSpec, handle: HandleOne,
    *, on_dead_letter: OnDeadLetter | None = None,
) -> None:  # fmt: skip
    """Reader and claimer that hand entries to `handle` one at a time."""
    delivery = Delivery(redis, spec, on_dead_letter)

    reader: StreamSub[Literal[False]] = StreamSub(
        spec.stream,
        group=spec.group,
        consumer=spec.consumer,
        max_records=spec.max_records,
        polling_interval=spec.polling_ms,
    )

    @broker.subscriber(stream=reader, ack_policy=AckPolicy.MANUAL, decoder=keep_raw)
    async def read_entry(msg: RedisStreamMessage) -> None:
        entry = _entry(msg.raw_message["message_ids"][0], msg.raw_message["data"])
        await delivery.run([entry], lambda: handle(entry))

    _subscribe_claimer(broker, spec, delivery, handle)


def subscribe_batches(
    broker: RedisBroker,
    redis: AsyncRedis,
    spec: ConsumerSpec,
    handle_batch: HandleBatch,
    handle: HandleOne,
    *,
    on_dead_letter: OnDeadLetter | None = None,
) -> None:
    """Reader of batches of up to `max_records` entries; the claimer retries them one by one."""
    delivery = Delivery(redis, spec, on_dead_letter)

    reader: StreamSub[Literal[True]] = StreamSub(
        spec.stream,
        group=spec.group,
        consumer=spec.consumer,
        batch=True,
        max_records=spec.max_records,
        polling_interval=spec.polling_ms,
    )

    @broker.subscriber(stream=reader, ack_policy=AckPolicy.MANUAL, decoder=keep_raw)
    async def read_batch(msg: RedisBatchStreamMessage) -> None:
        raw = msg.raw_message
        entries = [_entry(i, f) for i, f in zip(raw["message_ids"], raw["data"], strict=True)]
        await delivery.run_batch(entries, handle_batch)

    _subscribe_claimer(broker, spec, delivery, handle)


def _subscribe_claimer(
    broker: RedisBroker, spec: ConsumerSpec, delivery: Delivery, handle: HandleOne
) -> None:
    claim = StreamSub(
        spec.stream,
        group=spec.group,
        consumer=spec.consumer,
        max_records=1,
        min_idle_time=spec.claim_idle_ms,
        polling_interval=spec.polling_ms,
    )

    @broker.subscriber(stream=claim, ack_policy=AckPolicy.MANUAL, decoder=keep_raw)
    async def reclaim_entry(msg: RedisStreamMessage) -> None:
        count = await msg.get_delivery_count()
        entry = _entry(msg.raw_message["message_ids"][0], msg.raw_message["data"], count)
        if count > spec.max_deliveries:
            await delivery.give_up(entry)
            return
        logger.info("retrying %s %s (delivery %d)", spec.stream, entry.entry_id, count)
        await delivery.run([entry], lambda: handle(entry))
