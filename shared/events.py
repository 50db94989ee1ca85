"""Versioned wire schemas. Pydantic is the contract; JSON Schema is generated from it.

Every event carries `kind` (its type) and `version` (the schema version it was written with).
Unknown fields are ignored so that newer producers can talk to older consumers, and a field
added later has a default, so that events written before it stay readable.

Schema versions: 1, the first; 2, `PageExtracted.engine_version` (absent in a version-1 event,
which reads as engine version 0).

- `PageFetched`: a raw page, as a crawler publishes it on `pages.raw`.
- `PageExtracted`: the main content taken out of a page (of any `page_type`), on `pages.extracted`.
- `PageRejected`: a page with nothing to extract, with the reason, on `pages.rejected`.
- `PageDeadLettered`: an entry a service could not process, on `pages.dead`.
"""

from __future__ import annotations

import binascii
from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import urlsplit

import pybase64
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 2
MAX_URL_LENGTH = 8192

PageType = Literal[
    "article", "forum", "product", "collection", "listing", "documentation", "service", "other"
]
"""What kind of page an extraction came from (`PageExtracted.page_type`)."""
PAGE_TYPES: tuple[PageType, ...] = (
    "article", "forum", "product", "collection", "listing", "documentation", "service", "other"
)  # fmt: skip
DEFAULT_PAGE_TYPE: PageType = "article"


class _Event(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=False)
    version: int = SCHEMA_VERSION


class PageFetched(_Event):
    """A raw page: the HTML a crawler fetched, or a plain-text dump of a rendered page.

    Exactly one of `content` (the page as text) and `content_b64` (its raw bytes, base64, in
    any encoding) is set. `content_type` says HTML (default) or plain text; its charset
    parameter, or the `Content-Type` in `headers`, is honoured when decoding `content_b64`.
    """

    kind: Literal["page.fetched"] = "page.fetched"
    url: Annotated[str, Field(min_length=1, max_length=MAX_URL_LENGTH)]
    content: str | None = None
    content_b64: str | None = None
    content_type: str = "text/html"
    headers: dict[str, str] = Field(default_factory=dict)
    fetched_at: datetime | None = None
    source: str | None = None

    @field_validator("url")
    @classmethod
    def _parseable(cls, url: str) -> str:
        try:  # "http://[oops" cannot be split into its parts, so no engine could read it
            urlsplit(url)
        except ValueError as exc:
            raise ValueError(f"not a URL ({exc})") from None
        return url

    @model_validator(mode="after")
    def _one_body(self) -> PageFetched:
        if (self.content is None) == (self.content_b64 is None):
            raise ValueError("exactly one of 'content' and 'content_b64' must be set")
        return self

    def body_bytes(self) -> bytes | None:
        """The raw bytes of `content_b64`, or None when the page came as `content`."""
        if self.content_b64 is None:
            return None
        try:
            # pybase64: the standard library's strict decoding, with SIMD (28x faster on pages)
            return pybase64.b64decode(self.content_b64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"content_b64 is not valid base64: {exc}") from exc


class PageExtracted(_Event):
    """An article extracted from a page. `id` is derived from the canonical URL.

    `page_type` says what kind of page it was; a producer that predates the field sends none,
    and it reads as `article` (all such producers published only articles).
    `extraction_quality` is the extractor's estimate of how well the body was extracted, or
    None when no model estimated it.
    """

    kind: Literal["page.extracted"] = "page.extracted"
    id: str
    url: str
    canonical_url: str
    title: str
    description: str | None = None
    authors: list[str] = Field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    site_name: str | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = Field(default_factory=list)
    image: str | None = None
    text: str
    markdown: str
    word_count: int
    content_hash: str
    dedup_signature: str | None = Field(
        default=None,
        max_length=1_000,
        description=(
            "The text's near-duplicate band terms (MinHash LSH, `shared.dedup`): the scheme's"
            " name, ':', then 16 hex digits a term. The indexer computes them when they are"
            " absent or of another scheme."
        ),
    )
    sources: dict[str, str] = Field(
        default_factory=dict,
        description="Per metadata field, where its value came from (json-ld, og, meta, dom).",
    )
    page_type: PageType = Field(
        default=DEFAULT_PAGE_TYPE,
        description=(
            "What kind of page this was: article (news, blog post, essay), forum (a thread,"
            " questions and answers), product (one product or offer), collection (a category"
            " or tag page of items), listing (a list of posts, results or links), documentation"
            " (reference, guides, manuals), service (a company's page about what it offers:"
            " home, pricing, about, contact) or other. Decided by the extractor's page-type"
            " model, leaning to article (a page it is not fairly sure is of another type)."
            " Absent (an older producer): article."
        ),
    )
    extraction_quality: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description=(
            "The extractor's estimate, from 0 to 1, of how well the body was extracted (an"
            " expected word F1 against what a person would call the main content), so that a"
            " consumer can route doubtful pages elsewhere. None until a model estimates it."
        ),
    )
    engine_version: int = Field(
        default=0,
        ge=0,
        description=(
            "The version of the extraction engine that made this event, raised whenever the"
            " engines or their models change what they extract. For one fetch of a page (the"
            " same `fetched_at`), the event of the newer engine replaces the older one in the"
            " index, never the other way round. Absent (schema version 1): 0."
        ),
    )
    fetched_at: datetime | None = None
    extracted_at: datetime
    source: str | None = None


class PageRejected(_Event):
    """A page with nothing to extract (or that cannot be read), with the reason."""

    kind: Literal["page.rejected"] = "page.rejected"
    url: str
    reason: str = Field(description="A short machine-readable code, e.g. 'no_text'.")
    detail: str = Field(default="", description="A sentence a person can read.")
    fetched_at: datetime | None = None
    rejected_at: datetime
    source: str | None = None


class PageDeadLettered(_Event):
    """An entry a service gave up on: the original entry, the error and how often it was tried.

    `original` holds the original `__data__` as text when it is valid UTF-8, else
    `original_b64` holds its bytes; `pagewire dlq replay` puts it back on `stream` unchanged.
    """

    kind: Literal["page.dead_lettered"] = "page.dead_lettered"
    stream: str
    group: str
    entry_id: str
    original: str | None = None
    original_b64: str | None = None
    error: str
    error_type: str
    delivery_count: int
    service: str
    failed_at: datetime


ExtractionEvent = PageExtracted | PageRejected
