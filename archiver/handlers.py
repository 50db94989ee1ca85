"""The archiver's stream handlers: read raw pages in batches, write them to WARC files, ack.

Ack policy: manual; entries are acknowledged only once their records are fsynced
(`archiver.warc_files`): up to `batch_size` pages at once, or what has waited
`sync_interval_s` (`runtime.batcher`). A crash in between leaves them pending, and the claimer
(`claim_idle_ms`) hands them to a live archiver, which writes them again: a page may be
archived twice, never missed (replaying both copies leaves one document in the index).
An entry the wire contract refuses is acknowledged without a record: the extractor reads the
same entry and dead-letters it with the reason, once. An entry whose writing fails (a full
disk) stays pending and is retried; past `max_deliveries` it is dead-lettered
(`runtime.delivery`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from faststream.redis import RedisBroker
from pydantic import ValidationError

from archiver.config import ArchiverSettings
from archiver.page_records import page_record
from archiver.warc_files import WarcFiles
from runtime.batcher import Batcher
from runtime.delivery import ConsumerSpec, Entry, subscribe_batches
from runtime.redis_streams import AsyncRedis, ack
from shared.errors import InvalidMessage
from shared.events import PageFetched
from shared.streams import Streams

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Archived:
    """An entry to acknowledge, and its page to write (None: one the contract refuses) with
    the page's bytes decoded from `content_b64` (None for a page that came as text): decoded
    once, to check them and to write them."""

    entry_id: str
    page: PageFetched | None = None
    body: bytes | None = None


def parse(entry: Entry) -> Archived:
    """The entry's page, or none (logged) when the wire contract refuses it."""
    try:
        page = PageFetched.model_validate_json(entry.body)
        body = page.body_bytes()  # bad base64 is refused too
    except (ValidationError, ValueError):
        logger.warning("not archived: entry %s is not a valid raw page", entry.entry_id)
        return Archived(entry.entry_id)
    return Archived(entry.entry_id, page, body)


def write(files: WarcFiles, items: Sequence[Archived]) -> None:
    """Make the records and append them to the files, fsynced (blocking: run in a thread)."""
    files.append([page_record(i.page, i.entry_id, i.body) for i in items if i.page is not None])


def register(
    broker: RedisBroker,
    redis: AsyncRedis,
    settings: ArchiverSettings,
    streams: Streams,
    files: WarcFiles,
) -> Batcher[Archived]:
    """Subscribe the archiver's handlers; returns the buffer the app must start and stop."""
    group = streams.archiver_group

    async def write_and_ack(items: list[Archived]) -> None:
        await asyncio.to_thread(write, files, items)
        await ack(redis, streams.raw, group, [item.entry_id for item in items])

    buffer = Batcher("archive-buffer", write_and_ack, settings.batch_size, settings.sync_interval_s)

    async def archive_pages(entries: Sequence[Entry]) -> list[tuple[Entry, InvalidMessage]]:
        await buffer.put(*(parse(entry) for entry in entries))
        return []

    async def archive_page(entry: Entry) -> None:
        await write_and_ack([parse(entry)])

    names = (streams.raw, group, streams.dead)
    spec = ConsumerSpec.of("archiver", names, settings, settings.batch_size)
    subscribe_batches(broker, redis, spec, archive_pages, archive_page)
    return buffer
