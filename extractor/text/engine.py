"""`extract_text`: lines -> learned line decisions -> header -> Article | Rejection."""

from __future__ import annotations

import logging

import numpy as np

from extractor.boilerplate import Boilerplate, drop_known
from extractor.date_decision import Candidate, DateEvidence, decide
from extractor.language import detect_language
from extractor.model import Article, Document, Extraction, Rejection
from extractor.text import line_model
from extractor.text.header import Header, read_header
from extractor.text.line_features import line_rows
from extractor.text.line_model import LinesModel
from extractor.text.lines import Line, split_lines
from extractor.text.markdown import to_markdown
from extractor.text.region import choose_region, line_score
from shared.events import PAGE_TYPES

__all__ = ["extract_text"]

logger = logging.getLogger(__name__)

LANGUAGE_SAMPLE_LINES = 4
LANGUAGE_SAMPLE_CHARS = 600  # from each of the longest lines: enough to tell the language
DEDUPE_MIN_WORDS = 10  # a paragraph this long seen twice is a repeat (slideshow captions)


def _line_text(line: Line) -> str:
    return line.text


def _known_lines(lines: list[Line], boilerplate: Boilerplate) -> set[int]:
    """The ids of the lines that are the site's known boilerplate; see `extract_text`."""
    rest = drop_known(lines, _line_text, boilerplate)
    if len(rest) == len(lines):
        return set()
    spared = {id(line) for line in rest}
    return {id(line) for line in lines if id(line) not in spared}


def _language(lines: list[Line]) -> str | None:
    """The language of the body (a sample from its longest lines is plenty)."""
    longest = sorted(lines, key=lambda line: line.words, reverse=True)[:LANGUAGE_SAMPLE_LINES]
    return detect_language("\n".join(line.text[:LANGUAGE_SAMPLE_CHARS] for line in longest))


def _log_refusal(doc: Document, refusal: Rejection) -> Rejection:
    logger.debug("no article in text dump %s: %s (%s)", doc.url, refusal.reason, refusal.detail)
    return refusal


def _chosen(lines: list[Line], model: LinesModel) -> tuple[list[int], str | None]:
    """The indices of the main lines (the model's, else the rules' best run) and the type."""
    scores = [line_score(line) for line in lines]
    region = choose_region(lines, scores)
    rows = line_rows(lines, region, scores)
    p = model.probabilities(rows)
    kind = model.kind(rows, p, lines)
    chosen = [int(i) for i in np.flatnonzero(model.decide(p, kind))]
    if chosen and kind in (None, "article"):
        chosen = _before_feed(lines, chosen)
    if not chosen and region is not None:  # the model is sure of nothing: the rules' run
        chosen = list(range(region.start, region.end))
    return chosen, kind


def _stamp(line: Line) -> bool:
    return line.time_only


FEED_MIN_ITEMS = 2  # time-stamped items in a row that make a feed


def _before_feed(lines: list[Line], chosen: list[int]) -> list[int]:
    """An article's chosen lines up to a feed: after its prose, a time or date line alone
    with chosen lines right after it, at least twice, is a news feed of time-stamped teasers;
    a heading the body would end on introduces what follows and goes with it."""
    picked = set(chosen)
    items = [
        i
        for i in range(chosen[0], chosen[-1])
        if _stamp(lines[i]) and (i + 1 in picked or i + 2 in picked)
    ]
    kept = chosen
    for n, stamp in enumerate(items):
        above = [i for i in chosen if i < stamp]
        if len(items) - n >= FEED_MIN_ITEMS and any(lines[i].ends_sentence for i in above):
            kept = above
            break
    while len(kept) > 1 and lines[kept[-1]].heading_like and not lines[kept[-1]].ends_sentence:
        kept = kept[:-1]
    return kept


def _header_start(lines: list[Line], chosen: list[int]) -> int:
    """Where the header is read from: the first chosen line of prose (a headline the model
    kept above it is then the title, and leaves the body)."""
    return next((i for i in chosen if not lines[i].heading_like), chosen[0])


def _body(lines: list[Line], chosen: list[int], title: str, known: set[int]) -> list[Line]:
    """The chosen lines less the title, repeats of a long paragraph and the site's known
    boilerplate (unless dropping it would leave nothing)."""
    seen: set[int] = set()
    kept = []
    folded = title.casefold()
    for i in chosen:
        line = lines[i]
        if id(line) not in seen and line.text.casefold() != folded:
            kept.append(line)
        if line.words >= DEDUPE_MIN_WORDS:
            seen.add(id(line))
    rest = [line for line in kept if id(line) not in known]
    return rest if rest else kept


def extract_text(
    doc: Document, *, boilerplate: Boilerplate | None = None, model: LinesModel | None = None
) -> Extraction:
    """The main content of a plain-text dump, or why there is none.

    The learned line model (`model`, else the shipped one) decides which lines are main
    content and the page's type; the header (title, byline, date) is read around the first
    line of prose it keeps. `boilerplate`, when given, says that a line is known boilerplate
    (e.g. learned across many pages of the same host); it gets each non-empty line with its
    spaces collapsed, and the lines it accepts leave the body unless nothing would be left
    (`drop_known`). Only a dump with no text, or none that reads as text, is refused.
    """
    lines = split_lines(doc.body)
    if not lines:
        return _log_refusal(doc, Rejection("empty", "the dump holds no text"))
    chosen, kind = _chosen(lines, model or line_model.shipped())
    if not chosen:
        return _log_refusal(doc, Rejection("no_prose", "no line reads like running text"))
    known = _known_lines(lines, boilerplate) if boilerplate is not None else set()
    language = _language([lines[i] for i in chosen]) or doc.declared_language
    start = _header_start(lines, chosen)
    header = read_header(lines, start, chosen[-1] + 1, language in (None, "en"), doc.url)
    kept = _body(lines, chosen, header.title, known)
    article = _article(header, [line.text for line in kept], language, doc.url)
    if kind in PAGE_TYPES:
        article.page_type = kind
    return article


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
