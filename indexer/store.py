"""The article store: the `Store` port and `TantivyStore`, the only module importing tantivy.

Idempotency key: the article `id`. An article's version is `(fetched_at or extracted_at,
extracted_at)`; `upsert` writes an article only when the index holds no newer or equal
version, so redelivered events are no-ops and late old events never overwrite new ones.

Threads: one `TantivyStore` per index directory and process (tantivy locks the directory
for one writer). Writes are serialised by a lock; searches run concurrently, each on one
searcher (one consistent snapshot), reloaded after every commit.

The user's query never reaches tantivy's query parser: `indexer.query` parses it into an
AST, and `_QueryBuilder` turns that into term, phrase, prefix and fuzzy queries built from
tokens of the same analyzer the index uses. Each text field is indexed once, as written
(lowercased, accents folded); stemming and stop words are applied when the query is built
(`indexer.analysis`): a word is widened to the forms of it the index holds that share its
stem in a language, and those forms only meet articles analysed in that language
(`analysis` field).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import tantivy

from indexer import analysis, dedup
from indexer.errors import StoreError, StoreLockedError
from indexer.fields import (
    FACET_FIELDS,
    FIELD_BOOSTS,
    PROXIMITY_WEIGHT,
    STEM_WEIGHT,
    IndexedArticle,
    clamp,
    indexed,
    version_key,
)
from indexer.query import AnyOf, ParsedQuery, Phrase, Unit, Word
from indexer.search import (
    MAX_OFFSET,
    AlsoOn,
    FacetCount,
    SearchHit,
    SearchPage,
    SearchRequest,
    Sort,
    encode_cursor,
    language_key,
    site_key,
)
from indexer.snippets import (
    SNIPPET_CHARS,
    WINDOW_AFTER,
    WINDOW_BEFORE,
    highlight,
    lead,
    near,
    typo_distance,
    window,
)
from shared.events import PageExtracted

__all__ = ["Store", "TantivyStore"]

logger = logging.getLogger(__name__)

TEXT_ANALYZER = "pw_text"
PREFIX_EXPANSIONS = 32
VARIANT_SCAN = 64
"""Most terms sharing a word's stem prefix that are looked at for its forms (most frequent
first)."""
SCAN_ARTICLES, SCAN_CHARS = 3, 20_000
PROXIMITY_SLOP, MAX_PROXIMITY_WORDS = 3, 8
FACET_SIZE = 10
WRITER_HEAP, WRITER_THREADS = 128_000_000, 1
"""The writer's indexing memory (shared by its threads) and threads (one segment each per
commit: more threads make more, smaller segments, so more merging)."""
_Occur = tantivy.Occur


class Store(Protocol):
    """Where articles are kept and searched. Methods block: call them from worker threads.

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
    b.add_bytes_field("doc", stored=True)
    for name, _ in FIELD_BOOSTS:
        b.add_text_field(name, tokenizer_name=TEXT_ANALYZER)
    b.add_text_field("analysis", tokenizer_name="raw")
    for name in ("site", "language", "author", "author_name", "month"):
        b.add_text_field(name, tokenizer_name="raw", fast=True)
    b.add_date_field("published", indexed=True, fast=True)
    b.add_date_field("sort_date", fast=True)
    b.add_integer_field("version", fast=True)
    b.add_integer_field("extracted", fast=True)
    # Near-duplicate clusters (see `_Clusters`, `_Fold`): the cluster's id (its first
    # article's), the same as a number for reading many at once, and the LSH band terms.
    b.add_text_field("cluster", stored=True, tokenizer_name="raw")
    b.add_unsigned_field("cluster_key", indexed=True, fast=True)
    b.add_unsigned_field("dup_band", indexed=True)
    return b.build()


def _analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


