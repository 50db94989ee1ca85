"""Dead letters for people: list, show, replay (after a fix) and drop.

A replayed entry is put back on the stream it came from, unchanged, and its dead letter is
removed in the same transaction, so it is counted once: as whatever it becomes next.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from redis import Redis

from runtime.redis_streams import normalise_entries
from shared.events import PageDeadLettered
from shared.streams import DATA_FIELD


@dataclass(frozen=True, slots=True)
class DeadLetter:
    entry_id: str
    event: PageDeadLettered

    def original_bytes(self) -> bytes:
        if self.event.original is not None:
            return self.event.original.encode("utf-8")
        return base64.b64decode(self.event.original_b64 or "")


def _letters(redis: Redis, stream: str, start: str = "-", end: str = "+", count: int | None = None
             ) -> list[DeadLetter]:  # fmt: skip
    out = []
    for entry_id, fields in normalise_entries(redis.xrange(stream, start, end, count=count)):
        event = PageDeadLettered.model_validate_json(fields[DATA_FIELD.encode()])
        out.append(DeadLetter(entry_id, event))
    return out


def list_letters(redis: Redis, stream: str, count: int = 50) -> list[DeadLetter]:
    return _letters(redis, stream, count=count)


def show(redis: Redis, stream: str, entry_id: str) -> DeadLetter | None:
    found = _letters(redis, stream, entry_id, entry_id)
    return found[0] if found else None


def replay(redis: Redis, stream: str, entry_ids: list[str] | None = None) -> int:
    """Put dead letters (all, or the given ids) back on their streams; returns how many."""
    letters = _letters(redis, stream) if not entry_ids else [
        letter for i in entry_ids if (letter := show(redis, stream, i)) is not None
    ]  # fmt: skip
    for letter in letters:
        with redis.pipeline(transaction=True) as pipe:
            pipe.xadd(letter.event.stream, {DATA_FIELD: letter.original_bytes()})
            pipe.xdel(stream, letter.entry_id)
            pipe.execute()
    return len(letters)


def drop(redis: Redis, stream: str, entry_ids: list[str] | None = None) -> int:
    """Delete dead letters (all, or the given ids) for good; returns how many."""
    ids = entry_ids or [letter.entry_id for letter in _letters(redis, stream)]
    return int(redis.xdel(stream, *ids)) if ids else 0


def summary(letter: DeadLetter) -> str:
    e = letter.event
    return (f"{letter.entry_id}  {e.service} {e.stream} x{e.delivery_count}  "
            f"{e.error_type}: {e.error[:120]}")  # fmt: skip
