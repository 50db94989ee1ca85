"""The text features of every block of a page at once (`block_features` reads them).

The blocks' texts are joined (a NUL between two) and read as one array of code points, so
that counts of characters (punctuation, digits, separators, capitals after a space) are one
numpy pass over the page instead of a dozen `str.count` calls per block. Words and stop words
come from the joined text lower-cased and stripped of punctuation once, then split per block.
The values are the same floats as block by block: integer counts divided alike.

Block texts are whitespace-collapsed (`blocks.linearise`): their only spaces are " " and
"\\n", which is what the capital test reads as a word start, and a NUL never occurs in them.
"""

from __future__ import annotations

import math
import re

import numpy as np
import numpy.typing as npt

from extractor.html.blocks import Block
from extractor.language import STOPWORDS

Matrix = npt.NDArray[np.float64]
Counts = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.uint32]

TEXT_NAMES = (
    "log_chars", "log_words", "word_length", "link_density", "punct_ratio", "commas_per_word",
    "sentence_end", "digit_ratio", "upper_ratio", "stopword_ratio", "separator_ratio",
    "lines", "in_quote", "copyright", "title_match", "fully_linked",
)  # fmt: skip
_SEP = "\x00"
_NO_PUNCT = re.compile("[.,;:!?()\"'«»“”]")


def _codes(chars: str) -> Codes:
    return np.array(sorted(map(ord, chars)), dtype=np.uint32)


_PUNCT = _codes(".,;:!?")
_DIGITS = _codes("0123456789")
_SEPARATORS = _codes("|»·•/›>")
_SENTENCE_END = _codes(".!?…。！？\"'”’»:")
# Capitals (`[A-ZÀ-ÖØ-ÞА-ЯΑ-Ω]`) as inclusive code point ranges.
_CAPITALS = ((0x41, 0x5A), (0xC0, 0xD6), (0xD8, 0xDE), (0x410, 0x42F), (0x391, 0x3A9))


def _per_block(mask: Mask, starts: Counts, ends: Counts) -> Counts:
    """How many positions of each block's span `mask` marks."""
    cum = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
    out: Counts = cum[ends] - cum[starts]
    return out


def _capitals(code: Codes, starts: Counts) -> Mask:
    """Capitals at a word start: after a space, a line break or the block's start."""
    capital = np.zeros(len(code), dtype=bool)
    for low, high in _CAPITALS:
        capital |= (code >= low) & (code <= high)
    after_space = np.ones(len(code), dtype=bool)
    after_space[1:] = (code[:-1] == 0x20) | (code[:-1] == 0x0A)
    after_space[starts] = True
    out: Mask = capital & after_space
    return out


def _words(texts: list[str], whole: str) -> tuple[list[int], list[int], list[bool]]:
    """Per block: its words (lower-cased, punctuation dropped), its stop words, and whether
    it mentions a copyright."""
    lower = whole.lower()
    cleaned = _NO_PUNCT.sub("", lower).split(_SEP)
    if len(cleaned) != len(texts):  # a block holding a NUL itself
        cleaned = [_NO_PUNCT.sub("", text.lower()) for text in texts]
    counts, stops = [], []
    for part in cleaned:
        words = part.split()
        counts.append(len(words))
        stops.append(sum(map(STOPWORDS.__contains__, words)))
    rights = [False] * len(texts)
    if "©" in whole or "copyright" in lower:
        rights = ["©" in text or "copyright" in text.lower() for text in texts]
    return counts, stops, rights


def _title_matches(texts: list[str], title: str) -> list[bool]:
    """Whether each block reads as the title (case folding never shortens a text)."""
    if not title:
        return [False] * len(texts)
    size = len(title)
    return [len(t) <= size and " ".join(t.split()).casefold() == title for t in texts]


def text_columns(blocks: list[Block], title: str) -> Matrix:
    """One row of `TEXT_NAMES` per block; `title` is the page's title, collapsed and
    case-folded."""
    texts = [block.text for block in blocks]
    whole = _SEP.join(texts)
    code = np.frombuffer(whole.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    sizes = np.array([len(t) for t in texts], dtype=np.int64)
    ends = np.cumsum(sizes + 1) - 1
    starts = ends - sizes
    chars = sizes.astype(np.float64)
    counts, stops, rights = _words(texts, whole)
    words = np.array(counts, dtype=np.float64)
    per_word = np.maximum(words, 1.0)
    links = np.array([block.link_chars for block in blocks], dtype=np.float64)
    link_density = links / chars
    out = np.empty((len(blocks), len(TEXT_NAMES)))
    out[:, 0] = list(map(math.log1p, sizes.tolist()))
    out[:, 1] = list(map(math.log1p, counts))
    out[:, 2] = chars / per_word
    out[:, 3] = link_density
    out[:, 4] = _per_block(np.isin(code, _PUNCT), starts, ends) / chars
    out[:, 5] = _per_block(code == 0x2C, starts, ends) / per_word
    out[:, 6] = np.isin(code[ends - 1], _SENTENCE_END)
    out[:, 7] = _per_block(np.isin(code, _DIGITS), starts, ends) / chars
    out[:, 8] = _per_block(_capitals(code, starts), starts, ends) / per_word
    out[:, 9] = np.array(stops, dtype=np.float64) / per_word
    out[:, 10] = _per_block(np.isin(code, _SEPARATORS), starts, ends) / per_word
    out[:, 11] = _per_block(code == 0x0A, starts, ends)
    out[:, 12] = [block.in_quote for block in blocks]
    out[:, 13] = rights
    out[:, 14] = _title_matches(texts, title)
    out[:, 15] = link_density > 0.9
    return out
