"""Fixtures of the integration tests: a client of the real Redis server, a real store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from indexer.store import TantivyStore


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TantivyStore]:
    """An empty store in its own folder (a module may override it with a shared one)."""
    with TantivyStore.open(tmp_path / "index") as opened:
        yield opened
