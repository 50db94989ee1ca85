"""The article store: the `Store` port and `TantivyStore`, on tantivy (with
`indexer.tantivy_query` for queries and snippets and `indexer.clusters` for near duplicates,
the only modules that import tantivy).

Idempotency key: the article `id`. An article's version is `(fetched_at or extracted_at,
engine_version, extracted_at)` (`indexer.fields.version_key`); `upsert` writes an article
only when it `supersedes` the version the index holds, so redelivered events are no-ops and
late old events (an older fetch, or an older engine's extraction of the same fetch) never
overwrite new ones.

Threads: one `TantivyStore` per index directory and process (tantivy locks the directory
for one writer). Writes are serialised by a lock; searches run concurrently, each on one
searcher (one consistent snapshot), reloaded after every commit.

Each text field is indexed once, as written (lowercased, accents folded); stemming and stop
words are applied when the query is built (`indexer.tantivy_query`, `indexer.analysis`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import tantivy

from indexer.clusters import Clusters, Fold, cluster_of, with_also_on
from indexer.errors import StoreError, StoreLockedError
from indexer.fields import (
    FACET_FIELDS,
    FIELD_BOOSTS,
    IndexedArticle,
    Version,
    indexed,
    supersedes,
    version_key,
)
from indexer.search_models import (
    FacetCount,
    SearchHit,
    SearchPage,
    SearchRequest,
    language_key,
    site_key,
)
from indexer.snippets import (
    near,
    typo_distance,
)
from indexer.tantivy_query import (
    STORED_ONLY,
    TEXT_ANALYZER,
    Analyzers,
    QueryBuilder,
    Snippets,
    any_term,
    snippet_words,
)
from shared.events import PAGE_TYPES, PageExtracted

__all__ = ["Store", "TantivyStore"]

logger = logging.getLogger(__name__)

SCAN_ARTICLES, SCAN_CHARS = 3, 20_000
FACET_SIZE = 10
WRITER_HEAP, WRITER_THREADS = 128_000_000, 1
"""The writer's indexing memory (shared by its threads) and threads (one segment each per
commit: more threads make more, smaller segments, so more merging)."""
_Occur = tantivy.Occur


class Store(Protocol):
    """Where articles are kept and searched. Methods block: call them from worker threads
    (the API runs `search`, milliseconds of CPU, on its event loop; see `indexer.api`).

    - `upsert`: one batch, one commit, idempotent by `id` (newest version wins); returns how
      many documents were added or replaced. Raises `StoreError` if it cannot write.
    - `get`: the whole article, or None. `similar`: articles like it, or None if unknown.
    - `search`: one page of results for a validated `SearchRequest`.
    """

    def upsert(self, articles: Sequence[PageExtracted]) -> int: ...
    def get(self, article_id: str) -> PageExtracted | None: ...
    def search(self, request: SearchRequest) -> SearchPage: ...
    def similar(self, article_id: str, limit: int = 10) -> list[SearchHit] | None: ...
    def count(self) -> int: ...
    def close(self) -> None: ...


def _schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", stored=True, tokenizer_name="raw")
    # The whole event as JSON: a stored text field that indexes nothing (`STORED_ONLY`), which
    # tantivy-py hands back faster than a bytes field.
    b.add_text_field("doc", stored=True, tokenizer_name=STORED_ONLY)
    for name, _ in FIELD_BOOSTS:
        b.add_text_field(name, tokenizer_name=TEXT_ANALYZER)
    b.add_text_field("analysis", tokenizer_name="raw")
    b.add_text_field("tag", tokenizer_name="raw")
    for name in ("site", "language", "author", "author_name", "month", "page_type"):
        b.add_text_field(name, tokenizer_name="raw", fast=True)
    b.add_date_field("published", indexed=True, fast=True)
    b.add_date_field("sort_date", fast=True)
    b.add_integer_field("sort_ts", fast=True)  # the same in seconds, readable in bulk
    b.add_integer_field("version", fast=True)
    b.add_integer_field("extracted", fast=True)
    # Near-duplicate clusters (see `Clusters`, `Fold`): the cluster's id (its first
    # article's), the same as a number for reading many at once, and the LSH band terms.
    b.add_text_field("cluster", stored=True, tokenizer_name="raw")
    b.add_unsigned_field("cluster_key", indexed=True, fast=True)
    b.add_unsigned_field("dup_band", indexed=True)
    return b.build()


class TantivyStore:
    """Articles in a tantivy index on disk (or in memory when `path` is None)."""

    def __init__(
        self, index: tantivy.Index, *, read_only: bool, writer_heap: int, writer_threads: int = 1
    ) -> None:
        self._index = index
        self._schema = index.schema
        self._analyzers = Analyzers()
        self._analyzers.register(index)
        self._lock = threading.Lock()
        self._writer: Any = None
        self._closed = False
        if not read_only:
            try:
                self._writer = index.writer(heap_size=writer_heap, num_threads=writer_threads)
            except ValueError as exc:
                if "LockBusy" in str(exc):
                    raise StoreLockedError(
                        "another process is writing this index; run one indexer per data_dir"
                    ) from exc
                raise StoreError(f"cannot open the index writer: {exc}") from exc

    @classmethod
    def open(
        cls, path: Path | None, *, read_only: bool = False, writer_heap: int = WRITER_HEAP,
        writer_threads: int = WRITER_THREADS,
    ) -> TantivyStore:  # fmt: skip
        """Open (or create) the index in `path`; None keeps it in memory (tests)."""
        try:
            if path is not None:
                path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(_schema(), path=None if path is None else str(path))
        except (OSError, ValueError) as exc:
            if "schema does not match" in str(exc):
                raise StoreError(
                    f"the index at {path} was built with another schema (an older pagewire?);"
                    " move it away and replay the extracted stream to rebuild it"
                ) from exc
            raise StoreError(f"cannot open the index at {path}: {exc}") from exc
        store = cls(
            index, read_only=read_only, writer_heap=writer_heap, writer_threads=writer_threads
        )
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
        newest: dict[str, IndexedArticle] = {}
        for article in articles:
            held = newest.get(article.id)
            if held is None or supersedes(version_key(article), held.version):
                newest[article.id] = indexed(article)
        if not newest:
            return 0
        with self._lock:
            writer = self._require_writer()
            versions = self._held_versions(self._index.searcher(), newest)
            fresh = [
                a
                for a in newest.values()
                if a.id not in versions or supersedes(a.version, versions[a.id])
            ]
            if not fresh:
                return 0
            try:
                # Clusters are assigned as documents are added (in batch order, as if all at
                # once), so the writer's threads index while Python works out the next one.
                clusters = Clusters(self._schema, self._index.searcher(), ())
                for item in fresh:
                    if item.id in versions:  # a new id has nothing to replace: no delete
                        writer.delete_documents_by_term("id", item.id)
                    writer.add_document(clusters.add_to(self._document(item), item))
                writer.commit()
            except (ValueError, OSError) as exc:
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

    def _held_versions(
        self, searcher: tantivy.Searcher, items: dict[str, IndexedArticle]
    ) -> dict[str, Version]:
        """Id -> version of the articles of `items` the index holds, all read on one searcher.

        `doc_freq` (a term dictionary lookup, deleted documents included) rules out most ids
        of a batch of new articles without running a query; the others are searched. The
        times are fast fields; the engine version is read from the stored event (only held
        articles pay for it, and a new field would make every existing index unreadable).
        """
        held, addresses = {}, []
        for article_id in items:
            if searcher.doc_freq("id", article_id) == 0:
                continue
            found = searcher.search(self._id_query(article_id), limit=1, count=False).hits
            if found:
                addresses.append((article_id, found[0][1]))
        if addresses:
            where = [address for _, address in addresses]
            versions = searcher.fast_field_values("version", where)
            extracted = searcher.fast_field_values("extracted", where)
            for (article_id, address), version, at in zip(
                addresses, versions, extracted, strict=True
            ):
                engine = _engine_version(searcher, address)
                held[article_id] = (int(version or 0), engine, int(at or 0))
        return held

    def _document(self, item: IndexedArticle) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_text("id", item.id)
        doc.add_text("doc", item.stored)
        for name, text in (("title", item.title), ("description", item.description),
                           ("body", item.body)):  # fmt: skip
            doc.add_text(name, text)
        for name, value in (("site", item.site), ("language", item.language),
                            ("month", item.month), ("analysis", item.analysis),
                            ("page_type", item.page_type)):  # fmt: skip
            if value:
                doc.add_text(name, value)
        for tag in item.tags:
            doc.add_text("tag", tag)
        for key, name in zip(item.author_keys, item.author_names, strict=False):
            doc.add_text("author", key)
            doc.add_text("author_name", name)
        if item.published is not None:
            doc.add_date("published", item.published)
        doc.add_date("sort_date", item.sort_date)
        doc.add_integer("sort_ts", int(item.sort_date.timestamp()))
        doc.add_integer("version", item.version[0])
        doc.add_integer("extracted", item.version[2])
        return doc

    # -- reads -------------------------------------------------------------------------------

    def count(self) -> int:
        return int(self._searcher().num_docs)

    def get(self, article_id: str) -> PageExtracted | None:
        searcher = self._searcher()
        found = searcher.search(self._id_query(article_id), limit=1, count=False).hits
        return _article(searcher, found[0][1]) if found else None

    def search(self, request: SearchRequest) -> SearchPage:
        searcher = self._searcher()
        builder = QueryBuilder(self._schema, self._analyzers, searcher, request)
        query = builder.build()
        result = Fold(
            self._schema, searcher, query, request, scored=bool(request.query.required)
        ).run()
        fuzzy = False
        if result.total == 0 and builder.fuzzable:
            builder = QueryBuilder(self._schema, self._analyzers, searcher, request, fuzzy=True)
            query = builder.build()
            result = Fold(self._schema, searcher, query, request, scored=True).run()
            fuzzy = result.total > 0
        words = [] if builder.fuzzed else snippet_words(request.query, self._analyzers)
        words += sorted(builder.variants) if words else []
        hits = self._hits(searcher, query, result.hits, typos=builder.fuzzed, words=words)
        return SearchPage(
            query=request.text,
            total=result.total,
            hits=with_also_on(hits, result.also_on()),
            next_cursor=result.next_cursor,
            fuzzy=fuzzy,
            facets=self._facets(searcher, query, builder.without_types) if request.facets else {},
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
            [(_Occur.Must, like), (_Occur.MustNot, self._id_query(article_id))]
            + [(_Occur.MustNot, q) for q in cluster_of(self._schema, searcher, article_id)]
        )
        return self._hits(searcher, query, searcher.search(query, limit=limit).hits)

    def _searcher(self) -> tantivy.Searcher:
        if self._closed:
            raise StoreError("the store is closed")
        return self._index.searcher()

    def _id_query(self, article_id: str) -> tantivy.Query:
        return tantivy.Query.term_query(self._schema, "id", article_id)

    def _hits(
        self, searcher: tantivy.Searcher, query: tantivy.Query, found: list[tuple[Any, Any]],
        *, typos: Sequence[str] = (), words: Sequence[str] = (),
    ) -> list[SearchHit]:  # fmt: skip
        """The hits with their snippets; `words`: the query's words as the index has them."""
        loaded = [(key, a) for key, address in found if (a := _article(searcher, address))]
        if typos:
            query = self._with_corrections(query, typos, [a for _, a in loaded])
        snippets = Snippets(searcher, query, self._schema, words)
        return [
            _hit(a, snippets.html(a), float(key) if isinstance(key, float) else None)
            for key, a in loaded
        ]

    def _with_corrections(
        self, query: tantivy.Query, typos: Sequence[str], articles: list[PageExtracted]
    ) -> tantivy.Query:
        """`query` plus the words a typo matched (in the top articles), for snippets to mark."""
        scanned = articles[:SCAN_ARTICLES]
        words = {w for a in scanned for w in self._analyzers.tokens(a.text[:SCAN_CHARS])}
        close = sorted(w for w in words if any(near(w, t, typo_distance(t)) for t in typos))
        if not close:
            return query
        found = any_term(self._schema, "body", close)
        return tantivy.Query.boolean_query([(_Occur.Should, query), (_Occur.Should, found)])

    def _facets(
        self, searcher: tantivy.Searcher, query: tantivy.Query, without_types: tantivy.Query
    ) -> dict[str, list[FacetCount]]:
        """Counts per facet value among the matches; the page types are counted as if no type
        had been asked for, so that the counts show what the other types hold."""
        spec = {
            name: {"terms": {"field": field, "size": FACET_SIZE}}
            for name, field in FACET_FIELDS.items()
            if name != "page_type"
        }
        result = searcher.aggregate(query, spec)
        types = {"page_type": {"terms": {"field": "page_type", "size": len(PAGE_TYPES)}}}
        result.update(searcher.aggregate(without_types, types))
        return {
            name: [
                FacetCount(value=str(b["key"]), count=int(b["doc_count"]))
                for b in result.get(name, {}).get("buckets", [])
            ]
            for name in FACET_FIELDS
        }


def _engine_version(searcher: tantivy.Searcher, address: Any) -> int:
    stored = searcher.doc(address).get_first("doc")
    return int(json.loads(stored).get("engine_version", 0)) if stored else 0


def _article(searcher: tantivy.Searcher, address: Any) -> PageExtracted | None:
    stored = searcher.doc(address).get_first("doc")
    if stored is None:
        return None
    return PageExtracted.model_validate_json(stored)


def _hit(article: PageExtracted, snippet: str, score: float | None) -> SearchHit:
    url = article.canonical_url or article.url
    # Built without validation: every value comes from a validated `PageExtracted`.
    return SearchHit.model_construct(
        id=article.id,
        title=article.title,
        url=url,
        site=site_key(url),
        site_name=article.site_name,
        authors=article.authors,
        published=article.published,
        language=language_key(article.language),
        page_type=article.page_type,
        snippet=snippet,
        score=score,
    )