class _Analyzers:
    """Words as the index holds them: lowercased, accents folded."""

    def __init__(self) -> None:
        self.plain = _analyzer()
        self._stopwords: dict[str, frozenset[str]] = {}

    def register(self, index: tantivy.Index) -> None:
        index.register_tokenizer(TEXT_ANALYZER, self.plain)

    def tokens(self, text: str) -> list[str]:
        return [t for t in self.plain.analyze(text) if t]

    def stopwords(self, language: str) -> frozenset[str]:
        """The language's stop words as the index holds them (folded: `für` -> `fur`)."""
        if language not in self._stopwords:
            words = analysis.stopwords(language)
            self._stopwords[language] = frozenset(self.tokens(" ".join(sorted(words))))
        return self._stopwords[language]


class TantivyStore:
    """Articles in a tantivy index on disk (or in memory when `path` is None)."""

    def __init__(
        self, index: tantivy.Index, *, read_only: bool, writer_heap: int, writer_threads: int = 1
    ) -> None:
        self._index = index
        self._schema = index.schema
        self._analyzers = _Analyzers()
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
            if held is None or version_key(article) > held.version:
                newest[article.id] = indexed(article)
        if not newest:
            return 0
        with self._lock:
            writer = self._require_writer()
            versions = self._held_versions(self._index.searcher(), newest)
            fresh = [
                a for a in newest.values() if a.id not in versions or a.version > versions[a.id]
            ]
            if not fresh:
                return 0
            try:
                # Clusters are assigned as documents are added (in batch order, as if all at
                # once), so the writer's threads index while Python works out the next one.
                clusters = _Clusters(self._schema, self._index.searcher(), ())
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
    ) -> dict[str, tuple[int, int]]:
        """Id -> version of the articles of `items` the index holds, all read on one searcher.

        `doc_freq` (a term dictionary lookup, deleted documents included) rules out most ids
        of a batch of new articles without running a query; the others are searched.
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
            for (article_id, _), version, at in zip(addresses, versions, extracted, strict=True):
                held[article_id] = (int(version or 0), int(at or 0))
        return held

    def _document(self, item: IndexedArticle) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_text("id", item.id)
        doc.add_bytes("doc", item.stored)
        for name, text in (("title", item.title), ("description", item.description),
                           ("body", item.body)):  # fmt: skip
            doc.add_text(name, text)
        for name, value in (("site", item.site), ("language", item.language),
                            ("month", item.month), ("analysis", item.analysis)):  # fmt: skip
            if value:
                doc.add_text(name, value)
        for key, name in zip(item.author_keys, item.author_names, strict=False):
            doc.add_text("author", key)
            doc.add_text("author_name", name)
        if item.published is not None:
            doc.add_date("published", item.published)
        doc.add_date("sort_date", item.sort_date)
        doc.add_integer("version", item.version[0])
        doc.add_integer("extracted", item.version[1])
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
        builder = _QueryBuilder(self._schema, self._analyzers, searcher, request)
        query = builder.build()
        result = _Fold(self, searcher, query, request, scored=bool(request.query.required)).run()
        fuzzy = False
        if result.total == 0 and builder.fuzzable:
            builder = _QueryBuilder(self._schema, self._analyzers, searcher, request, fuzzy=True)
            query = builder.build()
            result = _Fold(self, searcher, query, request, scored=True).run()
            fuzzy = result.total > 0
        words = [] if builder.fuzzed else _snippet_words(request.query, self._analyzers)
        words += sorted(builder.variants) if words else []
        hits = self._hits(searcher, query, result.hits, typos=builder.fuzzed, words=words)
        return SearchPage(
            query=request.text,
            total=result.total,
            hits=_with_also_on(hits, result.also_on()),
            next_cursor=result.next_cursor,
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
            [(_Occur.Must, like), (_Occur.MustNot, self._id_query(article_id))]
            + [(_Occur.MustNot, q) for q in _cluster_of(self._schema, searcher, article_id)]
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
    ) -> Any:  # fmt: skip
        if request.sort is Sort.RELEVANCE and scored:
            return searcher.search(query, limit=request.limit, offset=request.offset)
        order = tantivy.Order.Asc if request.sort is Sort.OLDEST else tantivy.Order.Desc
        return searcher.search(
            query, limit=request.limit, offset=request.offset,
            order_by_field="sort_date", order=order,
        )  # fmt: skip

    def _hits(
        self, searcher: tantivy.Searcher, query: tantivy.Query, found: list[tuple[Any, Any]],
        *, typos: Sequence[str] = (), words: Sequence[str] = (),
    ) -> list[SearchHit]:  # fmt: skip
        """The hits with their snippets; `words`: the query's words as the index has them."""
        loaded = [(key, a) for key, address in found if (a := _article(searcher, address))]
        if typos:
            query = self._with_corrections(query, typos, [a for _, a in loaded])
        snippets = _Snippets(searcher, query, self._schema, words)
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
        found = _any_term(self._schema, "body", close)
        return tantivy.Query.boolean_query([(_Occur.Should, query), (_Occur.Should, found)])

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
        self, schema: tantivy.Schema, analyzers: _Analyzers, searcher: tantivy.Searcher,
        request: SearchRequest, *, fuzzy: bool = False,
    ) -> None:  # fmt: skip
        self._schema = schema
        self._analyzers = analyzers
        self._searcher = searcher
        self._request = request
        self._fuzzy = fuzzy
        self._languages = _languages(request.filters.language, searcher)
        self._prefixed: dict[str, list[str]] = {}
        self._known_words: dict[str, bool] = {}
        self.variants: set[str] = set()
        """The other forms of the query's words that the query looks for (for snippets)."""
        self.fuzzable = False
        """Whether some word could match with a typo (set while building)."""
        self.fuzzed: list[str] = []
        """The words matched with typo tolerance (when built with `fuzzy`)."""

    def build(self) -> tantivy.Query:
        parsed, clauses = self._request.query, []
        clauses += [(_Occur.Must, q) for q in self._required(parsed)]
        excluded = (self._unit(unit, excluded=True) for unit in parsed.excluded)
        clauses += [(_Occur.MustNot, q) for q in excluded if q is not None]
        clauses += [(_Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in self._filters()]
        clauses += [(_Occur.Should, q) for q in self._proximity(parsed)]
        if not any(occur == _Occur.Must for occur, _ in clauses):
            clauses.append((_Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses)

    def _required(self, parsed: ParsedQuery) -> Iterator[tantivy.Query]:
        stop = [self._stop_in(clause) for clause in parsed.required]
        all_stop = all(stop)  # "to be or not to be": then every word is required
        for clause, stop_in in zip(parsed.required, stop, strict=True):
            if stop_in and not all_stop and set(stop_in) >= set(self._languages):
                continue  # a stop word in every language the index holds
            units = clause.options if isinstance(clause, AnyOf) else (clause,)
            options = [q for q in map(self._unit, units) if q is not None]
            if stop_in and not all_stop:
                options.append(tantivy.Query.const_score_query(self._in_languages(stop_in), 0.0))
            if len(options) == 1:
                yield options[0]
            elif options:
                yield tantivy.Query.boolean_query([(_Occur.Should, q) for q in options])

    def _stop_in(self, clause: Unit | AnyOf) -> list[str]:
        """The languages in which the clause is a stop word (a plain word only): it is not
        required of articles in those languages, but still scores where it occurs."""
        if not isinstance(clause, Word) or clause.prefix:
            return []
        tokens = self._analyzers.tokens(clause.text)
        if len(tokens) != 1:
            return []
        return [lang for lang in self._languages if tokens[0] in self._analyzers.stopwords(lang)]

    def _in_languages(self, languages: Sequence[str]) -> tantivy.Query:
        return _any_term(self._schema, "analysis", languages)

    def _proximity(self, parsed: ParsedQuery) -> Iterator[tantivy.Query]:
        """Extra score when the query's plain words stand close together, in query order."""
        words = [c.text for c in parsed.required if isinstance(c, Word) and not c.prefix]
        tokens = self._analyzers.tokens(" ".join(words))
        if not 2 <= len(tokens) <= MAX_PROXIMITY_WORDS:
            return
        phrase: list[str | tuple[int, str]] = list(tokens)
        yield tantivy.Query.disjunction_max_query(
            [
                tantivy.Query.boost_query(
                    tantivy.Query.phrase_query(self._schema, name, phrase, slop=PROXIMITY_SLOP),
                    boost * PROXIMITY_WEIGHT,
                )
                for name, boost in FIELD_BOOSTS
            ]
        )

    def _unit(self, unit: Unit, *, excluded: bool = False) -> tantivy.Query | None:
        """The unit in any text field, the best field counting most; None if nothing to look up.

        Excluded units are always exact: typo tolerance never widens an exclusion.
        """
        text = " ".join(unit.words) if isinstance(unit, Phrase) else unit.text
        tokens = self._analyzers.tokens(text)
        if not tokens:
            return None
        prefix = isinstance(unit, Word) and unit.prefix
        per_field = [
            tantivy.Query.boost_query(self._field(name, tokens, prefix, excluded), boost)
            for name, boost in FIELD_BOOSTS
        ]
        if isinstance(unit, Word) and not prefix and len(tokens) == 1:
            per_field += self._word_forms(tokens[0])
        return tantivy.Query.disjunction_max_query(per_field, tie_breaker=0.3)

    def _word_forms(self, token: str) -> list[tantivy.Query]:
        """The other forms of a word, per language: index terms that share its stem in that
        language, in articles analysed in that language (languages with the same forms
        share one query). The forms are looked for among the body's most frequent terms
        starting with the stem (`VARIANT_SCAN`), so the scan is one term-dictionary walk."""
        groups: dict[frozenset[str], list[str]] = {}
        for language in self._languages:
            stemmer = analysis.stemmer_for(language)
            if stemmer is None:
                continue
            stem = analysis.stem(stemmer, token)
            prefix = analysis.stem_prefix(token, stem)
            terms = [t for t in self._with_prefix(prefix) if t != token] if prefix else []
            if not terms:
                continue
            forms = frozenset(
                t for t, s in zip(terms, analysis.stems(stemmer, terms), strict=True) if s == stem
            )
            if forms:
                groups.setdefault(forms, []).append(language)
        queries = []
        for forms, languages in groups.items():
            self.variants |= forms
            in_fields = tantivy.Query.disjunction_max_query(
                [
                    tantivy.Query.boost_query(
                        _any_term(self._schema, name, sorted(forms)), boost * STEM_WEIGHT
                    )
                    for name, boost in FIELD_BOOSTS
                ]
            )
            only = tantivy.Query.const_score_query(self._in_languages(languages), 0.0)
            queries.append(
                tantivy.Query.boolean_query([(_Occur.Must, in_fields), (_Occur.Must, only)])
            )
        return queries

    def _with_prefix(self, prefix: str) -> list[str]:
        if prefix not in self._prefixed:
            found = self._searcher.terms_with_prefix("body", prefix, limit=VARIANT_SCAN)
            self._prefixed[prefix] = [term for term, _ in found]
        return self._prefixed[prefix]

    def _field(self, name: str, tokens: list[str], prefix: bool, exact: bool) -> tantivy.Query:
        schema = self._schema
        words: list[str | tuple[int, str]] = list(tokens)
        if prefix and len(tokens) > 1:
            return tantivy.Query.phrase_prefix_query(schema, name, words)
        if prefix:
            return self._expand(name, tokens[0])
        if len(tokens) > 1:
            return tantivy.Query.phrase_query(schema, name, words)
        token = tokens[0]
        if len(token) >= 4 and not token.isdigit() and not exact and not self._known(token):
            self.fuzzable = True
            if self._fuzzy:
                self.fuzzed += [] if token in self.fuzzed else [token]
                distance = typo_distance(token)
                return tantivy.Query.fuzzy_term_query(schema, name, token, distance=distance)
        return tantivy.Query.term_query(schema, name, token)

    def _known(self, token: str) -> bool:
        """Whether the index holds the word (in any text field): a known word is not taken
        for a typo, so a query of known words that match nothing together is not retried
        with typo tolerance (the slowest search there is)."""
        if token not in self._known_words:
            self._known_words[token] = any(
                self._searcher.doc_freq(name, token) > 0 for name, _ in FIELD_BOOSTS
            )
        return self._known_words[token]

    def _expand(self, name: str, prefix: str) -> tantivy.Query:
        """`photo*`: the most frequent terms starting with `photo`, each scored by BM25."""
        terms = self._searcher.terms_with_prefix(name, prefix, limit=PREFIX_EXPANSIONS)
        if not terms:
            return tantivy.Query.empty_query()
        return _any_term(self._schema, name, [term for term, _ in terms])

    def _filters(self) -> Iterator[tantivy.Query]:
        f = self._request.filters
        for name, value in (("site", f.site), ("language", f.language), ("author", f.author)):
            if value is not None:
                yield tantivy.Query.term_query(self._schema, name, value)
        if f.since is not None or f.until is not None:
            yield tantivy.Query.range_query(
                self._schema, "published", tantivy.FieldType.Date,
                lower_bound=None if f.since is None else clamp(f.since),
                upper_bound=None if f.until is None else clamp(f.until),
                include_upper=f.until is None,
            )  # fmt: skip


def _any_term(schema: tantivy.Schema, name: str, terms: Sequence[str]) -> tantivy.Query:
    """Documents holding any of `terms` in field `name`, each scored by BM25."""
    queries = [tantivy.Query.term_query(schema, name, t) for t in terms]
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(_Occur.Should, q) for q in queries])


