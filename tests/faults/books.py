"""The books at the end of a fault run: where every published item ended, read from Redis and
from the indexer's store on disk (the indexer stopped)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import tantivy
from redis.asyncio import Redis

from extractor.urls import article_id
from runtime.redis_streams import normalise_entries
from shared.streams import DATA_FIELD
from tests.faults.pages import Item, dead_letter_key
from tests.faults.rig import Rig, entries_added

_EXPECTED = {"article": "indexed", "non_article": "rejected", "poison": "dead"}


@dataclass
class Books:
    published: int
    places: dict[str, set[str]]  # item key -> where it was found
    documents: int
    duplicate_documents: int
    max_delivery_count: int
    pending: int
    dead_by_error: dict[str, int]
    events: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    misplaced: list[tuple[str, str, list[str]]] = field(default_factory=list)

    def count(self, place: str) -> int:
        return sum(1 for found in self.places.values() if place in found)

    @property
    def indexed(self) -> int:
        return self.count("indexed")

    @property
    def rejected(self) -> int:
        return self.count("rejected")

    @property
    def dead_lettered(self) -> int:
        return self.count("dead")

    def summary(self) -> dict[str, Any]:
        return {"indexed": self.indexed, "rejected": self.rejected,
                "dead_lettered": self.dead_lettered, "documents": self.documents,
                "dead_letters_by_error": self.dead_by_error,
                "max_delivery_count": self.max_delivery_count, "pending": self.pending,
                "entries_added": self.events}  # fmt: skip


async def _events(redis: Redis, stream: str) -> list[dict[str, Any]]:
    entries = normalise_entries(await redis.xrange(stream))
    return [json.loads(fields[DATA_FIELD.encode()]) for _, fields in entries]


def store_ids(rig: Rig) -> Counter[str]:
    """How many documents the store holds for each article id."""
    index = tantivy.Index.open(str(rig.data_dir))
    searcher = index.searcher()
    hits = searcher.search(tantivy.Query.all_query(), limit=max(1, searcher.num_docs)).hits
    return Counter(str(searcher.doc(address)["id"][0]) for _, address in hits)


async def _pending(redis: Redis, streams: list[str]) -> int:
    total = 0
    for stream in streams:
        total += sum(int(g["pending"]) for g in await redis.xinfo_groups(stream))
    return total


async def read_books(rig: Rig, items: list[Item]) -> Books:
    s = rig.streams
    by_id = {article_id(i.key): i.key for i in items if i.kind != "poison"}
    places: dict[str, set[str]] = {i.key: set() for i in items}
    ids = store_ids(rig)
    for found in ids:
        places.setdefault(by_id.get(found, f"unknown id {found}"), set()).add("indexed")
    for event in await _events(rig.redis, s.rejected):
        places.setdefault(event["url"], set()).add("rejected")
    dead = await _events(rig.redis, s.dead)
    for event in dead:
        places.setdefault(dead_letter_key(event) or f"unknown {event}", set()).add("dead")
    streams = (s.raw, s.extracted, s.rejected, s.dead)
    books = Books(
        published=len(items),
        places=places,
        documents=sum(ids.values()),
        duplicate_documents=sum(n - 1 for n in ids.values()),
        max_delivery_count=max((int(e["delivery_count"]) for e in dead), default=0),
        pending=await _pending(rig.redis, [s.raw, s.extracted]),
        dead_by_error=dict(Counter(str(e["error_type"]) for e in dead)),
        events={n: await entries_added(rig.redis, n) for n in streams},
    )
    kinds = {i.key: i.kind for i in items}
    books.missing = [k for k in kinds if not places[k]]
    books.misplaced = [(k, kinds.get(k, "?"), sorted(found)) for k, found in places.items()
                       if found and found != {_EXPECTED.get(kinds.get(k, ""), "")}]  # fmt: skip
    return books
