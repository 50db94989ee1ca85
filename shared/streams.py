"""Stream and consumer-group names, in one place.

Every name can be given a prefix (tests use a unique prefix per test, deployments may run
several pipelines on one Redis server).
"""

from __future__ import annotations

from dataclasses import dataclass

RAW_PAGES = "pages.raw"
EXTRACTED = "pages.extracted"
REJECTED = "pages.rejected"
DEAD_LETTERS = "pages.dead"
EXTRACTOR_GROUP = "extractor"
INDEXER_GROUP = "indexer"
ARCHIVER_GROUP = "archiver"
DATA_FIELD = "__data__"


@dataclass(frozen=True, slots=True)
class Streams:
    """The names one pipeline uses; `Streams.with_prefix("t1.")` for an isolated copy."""

    raw: str = RAW_PAGES
    extracted: str = EXTRACTED
    rejected: str = REJECTED
    dead: str = DEAD_LETTERS
    extractor_group: str = EXTRACTOR_GROUP
    indexer_group: str = INDEXER_GROUP
    archiver_group: str = ARCHIVER_GROUP

    @classmethod
    def with_prefix(cls, prefix: str) -> Streams:
        if not prefix:
            return cls()
        return cls(
            raw=prefix + RAW_PAGES,
            extracted=prefix + EXTRACTED,
            rejected=prefix + REJECTED,
            dead=prefix + DEAD_LETTERS,
        )
