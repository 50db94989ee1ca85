"""The indexer's commit buffer, with a fake store: a batch is committed, then acked; nothing is
acked when the commit fails. (Batching by size and age: tests/unit/test_batcher.py.)"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from indexer.commit_buffer import Buffered, CommitBuffer
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


def buffered(*pairs: tuple[str, str]) -> list[Buffered]:
    return [Buffered(article(article_id), entry_id) for article_id, entry_id in pairs]


async def test_a_full_batch_is_committed_then_acked() -> None:
    store, acks = FakeStore(), Acks()
    buffer = make(store, acks)
    await buffer.put(*buffered(("a", "1-0"), ("b", "2-0")))
    assert store.commits == [] and acks.ids == []
    await buffer.put(*buffered(("c", "3-0")))
    assert store.commits == [["a", "b", "c"]]
    assert acks.ids == ["1-0", "2-0", "3-0"]


async def test_nothing_is_acked_when_the_commit_fails() -> None:
    store, acks = FakeStore(), Acks()
    store.fail = True
    buffer = make(store, acks, size=1)
    with pytest.raises(OSError):
        await buffer.put(*buffered(("a", "1-0")))
    assert acks.ids == []
    assert buffer.waiting == 0  # left pending in Redis for the claimer, not retried here


async def test_stop_commits_what_is_waiting() -> None:
    store, acks = FakeStore(), Acks()
    buffer = make(store, acks, size=100, wait=60)
    await buffer.put(*buffered(("a", "1-0")))
    await buffer.stop()
    assert acks.ids == ["1-0"]
