"""What a search asks for and what it returns: pure code, shared by the store and the API.

`SearchRequest.build` validates everything a user sends (query text, limit, cursor, filters,
sort) and raises `QueryError` with a readable message for anything it cannot accept. The
key functions (`site_key`, `language_key`, `author_key`) normalise filter values; the store
uses the same ones when it indexes, so a filter matches what was stored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from indexer.errors import QueryError
from indexer.query_parser import ParsedQuery, clean_text, parse_query
from shared.events import PAGE_TYPES
from shared.hosts import site_host, site_of

__all__ = [
    "ALL_TYPES",
    "DEFAULT_TYPES",
    "MAX_OFFSET",
    "AlsoOn",
    "FacetCount",
    "Filters",
    "SearchHit",
    "SearchPage",
    "SearchRequest",
    "Sort",
    "author_key",
    "language_key",
    "page_types_key",
    "site_key",
    "tag_key",
]

MAX_OFFSET = 10_000
"""Deepest result a cursor may reach; deeper pages cost more than they are worth."""
_MAX_FILTER_LENGTH = 300
MAX_HALF_LIFE = 3650
"""Longest half-life of the recency boost, in days."""
DEFAULT_TYPES = ("article",)
"""The page types a search returns when it names none: a news reader's default."""
ALL_TYPES = "all"
"""The `type` value that lifts the page-type filter."""


class Sort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"


@dataclass(frozen=True, slots=True)
class Filters:
    """Normalised filters; `since` is inclusive and `until` exclusive, both in UTC."""

    site: str | None = None
    language: str | None = None
    author: str | None = None
    tag: str | None = None
    """The article's section or one of its tags."""
    since: datetime | None = None
    until: datetime | None = None
    page_types: tuple[str, ...] | None = DEFAULT_TYPES
    """The page types searched, in `PAGE_TYPES` order; None: every type."""


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A validated search. Build it with `SearchRequest.build`, which checks user input."""

    text: str = ""
    query: ParsedQuery = field(default_factory=ParsedQuery)
    filters: Filters = field(default_factory=Filters)
    sort: Sort = Sort.RELEVANCE
    limit: int = 10
    offset: int = 0
    facets: bool = False
    recency: int | None = None
    """Half-life in days of the recency boost (relevance order only); None: no boost."""

    @classmethod
    def build(
        cls,
        q: str = "",
        *,
        limit: int = 10,
        cursor: str | None = None,
        site: str | None = None,
        language: str | None = None,
        author: str | None = None,
        tag: str | None = None,
        since: str | None = None,
        until: str | None = None,
        page_type: str | Sequence[str] | None = None,
        sort: str = "relevance",
        facets: bool = False,
        recency: int | None = None,
        max_query_length: int = 1000,
        max_results: int = 100,
    ) -> SearchRequest:
        if not 1 <= limit <= max_results:
            raise QueryError(f"limit must be between 1 and {max_results}, got {limit}")
        try:
            order = Sort(sort)
        except ValueError:
            choices = ", ".join(s.value for s in Sort)
            raise QueryError(f"sort must be one of {choices}, got {sort[:40]!r}") from None
        filters = Filters(
            site=_key("site", site, site_key),
            language=_key("language", language, language_key),
            author=_key("author", author, author_key),
            tag=_key("tag", tag, tag_key),
            since=parse_bound("since", since, end=False),
            until=parse_bound("until", until, end=True),
            page_types=page_types_key(page_type),
        )
        if filters.since and filters.until and filters.since >= filters.until:
            raise QueryError("since must be earlier than until")
        if recency is not None and not 1 <= recency <= MAX_HALF_LIFE:
            raise QueryError(f"recency (a half-life in days) must be between 1 and {MAX_HALF_LIFE}")
        query = parse_query(q, max_length=max_query_length)
        request = cls(q, query, filters, order, limit, facets=facets, recency=recency)
        if cursor:
            request = _replace_offset(request, decode_cursor(cursor, request.fingerprint()))
        return request

    def fingerprint(self) -> str:
        """What a cursor is bound to: the query, the filters and the order, not the page."""
        order = (self.sort.value, self.recency)
        key = repr((self.text, self.filters, order)).encode("utf-8", "replace")
        return hashlib.sha256(key).hexdigest()[:16]

    def next_cursor(self, total: int) -> str | None:
        """The opaque cursor of the page after this one, or None on the last page."""
        offset = self.offset + self.limit
        if offset >= total or offset > MAX_OFFSET:
            return None
        return encode_cursor(offset, self.fingerprint())


def _replace_offset(request: SearchRequest, offset: int) -> SearchRequest:
    return SearchRequest(
        request.text,
        request.query,
        request.filters,
        request.sort,
        request.limit,
        offset,
        request.facets,
        request.recency,
    )


def encode_cursor(offset: int, fingerprint: str) -> str:
    raw = f"1:{offset}:{fingerprint}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, fingerprint: str) -> int:
    """The offset in `cursor`; `QueryError` if it is malformed or made for another search."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        version, offset_text, bound_to = (
            base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii").split(":")
        )
        offset = int(offset_text)
    except (ValueError, UnicodeError, binascii.Error):
        raise QueryError("the cursor is not valid; start again without it") from None
    if version != "1" or not 0 <= offset <= MAX_OFFSET:
        raise QueryError("the cursor is not valid; start again without it")
    if bound_to != fingerprint:
        raise QueryError("the cursor belongs to a different search; start again without it")
    return offset


