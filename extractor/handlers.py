"""The extractor's stream handlers: read a raw page, run the core, publish the event and ack.

Ack policy: manual; the event is XADDed and the page XACKed in one MULTI/EXEC, so a page is
acknowledged exactly when its result exists. Claimer and delivery cap: `pagewire.delivery`.
"""

from __future__ import annotations

import logging

from faststream.redis import RedisBroker

from extractor.config import ExtractorSettings
from extractor.service import Limits, extract_page, parse_page
from pagewire.delivery import ConsumerSpec, Entry, require_body, subscribe_each
from pagewire.redis_streams import AsyncRedis, publish_and_ack
from shared.events import PageExtracted
from shared.streams import Streams

logger = logging.getLogger(__name__)


def register(
    broker: RedisBroker, redis: AsyncRedis, settings: ExtractorSettings, streams: Streams
) -> None:
    limits = Limits(max_page_bytes=settings.max_page_bytes)

    async def extract_entry(entry: Entry) -> None:
        event = extract_page(parse_page(require_body(entry)), limits)
        if isinstance(event, PageExtracted):
            target, maxlen = streams.extracted, None
        else:
            target, maxlen = streams.rejected, settings.rejected_maxlen
        await publish_and_ack(
            redis,
            target,
            event.model_dump_json(),
            source=streams.raw,
            group=streams.extractor_group,
            entry_id=entry.entry_id,
            maxlen=maxlen,
        )

    names = (streams.raw, streams.extractor_group, streams.dead)
    spec = ConsumerSpec.of("extractor", names, settings, settings.max_records)
    subscribe_each(broker, redis, spec, extract_entry)
