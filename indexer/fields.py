"""What the index holds for an article and how its text fields weigh: pure code, no tantivy.

The ranking choices live here: BM25 in each text field, a title match counting most, then
the description, then the body; the same words stemmed in the article's language count for
a little less than the words as written (`STEM_WEIGHT`), so "running" finds "runs" but an
exact match ranks first; articles where the query's words stand together (at most 3 moves
apart, as in a phrase query with slop 3) rank above those where they are scattered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from indexer.analysis import analysis_language
from indexer.search_models import author_key, language_key, site_key, tag_key
from shared import dedup
from shared.events import PageExtracted

__all__ = [
    "FACET_FIELDS",
    "FIELD_BOOSTS",
    "PROXIMITY_WEIGHT",
    "STEM_WEIGHT",
    "IndexedArticle",
    "Version",
    "indexed",
    "recency_boost",
    "supersedes",
    "version_key",
]

FIELD_BOOSTS = (("title", 3.0), ("description", 1.5), ("body", 1.0))
STEM_WEIGHT = 0.6
PROXIMITY_WEIGHT = 0.5
"""Weight of the proximity bonus (a sloppy phrase of the query's plain words)."""
RECENCY_WEIGHT = 1.0
"""With a recency boost, a score is multiplied by 1 + RECENCY_WEIGHT * 2^(-age / half-life):
an article published now counts double, one a half-life old 1.5 times, an old one once."""
FACET_FIELDS = {
    "site": "site", "language": "language", "author": "author_name", "month": "month",
    "page_type": "page_type",
}  # fmt: skip
"""Facet name -> the keyword field counted."""

# Dates are kept as 64-bit nanosecond timestamps: about 1677-09-22 to 2262-04-11.
_FIRST_DATE = datetime(1677, 9, 22, tzinfo=UTC)
_LAST_DATE = datetime(2262, 4, 10, tzinfo=UTC)


Version = tuple[int, int, int]
"""(fetch time, engine version, extraction time), times in microseconds; see `version_key`."""


@dataclass(frozen=True, slots=True)
class IndexedArticle:
    """The values an article is indexed under; `stored` is the whole event as JSON."""

    id: str
    stored: str
    title: str
    description: str
    body: str
    site: str | None
    language: str | None
    analysis: str
    """The language the text is analysed in (stemming and stop words at search time)."""
    author_keys: tuple[str, ...]
    author_names: tuple[str, ...]
    tags: tuple[str, ...]
    """The section and tags, as filters key them."""
    page_type: str
    published: datetime | None
    month: str | None
    sort_date: datetime
    version: Version
    dedup_bands: tuple[int, ...] | None = None
    """The near-duplicate band terms the event carries (None: absent or another scheme)."""


def indexed(article: PageExtracted) -> IndexedArticle:
    language = language_key(article.language)
    published = clamp(article.published) if article.published else None
    names = tuple(dict.fromkeys(" ".join(a.split()) for a in article.authors if a.strip()))
    return IndexedArticle(
        id=article.id,
        stored=article.model_dump_json(),
        title=article.title,
        description=article.description or "",
        body=article.text,
        site=site_key(article.canonical_url or article.url),
        language=language,
        analysis=analysis_language(language),
        author_keys=tuple(dict.fromkeys(k for n in names if (k := author_key(n)))),
        author_names=names,
        tags=tuple(
            dict.fromkeys(k for t in [article.section or "", *article.tags] if (k := tag_key(t)))
        ),
        page_type=article.page_type,
        published=published,
        month=f"{published.year:04d}-{published.month:02d}" if published else None,
        sort_date=clamp(article.published or article.fetched_at or article.extracted_at),
        version=version_key(article),
        dedup_bands=dedup.decode(article.dedup_signature),
    )


def recency_boost(age_seconds: float, half_life_days: int) -> float:
    """The factor a relevance score is multiplied by for an article of this age (a date in
    the future counts as now)."""
    age_days = max(age_seconds, 0.0) / 86_400
    return 1.0 + RECENCY_WEIGHT * float(0.5 ** (age_days / half_life_days))


def version_key(article: PageExtracted) -> Version:
    """An article's version: when its page was fetched (the extraction time when the fetch
    time is unknown, so every new extraction of such a page counts as a new fetch), the
    engine version that extracted it, when it was extracted."""
    extracted = _micros(article.extracted_at)
    fetched = _micros(article.fetched_at) if article.fetched_at else extracted
    return (fetched, article.engine_version, extracted)


def supersedes(new: Version, held: Version) -> bool:
    """Whether an article of version `new` replaces the one of version `held` in the index.

    A newer fetch wins, whatever engines extracted the two. For the same fetch, a newer engine
    wins, and never an older one, however late its event comes (a replay by an old extractor
    still running beside new ones); for the same fetch and engine, the later extraction wins.
    The same event again (a redelivery) replaces nothing: upserts stay idempotent.
    """
    return new > held


def clamp(moment: datetime) -> datetime:
    """In UTC (naive means UTC) and within the dates the index can hold."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return min(max(moment, _FIRST_DATE), _LAST_DATE)


def _micros(moment: datetime) -> int:
    return int(clamp(moment).timestamp() * 1_000_000)
