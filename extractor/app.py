"""The extractor's composition root: `build_app(settings)` wires broker, handlers and chores.

Nothing connects before the app starts.
"""

from __future__ import annotations

import logging
from typing import Any

from faststream import FastStream

from extractor.config import ExtractorSettings
from extractor.handlers import register
from extractor.html import extraction_quality, main_blocks, page_type
from extractor.metrics import ExtractorMetrics
from extractor.text import line_model
from runtime.delivery import make_broker
from runtime.housekeeping import Housekeeper
from runtime.periodic import Periodic
from runtime.redis_streams import ensure_group
from shared.streams import Streams

logger = logging.getLogger(__name__)


def build_app(settings: ExtractorSettings) -> FastStream:
    # the learned models: a missing or stale file stops the start, not a page
    page_type.load()
    main_blocks.SHIPPED.load()
    extraction_quality.SHIPPED.load()
    line_model.shipped()
    streams = Streams.with_prefix(settings.stream_prefix)
    target = settings.redis_target()
    broker = make_broker(target)
    redis = target.async_client()
    metrics = ExtractorMetrics()
    outbox = register(broker, redis, settings, streams, metrics)
    stream_gauges = Periodic(
        "stream-metrics", settings.metrics_interval_s,
        lambda: metrics.refresh_streams(redis, (streams.raw, streams.dead)),
    )  # fmt: skip
    server: list[Any] = []  # the metrics endpoint, while the app runs
    housekeeper = Housekeeper(
        redis,
        streams.raw,
        streams.extractor_group,
        settings.trim_interval_s,
        settings.heartbeat_file,
    )
    app = FastStream(broker, logger=logger)

    @app.on_startup
    async def create_group() -> None:
        await ensure_group(redis, streams.raw, streams.extractor_group)

    @app.after_startup
    async def start_chores() -> None:
        outbox.start()
        housekeeper.start()
        if settings.metrics_port is not None:
            server.append(metrics.serve(settings.metrics_port, settings.metrics_host))
            stream_gauges.start()
        logger.info(
            "extractor %s consuming %s on %s",
            settings.consumer_name, streams.raw, target.display,
        )  # fmt: skip

    @app.on_shutdown
    async def stop_chores() -> None:
        await housekeeper.stop()
        await stream_gauges.stop()
        while server:
            metrics_server = server.pop()
            metrics_server.shutdown()
            metrics_server.server_close()

    @app.after_shutdown
    async def close_redis() -> None:
        await outbox.stop()  # the broker has stopped: nothing more can arrive
        await redis.aclose()

    return app
