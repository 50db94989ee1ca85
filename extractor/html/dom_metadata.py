"""Metadata read from the document itself: microdata, <time>, bylines, <link rel>, <html lang>.

Used after JSON-LD and <meta>: only fields still empty are filled (see `Metadata.set`).
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from extractor import dates
from extractor.date_decision import Candidate
from extractor.html.authors import people
from extractor.html.page_metadata import Metadata

_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*$")
_MAX_NODES = 40
_BYLINE_SELECTORS = (
    '[rel="author"]',
    '[class*="byline" i] [class*="author" i]',
    '[class*="byline" i]',
    '[class*="author" i]:not([class*="bio" i]):not([class*="description" i])',
    '[id*="author" i], [class*="autor" i], [class*="writer" i], [class*="posted-by" i], '
    '[class*="poster" i], [class*="verfasser" i], [class*="username" i]',
)
_DATE_SELECTORS = (
    '[class*="published" i], [class*="entry-date" i], [class*="post-date" i], '
    '[class*="pubdate" i], [class*="publish" i], [itemprop="dateCreated"]',
    "time",
    '[class*="date" i], [class*="datum" i], [id*="date" i], [class*="posted" i], '
    '[class*="meta" i], [class*="time" i], [class*="byline" i]',
)
_BYLINE_START = re.compile(r"(?:(?:written|posted)\s+)?(?:by|von|par|por)\s", re.IGNORECASE)
_COMMENTS = re.compile(
    r"\bcomments?\b(?!-open)|comment-?(?:list|body|content|meta|author)|commentl"
)
_ASIDE = re.compile(r"sidebar|widget|related|calendar|footer|recommend")
_CONTENT = re.compile(r"content|main|article|entry|post\b|hentry")
_STOP_TAGS = frozenset({"body", "html", "article", "main"})


def language_code(value: str | None) -> str | None:
    if not value:
        return None
    match = _LANG.match(value.strip())
    return match.group(1).lower() if match else None


def from_dom(md: Metadata, parser: LexborHTMLParser, url: str) -> None:
    canonical = parser.css_first('link[rel="canonical" i]')
    href = canonical.attributes.get("href") if canonical is not None else None
    if href and href.strip():
        md.canonical_url, md.sources["canonical_url"] = href.strip(), "dom"
    md.language = language_code(md.language)
    root = parser.root
    lang = root.attributes.get("lang") if root is not None else None
    if not md.language and language_code(lang):
        md.set("language", language_code(lang), "dom")
    _microdata(md, parser)
    if not md.authors:
        md.set("authors", _byline(parser, md), "dom")
    element = _dom_date(parser)  # read whatever is declared: the decision's step 8 weighs it
    md.dates.element = element
    if element is not None and not md.dates.published:
        md.dates.published.append(element)


def _node_value(node: LexborNode) -> str:
    attrs = node.attributes
    for key in ("content", "datetime", "title"):
        value = attrs.get(key)
        if value and value.strip():
            return value.strip()
    return " ".join(node.text().split())


def _microdata(md: Metadata, parser: LexborHTMLParser) -> None:
    if not md.authors:
        for node in parser.css('[itemprop="author"], [itemprop="creator"]')[:_MAX_NODES]:
            if _in_comments(node):
                continue
            inner = node.css_first('[itemprop="name"]')
            name = _node_value(inner if inner is not None else node)
            found = people([name]) if len(name) < 100 else []
            if found:  # the first credited author only: later ones sign related items
                md.set("authors", found, "microdata")
                break
    for prop, into in (("datePublished", md.dates.published), ("dateModified", md.dates.modified)):
        dated = parser.css_first(f'[itemprop="{prop}"]')
        raw = _node_value(dated) if dated is not None else None
        value = dates.parse_date(raw)
        if raw and value is not None:
            into.append(Candidate(value, "microdata", raw))


def fuller_name(parser: LexborHTMLParser, short: str, more: list[str]) -> str | None:
    """A full name for a one-word author: a byline name of two or more words whose first
    name it is ("Todd" -> "Todd Bates"), or, for a lower-case login ("janedoe"), whose
    letters it is ("Jane Doe"). `more` adds names found in the text."""
    key = compact(short)
    names = list(more)
    for selector in _BYLINE_SELECTORS:
        for node in parser.css(selector)[:_MAX_NODES]:
            text = " ".join(node.text().split())
            if text and len(text) <= 200 and not _in_comments(node):
                names += people([text[:80]])
    for name in names:
        words = name.split()
        if len(words) > 1 and (
            compact(words[0]) == key or (short.islower() and compact(name) == key)
        ):
            return name
    return None


def compact(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _byline(parser: LexborHTMLParser, md: Metadata) -> list[str]:
    for selector in _BYLINE_SELECTORS:
        for node in parser.css(selector)[:_MAX_NODES]:
            if _in_comments(node):
                continue
            text = " ".join(node.text().split())
            if not text or len(text) > (160 if _BYLINE_START.match(text) else 80):
                continue
            found = people([text])
            if found:
                return found
            md.add_desk([text], "dom")
    return []


def _in_comments(node: LexborNode) -> bool:
    """Inside comments, a sidebar, related links or the footer (up to the article or body)."""
    current: LexborNode | None = node
    for _ in range(15):
        if current is None or current.tag in _STOP_TAGS:
            return False
        attrs = current.attributes
        hint = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
        if hint.strip() and (
            _COMMENTS.search(hint) or (_ASIDE.search(hint) and not _CONTENT.search(hint))
        ):
            return True
        current = current.parent
    return False


def _dom_date(parser: LexborHTMLParser) -> Candidate | None:
    """The first date in the markup's date elements, in the order of `_DATE_SELECTORS`."""
    for selector in _DATE_SELECTORS:
        for node in parser.css(selector)[:_MAX_NODES]:
            if _in_comments(node):
                continue
            raw = _node_value(node)
            if not raw or len(raw) > 200:
                continue
            value = dates.parse_date(raw)
            if value is not None:
                return Candidate(value, "dom", raw)
    return None