def _article(searcher: tantivy.Searcher, address: Any) -> PageExtracted | None:
    stored = searcher.doc(address).get_first("doc")
    if stored is None:
        return None
    return PageExtracted.model_validate_json(bytes(stored))


def _hit(article: PageExtracted, snippet: str, score: float | None) -> SearchHit:
    url = article.canonical_url or article.url
    return SearchHit(
        id=article.id,
        title=article.title,
        url=url,
        site=site_key(url),
        site_name=article.site_name,
        authors=article.authors,
        published=article.published,
        language=language_key(article.language),
        snippet=snippet,
        score=score,
    )


def _snippet_words(parsed: ParsedQuery, analyzers: _Analyzers) -> list[str]:
    """The query's words as the index has them, for snippets to look for; none if one is a
    prefix (`photo*`), then snippets analyse the whole body."""
    units = [u for c in parsed.required for u in (c.options if isinstance(c, AnyOf) else (c,))]
    if any(isinstance(u, Word) and u.prefix for u in units):
        return []
    return analyzers.tokens(" ".join(parsed.positive_words()))


def _languages(language: str | None, searcher: tantivy.Searcher) -> list[str]:
    """The languages articles may be analysed in: the filtered one, else those of the index."""
    if language:
        return [language]
    return sorted(term for term, _ in searcher.terms_with_prefix("analysis", ""))


