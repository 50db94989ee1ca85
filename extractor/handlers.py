"""The extractor's stream handlers: read a raw page, run the core, publish the event and ack.

Ack policy: manual; events are XADDed and their pages XACKed together in one MULTI/EXEC
(`pagewire.outbox`: up to `max_records` at once, or what waited `publish_interval_s`), so a
page is acknowledged exactly when its result exists. Claimer and delivery cap:
`pagewire.delivery`.
"""

from __future__ import annotations

import logging

from faststream.redis import RedisBroker

from extractor.config import ExtractorSettings
from extractor.service import Limits, extract_page, parse_page
from pagewire.delivery import ConsumerSpec, Entry, require_body, subscribe_each
from pagewire.outbox import Outbox, Outgoing
from pagewire.redis_streams import AsyncRedis
from shared.events import PageExtracted
from shared.streams import Streams

logger = logging.getLogger(__name__)


def register(
    broker: RedisBroker, redis: AsyncRedis, settings: ExtractorSettings, streams: Streams
) -> Outbox:
    """Subscribe the extractor's handlers; returns the outbox the app must start and stop."""
    limits = Limits(max_page_bytes=settings.max_page_bytes)
    outbox = Outbox(redis, streams.raw, streams.extractor_group, settings.max_records,
                    settings.publish_interval_s)  # fmt: skip

    async def extract_entry(entry: Entry) -> None:
        event = extract_page(parse_page(require_body(entry)), limits)
        if isinstance(event, PageExtracted):
            target, maxlen = streams.extracted, None
        else:
            target, maxlen = streams.rejected, settings.rejected_maxlen
        await outbox.put(Outgoing(target, event.model_dump_json(), entry.entry_id, maxlen))

    names = (streams.raw, streams.extractor_group, streams.dead)
    spec = ConsumerSpec.of("extractor", names, settings, settings.max_records)
    subscribe_each(broker, redis, spec, extract_entry)
    return outbox
