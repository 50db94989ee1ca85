"""The batcher both services write through: by size, by age, on stop; a failed write is not
retried here (its entries stay pending in Redis)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from runtime.batcher import Batcher


class Writes:
    """Records the batches written; can be told to fail."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.fail = False

    async def __call__(self, batch: list[str]) -> None:
        if self.fail:
            raise OSError("the write failed")
        self.batches.append(batch)


def make(writes: Writes, size: int = 3, wait: float = 0.05) -> Batcher[str]:
    return Batcher("test-batcher", writes, max_size=size, max_wait_s=wait)


async def test_a_full_batch_is_written_at_once_in_order() -> None:
    writes = Writes()
    batcher = make(writes)
    await batcher.put("a", "b")
    assert writes.batches == [] and batcher.waiting == 2
    await batcher.put("c", "d")
    assert writes.batches == [["a", "b", "c", "d"]] and batcher.waiting == 0


async def test_a_partial_batch_is_written_once_it_has_waited() -> None:
    writes = Writes()
    batcher = make(writes, size=100, wait=0.05)
    batcher.start()
    try:
        await batcher.put("a")
        await asyncio.sleep(0.02)
        assert writes.batches == []
        await asyncio.sleep(0.15)
        assert writes.batches == [["a"]]
    finally:
        await batcher.stop()


async def test_the_age_counts_from_the_oldest_item() -> None:
    writes = Writes()
    batcher = make(writes, size=100, wait=60)
    await batcher.put()  # nothing added: no clock started
    await batcher.flush_due()
    assert writes.batches == []
    batcher.max_wait_s = 0.0
    await batcher.put("a")
    await batcher.flush_due()
    assert writes.batches == [["a"]]


async def test_a_failed_write_raises_and_is_not_retried() -> None:
    writes = Writes()
    writes.fail = True
    batcher = make(writes, size=1)
    with pytest.raises(OSError):
        await batcher.put("a")
    assert batcher.waiting == 0  # left pending in Redis for the claimer
    writes.fail = False
    await batcher.put("b")
    assert writes.batches == [["b"]]


async def test_the_ticker_logs_a_failed_write_and_keeps_going(
    caplog: pytest.LogCaptureFixture,
) -> None:
    writes = Writes()
    writes.fail = True
    batcher = make(writes, size=100, wait=0.02)
    batcher.start()
    try:
        with caplog.at_level(logging.ERROR):
            await batcher.put("a")
            await asyncio.sleep(0.1)
        assert "test-batcher failed" in caplog.text
        writes.fail = False
        await batcher.put("b")
        await asyncio.sleep(0.1)
    finally:
        await batcher.stop()
    assert writes.batches == [["b"]]


async def test_stop_writes_what_is_waiting() -> None:
    writes = Writes()
    batcher = make(writes, size=100, wait=60)
    batcher.start()
    await batcher.put("a", "b")
    await batcher.stop()
    assert writes.batches == [["a", "b"]]