class _Snippets:
    """The best passage of the body with the words that matched (as written or other forms)."""

    def __init__(
        self, searcher: tantivy.Searcher, query: tantivy.Query, schema: tantivy.Schema,
        words: Sequence[str] = (),
    ) -> None:  # fmt: skip
        self._searcher, self._query, self._schema = searcher, query, schema
        self._words = words
        self._generator: tantivy.SnippetGenerator | None = None

    def html(self, article: PageExtracted) -> str:
        """The passage around the query's words, else the lead.

        `words` are the query's words and the other forms it looked for, as the index holds
        them. In a long body only a window around the first of them is analysed; a long
        ASCII body holding none of them (the same test as the index's tokenizer) matched in
        the title or description, and shows its lead. Other bodies are analysed whole.
        """
        text = article.text
        near_first = window(text, self._words)
        if near_first is not None:
            start, end = near_first
            if (found := self._snippet(text[start:end], cut=start > 0)) is not None:
                return found
        elif self._words and text.isascii() and len(text) > WINDOW_BEFORE + WINDOW_AFTER:
            return lead(article.description or text)
        return self._snippet(text) or lead(article.description or text)

    def _snippet(self, text: str, *, cut: bool = False) -> str | None:
        snippet = self._snippets().snippet_from_doc(tantivy.Document(body=text))
        spans = [(r.start, r.end) for r in snippet.highlighted()]
        if not (snippet.fragment() and spans):
            return None
        cut = cut or snippet.fragment_range().start > 0
        return highlight(snippet.fragment(), spans, cut=cut)

    def _snippets(self) -> tantivy.SnippetGenerator:
        if self._generator is None:
            self._generator = tantivy.SnippetGenerator.create(
                self._searcher, self._query, self._schema, "body"
            )
            self._generator.set_max_num_chars(SNIPPET_CHARS)
        return self._generator


