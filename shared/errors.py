"""The small exception tree of pagewire, and what each one means for a stream entry.

    PagewireError                  base of everything we raise on purpose
    ├── InvalidMessage             the entry can never be read (bad JSON, missing fields, bad
    │                              base64): dead-lettered at once, retrying cannot help
    ├── TransientError             a dependency failed (Redis, the store): left pending,
    │                              redelivered by the claimer, dead-lettered after the cap
    └── QueryError                 a search the user can fix: HTTP 400 with the message

Any other exception is a bug: treated like TransientError (retried, then dead-lettered with
its type and message), so no entry is ever lost or retried forever. Pages that hold no article
are not errors: the core returns a rejection event.

The mapping from exception to outcome lives in one place per adapter: `runtime.delivery`
(stream entries) and `indexer.api` (HTTP).
"""

from __future__ import annotations

__all__ = ["InvalidMessage", "PagewireError", "TransientError"]


class PagewireError(Exception):
    """Base class of pagewire's own errors."""


class InvalidMessage(PagewireError):
    """A stream entry that does not match the wire contract; it is dead-lettered at once."""


class TransientError(PagewireError):
    """A failure worth retrying (a dependency was unavailable)."""
