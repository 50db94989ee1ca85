"""Background chores of a running service: trimming its input stream, forgetting consumers of
dead replicas, and a heartbeat file."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from pagewire.redis_streams import AsyncRedis, prune_consumers, trim_consumed

STALE_CONSUMER_MS = 3600 * 1000

logger = logging.getLogger(__name__)


class Housekeeper:
    """Every `interval_s`: trim `stream` below what every group has consumed and drop the
    group's consumers idle for an hour with nothing pending; touch the heartbeat file."""

    def __init__(
        self,
        redis: AsyncRedis,
        stream: str,
        group: str,
        interval_s: float,
        heartbeat_file: str | None = None,
    ) -> None:
        self.redis = redis
        self.stream = stream
        self.group = group
        self.interval_s = interval_s
        self.heartbeat = Path(heartbeat_file) if heartbeat_file else None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name=f"housekeeping:{self.stream}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        beat = min(self.interval_s, 5.0)
        elapsed = self.interval_s
        while True:
            if self.heartbeat is not None:
                self.heartbeat.touch()
            if elapsed >= self.interval_s:
                elapsed = 0.0
                await self._trim()
            await asyncio.sleep(beat)
            elapsed += beat

    async def _trim(self) -> None:
        try:
            removed = await trim_consumed(self.redis, self.stream)
            pruned = await prune_consumers(self.redis, self.stream, self.group, STALE_CONSUMER_MS)
        except Exception:  # a failed chore is retried next time; never stop the service
            logger.warning("housekeeping of %s failed", self.stream, exc_info=True)
            return
        if removed or pruned:
            logger.info("%s: trimmed %d consumed entries, forgot %d idle consumers",
                        self.stream, removed, pruned)  # fmt: skip
