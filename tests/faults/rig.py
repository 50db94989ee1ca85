"""The fault suite's stack: Valkey (AOF), a cuttable proxy, two extractors and the indexer, each
a real process under a supervisor; plus the probes that read where the pipeline stands."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from shared.streams import Streams
from tests.faults.harness import Proc, RedisServer, Supervisor, TcpProxy, service_env
from tests.helpers import free_port

CLAIM_IDLE_MS = 3000
MAX_DELIVERIES = 3
TRIM_INTERVAL_S = 2.0
EXTRACTOR_READY = "consuming pages.raw"  # extractor/app.py logs it once started
INDEXER_READY = "Uvicorn running on"  # the consumer starts before the API


@dataclass
class Rig:
    server: RedisServer
    proxy: TcpProxy
    procs: dict[str, Proc]
    supervisor: Supervisor
    redis: Redis  # straight to the server, for the test's own reads
    streams: Streams
    data_dir: Path
    api_port: int


def _services(tmp: Path, redis_url: str, api_port: int) -> dict[str, Proc]:
    common: dict[str, str | int | float] = {
        "CLAIM_IDLE_MS": CLAIM_IDLE_MS,
        "MAX_DELIVERIES": MAX_DELIVERIES,
        "TRIM_INTERVAL_S": TRIM_INTERVAL_S,
        "REDIS_URL": redis_url,
    }
    extractor = service_env(**{f"PAGEWIRE_EXTRACTOR_{k}": v for k, v in common.items()})
    indexer = service_env(
        **{f"PAGEWIRE_INDEXER_{k}": v for k, v in common.items()},
        PAGEWIRE_INDEXER_DATA_DIR=str(tmp / "index"),
        PAGEWIRE_INDEXER_PORT=api_port,
        PAGEWIRE_INDEXER_COMMIT_INTERVAL_S=0.5,
    )
    procs = [Proc(f"extractor-{i}", ["extractor"], extractor, tmp / f"extractor-{i}.log",
                  EXTRACTOR_READY) for i in (1, 2)]  # fmt: skip
    procs.append(Proc("indexer", ["indexer"], indexer, tmp / "indexer.log", INDEXER_READY))
    return {p.name: p for p in procs}


@contextlib.asynccontextmanager
async def running_rig(tmp: Path) -> AsyncIterator[Rig]:
    server = RedisServer(tmp / "redis", free_port(), tmp / "redis.log")
    await server.start("everysec")
    proxy = TcpProxy(server.port)
    await proxy.start()
    api_port = free_port()
    procs = _services(tmp, f"redis://127.0.0.1:{proxy.port}/0", api_port)
    supervisor = Supervisor(list(procs.values()))
    redis = Redis.from_url(server.url, socket_timeout=5, socket_connect_timeout=2)
    rig = Rig(server, proxy, procs, supervisor, redis, Streams(), tmp / "index", api_port)
    supervisor.start()
    watching = asyncio.create_task(server.watch_aof())
    try:
        yield rig
    finally:
        watching.cancel()
        await supervisor.stop()
        await proxy.stop()
        await redis.aclose()
        server.stop()


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def groups_caught_up(redis: Redis, stream: str) -> bool:
    """Every group of `stream` has read its last entry and has nothing pending."""
    try:
        last = _text((await redis.xinfo_stream(stream))["last-generated-id"])
        groups = await redis.xinfo_groups(stream)
    except Exception:
        return False
    return bool(groups) and all(
        int(g["pending"]) == 0 and _text(g["last-delivered-id"]) == last for g in groups
    )


async def entries_added(redis: Redis, stream: str) -> int:
    try:
        return int((await redis.xinfo_stream(stream))["entries-added"])
    except Exception:
        return 0


async def progress(rig: Rig) -> tuple[int, int]:
    """(results the extractors wrote, entries the indexer acknowledged), both ever-growing."""
    s = rig.streams
    out = [await entries_added(rig.redis, n) for n in (s.extracted, s.rejected, s.dead)]
    acked = 0
    with contextlib.suppress(Exception):
        for g in await rig.redis.xinfo_groups(s.extracted):
            acked = int(g.get("entries-read") or 0) - int(g["pending"])
    return sum(out), acked


async def time_to_progress(
    rig: Rig, since: float, settled: asyncio.Event, within: float = 90.0
) -> float | None:
    """Seconds from `since` until both extractors and indexer have made progress again; None
    if they had nothing left to do (`settled`) or made none `within` seconds."""
    start = await progress(rig)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and not settled.is_set():
        await asyncio.sleep(0.1)
        now = await progress(rig)
        if now[0] > start[0] and now[1] > start[1]:
            return time.monotonic() - since
    return None
