"""The composition of the engine's steps; see the package docstring."""

from __future__ import annotations

import html
import logging
import re
from operator import attrgetter

from selectolax.lexbor import LexborHTMLParser

from extractor.boilerplate import Boilerplate, drop_known
from extractor.date_decision import Candidate, decide
from extractor.html import body, dom, dom_metadata, markdown, rejections
from extractor.html.blocks import Block
from extractor.html.extraction_quality import Evidence, QualityEstimator
from extractor.html.main_blocks import BlockChooser, Choice, ScoringChooser
from extractor.html.metadata import extract_metadata
from extractor.html.page_features import page_features
from extractor.html.page_metadata import Metadata
from extractor.html.page_type import choose, probabilities_of
from extractor.html.text_metadata import (
    byline_after_label,
    byline_near_title,
    date_after_label,
    date_near_title,
    header_dates,
    page_text,
)
from extractor.language import detect_language
from extractor.model import Article, Document, Extraction, Rejection

logger = logging.getLogger(__name__)


def extract_html(
    doc: Document,
    *,
    boilerplate: Boilerplate | None = None,
    chooser: BlockChooser | None = None,
    quality: QualityEstimator | None = None,
) -> Extraction:
    """Extract the main content of an HTML page, whatever its type, or say why it has none.

    `boilerplate`, when given, says that a candidate block's text is known boilerplate of the
    site (learned across its pages): such blocks are left out of the body.
    `chooser`, when given, decides the main-content blocks from the rules' choice (the learned
    model, `extractor.html.main_blocks`); without it the rules decide alone.
    `quality`, when given, estimates how well the body was extracted
    (`Article.extraction_quality`) from the scores of a chooser that gives them.

    A bug raises (tests see it); the pipeline's one safety net is `extractor.core.extract_page`.
    """
    rejected = rejections.check_input(doc.body)
    if rejected is not None:
        logger.info("rejected %s: %s", doc.url, rejected.reason)
        return rejected
    parser = dom.parse(doc.body)
    tree = dom.flatten(parser.body)
    if _too_little_text(tree) and parser.css_first("noscript") is not None:
        tree = dom.flatten(parser.body, dom.SKIP_TAGS_BUT_NOSCRIPT)  # a page shown without JS
    meta = extract_metadata(parser, doc)
    blocks = rule_blocks = body.extract_blocks(tree, boilerplate, description=meta.description)
    type_row = page_features(doc.url, doc.body, parser, tree)  # the page type's, read once
    choice: Choice | None = None
    if isinstance(chooser, ScoringChooser):
        choice = chooser.decide(tree, blocks, meta, doc.url, type_row)
        blocks = choice.blocks
    elif chooser is not None:
        blocks = chooser.choose(tree, blocks, meta, doc.url, type_row)
    if chooser is not None and boilerplate is not None:  # the site's known lines go, whoever
        blocks = drop_known(blocks, attrgetter("text"), boilerplate)  # chose the blocks
    blocks = _template_body(parser, blocks, boilerplate)
    blocks = body.drop_title(blocks, meta.title)
    blocks = _json_ld_body(meta, blocks)
    _decide_dates(meta, tree, blocks)
    _text_fallbacks(meta, tree, blocks)
    if len(meta.authors) == 1 and " " not in meta.authors[0]:
        first = blocks[0].node if blocks else None
        full = dom_metadata.fuller_name(parser, meta.authors[0], byline_near_title(tree, first))
        meta.authors = [full] if full else meta.authors
    verdict = rejections.check_page(parser, meta, blocks)
    if verdict is not None:
        logger.info("rejected %s: %s (%s)", doc.url, verdict.reason, verdict.detail)
        return verdict
    article = _article(meta, markdown.to_text(blocks), markdown.to_markdown(blocks), doc)
    types = probabilities_of(type_row)
    article.page_type = choose(types)
    if quality is not None and choice is not None:
        page_chars = sum(map(len, tree.text))
        evidence = Evidence(choice, rule_blocks, blocks, types, meta, page_chars)
        article.extraction_quality = round(quality.estimate(evidence), 2)
    return article


