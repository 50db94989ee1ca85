"""`extract_text`: compose lines -> scores -> best region -> header -> Article | Rejection."""

from __future__ import annotations

import logging
import re

from extractor.boilerplate import Boilerplate, drop_known
from extractor.date_decision import Candidate, DateEvidence, decide
from extractor.language import detect_language
from extractor.model import Article, Document, Extraction, Rejection
from extractor.text.header import Header, read_header
from extractor.text.lines import Line, split_lines
from extractor.text.markdown import to_markdown
from extractor.text.region import BREAK, choose_region, line_score

__all__ = ["extract_text"]

logger = logging.getLogger(__name__)

MIN_BODY_WORDS = 30
LANGUAGE_SAMPLE_LINES = 4
LANGUAGE_SAMPLE_CHARS = 600  # from each of the longest lines: enough to tell the language
LIST_MIN_ITEMS = 3
LIST_ITEM_WORDS = (2, 40)
_LIST_MARK = re.compile(r"\d|^\s*[-*•·–]\s")
DEDUPE_MIN_WORDS = 10  # a paragraph this long seen twice is a repeat (slideshow captions)
LISTING_SHARE = 0.3  # the best run holds less than this share of the page's prose ...
LISTING_MIN_RUNS = 6  # ... and at least this many other prose lines stand outside it
LISTING_MAX_WORDS = 250  # a body this long is an article whatever surrounds it


def _body(lines: list[Line], title: str) -> list[Line]:
    """The region's lines less the boilerplate still in it and repeats of a long paragraph."""
    seen: set[int] = set()
    kept = []
    in_rail = False  # after "Related", "Read more": the headlines that follow are links
    for line in lines:
        in_rail = line.rail or (in_rail and not line.ends_sentence)
        if not in_rail and id(line) not in seen and _keep(line, title):
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


def _line_text(line: Line) -> str:
    return line.text


def _known_lines(lines: list[Line], boilerplate: Boilerplate) -> set[int]:
    """The ids of the lines that are the site's known boilerplate; see `extract_text`."""
    rest = drop_known(lines, _line_text, boilerplate)
    if len(rest) == len(lines):
        return set()
    spared = {id(line) for line in rest}
    return {id(line) for line in lines if id(line) not in spared}


def _list_item(line: Line) -> bool:
    flagged = line.time_only or line.date_only or line.cta or line.rail or line.comments
    if flagged or line.caption or line.menu or line.truncated or line.repeats > 1:
        return False
    return LIST_ITEM_WORDS[0] <= line.words <= LIST_ITEM_WORDS[1] and bool(
        _LIST_MARK.search(line.text)
    )


def _with_list(lines: list[Line], end: int) -> int:
    """Extend the body over a list that follows it (tour dates, results, steps): at least
    three items in a row, each with a number or a bullet, after an optional heading."""
    start = end + 1 if end < len(lines) and lines[end].heading_like else end
    stop = start
    while stop < len(lines) and _list_item(lines[stop]):
        stop += 1
    return stop if stop - start >= LIST_MIN_ITEMS else end


def _is_listing(scores: list[float], start: int, end: int, body_words: int) -> bool:
    """Many prose lines outside the best run, and it is short: teasers of a listing page.
    Readers' comments do not count (scores stop at the first comments heading)."""
    if body_words >= LISTING_MAX_WORDS:
        return False
    stop = next((i for i, s in enumerate(scores) if s == BREAK and i >= end), len(scores))
    inside = sum(s for s in scores[start:end] if s > 0)
    outside = [s for i, s in enumerate(scores[:stop]) if s > 0 and not start <= i < end]
    total = inside + sum(outside)
    return inside < LISTING_SHARE * total and len(outside) >= LISTING_MIN_RUNS


def _language(lines: list[Line]) -> str | None:
    """The language of the run's text (a sample from its longest lines is plenty)."""
    longest = sorted(lines, key=lambda line: line.words, reverse=True)[:LANGUAGE_SAMPLE_LINES]
    return detect_language("\n".join(line.text[:LANGUAGE_SAMPLE_CHARS] for line in longest))


def _list_before(lines: list[Line], start: int) -> int:
    """Extend the body back over a list just above it (ingredients, facts): three items or more."""
    first = start
    while first > 0 and _list_item(lines[first - 1]):
        first -= 1
    return first if start - first >= LIST_MIN_ITEMS else start


def _log_refusal(doc: Document, refusal: Rejection) -> Rejection:
    logger.debug("no article in text dump %s: %s (%s)", doc.url, refusal.reason, refusal.detail)
    return refusal


def extract_text(doc: Document, *, boilerplate: Boilerplate | None = None) -> Extraction:
    """The article in a plain-text dump, or why there is none.

    `boilerplate`, when given, says that a line is known boilerplate (e.g. learned across
    many pages of the same host); it gets each non-empty line with its spaces collapsed. The
    lines it accepts leave the body; they keep their score, so the run of prose is chosen as
    without them (dropping them first would let a run grow over furniture they used to bound)
    and the header still reads them; nothing is dropped when that would leave almost no text
    (`drop_known`) or a body under `MIN_BODY_WORDS`.
    """
    lines = split_lines(doc.body)
    known = _known_lines(lines, boilerplate) if boilerplate is not None else set()
    if not lines:
        return _log_refusal(doc, Rejection("empty", "the dump holds no text"))
    scores = [line_score(line) for line in lines]
    region = choose_region(lines, scores)
    if region is None:
        return _log_refusal(doc, Rejection("no_prose", "no line reads like running text"))
    language = _language(lines[region.start : region.end]) or doc.declared_language
    month_first = language in (None, "en")
    header = read_header(lines, region.start, region.end, month_first, doc.url)
    list_start = _list_before(lines, header.body_start)
    if list_start < header.body_start:
        header = read_header(lines, list_start, region.end, month_first, doc.url)
    kept = _body(lines[header.body_start : _with_list(lines, region.end)], header.title)
    if known:
        rest = [line for line in kept if id(line) not in known]
        kept = rest if sum(line.words for line in rest) >= MIN_BODY_WORDS else kept
    body_words = sum(line.words for line in kept)
    if body_words < MIN_BODY_WORDS:
        detail = f"the best run of prose has {body_words} words"
        return _log_refusal(doc, Rejection("too_short", detail))
    if _is_listing(scores, region.start, region.end, body_words):
        detail = "prose is spread over many short items: a listing page"
        return _log_refusal(doc, Rejection("listing", detail))
    return _article(header, [line.text for line in kept], language, doc.url)


def _article(header: Header, paragraphs: list[str], language: str | None, url: str) -> Article:
    article = Article(
        title=header.title,
        text="\n\n".join(paragraphs),
        markdown=to_markdown(header.title, paragraphs),
        authors=header.authors,
        language=language,
        site_name=header.site_name,
    )
    fields = ("title", "authors", "site_name")
    article.sources = {name: "text" for name in fields if getattr(article, name)}
    evidence = DateEvidence(url)
    if header.date is not None:  # the header's date is the text engine's date near the title
        evidence.written.append(Candidate(header.date.value, "text", header.date.raw))
        evidence.shown.append(header.date.day)
    published = decide(evidence).published
    if published is not None:
        article.published, article.published_raw = published.value, published.raw
        article.sources["published"] = published.source
    return article
