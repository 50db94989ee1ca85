"""Snippets as HTML: matched words in `<mark>`, every other character escaped. Pure code."""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable, Sequence

__all__ = ["SNIPPET_CHARS", "highlight", "lead", "near", "typo_distance", "window"]

SNIPPET_CHARS = 220
WINDOW_BEFORE, WINDOW_AFTER = SNIPPET_CHARS, 6 * SNIPPET_CHARS
"""The text around the first match that the snippet is looked for in (see `window`)."""


def highlight(fragment: str, spans: Iterable[tuple[int, int]], *, cut: bool) -> str:
    """`fragment` with the UTF-8 byte ranges `spans` marked; `cut`: it starts mid-text."""
    raw = fragment.encode()

    def text(start: int, end: int | None = None) -> str:
        return html.escape(raw[start:end].decode(errors="replace"))

    parts: list[str] = []
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor or end <= start:
            continue
        parts += [text(cursor, start), "<mark>", text(start, end), "</mark>"]
        cursor = end
    parts.append(text(cursor))
    return ("… " if cut else "") + "".join(parts).strip()


def window(text: str, words: Sequence[str], *, prefix: bool = False) -> tuple[int, int] | None:
    """Where to look for the snippet: from a little before the first of `words` (whole
    words as the index's tokenizer cuts them, any case; with `prefix`, words starting with
    one) to `WINDOW_AFTER` characters after it; None if the text is short or has none.

    Cutting a long body to this window before tantivy's snippet generator analyses it keeps
    snippets cheap (it tokenises, and stems, all the text it is given), at the cost of
    looking for the best passage near the first match only.
    """
    words = tuple(sorted({w.lower() for w in words if w}, key=len, reverse=True))
    if not words or len(text) <= WINDOW_BEFORE + WINDOW_AFTER:
        return None
    # Most first matches are early: the start of the text is searched first, and a match
    # there counts only if the start reaches past its next character (a word edge).
    at = _first_match(text[:_HEAD_CHARS], words, prefix)
    if at is None or at + len(words[0]) >= _HEAD_CHARS:
        at = _first_match(text, words, prefix)
    if at is None:
        return None
    start = max(0, at - WINDOW_BEFORE)
    if start > 0:
        space = text.find(" ", start, at)
        start = at if space < 0 else space + 1
    return start, min(len(text), at + WINDOW_AFTER)


def _first_match(text: str, words: tuple[str, ...], prefix: bool) -> int | None:
    if all(w.isascii() for w in words):  # bytes.find: much faster than a regex
        return _first(_folded(text), [w.encode() for w in words], prefix)
    found = _pattern(words, prefix).search(text)
    return None if found is None else found.start()


_HEAD_CHARS = 1024


def _folded(text: str) -> bytes:
    """The text lowercased and folded to ASCII where that is one letter (é -> e), one byte per
    character (so offsets do not move): characters beyond Latin-1 become `?`, a separator."""
    return text.encode("latin-1", "replace").translate(_FOLD)


def _fold_table() -> bytes:
    table = bytearray(range(256))
    for code in range(256):
        char = chr(code).lower()
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if c.isascii())
        if len(base) == 1 and base.isalnum():
            table[code] = ord(base)
        elif len(char) == 1 and ord(char) < 256:
            table[code] = ord(char)
    table[ord("Ø")] = table[ord("ø")] = ord("o")
    return bytes(table)


_FOLD = _fold_table()
_WORD_BYTES = frozenset(code for code in range(256) if chr(code).isalnum())


def _first(folded: bytes, words: Sequence[bytes], prefix: bool) -> int | None:
    """Where the first of `words` starts in a folded text (a word edge before it, and one
    after it unless `prefix`); letters and digits are what the tokenizer keeps."""
    first = None
    for word in words:
        limit = len(folded) if first is None else first + len(word) - 1
        at = folded.find(word, 0, limit)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or folded[at - 1] not in _WORD_BYTES) and (
                prefix or end == len(folded) or folded[end] not in _WORD_BYTES
            ):
                first = at
                break
            at = folded.find(word, at + 1, limit)
    return first


@functools.lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...], prefix: bool) -> re.Pattern[str]:
    """Any of `words` at word edges as the index's tokenizer sees them: letters and digits
    make words (`_` splits them)."""
    end = "" if prefix else r"(?![^\W_])"
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(map(re.escape, words))}){end}", re.IGNORECASE)


def lead(text: str, max_chars: int = SNIPPET_CHARS) -> str:
    """The start of `text`, whitespace collapsed, cut at a word, escaped."""
    text = " ".join(text[: max_chars * 4].split())
    if len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0] + " …"
    return html.escape(text)


def typo_distance(word: str) -> int:
    """How many typos a word may hold: 1 below 8 characters, 2 from 8."""
    return 1 if len(word) < 8 else 2


def near(a: str, b: str, limit: int) -> bool:
    """Whether `a` becomes `b` in at most `limit` edits (insert, delete, replace, swap)."""
    if abs(len(a) - len(b)) > limit or len(set(a) ^ set(b)) > 2 * limit:
        return False  # an edit changes the length by one and the letters used by two at most
    if len(_pairs(a) - _pairs(b)) > 3 * limit:
        return False  # an edit breaks at most three of a's letter pairs (a swap: xaby, xbay)
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return False
        before, row = row, current
    return row[-1] <= limit


@functools.lru_cache(maxsize=1024)
def _pairs(word: str) -> frozenset[str]:
    return frozenset(word[i : i + 2] for i in range(len(word) - 1))
