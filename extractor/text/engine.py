"""`extract_text`: compose lines -> scores -> best region -> header -> Article | NotArticle."""

from __future__ import annotations

import logging
from collections.abc import Callable

from extractor.model import Article, Document, Extraction, NotArticle
from extractor.text.header import read_header
from extractor.text.language import detect_language
from extractor.text.lines import Line, split_lines
from extractor.text.markdown import to_markdown
from extractor.text.region import choose_region, line_score

__all__ = ["extract_text"]

logger = logging.getLogger(__name__)

MIN_BODY_WORDS = 30
LANGUAGE_SAMPLE_LINES = 8
DEDUPE_MIN_WORDS = 10  # a paragraph this long seen twice is a repeat (slideshow captions)
LISTING_SHARE = 0.3  # the best run holds less than this share of the page's prose ...
LISTING_MIN_RUNS = 6  # ... and at least this many other prose lines stand outside it
LISTING_MAX_WORDS = 250  # a body this long is an article whatever surrounds it

Boilerplate = Callable[[str], bool]


def _body(lines: list[Line], title: str) -> list[Line]:
    """The region's lines less the boilerplate still in it and repeats of a long paragraph."""
    seen: set[int] = set()
    kept = []
    for line in lines:
        if id(line) not in seen and _keep(line, title):
            kept.append(line)
        if line.words >= DEDUPE_MIN_WORDS:
            seen.add(id(line))
    return kept


def _keep(line: Line, title: str) -> bool:
    if line.time_only or line.date_only or line.rail or line.cta or line.caption:
        return False
    if line.repeats > 1 and line.words < 15 and not line.ends_sentence:
        return False
    return line.text.casefold() != title.casefold()


def _is_listing(scores: list[float], start: int, end: int, body_words: int) -> bool:
    if body_words >= LISTING_MAX_WORDS:
        return False
    inside = sum(s for s in scores[start:end] if s > 0)
    outside = [s for i, s in enumerate(scores) if s > 0 and not start <= i < end]
    total = inside + sum(outside)
    return inside < LISTING_SHARE * total and len(outside) >= LISTING_MIN_RUNS


def _language(lines: list[Line]) -> str | None:
    """The language of the run's text (a sample from its longest lines is plenty)."""
    longest = sorted(lines, key=lambda line: line.words, reverse=True)[:LANGUAGE_SAMPLE_LINES]
    return detect_language("\n".join(line.text[:2000] for line in longest))


def extract_text(doc: Document, *, boilerplate: Boilerplate | None = None) -> Extraction:
    """The article in a plain-text dump, or why there is none.

    `boilerplate`, when given, says that a line is known boilerplate (e.g. learned across
    many pages of the same host); such lines are dropped before anything else.
    """
    lines = split_lines(doc.body)
    if boilerplate is not None:
        lines = [line for line in lines if not boilerplate(line.text)]
    if not lines:
        return NotArticle("empty", "the dump holds no text")
    scores = [line_score(line) for line in lines]
    region = choose_region(lines, scores)
    if region is None:
        return NotArticle("no_prose", "no line of the dump reads like running text")
    language = _language(lines[region.start : region.end]) or doc.declared_language
    header = read_header(lines, region.start, region.end, month_first=language in (None, "en"))
    kept = _body(lines[header.body_start : region.end], header.title)
    paragraphs = [line.text for line in kept]
    body_words = sum(line.words for line in kept)
    if body_words < MIN_BODY_WORDS:
        return NotArticle("too_short", f"the best run of prose has {body_words} words")
    if _is_listing(scores, region.start, region.end, body_words):
        return NotArticle("listing", "prose is spread over many short items: a listing page")
    text = "\n\n".join(paragraphs)
    article = Article(
        title=header.title,
        text=text,
        markdown=to_markdown(header.title, paragraphs),
        authors=header.authors,
        language=language,
    )
    if header.date is not None:
        article.published = header.date.value
        article.published_raw = header.date.raw
    article.sources = {
        name: "text" for name in ("title", "authors", "published") if getattr(article, name)
    }
    return article
