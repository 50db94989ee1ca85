"""Boilerplate learned across a site's pages: the pure core (no Redis, no I/O).

One page cannot always tell a site's furniture from its article; many pages of one host can.
Each short-to-medium line (text engine) or candidate block (HTML engine) of a page gets a
64-bit fingerprint of its normalised text. A `SiteMemory` keeps, per host, on how many
*distinct* pages each fingerprint was seen; a fingerprint seen on at least
`Policy.threshold(pages)` of them is that host's boilerplate, and the engines drop it.

The decision for a page uses the counts read *before* the page itself is recorded, so the
order of the pages alone defines every result (deterministic for tests and benchmarks).
`extractor/site_memory.py` is the Redis adapter; `InMemorySiteMemory` here is the fake the unit
tests and the benchmark use, with the same semantics.
"""

from __future__ import annotations

import functools
import hashlib
import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

__all__ = [
    "COUNT_SHIFT",
    "MIN_NOVEL_CHARS",
    "Boilerplate",
    "HostSummary",
    "InMemorySiteMemory",
    "PagePass",
    "Policy",
    "SiteCounts",
    "SiteMemory",
    "drop_known",
    "fingerprint",
    "normalise",
    "page_set",
]

Boilerplate = Callable[[str], bool]
T = TypeVar("T")

MAX_WORDS = 80  # longer lines/blocks are article prose, never fingerprinted
MAX_CHARS = 600
MIN_NOVEL_CHARS = 200  # dropping known blocks must leave this much text, else nothing is dropped
COUNT_SHIFT = 32  # Redis score of a fingerprint: count << 32 | sequence of the last page


@functools.cache
def _table() -> dict[int, str | None]:
    """Digits deleted, punctuation and symbols (Unicode P* and S*, the BMP) made spaces."""
    table: dict[int, str | None] = {}
    for code in range(0x10000):
        kind = unicodedata.category(chr(code))
        if kind == "Nd":
            table[code] = None
        elif kind[0] in "PS" or code == 0x5F:
            table[code] = " "
    return table


def normalise(text: str) -> str:
    """Case folded, digits removed, punctuation and symbols gone, spaces collapsed:
    "© 2024 Acme, Inc." and "© 2025 ACME Inc" are the same line; so are "5 min read" and
    "12 min read", and "10:22 Storm warning" and "11:40 Storm warning"."""
    return " ".join(text.casefold().translate(_table()).split())


def fingerprint(text: str) -> int | None:
    """The 64-bit fingerprint of a line or block worth counting, else None (nothing but
    digits and punctuation, or longer than a block of furniture ever is)."""
    if len(text) > MAX_CHARS:
        return None
    norm = normalise(text)
    if not norm or norm.count(" ") >= MAX_WORDS:
        return None
    return int.from_bytes(hashlib.blake2b(norm.encode(), digest_size=8).digest(), "big")


@dataclass(frozen=True, slots=True)
class Policy:
    """When a fingerprint is boilerplate, and how much a host's memory may hold."""

    min_pages: int = 3  # seen on at least this many distinct pages ...
    min_share: float = 0.05  # ... and on this share of the host's recent pages
    max_blocks: int = 1000  # fingerprints kept per host (the least seen, oldest, go first)
    max_pages: int = 500  # page keys kept per host to recognise a replayed page
    window: int = 1000  # when this many recent pages were counted, all counts halve
    max_per_page: int = 300  # fingerprints recorded per page

    def threshold(self, pages: int) -> int:
        return max(self.min_pages, math.ceil(self.min_share * pages))


@dataclass(frozen=True, slots=True)
class SiteCounts:
    """What a memory knows of a host before a page: its recent page count, and the counts of
    the fingerprints seen on at least `Policy.min_pages` pages (the only ones that can be
    boilerplate)."""

    pages: int = 0
    counts: Mapping[int, int] = field(default_factory=dict)

    def learned(self, policy: Policy) -> frozenset[int]:
        least = policy.threshold(self.pages)
        return frozenset(fp for fp, n in self.counts.items() if n >= least)


@dataclass(frozen=True, slots=True)
class HostSummary:
    host: str
    pages: int  # pages of the host recorded since its memory was created (distinct keys)
    learned: int  # fingerprints that are boilerplate now


class SiteMemory(Protocol):
    """Per-host counts of fingerprints over distinct pages (the port; Redis or in memory)."""

    async def counts(self, host: str) -> SiteCounts: ...

    async def record(self, host: str, page_key: str, fingerprints: Iterable[int]) -> bool:
        """Count a page's fingerprints once; False when this page key was already counted."""
        ...


