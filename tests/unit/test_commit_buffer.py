"""The indexer's commit buffer, with a fake store: commit in batches, ack only after commit."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from indexer.buffer import CommitBuffer
from shared.events import PageExtracted
from tests.factories import article


class FakeStore:
    """Records commits; can be told to fail."""

    def __init__(self) -> None:
        self.commits: list[list[str]] = []
        self.fail = False

    def upsert(self, articles: Sequence[PageExtracted]) -> int:
        if self.fail:
            raise OSError("disk full")
        self.commits.append([a.id for a in articles])
        return len(articles)


class Acks:
    def __init__(self) -> None:
        self.ids: list[str] = []

    async def __call__(self, ids: list[str]) -> None:
        self.ids.extend(ids)


def make(store: FakeStore, acks: Acks, size: int = 3, wait: float = 0.05) -> CommitBuffer:
    return CommitBuffer(store, acks, max_size=size, max_wait_s=wait)


async def test_a_full_batch_is_committed_then_acked() -> None:
    store, acks = FakeStore(), Acks()
    buffer = make(store, acks)
    await buffer.add([article("a"), article("b")], ["1-0", "2-0"])
    assert store.commits == [] and acks.ids == []
    await buffer.add([article("c")], ["3-0"])
    assert store.commits == [["a", "b", "c"]]
    assert acks.ids == ["1-0", "2-0", "3-0"]


async def test_a_partial_batch_is_committed_after_the_wait() -> None:
    store, acks = FakeStore(), Acks()
    buffer = make(store, acks, size=100, wait=0.05)
    buffer.start()
    try:
        await buffer.add([article("a")], ["1-0"])
        await asyncio.sleep(0.2)
    finally:
        await buffer.stop()
    assert store.commits == [["a"]] and acks.ids == ["1-0"]


async def test_nothing_is_acked_when_the_commit_fails() -> None:
    store, acks = FakeStore(), Acks()
    store.fail = True
    buffer = make(store, acks, size=1)
    with pytest.raises(OSError):
        await buffer.add([article("a")], ["1-0"])
    assert acks.ids == []
    assert buffer.waiting == 0  # left pending in Redis for the claimer, not retried here


async def test_stop_commits_what_is_waiting() -> None:
    store, acks = FakeStore(), Acks()
    buffer = make(store, acks, size=100, wait=60)
    await buffer.add([article("a")], ["1-0"])
    await buffer.stop()
    assert acks.ids == ["1-0"]
