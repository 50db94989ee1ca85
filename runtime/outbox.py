"""Publishing results and acknowledging their entries, a batch per MULTI/EXEC.

A handler puts each result here instead of making its own round trip to Redis; the outbox (a
`runtime.batcher.Batcher`) writes a batch of results and acknowledges their source entries in
one transaction. So an entry is still acknowledged exactly when its result is written. Results
not yet written when a process dies are lost with it, but their entries stay pending and are
claimed again: at-least-once.
"""

from __future__ import annotations

from dataclasses import dataclass

from runtime.batcher import Batcher
from runtime.redis_streams import AsyncRedis
from shared.streams import DATA_FIELD

__all__ = ["Outbox", "Outgoing"]


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One result for `stream`, replacing the source entry `entry_id`."""

    stream: str
    payload: str | bytes
    entry_id: str
    maxlen: int | None = None


class Outbox(Batcher[Outgoing]):
    def __init__(
        self, redis: AsyncRedis, source: str, group: str, max_size: int, max_wait_s: float
    ) -> None:
        super().__init__(f"outbox:{source}", self._publish_and_ack, max_size, max_wait_s)
        self.redis = redis
        self.source = source
        self.group = group

    async def _publish_and_ack(self, items: list[Outgoing]) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            for item in items:
                pipe.xadd(item.stream, {DATA_FIELD: item.payload}, maxlen=item.maxlen,
                          approximate=item.maxlen is not None)  # fmt: skip
            pipe.xack(self.source, self.group, *[item.entry_id for item in items])
            await pipe.execute()
