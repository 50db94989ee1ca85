"""Near-duplicate signatures: MinHash over word shingles, banded for LSH. Pure code.

Two articles are near duplicates when the Jaccard similarity of their sets of 4-word
shingles is at least `JACCARD_THRESHOLD` (a wire story syndicated with another header line,
byline or footer scores about 0.8-0.95; two articles on one topic, below 0.1).

The signature is a one-permutation MinHash (Li, Owen & Zhang 2012) with optimal
densification (Shrivastava 2017): one hash per shingle, split into `BINS` bins by its top
bits, the minimum kept per bin, empty bins filled from other bins in a fixed pseudo-random
order. The bins are cut into `BANDS` bands of `ROWS`; each band becomes one 64-bit term (LSH).
Articles sharing a band term are candidates, with probability 1 - (1 - J^ROWS)^BANDS
(J = 0.5: 0.64, J = 0.7: 0.99, J = 0.2: 0.03); candidates are then checked exactly.

The extractor computes the band terms (`encode(bands(text))`, the event's `dedup_signature`),
so the one indexer, which is the pipeline's single writer, does not spend its time on them:
it reads them (`decode`) when they are of this `SCHEME`, computes them otherwise (an event
from another producer, or from before a change of the scheme), and computes the shingles
only when an article has candidates to check. Band terms from an event are never trusted
to merge anything: a candidate they bring is checked against the texts.

The hashing is vectorised with numpy (whole-array arithmetic for the words, the shingles,
their mixing, sorting and the bins): in pure Python the same algorithm costs several times
more, once per article (docs/benchmarks.md). Not `datasketch`: classic MinHash needs `BINS`
hashes per shingle, and the index, not an in-memory LSH table, is where the band terms live.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "BANDS",
    "JACCARD_THRESHOLD",
    "MIN_WORDS",
    "SCHEME",
    "Shingles",
    "Signature",
    "bands",
    "cluster_key",
    "comparable",
    "decode",
    "encode",
    "encoded_bands",
    "jaccard",
    "shingles",
    "signature",
]

Shingles = npt.NDArray[np.uint64]
"""A text's shingle hashes: sorted, each once."""

SHINGLE_WORDS = 4
BINS = 64
ROWS = 4
BANDS = BINS // ROWS
JACCARD_THRESHOLD = 0.5
MIN_WORDS = 40
"""Shorter texts get no signature: a few common sentences would make unrelated pages twins."""
MAX_CHARS = 200_000
"""Only the start of a longer text is shingled (a copy shares its start too)."""
SCHEME = f"minhash-{BINS}x{ROWS}-v1"
"""Names the algorithm and its parameters: a change to either needs a new name, so that band
terms of another scheme (in events published before) are computed again, never mixed."""
_WORD = re.compile(r"\w+")
_ENCODED = re.compile(rf"{re.escape(SCHEME)}:([0-9a-f]{{{16 * BANDS}}})")
_SEPARATORS = bytes(c if c >= 128 or chr(c).isalnum() else 32 for c in range(256))
"""UTF-8 bytes -> themselves for letters, digits and non-ASCII; a space for the rest."""
_BIN_BITS = BINS.bit_length() - 1
_VALUE_BITS = 64 - _BIN_BITS
_VALUE_MASK = (1 << _VALUE_BITS) - 1
_BORROWED = 1 << _VALUE_BITS
"""Marks a value an empty bin borrowed (real minima are below it)."""
_EMPTY = 1 << (_VALUE_BITS + 1)
_POSITION = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)
"""Odd 64-bit multipliers, one per word position in a shingle."""
_BASE = np.uint64(0x100000001B3)
"""The polynomial hash's base (odd, so invertible modulo 2^64)."""
_BASE_INVERSE = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_SPACE = 32
_ZERO = np.zeros(1, dtype=np.uint64)
_BINS = np.arange(BINS, dtype=np.uint64)
_BAND_SALT = np.arange(BANDS, dtype=np.uint64) * np.uint64(0xA0761D6478BD642F)
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_BIN_STARTS = np.arange(BINS, dtype=np.uint64) << np.uint64(_VALUE_BITS)
_DONORS = tuple(
    tuple(random.Random(f"pagewire-dedup-{i}").sample(range(BINS), BINS)) for i in range(BINS)
)
"""For each bin, the fixed order in which other bins are tried when it is empty."""
_NONE: Shingles = np.empty(0, dtype=np.uint64)
_PRECOMPUTED = 1 << 16
"""Texts up to this many UTF-8 bytes use precomputed powers (2 x 512 KB)."""


@dataclass(frozen=True, slots=True, eq=False)
class Signature:
    """An article's shingle hashes (for exact checks) and its LSH band terms."""

    shingles: Shingles
    bands: tuple[int, ...]

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Signature)
            and self.bands == other.bands
            and bool(np.array_equal(self.shingles, other.shingles))
        )

    def __hash__(self) -> int:
        return hash(self.bands)


