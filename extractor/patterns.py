"""Regular-expression building blocks: fast case-insensitive search, word lists as tries,
which of several patterns match a short string."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

__all__ = ["Folded", "PatternBits", "trie"]


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


_OPENING = 3
_LITERAL = re.compile(r"(?:[a-z0-9-](?![?*{]))*")


def _depths(pattern: str) -> Iterator[tuple[int, str, int]]:
    """Each character outside escapes and character classes, with its group depth after it."""
    depth, at, in_class = 0, 0, False
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            at += 2
            continue
        if in_class or char == "[":
            in_class = char != "]" if in_class else True
        else:
            depth += (char == "(") - (char == ")")
            yield at, char, depth
        at += 1


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    start, parts = 0, []
    for at, char, depth in _depths(pattern):
        if char == "|" and not depth:
            parts.append(pattern[start:at])
            start = at + 1
    return [*parts, pattern[start:]]


def _openings(part: str) -> set[str] | None:
    """Literal openings (2 or 3 characters) one of which a match of the alternative `part`
    begins with; None when it has none (it opens with a class, a short or optional part)."""
    part = part.removeprefix(r"\b")
    if part.startswith("(?:"):
        return _group(part)
    literal = _LITERAL.match(part)
    opening = literal.group()[:_OPENING] if literal else ""
    return {opening} if len(opening) >= 2 else None


def _group(part: str) -> set[str] | None:
    """The openings of a leading `(?:...)` group that is not optional."""
    for at, _, depth in _depths(part):
        if not depth:
            if part[at + 1 : at + 2] in ("?", "*", "{"):
                return None
            found: set[str] = set()
            for alternative in _alternatives(part[3:at]):
                openings = _openings(alternative)
                if openings is None:
                    return None
                found |= openings
            return found
    return None


Searches = tuple[tuple[int, re.Pattern[str]], ...]


def _compile(parts: dict[int, list[str]]) -> Searches:
    return tuple((bit, re.compile("|".join(alternatives))) for bit, alternatives in parts.items())


class PatternBits:
    """Which of several case-sensitive patterns match a short string, as bits (pattern `i`
    sets bit `i`). A pattern matches where one of its top-level alternatives does, and an
    alternative can match only where the string holds its literal opening: each opening
    found (three characters at a time, one dictionary) searches only the alternatives that
    open with it (one scan finds them all: openings are all 3 characters long, so no two
    start at one position). `re` tries an alternation of words at every position, which made twenty
    searches of a class name cost more than the rest of its features."""

    def __init__(self, patterns: list[str]) -> None:
        always: dict[int, list[str]] = {}  # alternatives without an opening: always searched
        by_opening: dict[str, dict[int, list[str]]] = {}
        for i, pattern in enumerate(patterns):
            for part in _alternatives(pattern):
                openings = _openings(part)
                for opening in openings if openings is not None else ():
                    by_opening.setdefault(opening, {}).setdefault(1 << i, []).append(part)
                if openings is None:
                    always.setdefault(1 << i, []).append(part)
        self.always = _compile(always)
        self.short = tuple(  # 2-character openings, looked for with `in`
            (opening, _compile(parts)) for opening, parts in by_opening.items()
            if len(opening) < _OPENING
        )  # fmt: skip
        self.by_opening = {
            opening: _compile(parts)
            for opening, parts in by_opening.items()
            if len(opening) == _OPENING
        }
        # Every position where an opening starts (a lookahead: they may overlap).
        self.finder = re.compile(f"(?=({trie(sorted(self.by_opening)) or '(?!)'}))")

    def bits(self, text: str) -> int:
        found = self._search(text, self.always, 0)
        for short, searches in self.short:
            if short in text:
                found = self._search(text, searches, found)
        by_opening = self.by_opening
        for match in self.finder.finditer(text):
            found = self._search(text, by_opening[match.group(1)], found)
        return found

    @staticmethod
    def _search(text: str, searches: Searches, found: int) -> int:
        for bit, pattern in searches:
            if not found & bit and pattern.search(text):
                found |= bit
        return found
