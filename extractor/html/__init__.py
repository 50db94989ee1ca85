"""The HTML engine: `extract_html(document) -> Article | Rejection`, a pure function.

Pipeline (docs/extraction.md explains each step):
input check (binary junk, empty) -> parse (Lexbor, limits in `dom`) -> metadata (JSON-LD, OpenGraph,
meta, microdata, DOM) -> body (boilerplate pruning and container scoring, the learned block
model) -> anything to extract? (`rejections`) -> `Article` (the main content of any type of
page) with text, Markdown, a source for each field and the page type (`page_type`, a learned
model) and, with the learned body, an estimate of its quality (`extraction_quality`).
"""

from __future__ import annotations

from extractor.html.engine import extract_html
from extractor.model import Article, Document, Extraction, Rejection

__all__ = ["Article", "Document", "Extraction", "Rejection", "extract_html"]
