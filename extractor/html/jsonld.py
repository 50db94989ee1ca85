"""JSON-LD: find the page's article object among `<script type="application/ld+json">` blocks.

Handles single objects, lists, `@graph`, nested `mainEntity`, `@type` given as a list, and the
usual sloppiness (HTML comments, CDATA wrappers, raw newlines in strings, trailing commas).
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset(
    t.lower()
    for t in [
        "Article",
        "NewsArticle",
        "BlogPosting",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "TechArticle",
        "ScholarlyArticle",
        "SocialMediaPosting",
        "LiveBlogPosting",
        "DiscussionForumPosting",
        "Report",
        "Review",
        "Recipe",
        "AdvertiserContentArticle",
        "SatiricalArticle",
        "MedicalScholarlyArticle",
        "APIReference",
        "HowTo",
        "VideoObject",
        "PodcastEpisode",
        "CreativeWork",
    ]
)
PAGE_TYPES = frozenset({"webpage", "itempage", "aboutpage", "faqpage", "qapage", "medicalwebpage"})
_MAX_SCRIPT = 2_000_000
_MAX_OBJECTS = 2_000
_WRAPPER = re.compile(r"^\s*(?:<!--|<!\[CDATA\[|//\s*<!\[CDATA\[)|(?:-->|\]\]>|//\s*\]\]>)\s*$")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def parse_scripts(texts: list[str]) -> list[dict[str, Any]]:
    """All JSON objects of the page's JSON-LD scripts, flattened (graphs and nesting opened)."""
    objects: list[dict[str, Any]] = []
    for raw in texts:
        if len(raw) > _MAX_SCRIPT:
            continue
        data = _loads(raw)
        if data is not None:
            objects.extend(_walk(data))
        if len(objects) > _MAX_OBJECTS:
            break
    return objects[:_MAX_OBJECTS]


def _loads(raw: str) -> Any:
    text = _WRAPPER.sub("", raw.strip())
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text.replace("\n", " ").replace("\t", " "))):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
        except RecursionError:
            return None
    logger.debug("unparseable JSON-LD (%d chars)", len(raw))
    return None


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    """Objects in document order: top-level ones, @graph members, mainEntity, hasPart."""
    stack = [data]
    seen = 0
    while stack and seen < _MAX_OBJECTS:
        item = stack.pop()
        seen += 1
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            if "@type" in item:
                yield item
            for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement"):
                value = item.get(key)
                if isinstance(value, list | dict):
                    stack.append(value)


def types_of(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def find_article(objects: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first article-like object; else a web page that carries a headline or dates."""
    for obj in objects:
        if types_of(obj) & ARTICLE_TYPES - {"creativework", "videoobject"}:
            return obj
    for obj in objects:
        kinds = types_of(obj)
        if kinds & (PAGE_TYPES | ARTICLE_TYPES) and (
            "headline" in obj or "datePublished" in obj or "author" in obj
        ):
            return obj
    return None


def find_type(objects: list[dict[str, Any]], kinds: set[str]) -> dict[str, Any] | None:
    for obj in objects:
        if types_of(obj) & kinds:
            return obj
    return None


def text_of(value: Any) -> str | None:
    """A plain string from a JSON-LD value: a string, a {"name"|"@value"} object, a list."""
    if isinstance(value, str):
        if "&" in value:
            value = html.unescape(value)
        return " ".join(value.split()) or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        for key in ("name", "@value", "text", "url", "@id"):
            if key in value:
                return text_of(value[key])
    if isinstance(value, list):
        for item in value:
            found = text_of(item)
            if found:
                return found
    return None


def strings_of(value: Any) -> list[str]:
    """Every string of a value that may be a string, an object, or a list of either."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        found = text_of(item)
        if found:
            out.append(found)
    return out
