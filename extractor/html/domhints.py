"""Metadata read from the document itself: microdata, <time>, bylines, <link rel>, <html lang>.

Used after JSON-LD and <meta>: only fields still empty are filled (see `Metadata.set`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from selectolax.lexbor import LexborHTMLParser, LexborNode

from extractor.html import dates
from extractor.html.authors import people

if TYPE_CHECKING:
    from extractor.html.metadata import Metadata

_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*$")
_MAX_NODES = 40
_BYLINE_SELECTORS = (
    '[rel="author"]',
    '[class*="byline"] [class*="author"]',
    '[class*="byline"]',
    '[class*="author"]:not([class*="bio"]):not([class*="description"])',
    '[id*="author"], [class*="autor"], [class*="writer"], [class*="posted-by"]',
)
_DATE_SELECTORS = (
    '[class*="published"], [class*="entry-date"], [class*="post-date"], [class*="pubdate"], '
    '[class*="date-published"], [class*="publish"]',
    "time",
    '[class*="date"], [class*="datum"], [id*="date"], [class*="posted"], [class*="meta"] ',
    '[class*="time"]',
)


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
        md.set("authors", _byline(parser), "dom")
    if md.published is None:
        _dom_date(md, parser)


def _node_value(node: LexborNode) -> str:
    attrs = node.attributes
    for key in ("content", "datetime", "title"):
        value = attrs.get(key)
        if value and value.strip():
            return value.strip()
    return " ".join(node.text().split())


def _microdata(md: Metadata, parser: LexborHTMLParser) -> None:
    if not md.authors:
        names = []
        for node in parser.css('[itemprop="author"], [itemprop="creator"]')[:_MAX_NODES]:
            inner = node.css_first('[itemprop="name"]')
            names.append(_node_value(inner if inner is not None else node))
        md.set("authors", people([n for n in names if len(n) < 100]), "microdata")
    for prop, name in (("datePublished", "published"), ("dateModified", "modified")):
        node = parser.css_first(f'[itemprop="{prop}"]')
        if node is not None and getattr(md, name) is None:
            raw = _node_value(node)
            value = dates.parse_date(raw)
            if value is not None:
                setattr(md, name, value)
                setattr(md, f"{name}_raw", raw)
                md.sources[name] = "microdata"


def _byline(parser: LexborHTMLParser) -> list[str]:
    for selector in _BYLINE_SELECTORS:
        for node in parser.css(selector)[:_MAX_NODES]:
            if _in_comments(node):
                continue
            text = " ".join(node.text().split())
            if not text or len(text) > 80:
                continue
            found = people([text])
            if found:
                return found
    return []


def _in_comments(node: LexborNode) -> bool:
    current: LexborNode | None = node
    for _ in range(12):
        if current is None:
            return False
        attrs = current.attributes
        hint = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
        if "comment" in hint or "sidebar" in hint or "widget" in hint or "related" in hint:
            return True
        current = current.parent
    return False


def _dom_date(md: Metadata, parser: LexborHTMLParser) -> None:
    for selector in _DATE_SELECTORS:
        for node in parser.css(selector)[:_MAX_NODES]:
            if _in_comments(node):
                continue
            raw = _node_value(node)
            if not raw or len(raw) > 200:
                continue
            value = dates.parse_date(raw)
            if value is not None:
                md.published, md.published_raw = value, raw
                md.sources["published"] = "dom"
                return
