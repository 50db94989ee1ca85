"""Snippets as HTML: matched words in `<mark>`, every other character escaped. Pure code."""

from __future__ import annotations

import html
from collections.abc import Iterable

__all__ = ["SNIPPET_CHARS", "highlight", "lead", "near", "typo_distance"]

SNIPPET_CHARS = 220


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
