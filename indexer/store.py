"""The article store: the `Store` port and `TantivyStore`, the only module importing tantivy.

Idempotency key: the article `id`. An article's version is `(fetched_at or extracted_at,
extracted_at)`; `upsert` writes an article only when the index holds no newer or equal
version, so redelivered events are no-ops and late old events never overwrite new ones.

Threads: one `TantivyStore` per index directory and process (tantivy locks the directory
for one writer). Writes are serialised by a lock; searches run concurrently, each on one
searcher (one consistent snapshot), reloaded after every commit.

The user's query never reaches tantivy's query parser: `indexer.query` parses it into an
AST, and `_QueryBuilder` turns that into term, phrase, prefix and fuzzy queries built from
tokens of the same analyzer the index uses.
"""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import tantivy

from indexer.errors import StoreError, StoreLockedError
from indexer.query import AnyOf, ParsedQuery, Phrase, Unit, Word
from indexer.search import (
    FacetCount,
    SearchHit,
    SearchPage,
    SearchRequest,
    Sort,
    author_key,
    language_key,
    site_key,
)
from shared.events import PageExtracted

__all__ = ["Store", "TantivyStore"]

logger = logging.getLogger(__name__)

TEXT_ANALYZER = "pw_text"
FIELD_BOOSTS = (("title", 3.0), ("description", 1.5), ("body", 1.0))
"""BM25 per field, best field wins (dis-max, tie 0.3): a title match outranks a body match."""
PREFIX_EXPANSIONS = 32
SNIPPET_CHARS = 220
FACET_SIZE = 10
FACET_FIELDS = {"site": "site", "language": "language", "author": "author_name", "month": "month"}
_MIN_DATE, _MAX_DATE = tantivy.MIN_DATETIME, tantivy.MAX_DATETIME


class Store(Protocol):
    """Where articles are kept and searched. Methods are blocking; call them from threads."""

    def upsert(self, articles: Sequence[PageExtracted]) -> int: ...
    def get(self, article_id: str) -> PageExtracted | None: ...
    def search(self, request: SearchRequest) -> SearchPage: ...
    def similar(self, article_id: str, limit: int = 10) -> list[SearchHit] | None: ...
    def count(self) -> int: ...
    def close(self) -> None: ...


def _schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", stored=True, tokenizer_name="raw")
    b.add_bytes_field("doc", stored=True)
    for name, _ in FIELD_BOOSTS:
        b.add_text_field(name, tokenizer_name=TEXT_ANALYZER)
    for name in ("site", "language", "author", "author_name", "month"):
        b.add_text_field(name, tokenizer_name="raw", fast=True)
    b.add_date_field("published", indexed=True, fast=True)
    b.add_date_field("sort_date", fast=True)
    b.add_integer_field("version", fast=True)
    b.add_integer_field("extracted", fast=True)
    return b.build()


def _analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


