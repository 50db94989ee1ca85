"""The extraction core: a raw page in, one event out (an article or a rejection). Pure, no I/O.

`parse_page` reads a stream entry's JSON into a `PageFetched` (or raises `InvalidMessage`);
`extract_page` decodes the page, checks the limits, runs the HTML or the text engine and turns
what it returns into a `PageExtracted` or a `PageRejected`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import ValidationError

from extractor.boilerplate import Boilerplate
from extractor.decode import decode_bytes
from extractor.html import extract_html, extraction_quality, main_blocks
from extractor.model import Article, Document, Extraction, Rejection
from extractor.text import extract_text
from extractor.urls import article_id, choose_canonical
from extractor.version import ENGINE_VERSION
from shared import dedup
from shared.errors import InvalidMessage, describe_invalid
from shared.events import ExtractionEvent, PageExtracted, PageFetched, PageRejected

logger = logging.getLogger(__name__)

_WORD = re.compile(r"\w+")
_JUNK = re.compile(r"[\x00-\x08\x0e-\x1f\ufffd]")
_TEXT_TYPES = ("text/plain",)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml", "")


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that protect the extractor; larger or stranger input becomes a rejection."""

    max_page_bytes: int = 10 * 1024 * 1024
    max_junk_ratio: float = 0.05


DEFAULT_LIMITS = Limits()


def parse_page(data: bytes | str) -> PageFetched:
    """Validate one entry's JSON against the wire contract."""
    try:
        return PageFetched.model_validate_json(data)
    except ValidationError as exc:
        raise InvalidMessage(describe_invalid("invalid raw page", exc)) from exc


def media_type(page: PageFetched) -> str:
    return page.content_type.split(";", 1)[0].strip().lower()


def engine_name(page: PageFetched) -> str:
    """Which engine reads the page: `text` (a text dump) or `html` (anything else we accept)."""
    return "text" if media_type(page) in _TEXT_TYPES else "html"


def _content_type_header(page: PageFetched) -> str | None:
    for name, value in page.headers.items():
        if name.lower() == "content-type":
            return value
    return None


def decode_page(page: PageFetched) -> str:
    """The page as text; bytes are decoded by the declared charset, BOM, meta tag or detection."""
    if page.content is not None:
        return page.content
    try:
        data = page.body_bytes() or b""
    except ValueError as exc:
        raise InvalidMessage(str(exc)) from exc
    declared = page.content_type if "charset" in page.content_type.lower() else None
    declared = declared or _content_type_header(page)
    return decode_bytes(data, declared, is_html=media_type(page) not in _TEXT_TYPES)


def extract_page(
    page: PageFetched,
    limits: Limits = DEFAULT_LIMITS,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    *,
    boilerplate: Boilerplate | None = None,
    engine_version: int = ENGINE_VERSION,
) -> ExtractionEvent:
    """Run the right engine over a page; every outcome is an event, never an exception
    (`InvalidMessage` aside: a page whose bytes cannot be read is dead-lettered).

    `boilerplate`: the site's learned boilerplate, handed to the engine (`extractor.boilerplate`).
    `engine_version`: stamped on the article (a setting may override it: `ExtractorSettings`).
    """
    kind = media_type(page)
    if kind not in _TEXT_TYPES and kind not in _HTML_TYPES:
        return _rejected(
            page, "unsupported_type", f"content type {kind[:100]!r} is not HTML or text", now
        )
    size = len(page.content_b64 or "") * 3 // 4 if page.content is None else len(page.content)
    if size > limits.max_page_bytes:
        detail = f"page of {size} bytes is over the limit of {limits.max_page_bytes}"
        return _rejected(page, "too_large", detail, now)
    body = decode_page(page)
    if body and len(_JUNK.findall(body[:65536])) > limits.max_junk_ratio * min(len(body), 65536):
        return _rejected(page, "binary", "the content is binary or in an unreadable encoding", now)
    language = _header(page, "content-language")
    doc = Document(
        url=page.url, body=body, is_html=kind not in _TEXT_TYPES, declared_language=language
    )
    try:
        result = _run_engine(doc, boilerplate)
    except Exception as exc:  # the pipeline's one safety net: see `_run_engine`
        logger.exception("engine error on %s", page.url)
        detail = f"the engine failed on this page: {type(exc).__name__}"
        return _rejected(page, "engine_error", detail, now)
    if isinstance(result, Rejection):
        return _rejected(page, result.reason, result.detail, now)
    if not result.text.strip():
        return _rejected(page, "empty", "no article text was found", now)
    return to_event(page, result, now(), engine_version)


def _run_engine(doc: Document, boilerplate: Boilerplate | None) -> Extraction:
    """The HTML or the text engine's verdict on a page.

    The engines raise on a bug, so that tests see it. Here, and only here, an exception
    becomes the rejection `engine_error` (logged with its traceback and the URL): one odd page
    must not stop the pipeline, nor be retried until it is dead-lettered.
    """
    if doc.is_html:
        return extract_html(
            doc,
            boilerplate=boilerplate,
            chooser=main_blocks.SHIPPED,
            quality=extraction_quality.SHIPPED,
        )
    return extract_text(doc, boilerplate=boilerplate)


def _header(page: PageFetched, name: str) -> str | None:
    for key, value in page.headers.items():
        if key.lower() == name:
            return value.split(",", 1)[0].strip() or None
    return None


def to_event(
    page: PageFetched, article: Article, extracted_at: datetime,
    engine_version: int = ENGINE_VERSION,
) -> PageExtracted:  # fmt: skip
    canonical = choose_canonical(page.url, article.canonical_url)
    return PageExtracted(
        id=article_id(canonical),
        url=page.url,
        canonical_url=canonical,
        title=article.title,
        description=article.description,
        authors=article.authors,
        published=article.published,
        modified=article.modified,
        site_name=article.site_name,
        language=article.language,
        section=article.section,
        tags=article.tags,
        image=article.image,
        text=article.text,
        markdown=article.markdown or article.text,
        word_count=len(_WORD.findall(article.text)),
        content_hash=hashlib.sha256(" ".join(article.text.split()).encode()).hexdigest()[:32],
        # Computed here, not in the one indexer: extractors scale out, the indexer is the
        # index's single writer (`shared.dedup`).
        dedup_signature=dedup.encoded_bands(article.text),
        sources=article.sources,
        page_type=article.page_type,
        extraction_quality=article.extraction_quality,
        engine_version=engine_version,
        fetched_at=page.fetched_at,
        extracted_at=extracted_at,
        source=page.source,
    )


def _rejected(
    page: PageFetched, reason: str, detail: str, now: Callable[[], datetime]
) -> PageRejected:
    logger.info("rejected %s: %s (%s)", page.url, reason, detail)
    return PageRejected(
        url=page.url,
        reason=reason,
        detail=detail,
        fetched_at=page.fetched_at,
        rejected_at=now(),
        source=page.source,
    )
