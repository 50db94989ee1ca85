"""The extractor's stream handlers: read a raw page, run the core, publish the event and ack.

Ack policy: manual; events are XADDed and their pages XACKed together in one MULTI/EXEC
(`runtime.outbox`: up to `max_records` at once, or what waited `publish_interval_s`), so a
page is acknowledged exactly when its result exists. Claimer and delivery cap:
`runtime.delivery`.

Site memory (`extractor.boilerplate`, `extractor.site_memory`): before a page is extracted its
host's learned boilerplate is read (one round trip) and handed to the engine; after, the page's
fingerprints are recorded (one atomic script) under its article id, so a redelivered page is
not counted twice.
"""

from __future__ import annotations

import time

from faststream.redis import RedisBroker

from extractor.boilerplate import PagePass, Policy, SiteMemory
from extractor.config import ExtractorSettings
from extractor.core import Limits, engine_name, extract_page, parse_page
from extractor.metrics import ExtractorMetrics
from extractor.site_memory import RedisSiteMemory
from extractor.urls import article_id
from extractor.version import ENGINE_VERSION
from runtime.delivery import ConsumerSpec, Entry, require_body, subscribe_each
from runtime.logs import page_context
from runtime.outbox import Outbox, Outgoing
from runtime.redis_streams import AsyncRedis
from shared.events import ExtractionEvent, PageExtracted, PageFetched
from shared.hosts import site_of
from shared.streams import Streams


def register(
    broker: RedisBroker, redis: AsyncRedis, settings: ExtractorSettings, streams: Streams,
    metrics: ExtractorMetrics,
) -> Outbox:  # fmt: skip
    """Subscribe the extractor's handlers; returns the outbox the app must start and stop."""
    limits = Limits(max_page_bytes=settings.max_page_bytes)
    version = settings.engine_version
    outbox = Outbox(redis, streams.raw, streams.extractor_group, settings.max_records,
                    settings.publish_interval_s)  # fmt: skip

    policy = settings.site_policy()
    memory = (
        RedisSiteMemory(redis, settings.stream_prefix, policy, ttl_s=settings.site_memory_ttl_s,
                        max_hosts=settings.site_memory_max_hosts)
        if settings.site_memory
        else None
    )  # fmt: skip

    async def extract_entry(entry: Entry) -> None:
        page = parse_page(require_body(entry))
        with page_context(page.url):
            started = time.perf_counter()
            if memory is None:
                event = extract_page(page, limits, engine_version=version)
            else:
                event = await extract_with_memory(page, limits, memory, policy, version)
            metrics.observe(event, engine_name(page), time.perf_counter() - started)
        if isinstance(event, PageExtracted):
            target, maxlen = streams.extracted, None
        else:
            target, maxlen = streams.rejected, settings.rejected_maxlen
        await outbox.put(Outgoing(target, event.model_dump_json(), entry.entry_id, maxlen))

    names = (streams.raw, streams.extractor_group, streams.dead)
    spec = ConsumerSpec.of("extractor", names, settings, settings.max_records)
    subscribe_each(broker, redis, spec, extract_entry, on_dead_letter=metrics.count_dead_letter)
    return outbox


async def extract_with_memory(
    page: PageFetched, limits: Limits, memory: SiteMemory, policy: Policy,
    engine_version: int = ENGINE_VERSION,
) -> ExtractionEvent:  # fmt: skip
    """Extract with the host's learned boilerplate, then count the page's blocks for its host."""
    host = site_of(page.url)
    if not host:
        return extract_page(page, limits, engine_version=engine_version)
    seen = PagePass(await memory.counts(host), policy)
    event = extract_page(page, limits, boilerplate=seen, engine_version=engine_version)
    if seen.fingerprints:
        key = event.id if isinstance(event, PageExtracted) else article_id(page.url)
        await memory.record(host, key, seen.fingerprints)
    return event
