"""The indexer's composition root: `build_app(settings)` wires store, consumer and search API.

One process holds the store's single writer, consumes `pages.extracted` and serves the API.
Nothing connects before `IndexerApp.run()` / `start()`; `build_app` opens the store.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import uvicorn
from fastapi import FastAPI
from faststream import FastStream
from faststream.redis import RedisBroker
from redis.asyncio import Redis

from indexer.api import create_api
from indexer.buffer import CommitBuffer
from indexer.config import IndexerSettings
from indexer.handlers import register
from indexer.store import Store, TantivyStore
from pagewire.delivery import WireFormat
from pagewire.housekeeping import Housekeeper
from pagewire.redis_streams import ensure_group
from shared.streams import Streams

logger = logging.getLogger(__name__)


@dataclass
class IndexerApp:
    """The indexer's parts; `run()` serves until SIGINT/SIGTERM, then stops cleanly."""

    settings: IndexerSettings
    store: Store
    stream_app: FastStream
    api: FastAPI
    redis: Redis
    housekeeper: Housekeeper
    buffer: CommitBuffer
    server: uvicorn.Server | None = field(default=None)

    async def start(self) -> None:
        await self.stream_app.start()
        self.housekeeper.start()
        self.buffer.start()

    async def stop(self) -> None:
        await self.housekeeper.stop()
        await self.stream_app.stop()
        await self.buffer.stop()
        await self.redis.aclose()
        self.store.close()

    async def run(self) -> None:
        config = uvicorn.Config(
            self.api, host=self.settings.host, port=self.settings.port, log_config=None,
            access_log=False,
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        await self.start()
        try:
            await self.server.serve()
        finally:
            await self.stop()

    def bound_port(self) -> int | None:
        """The API's port once serving (useful with port 0)."""
        if self.server is None or not self.server.started:
            return None
        for server in self.server.servers:
            for sock in server.sockets:
                return int(sock.getsockname()[1])
        return None


def build_app(settings: IndexerSettings) -> IndexerApp:
    streams = Streams.with_prefix(settings.stream_prefix)
    store = TantivyStore.open(settings.data_dir)
    broker = RedisBroker(
        settings.redis_url,
        graceful_timeout=30.0,
        log_level=logging.DEBUG,
        message_format=WireFormat,
    )
    redis = Redis.from_url(settings.redis_url)
    buffer = register(broker, redis, store, settings, streams)
    stream_app = FastStream(broker, logger=logger)

    @stream_app.on_startup
    async def create_group() -> None:
        await ensure_group(redis, streams.extracted, streams.indexer_group)

    housekeeper = Housekeeper(
        redis, streams.extracted, streams.indexer_group, settings.trim_interval_s
    )
    api = create_api(store, settings)
    return IndexerApp(settings, store, stream_app, api, redis, housekeeper, buffer)
