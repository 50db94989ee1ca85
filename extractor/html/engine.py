"""The composition of the engine's steps; see the package docstring."""

from __future__ import annotations

import logging

from extractor.html import body, classify, dom, markdown
from extractor.html.blocks import Block
from extractor.html.metadata import Metadata, extract_metadata
from extractor.html.nearby import (
    byline_after_label,
    byline_near_title,
    date_after_label,
    date_near_title,
    page_text,
)
from extractor.model import Article, Document, Extraction, NotArticle

logger = logging.getLogger(__name__)


def extract_html(doc: Document) -> Extraction:
    """Extract the article of an HTML page, or say why the page holds none.

    Never raises: an unexpected error (a bug) is logged with its traceback and reported as
    `NotArticle("engine_error")`, so one odd page cannot stop a pipeline.
    """
    try:
        return _extract(doc)
    except Exception as exc:  # the engine's one safety net; see the docstring
        logger.exception("engine error on %s", doc.url)
        return NotArticle("engine_error", f"The engine failed on this page: {type(exc).__name__}.")


def _extract(doc: Document) -> Extraction:
    rejected = classify.check_input(doc.body)
    if rejected is not None:
        logger.info("rejected %s: %s", doc.url, rejected.reason)
        return rejected
    parser = dom.parse(doc.body)
    tree = dom.flatten(parser.body)
    if _too_little_text(tree) and parser.css_first("noscript") is not None:
        tree = dom.flatten(parser.body, dom.SKIP_TAGS_BUT_NOSCRIPT)  # a page shown without JS
    meta = extract_metadata(parser, doc)
    blocks = body.extract_blocks(tree)
    blocks = body.drop_title(blocks, meta.title)
    _text_fallbacks(meta, tree, blocks)
    verdict = classify.check_page(doc, meta, tree, blocks)
    if verdict is not None:
        logger.info("rejected %s: %s (%s)", doc.url, verdict.reason, verdict.detail)
        return verdict
    return _article(meta, markdown.to_text(blocks), markdown.to_markdown(blocks), doc)


def _text_fallbacks(meta: Metadata, tree: dom.Tree, blocks: list[Block]) -> None:
    """Date and authors read from the page's text when no metadata gave them."""
    if meta.published is not None and meta.authors:
        return
    text = page_text(tree)
    if meta.published is None:
        first = blocks[0].node if blocks else None
        found = date_after_label(tree, text) or date_near_title(tree, first)
        meta.set("published", found, "text")
    if not meta.authors:
        meta.set("authors", byline_near_title(tree) or byline_after_label(tree, text), "text")


def _too_little_text(tree: dom.Tree) -> bool:
    return sum(map(len, tree.text)) < classify.MIN_TEXT


def _article(meta: Metadata, text: str, md: str, doc: Document) -> Article:
    from extractor.html.language import detect_language

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


__all__ = ["NotArticle", "extract_html"]