def _decide_dates(meta: Metadata, tree: dom.Tree, blocks: list[Block]) -> None:
    """The dates written in the text added to those the page declares (`meta.dates`), then
    the one decision (`extractor.date_decision`). The whole text is read only when the page
    declares no date."""
    evidence = meta.dates
    first = blocks[0].node if blocks else None
    after, before = header_dates(tree, first)
    evidence.shown = after + before
    evidence.headline = after[0] if after else None
    if meta.published is None:
        text = page_text(tree)
        near = date_near_title(tree, first)  # the headline's date; a label may date a comment
        if near is not None:
            evidence.written.append(Candidate(near, "text"))
        labelled = date_after_label(tree, text)
        if labelled is not None:
            evidence.written.append(Candidate(labelled.value, "text", labelled.raw))
        if not evidence.written and evidence.generic is None:
            updated = date_after_label(tree, text, updated=True)
            if updated is not None:
                evidence.updated_label = Candidate(updated.value, "text", updated.raw)
    decided = decide(evidence)
    for name, found in (("published", decided.published), ("modified", decided.modified)):
        setattr(meta, name, found.value if found is not None else None)
        setattr(meta, f"{name}_raw", found.raw if found is not None else None)
        if found is not None:
            meta.sources[name] = found.source
        else:
            meta.sources.pop(name, None)


def _text_fallbacks(meta: Metadata, tree: dom.Tree, blocks: list[Block]) -> None:
    """Authors read from the page's text when no metadata gave them."""
    if meta.authors:
        return
    first = blocks[0].node if blocks else None
    names = byline_near_title(tree, first) or byline_after_label(tree, page_text(tree))
    meta.set("authors", names, "text")
    meta.use_desk()


_LD_BODY_MIN = 500
_BREAK = re.compile(r"</(?:p|div|h[1-6]|li|blockquote)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_LD_BODY_RATIO = 2.0


def _json_ld_body(meta: Metadata, blocks: list[Block]) -> list[Block]:
    """The JSON-LD articleBody, when the page's HTML shows much less of the article (a page
    that renders its text with JavaScript from the data, or shows only a teaser)."""
    ld = meta.article_body
    if not ld or len(ld) < _LD_BODY_MIN:
        return blocks
    if "<" in ld:  # some sites put the HTML of the body in it
        ld = html.unescape(_TAG.sub(" ", _BREAK.sub("\n", ld)))
    if len(ld) < max(_LD_BODY_MIN, _LD_BODY_RATIO * sum(len(b.text) for b in blocks)):
        return blocks
    paragraphs = [" ".join(line.split()) for line in ld.split("\n")]
    return [Block(text, "p", 0) for text in paragraphs if text]


_TEMPLATE_TYPES = frozenset(["text/template", "text/x-template", "text/html", "text/ng-template"])
_TEMPLATE_MIN = 500
_TEMPLATES_READ = 3
"""The largest templates read (a page of thousands of small ones reads three)."""


def _template_body(
    parser: LexborHTMLParser, blocks: list[Block], boilerplate: Boilerplate | None
) -> list[Block]:
    """The article from an HTML template in a script, when the page itself shows almost none.

    Some platforms (Blogger's dynamic views, Angular and Vue apps) ship the post as HTML in a
    `<script type="text/template">` that JavaScript inserts: a reader sees it, a parser sees a
    script. Only a page with less than `rejections.MIN_TEXT` of text looks there, and a template
    counts only with `_TEMPLATE_MIN` characters of text and more than the page showed.
    """
    shown = sum(len(b.text) for b in blocks)
    if shown >= rejections.MIN_TEXT:
        return blocks
    sources = []
    for script in parser.css("script[type]"):
        kind = (script.attributes.get("type") or "").strip().lower()
        source = script.text(deep=False) if kind in _TEMPLATE_TYPES else ""
        if len(source) >= _TEMPLATE_MIN and "<" in source:
            sources.append(source)
    best: list[Block] = []
    for source in sorted(sources, key=len, reverse=True)[:_TEMPLATES_READ]:
        found = body.extract_blocks(dom.flatten(dom.parse(source).body), boilerplate)
        if sum(len(b.text) for b in found) > max(
            _TEMPLATE_MIN, shown, sum(len(b.text) for b in best)
        ):
            best = found
    return best or blocks


def _too_little_text(tree: dom.Tree) -> bool:
    return sum(map(len, tree.text)) < rejections.MIN_TEXT


def _article(meta: Metadata, text: str, md: str, doc: Document) -> Article:
    language, lang_source = meta.language, meta.sources.get("language")
    if not language:
        language = doc.declared_language or detect_language(text)
        lang_source = "header" if doc.declared_language else "detected" if language else None
    sources = dict(meta.sources)
    if lang_source:
        sources["language"] = lang_source
    return Article(
        title=meta.title or "",
        text=text,
        markdown=md,
        description=meta.description,
        authors=meta.authors,
        published=meta.published,
        published_raw=meta.published_raw,
        modified=meta.modified,
        modified_raw=meta.modified_raw,
        site_name=meta.site_name,
        language=language,
        canonical_url=meta.canonical_url,
        section=meta.section,
        tags=meta.tags,
        image=meta.image,
        sources=sources,
    )


__all__ = ["Rejection", "extract_html"]