# -- near-duplicate clusters -------------------------------------------------------------------
#
# Every document holds `cluster` (the id of the first article of its near-duplicate group),
# `cluster_key` (the same as a u64 fast field) and `dup_band` (its LSH band terms, see
# `indexer.dedup`). Writes assign clusters (`_Clusters`); searches fold them (`_Fold`).

MAX_CANDIDATES = 16
"""Indexed articles sharing band terms that an upsert looks at, most shared bands first."""
MAX_VERIFIED = 8
"""Candidates whose text an upsert compares (exact Jaccard) before founding a new cluster."""
ALSO_ON_MAX = 10
"""Other copies listed under a result."""
FOLD_SCAN = 1000
"""Most ranked documents one page looks through to find its results (then it stops early)."""


class _Clusters:
    """The near-duplicate cluster of each article of a batch about to be written.

    An article joins the cluster of an indexed article, or of an earlier article of the
    batch, whose shingles' Jaccard similarity with its own reaches `dedup.JACCARD_THRESHOLD`;
    candidates are the articles sharing an LSH band term, tried most shared bands first
    (`MAX_VERIFIED` at most). Otherwise it founds a cluster named by its own id. A founder
    that is replaced keeps its cluster, so its members' cluster stays valid. Clusters are
    single-link and never merged or split afterwards: an article bridging two clusters joins
    the better-matching one. Texts shorter than `dedup.MIN_WORDS` words stay on their own.
    """

    def __init__(
        self, schema: tantivy.Schema, searcher: tantivy.Searcher, items: Sequence[IndexedArticle]
    ) -> None:
        self._schema, self._searcher = schema, searcher
        self._assigned: dict[str, tuple[str, dedup.Signature | None]] = {}
        self._batch: dict[int, list[tuple[str, str, dedup.Signature]]] = {}
        """Band term -> the articles of this batch (id, cluster, signature) holding it."""
        for item in items:
            self._assign(item)

    def add_to(self, doc: tantivy.Document, item: IndexedArticle) -> tantivy.Document:
        """`doc` with the article's cluster and band terms added (assigned now if the batch
        was not given to the constructor: then call it in batch order)."""
        if item.id not in self._assigned:
            self._assign(item)
        cluster, signature = self._assigned[item.id]
        doc.add_text("cluster", cluster)
        doc.add_unsigned("cluster_key", dedup.cluster_key(cluster))
        for band in signature.bands if signature else ():
            doc.add_unsigned("dup_band", band)
        return doc

    def _assign(self, item: IndexedArticle) -> None:
        signature = dedup.signature(item.body)
        cluster = item.id
        if signature is not None:
            if not self._founded_by(item.id):
                cluster = self._match(item.id, signature) or item.id
            for band in signature.bands:
                self._batch.setdefault(band, []).append((item.id, cluster, signature))
        self._assigned[item.id] = (cluster, signature)

    def _founded_by(self, article_id: str) -> bool:
        """Whether the index holds this article as the founder of its cluster."""
        searcher = self._searcher
        if searcher.doc_freq("id", article_id) == 0:
            return False
        query = tantivy.Query.term_query(self._schema, "id", article_id)
        found = searcher.search(query, limit=1, count=False).hits
        if not found:
            return False
        held = searcher.fast_field_values("cluster_key", [found[0][1]])[0]
        return held == dedup.cluster_key(article_id)

    def _match(self, article_id: str, signature: dedup.Signature) -> str | None:
        candidates: list[tuple[int, str | None, Any]] = []
        query = tantivy.Query.boolean_query(
            [
                (_Occur.Should, tantivy.Query.const_score_query(
                    tantivy.Query.term_query(self._schema, "dup_band", band), 1.0))
                for band in signature.bands
            ]
        )  # fmt: skip
        for shared, address in self._searcher.search(query, MAX_CANDIDATES, count=False).hits:
            candidates.append((round(shared), None, address))
        in_batch: dict[str, list[Any]] = {}
        for band in signature.bands:
            for other_id, other_cluster, other in self._batch.get(band, ()):
                if other_id != article_id:
                    entry = in_batch.setdefault(other_id, [0, other_cluster, other.shingles])
                    entry[0] += 1
        candidates += [tuple(entry) for entry in in_batch.values()]
        candidates.sort(key=lambda c: -c[0])  # stable: indexed (earlier) articles first
        for _, batch_cluster, source in candidates[:MAX_VERIFIED]:
            cluster: str | None = batch_cluster
            shingles = source
            if cluster is None:
                doc = self._searcher.doc(source)
                stored = doc.get_first("doc")
                if doc.get_first("id") == article_id or stored is None:
                    continue
                cluster = doc.get_first("cluster") or doc.get_first("id")
                shingles = dedup.shingles(json.loads(bytes(stored)).get("text", ""))
            if dedup.jaccard(signature.shingles, shingles) >= dedup.JACCARD_THRESHOLD:
                return str(cluster)
        return None


