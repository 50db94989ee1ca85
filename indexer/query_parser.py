"""The search language and the search model: pure code, no tantivy, no FastAPI.

The language is the one people know from web search engines:

    climate change        both words must match (in the title, description or body)
    "climate change"      the exact phrase
    -football             documents with this word are left out (also -"a phrase")
    tea OR coffee         either one; OR binds tighter than the implicit AND
    photo*               words starting with "photo" (at least two letters before the *)

Everything else is plain text: `title:x`, `^`, `~`, brackets and other punctuation are
word separators, exactly as when the articles were indexed. Control characters are
dropped, an unbalanced quote runs to the end of the query, a dangling OR is ignored.
`parse_query` returns a `ParsedQuery` or raises `QueryError` with a message a person
can read; it never raises anything else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from indexer.errors import QueryError

__all__ = [
    "MAX_CLAUSES",
    "MIN_PREFIX_LENGTH",
    "AnyOf",
    "Clause",
    "ParsedQuery",
    "Phrase",
    "Unit",
    "Word",
    "clean_text",
    "parse_query",
]

MAX_CLAUSES = 32
"""Most words and phrases one query may hold (each becomes several index lookups)."""
MAX_PHRASE_WORDS = 16
MIN_PREFIX_LENGTH = 2

_QUOTES = str.maketrans(
    {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\uff02": '"'}
)
_SPACED_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}  # become spaces; "Cf" (soft hyphen, ZWJ) vanish
_TOKEN = re.compile(r'(-?)"([^"]*)(?:"|$)|([^\s"]+)')


@dataclass(frozen=True, slots=True)
class Word:
    """One word as the user typed it (punctuation inside is split by the index analyzer)."""

    text: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words that must appear next to each other, in this order."""

    words: tuple[str, ...]


Unit = Word | Phrase


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one of the options must match (`a OR b OR "c d"`)."""

    options: tuple[Unit, ...]


Clause = Unit | AnyOf


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """Every `required` clause must match and no `excluded` unit may; empty means everything."""

    required: tuple[Clause, ...] = ()
    excluded: tuple[Unit, ...] = ()

    @property
    def matches_all(self) -> bool:
        return not self.required and not self.excluded

    def positive_words(self) -> list[str]:
        """The words that should match, for fuzzy fallback and highlighting."""
        out: list[str] = []
        for clause in self.required:
            units = clause.options if isinstance(clause, AnyOf) else (clause,)
            for unit in units:
                out.extend(unit.words if isinstance(unit, Phrase) else (unit.text,))
        return out


def clean_text(text: str) -> str:
    """NFKC-normalise, unify quotes, drop format characters and space out control ones."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    if text.isascii() and text.isprintable():
        return text
    return "".join(_clean_char(ch) for ch in text)


def _clean_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Cf":
        return ""
    return " " if category in _SPACED_CATEGORIES else ch


def parse_query(text: str, *, max_length: int = 1000) -> ParsedQuery:
    """Parse what a user typed; raise `QueryError` if it is too long or holds nothing to find."""
    if len(text) > max_length:
        raise QueryError(
            f"the query is too long ({len(text)} characters; the limit is {max_length})"
        )
    cleaned = clean_text(text)
    if not cleaned.strip():
        return ParsedQuery()
    items = _lex(cleaned)
    query = _combine(items)
    if query.matches_all:
        raise QueryError("the query has no words to search for")
    if len(query.required) + len(query.excluded) > MAX_CLAUSES:
        raise QueryError(f"the query has too many words or phrases (the limit is {MAX_CLAUSES})")
    return query


# An item is a unit with its sign, or the OR operator.
_Item = tuple[bool, Unit] | str


def _lex(text: str) -> list[_Item]:
    items: list[_Item] = []
    for match in _TOKEN.finditer(text):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is None:
            unit = _phrase(phrase)
            if unit is not None:
                items.append((bool(negated), unit))
        elif bare == "OR":
            items.append("OR")
        else:
            item = _bare(bare)
            if item is not None:
                items.append(item)
    return items


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _phrase(text: str) -> Unit | None:
    words = tuple(w for w in text.split() if _has_word(w))
    if not words:
        return None
    if len(words) > MAX_PHRASE_WORDS:
        raise QueryError(f"a phrase may hold at most {MAX_PHRASE_WORDS} words")
    return Word(words[0]) if len(words) == 1 else Phrase(words)


def _bare(token: str) -> tuple[bool, Unit] | None:
    negated = token.startswith("-") and len(token) > 1
    if negated:
        token = token[1:]
    prefix = token.endswith("*")
    stem = token.rstrip("*")
    if not _has_word(stem):
        return None
    if prefix and sum(ch.isalnum() for ch in stem) < MIN_PREFIX_LENGTH:
        raise QueryError(
            f"a prefix search needs at least {MIN_PREFIX_LENGTH} letters before the *: {token!r}"
        )
    return negated, Word(stem, prefix=prefix)


def _combine(items: list[_Item]) -> ParsedQuery:
    """Fold `a OR b` into AnyOf groups; a dangling OR or one next to a `-term` is ignored."""
    required: list[Clause] = []
    excluded: list[Unit] = []
    group: list[Unit] = []
    pending_or = False

    def flush() -> None:
        if group:
            required.append(group[0] if len(group) == 1 else AnyOf(tuple(group)))
            group.clear()

    for item in items:
        if isinstance(item, str):
            pending_or = bool(group)
            continue
        negated, unit = item
        if negated:
            excluded.append(unit)
            pending_or = False
            continue
        if not pending_or:
            flush()
        if unit not in group:
            group.append(unit)
        pending_or = False
    flush()
    return ParsedQuery(tuple(dict.fromkeys(required)), tuple(dict.fromkeys(excluded)))