class TantivyStore:
    """Articles in a tantivy index on disk (or in memory when `path` is None)."""

    def __init__(self, index: tantivy.Index, *, read_only: bool, writer_heap: int) -> None:
        self._index = index
        self._schema = index.schema
        self._analyzer = _analyzer()
        self._lock = threading.Lock()
        self._writer: Any = None
        self._closed = False
        if not read_only:
            try:
                self._writer = index.writer(heap_size=writer_heap, num_threads=1)
            except ValueError as exc:
                if "LockBusy" in str(exc):
                    raise StoreLockedError(
                        "another process is writing this index; run one indexer per data_dir"
                    ) from exc
                raise StoreError(f"cannot open the index writer: {exc}") from exc

    @classmethod
    def open(
        cls, path: Path | None, *, read_only: bool = False, writer_heap: int = 64_000_000
    ) -> TantivyStore:
        """Open (or create) the index in `path`; None keeps it in memory (tests)."""
        try:
            if path is not None:
                path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(_schema(), path=None if path is None else str(path))
            index.register_tokenizer(TEXT_ANALYZER, _analyzer())
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot open the index at {path}: {exc}") from exc
        store = cls(index, read_only=read_only, writer_heap=writer_heap)
        logger.info("index open at %s: %d documents", path or "<memory>", store.count())
        return store

    def close(self) -> None:
        """Wait for merges and release the writer's lock; the store cannot be used after."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            writer, self._writer = self._writer, None
            if writer is not None:
                writer.wait_merging_threads()

    def __enter__(self) -> TantivyStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- writes ------------------------------------------------------------------------------

    def upsert(self, articles: Sequence[PageExtracted]) -> int:
        """Write a batch in one commit; return how many documents were added or replaced."""
        newest: dict[str, PageExtracted] = {}
        for article in articles:
            held = newest.get(article.id)
            if held is None or _version(article) > _version(held):
                newest[article.id] = article
        if not newest:
            return 0
        with self._lock:
            writer = self._require_writer()
            searcher = self._index.searcher()
            fresh = [a for a in newest.values() if self._is_newer(searcher, a)]
            if not fresh:
                return 0
            try:
                for article in fresh:
                    writer.delete_documents_by_term("id", article.id)
                    writer.add_document(_document(article))
                writer.commit()
            except ValueError as exc:
                writer.rollback()
                raise StoreError(f"cannot write {len(fresh)} articles: {exc}") from exc
            self._index.reload()
        logger.debug("indexed %d of %d articles", len(fresh), len(articles))
        return len(fresh)

    def _require_writer(self) -> Any:
        if self._closed:
            raise StoreError("the store is closed")
        if self._writer is None:
            raise StoreError("the store was opened read-only")
        return self._writer

    def _is_newer(self, searcher: tantivy.Searcher, article: PageExtracted) -> bool:
        found = searcher.search(self._id_query(article.id), limit=1, count=False).hits
        if not found:
            return True
        address = [found[0][1]]
        held = (
            searcher.fast_field_values("version", address)[0],
            searcher.fast_field_values("extracted", address)[0],
        )
        return _version(article) > held

    # -- reads -------------------------------------------------------------------------------

    def count(self) -> int:
        return int(self._searcher().num_docs)

    def get(self, article_id: str) -> PageExtracted | None:
        searcher = self._searcher()
        found = searcher.search(self._id_query(article_id), limit=1, count=False).hits
        return _article(searcher, found[0][1]) if found else None

    def search(self, request: SearchRequest) -> SearchPage:
        searcher = self._searcher()
        builder = _QueryBuilder(self._schema, self._analyzer, searcher)
        query = builder.build(request)
        result = self._run(searcher, query, request, scored=bool(request.query.required))
        fuzzy = False
        if result.count == 0 and builder.fuzzable:
            fuzzy_query = _QueryBuilder(self._schema, self._analyzer, searcher, fuzzy=True)
            query = fuzzy_query.build(request)
            result = self._run(searcher, query, request, scored=True)
            fuzzy = result.count > 0
        return SearchPage(
            query=request.text,
            total=result.count,
            hits=self._hits(searcher, query, result.hits),
            next_cursor=request.next_cursor(result.count),
            fuzzy=fuzzy,
            facets=self._facets(searcher, query) if request.facets else {},
        )

    def similar(self, article_id: str, limit: int = 10) -> list[SearchHit] | None:
        """Articles that share rare words with this one; None if the id is unknown."""
        article = self.get(article_id)
        if article is None:
            return None
        searcher = self._searcher()
        fields = {"title": [article.title], "body": [article.text[:20_000]]}
        like = tantivy.Query.more_like_this_document_fields_query(
            self._schema, fields, min_doc_frequency=1, min_term_frequency=1, max_query_terms=25
        )
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, like), (tantivy.Occur.MustNot, self._id_query(article_id))]
        )
        return self._hits(searcher, query, searcher.search(query, limit=limit).hits)

    def _searcher(self) -> tantivy.Searcher:
        if self._closed:
            raise StoreError("the store is closed")
        return self._index.searcher()

    def _id_query(self, article_id: str) -> tantivy.Query:
        return tantivy.Query.term_query(self._schema, "id", article_id)

    def _run(
        self, searcher: tantivy.Searcher, query: tantivy.Query, request: SearchRequest,
        *, scored: bool,
    ) -> Any:
        if request.sort is Sort.RELEVANCE and scored:
            return searcher.search(query, limit=request.limit, offset=request.offset)
        order = tantivy.Order.Asc if request.sort is Sort.OLDEST else tantivy.Order.Desc
        return searcher.search(
            query, limit=request.limit, offset=request.offset,
            order_by_field="sort_date", order=order,
        )

    def _hits(
        self, searcher: tantivy.Searcher, query: tantivy.Query, found: list[tuple[Any, Any]]
    ) -> list[SearchHit]:
        snippets = tantivy.SnippetGenerator.create(searcher, query, self._schema, "body")
        snippets.set_max_num_chars(SNIPPET_CHARS)
        hits = []
        for key, address in found:
            article = _article(searcher, address)
            if article is None:
                continue
            score = float(key) if isinstance(key, float) else None
            hits.append(_hit(article, _snippet(snippets, article), score))
        return hits

    def _facets(
        self, searcher: tantivy.Searcher, query: tantivy.Query
    ) -> dict[str, list[FacetCount]]:
        spec = {
            name: {"terms": {"field": field, "size": FACET_SIZE}}
            for name, field in FACET_FIELDS.items()
        }
        result = searcher.aggregate(query, spec)
        return {
            name: [
                FacetCount(value=str(b["key"]), count=int(b["doc_count"]))
                for b in result.get(name, {}).get("buckets", [])
            ]
            for name in FACET_FIELDS
        }


class _QueryBuilder:
    """Turns a parsed query and filters into a tantivy query, without tantivy's parser."""

    def __init__(
        self, schema: tantivy.Schema, analyzer: tantivy.TextAnalyzer,
        searcher: tantivy.Searcher, *, fuzzy: bool = False,
    ) -> None:
        self._schema = schema
        self._analyzer = analyzer
        self._searcher = searcher
        self._fuzzy = fuzzy
        self.fuzzable = False
        """Whether some word could match with a typo (set while building)."""

    def build(self, request: SearchRequest) -> tantivy.Query:
        clauses = [(tantivy.Occur.Must, q) for q in self._required(request.query)]
        clauses += [
            (tantivy.Occur.MustNot, q)
            for q in (self._unit(u) for u in request.query.excluded)
            if q is not None
        ]
        clauses += [
            (tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0))
            for f in self._filters(request)
        ]
        if not any(occur == tantivy.Occur.Must for occur, _ in clauses):
            clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses)

    def _required(self, parsed: ParsedQuery) -> Iterator[tantivy.Query]:
        for clause in parsed.required:
            units = clause.options if isinstance(clause, AnyOf) else (clause,)
            options = [q for q in (self._unit(u) for u in units) if q is not None]
            if len(options) == 1:
                yield options[0]
            elif options:
                yield tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in options])

    def _unit(self, unit: Unit) -> tantivy.Query | None:
        """The unit in any text field, the best field counting most; None if nothing to look up."""
        text = " ".join(unit.words) if isinstance(unit, Phrase) else unit.text
        tokens = [t for t in self._analyzer.analyze(text) if t]
        if not tokens:
            return None
        prefix = isinstance(unit, Word) and unit.prefix
        per_field = [
            tantivy.Query.boost_query(self._field(name, tokens, prefix=prefix), boost)
            for name, boost in FIELD_BOOSTS
        ]
        return tantivy.Query.disjunction_max_query(per_field, tie_breaker=0.3)

    def _field(self, name: str, tokens: list[str], *, prefix: bool) -> tantivy.Query:
        schema = self._schema
        words: list[str | tuple[int, str]] = list(tokens)
        if prefix and len(tokens) > 1:
            return tantivy.Query.phrase_prefix_query(schema, name, words)
        if prefix:
            return self._expand(name, tokens[0])
        if len(tokens) > 1:
            return tantivy.Query.phrase_query(schema, name, words)
        token = tokens[0]
        if len(token) >= 4 and not token.isdigit():
            self.fuzzable = True
            if self._fuzzy:
                distance = 1 if len(token) < 8 else 2
                return tantivy.Query.fuzzy_term_query(schema, name, token, distance=distance)
        return tantivy.Query.term_query(schema, name, token)

    def _expand(self, name: str, prefix: str) -> tantivy.Query:
        """`photo*`: the most frequent terms starting with `photo`, each scored by BM25."""
        terms = self._searcher.terms_with_prefix(name, prefix, limit=PREFIX_EXPANSIONS)
        if not terms:
            return tantivy.Query.empty_query()
        should = tantivy.Occur.Should
        return tantivy.Query.boolean_query(
            [(should, tantivy.Query.term_query(self._schema, name, t)) for t, _ in terms]
        )

    def _filters(self, request: SearchRequest) -> Iterator[tantivy.Query]:
        f = request.filters
        for name, value in (("site", f.site), ("language", f.language), ("author", f.author)):
            if value is not None:
                yield tantivy.Query.term_query(self._schema, name, value)
        if f.since is not None or f.until is not None:
            yield tantivy.Query.range_query(
                self._schema, "published", tantivy.FieldType.Date,
                lower_bound=None if f.since is None else _clamp(f.since),
                upper_bound=None if f.until is None else _clamp(f.until),
                include_upper=f.until is None,
            )


