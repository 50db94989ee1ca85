"""Dates and bylines written as text next to the headline or after an explicit label.

The last resort for the published date ("Veröffentlicht am 16.08.2019", "Apr 7, 2009") and the
authors ("By Jane Doe", "Von Max Muster", "Posted by Konstantin"), after structured metadata:
the text just before and after the page's <h1> (or the article's first block) is searched,
then labelled values anywhere in the page's first `_LABEL_SCAN` characters of text.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from extractor.dates import FoundDate, find_date, find_dates
from extractor.html.authors import people
from extractor.html.blocks import linearise
from extractor.html.dom import TEXT, Tree
from extractor.patterns import Folded, trie

_BEFORE = 300
_AFTER = 700
_LABEL_SCAN = 200_000
_DATE_LABELS = (
    "veröffentlicht|publiziert|erschienen|published|posted|publié|publicado|pubblicato|"
    "gepubliceerd|opublikowano|опубликовано|erstellt am|mis en ligne|mise en ligne|datum|date"
)
_DATE_LABEL = Folded(trie(_DATE_LABELS) + r"\b[^\d]{0,25}")
# The last change, as a wiki or a CMS footer states it: the page's only date when no other is
# given anywhere ("last edited 2019-11-10", "Letzte Änderung: 14.01.2022").
_UPDATE_LABELS = (
    "last edited|last updated|last modified|last changed|updated|zuletzt geändert|"
    "zuletzt aktualisiert|zuletzt bearbeitet|letzte änderung|letzte aktualisierung|"
    "aktualisiert|mis à jour|actualizado|aggiornato"
)
_UPDATE_LABEL = Folded(trie(_UPDATE_LABELS) + r"\b[^\d]{0,25}")
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
_AUTHOR_VERBS = "posted|written|published|geschrieben|verfasst|erstellt|publié|escrito"
_AUTHOR_LABEL = Folded(
    trie(_AUTHOR_VERBS) + r"\b[^.:\n]{0,40}?"
    r"\b(?:by|von|par|por)\s+(.*)$|"
    r"^[^\w\n]*(?:autor(?:in)?|author|verfasser(?:in)?|text|redaktion)\s*:\s*(.*)$|"
    r"\d{1,2}:\d\d(?:\s*uhr)?\s+(?:von|by|par|por)\s+(.*)$",
    re.MULTILINE,
)
_BYLINE_BLOCKS = 40
_BYLINE_MAX = 120


def _anchor(tree: Tree, fallback: int | None) -> int | None:
    return tree.tag.index("h1") if "h1" in tree.tag else fallback


def page_text(tree: Tree) -> str:
    """The page's text nodes, one a line, at most `_LABEL_SCAN` characters."""
    lines, size = [], 0
    for text in tree.text:  # (an element's text is "")
        if text and (line := text.strip()):
            lines.append(line)
            size += len(text)
            if size > _LABEL_SCAN:
                break
    return "\n".join(lines)


def date_after_label(
    tree: Tree, text: str | None = None, *, updated: bool = False
) -> FoundDate | None:
    """A date written after an explicit label ("Veröffentlicht am 16.08.2019") anywhere;
    with `updated`, after a label of the last change ("Last edited 2019-11-10")."""
    full = page_text(tree) if text is None else text
    for match in (_UPDATE_LABEL if updated else _DATE_LABEL).finditer(full):
        found = find_date(full[match.end() : match.end() + 80])
        if found is not None:
            return found
    return None


# A date right after one of these is a forum member's sign-up day, not the post's.
_MEMBER_SINCE = re.compile(
    r"(?:registriert|registered|joined|member since|mitglied seit|dabei seit|inscrit|"
    r"registrado|iscritto)\b[^\d]{0,12}$",
    re.IGNORECASE,
)


def header_dates(tree: Tree, first_block_node: int | None) -> tuple[list[date], list[date]]:
    """The dates written just after the headline (from it on, in reading order) and just
    before it (nearest first), a forum member's sign-up date ("Registriert: 18.09.2008")
    left out."""
    anchor = _anchor(tree, first_block_node)
    if anchor is None or anchor >= len(tree):  # a block of another tree (a script's template)
        return [], []
    after = _window(tree, range(anchor, len(tree)), _AFTER)
    before = _window(tree, range(anchor - 1, -1, -1), _BEFORE)
    return after, before[::-1]


def _window(tree: Tree, indexes: range, limit: int) -> list[date]:
    texts: list[str] = []
    size = 0
    for i in indexes:
        if size >= limit:
            break
        if tree.tag[i] == TEXT:
            texts.append(tree.text[i])
            size += len(tree.text[i])
    if indexes.step < 0:
        texts.reverse()
    text = " ".join(texts)
    text = text[-limit:] if indexes.step < 0 else text[:limit]
    return [
        found.day
        for found in find_dates(text)
        if not _MEMBER_SINCE.search(text[max(0, found.start - 30) : found.start])
    ]


def date_near_title(tree: Tree, first_block_node: int | None) -> datetime | None:
    """The first date in the text just after (else just before) the headline."""
    after, before = header_dates(tree, first_block_node)
    found = after[0] if after else before[-1] if before else None
    return datetime(found.year, found.month, found.day) if found is not None else None


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
        for block in linearise(tree, start, stop, limit=_BYLINE_BLOCKS)[:_BYLINE_BLOCKS]:
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
        group = next((g for g in (1, 2, 3) if match.start(g) >= 0), 0)
        rest = full[match.start(group) : match.end(group)].strip() if group else ""
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