def _key(name: str, value: str | None, key: Callable[[str | None], str | None]) -> str | None:
    """A filter value as the index keys it; None when absent; `QueryError` when unusable."""
    if value is None:
        return None
    value = " ".join(clean_text(value).split())
    if len(value) > _MAX_FILTER_LENGTH:
        raise QueryError(f"{name} is too long (the limit is {_MAX_FILTER_LENGTH} characters)")
    if not value:
        return None
    result = key(value)
    if result is None:
        raise QueryError(f"{name} {value[:40]!r} is not something an article can have")
    return result


def page_types_key(value: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """The page types asked for: one value or several, each a type or a comma-separated list
    of types (`forum,product`), case-insensitive; `all` (anywhere) lifts the filter, none given
    is `DEFAULT_TYPES`. `QueryError` names an unknown type."""
    values = [value] if isinstance(value, str) else list(value or ())
    asked = {part.strip().lower() for v in values for part in v.split(",")} - {""}
    if not asked:
        return DEFAULT_TYPES
    if ALL_TYPES in asked:
        return None
    unknown = sorted(asked - set(PAGE_TYPES))
    if unknown:
        choices = ", ".join([*PAGE_TYPES, ALL_TYPES])
        raise QueryError(f"type must be among {choices}; got {unknown[0][:40]!r}")
    return tuple(t for t in PAGE_TYPES if t in asked)


def site_key(value: str | None) -> str | None:
    """The site of a URL or a host (`shared.hosts`): `https://www.Example.com:443/a` and
    `example.com` both give `example.com`."""
    if not value:
        return None
    return (site_of(value) if "//" in value else site_host(value)) or None


def language_key(value: str | None) -> str | None:
    """The primary language subtag: `en-US`, `EN_gb` and `en` all give `en`."""
    if not value:
        return None
    return value.strip().replace("_", "-").split("-")[0].lower() or None


def tag_key(value: str | None) -> str | None:
    """A section or tag, case- and space-insensitive: `World  News` gives `world news`."""
    if not value:
        return None
    return " ".join(value.casefold().split()) or None


def author_key(value: str | None) -> str | None:
    """Case- and space-insensitive: `  Jane  DOE ` gives `jane doe`."""
    if not value:
        return None
    return " ".join(value.split()).casefold() or None


def parse_bound(name: str, value: str | None, *, end: bool) -> datetime | None:
    """A date (`2024-05-31`, whole day) or an ISO 8601 time; naive times are UTC."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time(), tzinfo=UTC)
            return moment + timedelta(days=1) if end else moment
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise QueryError(
            f"{name} must be a date like 2024-05-31 or an ISO 8601 time, got {text[:40]!r}"
        ) from None


class FacetCount(BaseModel):
    model_config = ConfigDict(frozen=True)
    value: str
    count: int


class AlsoOn(BaseModel):
    """Another copy of a result: the same article (a near duplicate) elsewhere."""

    model_config = ConfigDict(frozen=True)
    id: str
    url: str
    site: str | None = None


class SearchHit(BaseModel):
    """One result. `snippet` is HTML: matched words in `<mark>`, everything else escaped.

    `also_on`: the other copies of this article (its near-duplicate cluster, earliest first),
    which the results do not show again.
    """

    model_config = ConfigDict(frozen=True)
    id: str
    title: str
    url: str
    site: str | None = None
    site_name: str | None = None
    authors: list[str] = []
    published: datetime | None = None
    language: str | None = None
    page_type: str = DEFAULT_TYPES[0]
    snippet: str = ""
    score: float | None = None
    also_on: list[AlsoOn] = []


class SearchPage(BaseModel):
    """One page of results; `fuzzy` says the words were matched with typo tolerance.

    `total` and the facet counts count documents (every copy of a syndicated article), while
    `hits` shows each near-duplicate cluster once, so a page may show fewer than `total`.
    """

    model_config = ConfigDict(frozen=True)
    query: str
    total: int
    hits: list[SearchHit]
    next_cursor: str | None = None
    fuzzy: bool = False
    facets: dict[str, list[FacetCount]] = {}
