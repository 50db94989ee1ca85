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
(stream entries) and `indexer.api` (HTTP). What failed validation is told in one format,
`describe_invalid`, wherever it is reported (dead letters, rejections, HTTP 422, the CLI).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

__all__ = ["InvalidMessage", "PagewireError", "TransientError", "describe_invalid"]

MAX_PROBLEMS = 5
MAX_PART_CHARS = 40


class PagewireError(Exception):
    """Base class of pagewire's own errors."""


class InvalidMessage(PagewireError):
    """A stream entry that does not match the wire contract; it is dead-lettered at once."""


class TransientError(PagewireError):
    """A failure worth retrying (a dependency was unavailable)."""


class _Invalid(Protocol):
    """A pydantic `ValidationError`, or FastAPI's `RequestValidationError`."""

    def errors(self) -> Sequence[Any]: ...


def describe_invalid(what: str, exc: _Invalid, *, skip: int = 0) -> str:
    """`what: where: problem; where: problem` for the first `MAX_PROBLEMS` problems, then how
    many more; `skip` leading parts of each location are left out (FastAPI's `query`).

    A location can hold the input's own keys (a header's name), so each part is cut and
    escaped: the message stays one readable line whatever was sent.
    """
    errors = exc.errors()
    problems = [_problem(err, skip) for err in errors[:MAX_PROBLEMS]]
    more = len(errors) - len(problems)
    return f"{what}: {'; '.join(problems)}" + (f" (and {more} more)" if more > 0 else "")


def _problem(err: Any, skip: int) -> str:
    parts = (str(part)[:MAX_PART_CHARS] for part in err.get("loc", ())[skip:])
    where = ".".join(parts).encode("unicode_escape").decode("ascii")
    message = str(err.get("msg", "invalid"))
    return f"{where}: {message}" if where else message
