"""The extraction core's own types: what an engine returns. No I/O, no wire schemas.

An engine is a pure function `(document) -> Article | Rejection`. The core
(`extractor.core`) turns these into wire events at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from shared.events import DEFAULT_PAGE_TYPE, PageType


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded page handed to an engine: text (HTML or a plain-text dump) and its URL."""

    url: str
    body: str
    is_html: bool = True
    declared_language: str | None = None  # e.g. from a Content-Language header


@dataclass(slots=True)
class Article:
    """A page's main content as an engine sees it, an article or a page of another type
    (`page_type`). `text` has blocks separated by a blank line."""

    title: str
    text: str
    markdown: str = ""
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    published_raw: str | None = None
    modified: datetime | None = None
    modified_raw: str | None = None
    site_name: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    # field name -> where its value came from: "json-ld", "og", "meta", "microdata", "dom", ...
    sources: dict[str, str] = field(default_factory=dict)
    page_type: PageType = DEFAULT_PAGE_TYPE  # the HTML engine's model decides it
    extraction_quality: float | None = None  # an estimate of the body's F1, when one is made


@dataclass(frozen=True, slots=True)
class Rejection:
    """The page has nothing to extract (or cannot be read). `reason` is a short code, `detail`
    a sentence."""

    reason: str
    detail: str = ""


Extraction = Article | Rejection