def _hash64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def shingles(text: str) -> Shingles:
    """64-bit hashes of the text's overlapping 4-word shingles (case-folded words), sorted.

    Words are runs of letters and digits (ASCII punctuation and spaces separate them) in the
    case-folded UTF-8 text. A word's hash is a polynomial hash of its bytes, read off prefix
    sums of the whole text (whole-array arithmetic modulo 2^64, no loop over words); a
    shingle's hash is the sum of its words' hashes times a multiplier per position (so word
    order counts), then mixed (the SplitMix64 finaliser) so that its top bits, which pick a
    MinHash bin, depend on every word.
    """
    raw = text[:MAX_CHARS].casefold().encode().translate(_SEPARATORS)
    letters = np.frombuffer(raw, dtype=np.uint8)
    edges = np.diff(np.concatenate(([0], letters != _SPACE, [0])).astype(np.int8))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    count = len(starts) - SHINGLE_WORDS + 1
    if count <= 0:
        return _NONE
    powers, inverse = _powers(len(letters))
    with np.errstate(over="ignore"):
        sums = np.concatenate((_ZERO, np.cumsum(letters * powers, dtype=np.uint64)))
        words = (sums[ends] - sums[starts]) * inverse[starts]  # each as if at position 0
        h = words[:count] * _POSITION[0]
        for i in range(1, SHINGLE_WORDS):
            h += words[i : i + count] * _POSITION[i]
        h = _mix(h)
    h.sort()
    keep = np.empty(count, dtype=bool)
    keep[0] = True
    np.not_equal(h[1:], h[:-1], out=keep[1:])
    unique: Shingles = h[keep]
    return unique  # np.unique does the same, several times slower on small arrays


def _powers(size: int) -> tuple[Shingles, Shingles]:
    """BASE^i and BASE^-i for i = 1..size (modulo 2^64); precomputed for ordinary texts."""
    if size <= len(_POWERS):
        return _POWERS[:size], _INVERSE_POWERS[:size]
    with np.errstate(over="ignore"):
        powers: Shingles = np.cumprod(np.full(size, _BASE, dtype=np.uint64), dtype=np.uint64)
        inverse: Shingles = np.cumprod(
            np.full(size, _BASE_INVERSE, dtype=np.uint64), dtype=np.uint64
        )
    return powers, inverse


def _mix(h: Shingles) -> Shingles:
    """The SplitMix64 finaliser, in place (callers silence overflow warnings)."""
    h ^= h >> np.uint64(30)
    h *= _MIX1
    h ^= h >> np.uint64(27)
    h *= _MIX2
    h ^= h >> np.uint64(31)
    return h


def comparable(text: str) -> bool:
    """Whether a text is long enough to be compared (`MIN_WORDS` words)."""
    return len(_WORD.findall(text, 0, 20 * MIN_WORDS)) >= MIN_WORDS


def bands(text: str) -> tuple[int, ...] | None:
    """The text's LSH band terms; None when it is too short to compare."""
    found = signature(text)
    return None if found is None else found.bands


def encode(terms: tuple[int, ...]) -> str:
    """Band terms as text for an event: `SCHEME:` then 16 hex digits a term."""
    return f"{SCHEME}:" + "".join(f"{term:016x}" for term in terms)


def encoded_bands(text: str) -> str | None:
    """`encode(bands(text))`, the event's `dedup_signature`; None for a short text."""
    terms = bands(text)
    return None if terms is None else encode(terms)


def decode(value: str | None) -> tuple[int, ...] | None:
    """The band terms of `encode`'s text; None for anything else (another scheme included)."""
    found = _ENCODED.fullmatch(value) if value else None
    if found is None:
        return None
    digits = found.group(1)
    return tuple(int(digits[i : i + 16], 16) for i in range(0, len(digits), 16))


def signature(text: str) -> Signature | None:
    """The signature of an article's text; None when it is too short to compare."""
    if not comparable(text):
        return None
    hashes = shingles(text)
    if not hashes.size:
        return None
    return Signature(hashes, _bands(_minhash(hashes)))


def _minhash(hashes: Shingles) -> Shingles:
    """The least value in each bin (bin: the top bits), found by bisection in sorted hashes;
    an empty bin borrows from the first non-empty bin in its fixed order (densification)."""
    at = np.searchsorted(hashes, _BIN_STARTS)
    first = hashes[np.minimum(at, len(hashes) - 1)]
    real = (at < len(hashes)) & ((first >> np.uint64(_VALUE_BITS)) == _BINS)
    mins: Shingles = np.where(real, first & np.uint64(_VALUE_MASK), np.uint64(_EMPTY))
    if not real.all():
        filled = real.tolist()
        values = mins.tolist()
        for b in range(BINS):
            if not filled[b]:
                donor = next(d for d in _DONORS[b] if filled[d])
                mins[b] = values[donor] | _BORROWED
    return mins


def _bands(mins: Shingles) -> tuple[int, ...]:
    """Each band's `ROWS` minima combined into one 64-bit term (with the band's number)."""
    with np.errstate(over="ignore"):
        rows = mins.reshape(BANDS, ROWS) * _POSITION[:ROWS]
        combined = rows.sum(axis=1, dtype=np.uint64) + _BAND_SALT
        return tuple(_mix(combined).tolist())


def jaccard(a: Shingles, b: Shingles) -> float:
    """|a ∩ b| / |a ∪ b| of two sorted unique hash arrays; 0.0 when either is empty."""
    if not a.size or not b.size:
        return 0.0
    shared = int(np.intersect1d(a, b, assume_unique=True).size)
    return shared / (a.size + b.size - shared)


def cluster_key(cluster: str) -> int:
    """A cluster id as an unsigned 64-bit number, for the index's fast field."""
    return _hash64(cluster.encode("utf-8"))


with np.errstate(over="ignore"):
    _POWERS: Shingles = np.cumprod(np.full(_PRECOMPUTED, _BASE, dtype=np.uint64), dtype=np.uint64)
    _INVERSE_POWERS: Shingles = np.cumprod(
        np.full(_PRECOMPUTED, _BASE_INVERSE, dtype=np.uint64), dtype=np.uint64
    )
