"""The indexer's composition root: `build_app(settings)` wires store, consumer and search API.

One process holds the store's single writer, consumes `pages.extracted` and serves the API.
Nothing connects before `IndexerApp.run()` / `start()`; `build_app` opens the store.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import uvicorn
from fastapi import FastAPI
from faststream import FastStream
from redis.asyncio import Redis

from indexer.api import create_api
from indexer.commit_buffer import CommitBuffer
from indexer.config import IndexerSettings
from indexer.handlers import register
from indexer.metrics import IndexerMetrics
from indexer.store import Store, TantivyStore
from runtime.delivery import make_broker
from runtime.housekeeping import Housekeeper
from runtime.periodic import Periodic
from runtime.redis_streams import ensure_group
from shared.streams import Streams

logger = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    """uvicorn's server, minus its re-raising of SIGINT/SIGTERM once it has stopped: that
    re-raise would kill the process before `IndexerApp.stop()` commits the buffered articles
    and closes the store."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        signals = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in signals}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


class _StreamApp(FastStream):
    """FastStream stops a subscriber for good on a terminal error (its consumer group is gone:
    the server came back empty, or the stream was deleted) and asks its app to exit. The indexer
    runs its app under uvicorn, not `FastStream.run()`, which would leave that request unheard
    and the indexer serving with no consumer. `on_exit` stops the whole process instead, so that
    its supervisor starts it again and the group is created again."""

    on_exit: Callable[[], None] | None = None

    def exit(self) -> None:
        super().exit()
        if self.on_exit is not None:
            self.on_exit()


@dataclass
class IndexerApp:
    """The indexer's parts; `run()` serves until SIGINT/SIGTERM, then stops cleanly."""

    settings: IndexerSettings
    store: Store
    stream_app: _StreamApp
    api: FastAPI
    redis: Redis
    housekeeper: Housekeeper
    buffer: CommitBuffer
    stream_gauges: Periodic
    server: uvicorn.Server | None = field(default=None)

    async def start(self) -> None:
        await self.stream_app.start()
        self.housekeeper.start()
        self.buffer.start()
        self.stream_gauges.start()

    async def stop(self) -> None:
        await self.stream_gauges.stop()
        await self.housekeeper.stop()
        await self.stream_app.stop()
        await self.buffer.stop()
        await self.redis.aclose()
        self.store.close()

    async def run(self) -> None:
        problem = self.settings.exposure_problem()
        if problem is not None:  # no token on a public address: refuse (docs/security.md)
            raise ValueError(problem)
        if self.settings.token() is None and not self.settings.loopback_only():
            logger.warning(
                "the search API listens on %s WITHOUT a token (allow_anonymous is on)",
                self.settings.host,
            )
        config = uvicorn.Config(
            self.api, host=self.settings.host, port=self.settings.port, log_config=None,
            access_log=False, limit_concurrency=self.settings.api_max_connections,
        )  # fmt: skip
        self.server = _Server(config)
        self.stream_app.on_exit = self._consumer_stopped
        await self.start()
        try:
            await self.server.serve()
        finally:
            await self.stop()

    def _consumer_stopped(self) -> None:
        logger.error("the stream consumer stopped for good; stopping the indexer to restart it")
        if self.server is not None:
            self.server.should_exit = True

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
    target = settings.redis_target()
    broker = make_broker(target)
    redis = target.async_client()
    metrics = IndexerMetrics(store.count)
    buffer = register(broker, redis, store, settings, streams, metrics=metrics)
    stream_app = _StreamApp(broker, logger=logger)

    @stream_app.on_startup
    async def create_group() -> None:
        await ensure_group(redis, streams.extracted, streams.indexer_group)

    housekeeper = Housekeeper(
        redis, streams.extracted, streams.indexer_group, settings.trim_interval_s
    )
    api = create_api(store, settings, metrics)
    stream_gauges = Periodic(
        "stream-metrics", settings.metrics_interval_s,
        lambda: metrics.refresh_streams(redis, (streams.extracted,)),
    )  # fmt: skip
    return IndexerApp(settings, store, stream_app, api, redis, housekeeper, buffer, stream_gauges)
