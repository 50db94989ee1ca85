"""Near-duplicate signatures: MinHash over word shingles, banded for LSH. Pure code.

Two articles are near duplicates when the Jaccard similarity of their sets of 4-word
shingles is at least `JACCARD_THRESHOLD` (a wire story syndicated with another header line,
byline or footer scores about 0.8-0.95; two articles on one topic, below 0.1).

The signature is a one-permutation MinHash (Li, Owen & Zhang 2012) with optimal
densification (Shrivastava 2017): one hash per shingle, split into `BINS` bins by its top
bits, the minimum kept per bin, empty bins filled from other bins in a fixed pseudo-random
order. That is O(shingles) in pure Python (classic MinHash needs `BINS` hashes per shingle).
The bins are cut into `BANDS` bands of `ROWS`; each band becomes one 64-bit term (LSH).
Articles sharing a band term are candidates, with probability 1 - (1 - J^ROWS)^BANDS
(J = 0.5: 0.64, J = 0.7: 0.99, J = 0.2: 0.03); candidates are then checked exactly.

`datasketch` was not used: it pulls numpy and scipy for what is ~80 lines here, and the
index, not an in-memory LSH table, is where the band terms have to live.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import random
import re
import zlib
from dataclasses import dataclass

__all__ = [
    "BANDS",
    "JACCARD_THRESHOLD",
    "MIN_WORDS",
    "Signature",
    "cluster_key",
    "jaccard",
    "shingles",
    "signature",
]

SHINGLE_WORDS = 4
BINS = 64
ROWS = 4
BANDS = BINS // ROWS
JACCARD_THRESHOLD = 0.5
MIN_WORDS = 40
"""Shorter texts get no signature: a few common sentences would make unrelated pages twins."""
_WORD = re.compile(r"\w+")
_BIN_BITS = BINS.bit_length() - 1
_MASK64 = (1 << 64) - 1
_MIX = 0x9E3779B97F4A7C15
"""An odd 64-bit multiplier (2^64 / golden ratio)."""
_VALUE_BITS = 64 - _BIN_BITS
_VALUE_MASK = (1 << _VALUE_BITS) - 1
_BORROWED = 1 << _VALUE_BITS
"""Marks a value an empty bin borrowed (real minima are below it)."""
_EMPTY = 1 << (_VALUE_BITS + 1)
_DONORS = tuple(
    tuple(random.Random(f"pagewire-dedup-{i}").sample(range(BINS), BINS)) for i in range(BINS)
)
"""For each bin, the fixed order in which other bins are tried when it is empty."""


@dataclass(frozen=True, slots=True)
class Signature:
    """An article's shingle hashes (for exact checks) and its LSH band terms."""

    shingles: frozenset[int]
    bands: tuple[int, ...]


def _hash64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def shingles(text: str) -> frozenset[int]:
    """64-bit hashes of the text's overlapping 4-word shingles (case-folded words).

    A shingle's hash is the CRC-32 of its words (one C call on a slice of the words joined
    by spaces), spread over 64 bits by a multiplication with an odd constant (multiply-shift
    hashing): the top bits, which pick a MinHash bin, depend on every bit of the CRC. 32 bits
    are plenty: two shingles of one text collide with odds of about n^2 / 2^33.
    """
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        return frozenset()
    line = " ".join(words)
    starts = [0, *itertools.accumulate(len(w) + 1 for w in words)]
    crc, mix = zlib.crc32, _MIX
    return frozenset(
        crc(line[a : b - 1].encode()) * mix & _MASK64
        for a, b in zip(starts, starts[SHINGLE_WORDS:], strict=False)
    )


def signature(text: str) -> Signature | None:
    """The signature of an article's text; None when it is too short to compare."""
    if len(_WORD.findall(text, 0, 20 * MIN_WORDS)) < MIN_WORDS:
        return None
    hashes = shingles(text)
    if not hashes:
        return None
    return Signature(hashes, _bands(_minhash(hashes)))


def _minhash(hashes: frozenset[int]) -> list[int]:
    """The least value in each bin (bin: the top bits), sorted once and found by bisection."""
    ordered = sorted(hashes)
    mins = [_EMPTY] * BINS
    for b in range(BINS):
        i = bisect.bisect_left(ordered, b << _VALUE_BITS)
        if i < len(ordered) and ordered[i] >> _VALUE_BITS == b:
            mins[b] = ordered[i] & _VALUE_MASK
    if _EMPTY in mins:
        real = list(mins)
        for b in range(BINS):
            if real[b] == _EMPTY:
                donor = next(d for d in _DONORS[b] if real[d] != _EMPTY)
                mins[b] = real[donor] | _BORROWED
    return mins


def _bands(values: list[int]) -> tuple[int, ...]:
    return tuple(
        _hash64(
            bytes([band]) + b"".join(v.to_bytes(8, "little") for v in values[band * ROWS :][:ROWS])
        )
        for band in range(BANDS)
    )


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """|a ∩ b| / |a ∪ b|; 0.0 when both are empty."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def cluster_key(cluster: str) -> int:
    """A cluster id as an unsigned 64-bit number, for the index's fast field."""
    return _hash64(cluster.encode("utf-8"))
