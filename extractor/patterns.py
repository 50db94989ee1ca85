"""Regular-expression building blocks: fast case-insensitive search, word lists as tries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

__all__ = ["Folded", "trie"]


class Folded:
    """A pattern written in lower case, run on a lower-cased copy of the text: faster than
    re.IGNORECASE on long texts. The matches' spans are the text's own; read
    groups from the text by span (`text[m.start(1):m.end(1)]`), not with `m.group`. Where
    lower-casing changes the text's length (a few letters such as "İ" do), the pattern runs
    with re.IGNORECASE on the text itself."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.lower = re.compile(pattern, flags)
        self.anycase = re.compile(pattern, flags | re.IGNORECASE)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        lowered = text.lower()
        if len(lowered) == len(text):
            return self.lower.finditer(lowered)
        return self.anycase.finditer(text)


def trie(words: str | list[str], *, anycase: bool = False) -> str:
    """One regex alternation for `words` (a list, or one string of them joined by "|"), as a
    trie: it fails on a word's first letter instead of trying each word in turn (a plain
    "a|b|c" of many names is slow where it is tried at every position). Longer words are
    tried first, as in a longest-first alternation. With `anycase`, letters match in either
    case through character classes ("[dD][iI][vV]"), faster than re.IGNORECASE."""
    root: dict[str, Any] = {}
    for word in words.split("|") if isinstance(words, str) else words:
        node = root
        for char in word.lower() if anycase else word:
            node = node.setdefault(char, {})
        node[""] = {}

    def atom(char: str) -> str:
        if anycase and char.isalpha() and char.upper() != char:
            return f"[{char}{char.upper()}]"
        return re.escape(char)

    def emit(node: dict[str, Any]) -> str:
        branches = [atom(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)