class _Folded:
    """One page of folded results: the ranked hits shown, and where the next page starts."""

    def __init__(
        self, searcher: tantivy.Searcher, schema: tantivy.Schema, total: int,
        shown: list[tuple[Any, Any, int | None]], next_cursor: str | None,
    ) -> None:  # fmt: skip
        self._searcher, self._schema = searcher, schema
        self.total, self.next_cursor = total, next_cursor
        self._shown = shown
        self.hits = [(key, address) for key, address, _ in shown]

    def also_on(self) -> dict[str, list[AlsoOn]]:
        """Result id -> the other copies in its cluster (earliest first); singletons left out."""
        searcher, out = self._searcher, {}
        for _, address, ckey in self._shown:
            if ckey is None or searcher.doc_freq("cluster_key", ckey) <= 1:
                continue
            shown_id = searcher.doc(address).get_first("id")
            members = searcher.search(
                tantivy.Query.term_query(self._schema, "cluster_key", ckey),
                limit=ALSO_ON_MAX + 1, count=False,
                order_by_field="sort_date", order=tantivy.Order.Asc,
            ).hits  # fmt: skip
            links = []
            for _, member in members:
                stored = searcher.doc(member).get_first("doc")
                if stored is None:
                    continue
                data = json.loads(bytes(stored))
                if data.get("id") == shown_id:
                    continue
                url = data.get("canonical_url") or data.get("url") or ""
                links.append(AlsoOn(id=data["id"], url=url, site=site_key(url)))
            if shown_id is not None and links:
                out[str(shown_id)] = links[:ALSO_ON_MAX]
        return out