# -- conversions ---------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _clamp(moment: datetime) -> datetime:
    return min(max(_utc(moment), _MIN_DATE), _MAX_DATE)


def _micros(moment: datetime) -> int:
    return int(_clamp(moment).timestamp() * 1_000_000)


def _version(article: PageExtracted) -> tuple[int, int]:
    """Newer fetches win; for the same fetch, the later extraction wins."""
    extracted = _micros(article.extracted_at)
    return (_micros(article.fetched_at) if article.fetched_at else extracted, extracted)


def _document(article: PageExtracted) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("id", article.id)
    doc.add_bytes("doc", article.model_dump_json().encode())
    doc.add_text("title", article.title)
    doc.add_text("description", article.description or "")
    doc.add_text("body", article.text)
    for name, value in (
        ("site", site_key(article.canonical_url or article.url)),
        ("language", language_key(article.language)),
    ):
        if value:
            doc.add_text(name, value)
    for author in article.authors:
        doc.add_text("author", author_key(author) or "")
        doc.add_text("author_name", " ".join(author.split()))
    if article.published is not None:
        published = _clamp(article.published)
        doc.add_date("published", published)
        doc.add_text("month", f"{published.year:04d}-{published.month:02d}")
    dated = article.published or article.fetched_at or article.extracted_at
    doc.add_date("sort_date", _clamp(dated))
    version, extracted = _version(article)
    doc.add_integer("version", version)
    doc.add_integer("extracted", extracted)
    return doc


