"""The indexer's stream handlers: read extracted articles in batches, upsert them, then ack.

Ack policy: manual; entries are acknowledged only after the store has committed their articles
(`indexer.commit_buffer.CommitBuffer` commits up to `batch_size` articles at once, or what has
waited `commit_interval_s`). A crash in between redelivers them, which the store's upsert by
article id makes harmless (idempotent).
Claimer and delivery cap: `runtime.delivery`; the claimer retries entries one at a time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from faststream.redis import RedisBroker
from pydantic import ValidationError

from indexer.commit_buffer import Buffered, CommitBuffer
from indexer.config import IndexerSettings
from indexer.metrics import IndexerMetrics
from indexer.store import Store
from runtime.delivery import ConsumerSpec, Entry, require_body, subscribe_batches
from runtime.redis_streams import AsyncRedis, ack
from shared.errors import InvalidMessage, describe_invalid
from shared.events import PageExtracted
from shared.streams import Streams


def parse_article(body: bytes) -> PageExtracted:
    try:
        return PageExtracted.model_validate_json(body)
    except ValidationError as exc:
        raise InvalidMessage(describe_invalid("invalid article event", exc)) from exc


def register(
    broker: RedisBroker,
    redis: AsyncRedis,
    store: Store,
    settings: IndexerSettings,
    streams: Streams,
    *,
    metrics: IndexerMetrics,
) -> CommitBuffer:
    """Subscribe the indexer's handlers; returns the buffer the app must start and stop."""
    group = streams.indexer_group

    async def ack_entries(entry_ids: list[str]) -> None:
        await ack(redis, streams.extracted, group, entry_ids)

    buffer = CommitBuffer(store, ack_entries, settings.batch_size, settings.commit_interval_s,
                          metrics.observe_commit)  # fmt: skip

    async def index_articles(entries: Sequence[Entry]) -> list[tuple[Entry, InvalidMessage]]:
        valid: list[Buffered] = []
        invalid: list[tuple[Entry, InvalidMessage]] = []
        for entry in entries:
            try:
                valid.append(Buffered(parse_article(require_body(entry)), entry.entry_id))
            except InvalidMessage as exc:
                invalid.append((entry, exc))
        await buffer.put(*valid)
        return invalid

    async def index_article(entry: Entry) -> None:
        article = parse_article(require_body(entry))
        started = time.perf_counter()
        written = await asyncio.to_thread(store.upsert, [article])
        metrics.observe_commit(1, written, time.perf_counter() - started)
        await ack(redis, streams.extracted, group, [entry.entry_id])

    names = (streams.extracted, group, streams.dead)
    spec = ConsumerSpec.of("indexer", names, settings, settings.batch_size)
    subscribe_batches(broker, redis, spec, index_articles, index_article,
                      on_dead_letter=metrics.count_dead_letter)  # fmt: skip
    return buffer