class _Fold:
    """A page of results in which each near-duplicate cluster shows once.

    A cluster is shown by its best-ranked member (in the request's order) that matches the
    query; its other copies are listed in `also_on` and skipped wherever they rank.

    Pagination: the cursor holds an offset into the ranked *documents*, always that of the
    first result of the next page. A page walks the ranking from there, over-fetching in
    chunks, keeps a document only if it is the first of its cluster in the whole ranking and
    stops at the first one past `limit`, whose position becomes the next cursor. "First of
    its cluster": on the first page, the first seen; further on, a cluster that has other
    members is checked with one query (the same query and order, restricted to the cluster,
    limit 1). So no cluster is shown twice or skipped across pages, and a page is never empty
    while more results follow. A page looks through `FOLD_SCAN` documents at most; past that
    it ends early and its cursor resumes the walk.
    """

    def __init__(
        self, store: TantivyStore, searcher: tantivy.Searcher, query: tantivy.Query,
        request: SearchRequest, *, scored: bool,
    ) -> None:  # fmt: skip
        self._schema = store._schema
        self._searcher, self._query, self._request = searcher, query, request
        self._relevance = request.sort is Sort.RELEVANCE and scored

    def run(self) -> _Folded:
        request, searcher = self._request, self._searcher
        chunk = max(2 * request.limit, 20)
        shown: list[tuple[Any, Any, int | None]] = []
        seen: set[int] = set()
        total, position, next_position = 0, request.offset, None
        while position - request.offset < FOLD_SCAN:
            first = position == request.offset
            result = self._window(self._query, chunk, position, count=first)
            total = result.count if first else total
            found = result.hits
            keys = searcher.fast_field_values("cluster_key", [a for _, a in found]) if found else []
            for i, ((key, address), value) in enumerate(zip(found, keys, strict=True)):
                ckey = None if value is None else int(value)
                if not self._first_of_cluster(address, ckey, seen):
                    continue
                if len(shown) == request.limit:
                    next_position = position + i
                    break
                shown.append((key, address, ckey))
            position += len(found)
            if next_position is not None or len(found) < chunk:
                break
        else:
            next_position = position
        cursor = None
        if next_position is not None and next_position <= MAX_OFFSET:
            cursor = encode_cursor(next_position, request.fingerprint())
        return _Folded(searcher, self._schema, total, shown, cursor)

    def _first_of_cluster(self, address: Any, ckey: int | None, seen: set[int]) -> bool:
        if ckey is None:
            return True
        if ckey in seen:
            return False
        seen.add(ckey)
        if self._request.offset == 0 or self._searcher.doc_freq("cluster_key", ckey) <= 1:
            return True
        member = tantivy.Query.term_query(self._schema, "cluster_key", ckey)
        only = tantivy.Query.const_score_query(member, 0.0)
        within = tantivy.Query.boolean_query([(_Occur.Must, self._query), (_Occur.Must, only)])
        best = self._window(within, 1, 0, count=False).hits
        return not best or best[0][1] == address

    def _window(self, query: tantivy.Query, limit: int, offset: int, *, count: bool) -> Any:
        if self._relevance:
            return self._searcher.search(query, limit=limit, offset=offset, count=count)
        order = tantivy.Order.Asc if self._request.sort is Sort.OLDEST else tantivy.Order.Desc
        return self._searcher.search(
            query, limit=limit, offset=offset, count=count,
            order_by_field="sort_date", order=order,
        )  # fmt: skip


def _with_also_on(hits: list[SearchHit], also_on: dict[str, list[AlsoOn]]) -> list[SearchHit]:
    return [
        hit.model_copy(update={"also_on": also_on[hit.id]}) if hit.id in also_on else hit
        for hit in hits
    ]


def _cluster_of(
    schema: tantivy.Schema, searcher: tantivy.Searcher, article_id: str
) -> list[tantivy.Query]:
    """A query for the article's cluster (empty when it is unknown)."""
    query = tantivy.Query.term_query(schema, "id", article_id)
    found = searcher.search(query, limit=1, count=False).hits
    if not found:
        return []
    ckey = searcher.fast_field_values("cluster_key", [found[0][1]])[0]
    return [] if ckey is None else [tantivy.Query.term_query(schema, "cluster_key", ckey)]