def _article(searcher: tantivy.Searcher, address: Any) -> PageExtracted | None:
    stored = searcher.doc(address).get_first("doc")
    if stored is None:
        return None
    return PageExtracted.model_validate_json(bytes(stored))


def _hit(article: PageExtracted, snippet: str, score: float | None) -> SearchHit:
    return SearchHit(
        id=article.id,
        title=article.title,
        url=article.canonical_url or article.url,
        site=site_key(article.canonical_url or article.url),
        site_name=article.site_name,
        authors=article.authors,
        published=article.published,
        language=language_key(article.language),
        snippet=snippet,
        score=score,
    )


def _snippet(generator: tantivy.SnippetGenerator, article: PageExtracted) -> str:
    """HTML: the best passage of the body, matches in <mark>, every other character escaped."""
    snippet = generator.snippet_from_doc(tantivy.Document(body=article.text))
    fragment = snippet.fragment()
    if not fragment or not snippet.highlighted():
        return html.escape(_lead(article.description or article.text))
    raw = fragment.encode()  # tantivy's offsets count UTF-8 bytes

    def text(start: int, end: int | None = None) -> str:
        return html.escape(raw[start:end].decode(errors="replace"))

    parts, cursor = [], 0
    for span in sorted(snippet.highlighted(), key=lambda r: r.start):
        if span.start < cursor:
            continue
        parts += [text(cursor, span.start), "<mark>", text(span.start, span.end), "</mark>"]
        cursor = span.end
    parts.append(text(cursor))
    start = snippet.fragment_range().start
    return ("… " if start > 0 else "") + "".join(parts).strip()


def _lead(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
