"""Dates and bylines written as text next to the headline or after an explicit label.

The last resort for the published date ("Veröffentlicht am 16.08.2019", "Apr 7, 2009") and the
authors ("By Jane Doe", "Von Max Muster", "Posted by Konstantin"), after structured metadata:
the text just before and after the page's <h1> (or the article's first block) is searched,
then labelled values anywhere in the page's first `_LABEL_SCAN` characters of text.
"""

from __future__ import annotations

import re
from datetime import datetime

from extractor.html.authors import people
from extractor.html.blocks import linearise
from extractor.html.dates import find_date
from extractor.html.dom import TEXT, Tree

_BEFORE = 300
_AFTER = 700
_LABEL_SCAN = 200_000
_DATE_LABEL = re.compile(
    r"(?:veröffentlicht|publiziert|erschienen|published|posted|publié|publicado|pubblicato|"
    r"gepubliceerd|opublikowano|опубликовано|erstellt am|datum|date)\b[^\d]{0,25}",
    re.IGNORECASE,
)
_BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|published|geschrieben|verfasst|veröffentlicht|erstellt|"
    r"publié|escrito|scritto)\s+(?:by|von|par|por|da)|by|von|par|por|door|di|av|af|"
    r"autor(?:in)?\s*:|author\s*:|auteur\s*:|text\s*:|verfasser(?:in)?\s*:)\s+(.{2,80})$",
    re.IGNORECASE,
)
_BYLINE_INSIDE = re.compile(r"\bby\s+([^\W\d][^\d|•·,;()]{1,40})$", re.IGNORECASE)
# "Ein Artikel von Pamela Sladky | 27.01.2022", "Blog Beitrag von Jane Doe": a noun for a
# piece of writing, then by/von and the name, anywhere in a short line.
_BYLINE_NOUN = re.compile(
    r"\b(?:artikel|beitrag|text|bericht|kommentar|gastbeitrag|article|post|story|column|"
    r"essay|interview)\s+(?:von|by|de|par|door)\s+(\S.{1,80})$",
    re.IGNORECASE,
)
_PARTICLES = frozenset("von van de der den da di del della la le du zu".split())  # noqa: SIM905
_BYLINE_CUT = re.compile(
    r"\s+(?:on|am|le|el|il|um|at|in|\||•|·|—|–|-)\s.*$|\s*[|•·,(@].*$|\s+\d.*$", re.IGNORECASE
)
_AUTHOR_LABEL = re.compile(
    r"(?:posted|written|published|geschrieben|verfasst|erstellt|publié|escrito)\b[^.:\n]{0,40}?"
    r"\b(?:by|von|par|por)\s+(.*)$|"
    r"^[^\w\n]*(?:autor(?:in)?|author|verfasser(?:in)?|text|redaktion)\s*:\s*(.*)$|"
    r"\d{1,2}:\d\d(?:\s*uhr)?\s+(?:von|by|par|por)\s+(.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_BYLINE_BLOCKS = 40
_BYLINE_MAX = 120


def _anchor(tree: Tree, fallback: int | None) -> int | None:
    for i, tag in enumerate(tree.tag):
        if tag == "h1":
            return i
    return fallback


def page_text(tree: Tree) -> str:
    """The page's text nodes, one a line, at most `_LABEL_SCAN` characters."""
    lines, size = [], 0
    for i, text in enumerate(tree.text):
        if tree.tag[i] == TEXT and text.strip():
            lines.append(text.strip())
            size += len(text)
            if size > _LABEL_SCAN:
                break
    return "\n".join(lines)


def date_after_label(tree: Tree, text: str | None = None) -> datetime | None:
    """A date written after an explicit label ("Veröffentlicht am 16.08.2019") anywhere."""
    full = page_text(tree) if text is None else text
    for match in _DATE_LABEL.finditer(full):
        found = find_date(full[match.end() : match.end() + 80])
        if found is not None:
            return found
    return None


def date_near_title(tree: Tree, first_block_node: int | None) -> datetime | None:
    """The first date in the text just after (else just before) the headline."""
    anchor = _anchor(tree, first_block_node)
    if anchor is None:
        return None
    before: list[str] = []
    size = 0
    i = anchor - 1
    while i >= 0 and size < _BEFORE:
        if tree.tag[i] == TEXT:
            before.append(tree.text[i])
            size += len(tree.text[i])
        i -= 1
    after: list[str] = []
    size = 0
    i = anchor
    while i < len(tree) and size < _AFTER:
        if tree.tag[i] == TEXT:
            after.append(tree.text[i])
            size += len(tree.text[i])
        i += 1
    found = find_date(" ".join(after)[:_AFTER])
    if found is None:
        found = find_date(" ".join(reversed(before))[-_BEFORE:])
    return found


def byline_near_title(tree: Tree, first_block_node: int | None = None) -> list[str]:
    """Authors from a "By Jane Doe" / "Von Max Muster" line just before or after the <h1>,
    else just before the body's first block (the first <h1> may be the site's logo)."""
    windows = []
    if "h1" in tree.tag:
        anchor = tree.tag.index("h1")
        windows.append((max(0, anchor - 120), min(len(tree), anchor + 400)))
    if first_block_node is not None:
        lo, hi = max(0, first_block_node - 120), min(len(tree), first_block_node + 20)
        if not windows or not windows[0][0] <= lo < hi <= windows[0][1]:
            windows.append((lo, hi))
    for start, stop in windows:
        for block in linearise(tree, start, stop)[:_BYLINE_BLOCKS]:
            for line in block.text.split("\n"):
                if len(line) > _BYLINE_MAX:
                    continue
                match = (
                    _BYLINE_PREFIX.match(line)
                    or _BYLINE_INSIDE.search(line)
                    or _BYLINE_NOUN.search(line)
                )
                if match:
                    names = people([_BYLINE_CUT.sub("", match.group(1))])
                    if names and all(_looks_like_name(n) for n in names):
                        return names
    return []


def byline_after_label(tree: Tree, text: str | None = None) -> list[str]:
    """Authors after an explicit label anywhere ("Posted by Konstantin", "Autor: A. B.")."""
    full = page_text(tree) if text is None else text
    for match in _AUTHOR_LABEL.finditer(full):
        start = full.rfind("\n", 0, match.start()) + 1
        end = full.find("\n", match.start())
        end = len(full) if end < 0 else end
        if end - start > _BYLINE_MAX:
            continue
        rest = (match.group(1) or match.group(2) or match.group(3) or "").strip()
        if not rest:
            rest = " ".join(full[end + 1 : end + 200].split("\n")[:3]).strip()[:60]
        names = people([_BYLINE_CUT.sub("", rest)])
        if names and all(_looks_like_name(n) for n in names):
            return names
    return []


def _looks_like_name(name: str) -> bool:
    """Capitalised words (particles aside): "Jane Doe", "Ludwig van Beethoven"."""
    words = name.split()
    return len(words) <= 4 and all(w[0].isupper() or w in _PARTICLES for w in words)
