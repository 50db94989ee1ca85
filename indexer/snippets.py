"""Snippets as HTML: matched words in `<mark>`, every other character escaped. Pure code."""

from __future__ import annotations

import html
from collections.abc import Iterable

__all__ = ["SNIPPET_CHARS", "highlight", "lead"]

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
