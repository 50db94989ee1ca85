"""`Metadata`: a page's metadata as the HTML engine collects it, each field with its source.

Filled by `metadata.extract_metadata` (JSON-LD, <meta>, then `dom_metadata`), then by the
engine's fallbacks (`text_metadata`); a field once set is kept (`Metadata.set`). The dates
stated anywhere are gathered in `dates` and decided by `extractor.date_decision`: `published`
holds the declared date (or the permalink's) until the engine's decision replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from extractor.date_decision import DateEvidence
from extractor.html.authors import desk_credit


@dataclass(slots=True)
class Metadata:
    title: str | None = None
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
    page_type: str | None = None  # og:type or the JSON-LD @type, lower-cased
    desk: tuple[str, str] | None = None  # ("Redaktion", source): a desk or site credit
    article_body: str | None = None  # JSON-LD articleBody, when given
    sources: dict[str, str] = field(default_factory=dict)
    dates: DateEvidence = field(default_factory=lambda: DateEvidence(""))

    def add_desk(self, values: list[str], source: str) -> None:
        """Remember the first editorial-desk byline ("Redaktion") seen, for `use_desk`."""
        for value in values:
            credit = desk_credit(value) if self.desk is None else None
            if credit:
                self.desk = (credit, source)

    def use_desk(self) -> None:
        """No person named anywhere: the desk credited in the byline is the author."""
        if not self.authors and self.desk is not None:
            self.authors = [self.desk[0]]
            self.sources["authors"] = self.desk[1]

    def set(self, name: str, value: Any, source: str) -> None:
        if value and not getattr(self, name):
            setattr(self, name, value)
            self.sources[name] = source
