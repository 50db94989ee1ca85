"""Valkey comes back without its data (no persistence, a lost volume, FLUSHALL): the consumer
groups are gone. FastStream stops a subscriber whose group vanished and asks its app to exit;
every service must then exit, be restarted by its supervisor and create its group again. The
indexer used to keep serving with no consumer, forever."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from tests.faults.pages import Item, workload
from tests.faults.rig import Rig, running_rig
from tests.helpers import health

pytestmark = [pytest.mark.e2e, pytest.mark.faults, pytest.mark.timeout(300)]


async def _publish(rig: Rig, items: list[Item]) -> None:
    for item in items:
        await rig.redis.xadd(rig.streams.raw, dict(item.fields))  # type: ignore[arg-type]


def _documents(api_port: int) -> int:
    answer = health(f"http://127.0.0.1:{api_port}")
    return -1 if answer is None else int(answer["documents"])


async def _until_documents(rig: Rig, count: int, within: float = 120.0) -> None:
    deadline = time.monotonic() + within
    while (found := await asyncio.to_thread(_documents, rig.api_port)) < count:
        assert time.monotonic() < deadline, f"{found} documents of {count} after {within} s"
        await asyncio.sleep(0.5)


async def test_services_come_back_when_the_server_lost_everything(tmp_path: Path) -> None:
    items = workload(7, 20, 0, 0)
    async with running_rig(tmp_path) as rig:
        for proc in rig.procs.values():
            await proc.wait_ready()
        await _publish(rig, items[:10])
        await _until_documents(rig, 10)
        await rig.redis.flushall()  # as if the server had come back empty
        await _publish(rig, items[10:])
        try:
            await _until_documents(rig, 20)
        except AssertionError:
            for proc in rig.procs.values():
                print(proc.tail())
            raise
        for proc in rig.procs.values():
            assert proc.starts == 2, f"{proc.name} was not restarted"
            assert [code for code, _, _ in proc.crashes] == [0]  # a clean stop, then a restart
