"""The extractors the extraction benchmark compares, each a function from a page (HTML, URL)
to an `Output`: pagewire (the shipped model, or another main-content model), trafilatura
(default and fast, with metadata) and readability-lxml (body and title only)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from extractor.html import extract_html, extraction_quality, main_blocks
from extractor.html.main_blocks import BlockChooser
from extractor.model import Article, Document
from shared import dedup


@dataclass(slots=True)
class Output:
    text: str
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: date | None = None
    signature: str | None = None
    page_type: str | None = None


Extractor = Callable[[str, str], Output]
NO_META = {"readability-lxml": ("authors", "date")}
"""The metadata an extractor does not return (reported as n/a, not as a miss)."""


def run_pagewire(html: str, url: str, chooser: BlockChooser = main_blocks.SHIPPED) -> Output:
    """The HTML engine (its quality estimate too) and the near-duplicate signature: the
    extractor computes both for every article it publishes (`extractor.core.to_event`), so
    both are its time."""
    result = extract_html(
        Document(url=url, body=html), chooser=chooser, quality=extraction_quality.SHIPPED
    )
    if not isinstance(result, Article):
        return Output("")
    day = result.published.date() if result.published else None
    signature = dedup.encoded_bands(result.text)
    return Output(result.text, result.title, result.authors, day, signature, str(result.page_type))


def _trafilatura(fast: bool) -> Extractor:
    import trafilatura

    def run(html: str, url: str) -> Output:
        doc: Any = trafilatura.bare_extraction(html, url=url, with_metadata=True, fast=fast)
        if doc is None:
            return Output("")
        day = None
        if doc.date:
            try:
                day = datetime.strptime(doc.date[:10], "%Y-%m-%d").date()
            except ValueError:
                day = None
        return Output(doc.text or "", doc.title or "", [doc.author] if doc.author else [], day)

    return run


def _readability() -> Extractor:
    import lxml.html  # type: ignore[import-untyped]
    from readability import Document as ReadabilityDocument

    def run(html: str, url: str) -> Output:
        doc = ReadabilityDocument(html, url=url)
        summary = doc.summary(html_partial=True)
        tree = lxml.html.fromstring(summary) if summary.strip() else None
        if tree is None:
            return Output("", doc.short_title())
        for node in tree.iter("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "div"):
            node.tail = "\n" + (node.tail or "")
        return Output(tree.text_content(), doc.short_title())

    return run


def extractors(only: str | None) -> dict[str, Extractor]:
    """pagewire (shipped model) and, unless `only` names one, the peers that are installed."""
    found: dict[str, Extractor] = {"pagewire": run_pagewire}
    if only and only != "all":
        return {k: v for k, v in found.items() if k == only}
    try:
        found["trafilatura default"] = _trafilatura(fast=False)
        found["trafilatura fast"] = _trafilatura(fast=True)
        found["readability-lxml"] = _readability()
    except ImportError as exc:
        print(f"peer extractors missing ({exc}); pip install -e '.[bench]'", file=sys.stderr)
    return found
