"""Background chores of a running service: trimming its input stream, forgetting consumers of
dead replicas, and a heartbeat file."""

from __future__ import annotations

import logging
from pathlib import Path

from runtime.periodic import Periodic
from runtime.redis_streams import AsyncRedis, prune_consumers, trim_consumed

STALE_CONSUMER_MS = 3600 * 1000
HEARTBEAT_S = 5.0

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
        self._chores = Periodic(f"housekeeping:{stream}", interval_s, self._trim)
        self._beat = Periodic(f"heartbeat:{stream}", HEARTBEAT_S, self._touch)

    def start(self) -> None:
        self._chores.start()
        if self.heartbeat is not None:
            self.heartbeat.touch()
            self._beat.start()

    async def stop(self) -> None:
        await self._beat.stop()
        await self._chores.stop()

    async def _touch(self) -> None:
        if self.heartbeat is not None:
            self.heartbeat.touch()

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
