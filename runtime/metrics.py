"""Prometheus metrics common to both services: dead letters and the streams they consume.

Each service builds its own `CollectorRegistry` (`ServiceMetrics`), so that two services in one
process (the tests, `pagewire up --workers`...) never mix their counts, and nothing is
registered at import time. prometheus-client is the reference client for this job: exposition
format, histograms and the HTTP endpoint come from it.

Names follow Prometheus' conventions: a `pagewire_` namespace, base units (`_seconds`),
`_total` on counters; labels have few values (no URLs, hosts or entry ids).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server
from redis.exceptions import ResponseError

from runtime.redis_streams import AsyncRedis, text


class ServiceMetrics:
    """The registry of one service and the metrics every consumer of a stream has."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry()
        self.dead_lettered = Counter(
            "pagewire_dead_lettered", "Entries this service moved to the dead-letter stream.",
            ["error_type"], registry=self.registry,
        )  # fmt: skip
        self.stream_length = Gauge(
            "pagewire_stream_length", "Entries on a stream (XLEN), refreshed every few seconds.",
            ["stream"], registry=self.registry,
        )  # fmt: skip
        self.stream_lag = Gauge(
            "pagewire_stream_lag", "Entries a consumer group has not read yet.",
            ["stream", "group"], registry=self.registry,
        )  # fmt: skip
        self.stream_pending = Gauge(
            "pagewire_stream_pending", "Entries a consumer group read and has not acknowledged.",
            ["stream", "group"], registry=self.registry,
        )  # fmt: skip

    def count_dead_letter(self, error_type: str) -> None:
        self.dead_lettered.labels(error_type=_bounded(error_type)).inc()

    async def refresh_streams(self, redis: AsyncRedis, streams: Sequence[str]) -> None:
        """Length, lag and pending of each stream and its groups (XLEN, XINFO GROUPS)."""
        for stream in streams:
            self.stream_length.labels(stream=stream).set(await redis.xlen(stream))
            try:
                groups: list[dict[Any, Any]] = await redis.xinfo_groups(stream)
            except ResponseError:  # no such stream yet: no groups to report
                groups = []
            for group in groups:
                name = text(group.get("name"))
                lag = group.get("lag")
                if lag is not None:
                    self.stream_lag.labels(stream=stream, group=name).set(int(lag))
                else:  # Redis cannot tell after some deletions: no series beats a stale one
                    with suppress(KeyError):
                        self.stream_lag.remove(stream, name)
                self.stream_pending.labels(stream=stream, group=name).set(
                    int(group.get("pending") or 0)
                )

    def serve(self, port: int, host: str = "0.0.0.0") -> Any:
        """The metrics at http://host:port/metrics, served by a thread; returns the server
        (`shutdown()` stops it)."""
        server, _thread = start_http_server(port, addr=host, registry=self.registry)
        return server


_ERROR_TYPES = frozenset(["InvalidMessage", "DeliveryLimit"])


def _bounded(error_type: str) -> str:
    """An error type as a label: ours by name, any other exception as `error` (exception
    class names are unbounded)."""
    return error_type if error_type in _ERROR_TYPES else "error"
