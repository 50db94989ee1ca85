"""The archiver's composition root: `build_app(settings)` wires broker, handlers and files.

Nothing connects, and no file is opened, before the app starts.
"""

from __future__ import annotations

import logging

from faststream import FastStream

from archiver.config import ArchiverSettings
from archiver.handlers import register
from archiver.warc_files import WarcFiles
from runtime.delivery import make_broker
from runtime.redis_streams import ensure_group
from shared.streams import Streams

logger = logging.getLogger(__name__)


def build_app(settings: ArchiverSettings) -> FastStream:
    streams = Streams.with_prefix(settings.stream_prefix)
    target = settings.redis_target()
    broker = make_broker(target)
    redis = target.async_client()
    files = WarcFiles(
        settings.dir,
        f"pagewire-{settings.consumer_name}",
        settings.max_file_bytes,
        settings.max_file_age_s,
        compression_level=settings.compression_level,
    )
    buffer = register(broker, redis, settings, streams, files)
    app = FastStream(broker, logger=logger)

    @app.on_startup
    async def create_group() -> None:
        # Created at 0 like the others: a first start archives what `pages.raw` still holds.
        await ensure_group(redis, streams.raw, streams.archiver_group)

    @app.after_startup
    async def start_buffer() -> None:
        buffer.start()
        logger.info(
            "archiver %s archiving %s into %s", settings.consumer_name, streams.raw, settings.dir
        )

    @app.after_shutdown
    async def flush_and_close() -> None:
        await buffer.stop()  # the broker has stopped: nothing more can arrive
        files.close()
        await redis.aclose()

    return app