class PagePass:
    """One page's pass: the `boilerplate` predicate handed to an engine, which also collects
    the fingerprints of every line or block the engine showed it (to be recorded after)."""

    __slots__ = ("_learned", "_max", "fingerprints")

    def __init__(self, known: SiteCounts, policy: Policy) -> None:
        self._learned = known.learned(policy)
        self._max = policy.max_per_page
        self.fingerprints: dict[int, None] = {}  # an ordered set

    def __call__(self, text: str) -> bool:
        if not self._learned and len(self.fingerprints) >= self._max:
            return False  # nothing to drop and nothing more to record: no hashing
        fp = fingerprint(text)
        if fp is None:
            return False
        if len(self.fingerprints) < self._max:
            self.fingerprints[fp] = None
        return fp in self._learned


def drop_known(
    items: list[T],
    text: Callable[[T], str],
    known: Boilerplate,
    keep: Callable[[T], bool] | None = None,
) -> list[T]:
    """`items` less those whose text is known boilerplate (and not to `keep`), unless that
    would leave under `MIN_NOVEL_CHARS` of text: a page that is all known lines (the same
    article under another URL, a page of the template alone) is left as it is."""
    flags = [known(text(item)) and not (keep is not None and keep(item)) for item in items]
    if not any(flags):
        return items
    kept = [item for item, flag in zip(items, flags, strict=True) if not flag]
    if sum(len(text(item)) for item in kept) < MIN_NOVEL_CHARS:
        return items
    return kept


def page_set(fingerprints: Iterable[int], policy: Policy) -> list[int]:
    """A page's fingerprints as recorded: each once, in order, at most `max_per_page`."""
    return list(dict.fromkeys(fingerprints))[: policy.max_per_page]


@dataclass(slots=True)
class _Host:
    seq: int = 0  # pages ever counted (the sequence number of the last one)
    recent: int = 0  # pages counted since the last halving, halved with the counts
    counts: dict[int, tuple[int, int]] = field(default_factory=dict)  # fp -> (count, last seq)
    pages: dict[str, int] = field(default_factory=dict)  # page key -> seq


class InMemorySiteMemory:
    """The fake: the Redis adapter's semantics (caps, halving, replays) in a dict. Not
    shared between processes; for unit tests and benchmarks."""

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()
        self.hosts: dict[str, _Host] = {}

    async def counts(self, host: str) -> SiteCounts:
        return self.counts_now(host)

    def counts_now(self, host: str) -> SiteCounts:
        state = self.hosts.get(host)
        if state is None:
            return SiteCounts()
        least = self.policy.min_pages
        return SiteCounts(
            state.recent, {fp: n for fp, (n, _) in state.counts.items() if n >= least}
        )

    async def record(self, host: str, page_key: str, fingerprints: Iterable[int]) -> bool:
        return self.record_now(host, page_key, fingerprints)

    def record_now(self, host: str, page_key: str, fingerprints: Iterable[int]) -> bool:
        policy = self.policy
        state = self.hosts.setdefault(host, _Host())
        if page_key in state.pages:
            return False
        state.seq += 1
        state.recent += 1
        state.pages[page_key] = state.seq
        if len(state.pages) > policy.max_pages:  # the oldest keys go
            for key, _ in sorted(state.pages.items(), key=lambda kv: kv[1])[
                : len(state.pages) - policy.max_pages
            ]:
                del state.pages[key]
        for fp in page_set(fingerprints, policy):
            count = state.counts.get(fp, (0, 0))[0]
            state.counts[fp] = (count + 1, state.seq)
        if len(state.counts) > policy.max_blocks:  # the least seen, then the oldest, go
            ranked = sorted(state.counts.items(), key=lambda kv: (kv[1][0], kv[1][1], kv[0]))
            for fp, _ in ranked[: len(state.counts) - policy.max_blocks]:
                del state.counts[fp]
        if state.recent >= policy.window:
            state.recent //= 2
            state.counts = {
                fp: (n // 2, last) for fp, (n, last) in state.counts.items() if n // 2 > 0
            }
        return True

    def summaries(self, limit: int = 20) -> list[HostSummary]:
        out = [
            HostSummary(host, state.seq, len(self.counts_now(host).learned(self.policy)))
            for host, state in self.hosts.items()
        ]
        return sorted(out, key=lambda s: (-s.pages, s.host))[:limit]
