"""The indexer's exceptions, a branch of pagewire's tree (`shared.errors`).

PagewireError (shared)
└── IndexerError          anything the indexer raises on purpose
    ├── QueryError        the user's query, filters or cursor cannot be searched:
    │                     HTTP 400 with the message (`indexer.api`)
    └── StoreError        the index cannot be opened, written or read: HTTP 503, and
        │                 a TransientError for stream entries (left pending, retried)
        └── StoreLockedError  another process holds the index directory's writer lock
"""

from __future__ import annotations

from shared.errors import PagewireError, TransientError

__all__ = ["IndexerError", "QueryError", "StoreError", "StoreLockedError"]


class IndexerError(PagewireError):
    """Base class of every exception the indexer raises on purpose."""


class QueryError(IndexerError, ValueError):
    """A query, filter or cursor a user sent cannot be searched; the message says why."""


class StoreError(IndexerError, TransientError):
    """The index cannot be opened, written or read."""


class StoreLockedError(StoreError):
    """Another writer (most likely another indexer process) holds the index directory."""
