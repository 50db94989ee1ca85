from __future__ import annotations

import asyncio

from runtime.periodic import Periodic


async def test_runs_repeatedly_survives_failures_and_stops() -> None:
    calls: list[int] = []

    async def flaky() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("first call fails")

    task = Periodic("test", 0.01, flaky)
    task.start()
    await asyncio.sleep(0.1)
    await task.stop()
    seen = len(calls)
    assert seen >= 3  # it went on after the failure
    await asyncio.sleep(0.05)
    assert len(calls) == seen  # and stopped for good
