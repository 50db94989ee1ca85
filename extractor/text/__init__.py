"""The plain-text engine: an article out of the text of a rendered page (see docs/extraction.md).

`extract_text(document)` reads a dump line by line (`lines`), scores each line as prose or
boilerplate and takes the best contiguous run (`region`), reads the title, byline and date
around its start (`header`), and returns an `Article`, or a `Rejection` when the dump holds
no article. Pure: no I/O.
"""

from __future__ import annotations

from extractor.text.engine import extract_text

__all__ = ["extract_text"]
