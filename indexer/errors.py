"""The indexer's exceptions. `api.py` maps them to HTTP status codes in one place.

IndexerError          base class; anything the indexer raises on purpose
├── QueryError        the user's query, filters or cursor are not acceptable (HTTP 400)
└── StoreError        the index cannot be opened, written or read (HTTP 503 / retry)
    └── StoreLockedError  another process holds the index writer's lock
"""

from __future__ import annotations

__all__ = ["IndexerError", "QueryError", "StoreError", "StoreLockedError"]


class IndexerError(Exception):
    """Base class of every exception the indexer raises on purpose."""


class QueryError(IndexerError, ValueError):
    """A query, filter or cursor a user sent cannot be searched; the message says why."""


class StoreError(IndexerError):
    """The index cannot be opened, written or read."""


class StoreLockedError(StoreError):
    """Another writer (most likely another indexer process) holds the index directory."""
