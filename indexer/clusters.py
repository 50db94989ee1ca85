"""Near-duplicate clusters: assigned as articles are written, folded as results are read.

Every document holds `cluster` (the id of the first article of its near-duplicate group),
`cluster_key` (the same as a u64 fast field) and `dup_band` (its LSH band terms, see
`shared.dedup`). Writes assign clusters (`Clusters`); searches fold them (`Fold`): each
cluster shows once, with its other copies in `also_on`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import tantivy

from indexer.fields import IndexedArticle, recency_boost
from indexer.search_models import (
    MAX_OFFSET,
    AlsoOn,
    SearchHit,
    SearchRequest,
    Sort,
    encode_cursor,
    site_key,
)
from shared import dedup

__all__ = ["Clusters", "Fold", "Folded", "cluster_of", "with_also_on"]

_Occur = tantivy.Occur

MAX_CANDIDATES = 16
"""Indexed articles sharing band terms that an upsert looks at, most shared bands first."""
MAX_VERIFIED = 8
"""Candidates whose text an upsert compares (exact Jaccard) before founding a new cluster."""
ALSO_ON_MAX = 10
"""Other copies listed under a result."""
FOLD_SCAN = 1000
"""Most ranked documents one page looks through to find its results (then it stops early)."""


class Clusters:
    """The near-duplicate cluster of each article of a batch about to be written.

    An article joins the cluster of an indexed article, or of an earlier article of the
    batch, whose shingles' Jaccard similarity with its own reaches `dedup.JACCARD_THRESHOLD`;
    candidates are the articles sharing an LSH band term (the event's own terms when it
    carries them, see `shared.dedup`), tried most shared bands first (`MAX_VERIFIED` at
    most); shingles are computed only for articles that have candidates. Otherwise it
    founds a cluster named by its own id. A founder that is replaced keeps its cluster, so
    its members' cluster stays valid. Clusters are single-link and never merged or split
    afterwards: an article bridging two clusters joins the better-matching one. Texts
    shorter than `dedup.MIN_WORDS` words stay on their own.
    """

    def __init__(
        self, schema: tantivy.Schema, searcher: tantivy.Searcher, items: Sequence[IndexedArticle]
    ) -> None:
        self._schema, self._searcher = schema, searcher
        self._assigned: dict[str, tuple[str, tuple[int, ...]]] = {}
        self._batch: dict[int, list[tuple[str, str, IndexedArticle]]] = {}
        """Band term -> the articles of this batch (id, cluster, article) holding it."""
        self._shingles: dict[str, dedup.Shingles] = {}
        for item in items:
            self._assign(item)

    def add_to(self, doc: tantivy.Document, item: IndexedArticle) -> tantivy.Document:
        """`doc` with the article's cluster and band terms added (assigned now if the batch
        was not given to the constructor: then call it in batch order)."""
        if item.id not in self._assigned:
            self._assign(item)
        cluster, bands = self._assigned[item.id]
        doc.add_text("cluster", cluster)
        doc.add_unsigned("cluster_key", dedup.cluster_key(cluster))
        for band in bands:
            doc.add_unsigned("dup_band", band)
        return doc

    def _assign(self, item: IndexedArticle) -> None:
        bands = _bands(item)
        cluster = item.id
        if bands:
            if not self._founded_by(item.id):
                cluster = self._match(item, bands) or item.id
            for band in bands:
                self._batch.setdefault(band, []).append((item.id, cluster, item))
        self._assigned[item.id] = (cluster, bands)

    def _shingles_of(self, item: IndexedArticle) -> dedup.Shingles:
        """An article's shingles, computed when it first has a candidate to check."""
        if item.id not in self._shingles:
            self._shingles[item.id] = dedup.shingles(item.body)
        return self._shingles[item.id]

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

    def _match(self, item: IndexedArticle, bands: tuple[int, ...]) -> str | None:
        candidates: list[tuple[int, str | None, Any]] = []
        # Most articles share no band with the index: a term lookup per band rules that out
        # without running a query.
        held = [band for band in bands if self._searcher.doc_freq("dup_band", band)]
        if held:
            query = tantivy.Query.boolean_query(
                [
                    (_Occur.Should, tantivy.Query.const_score_query(
                        tantivy.Query.term_query(self._schema, "dup_band", band), 1.0))
                    for band in held
                ]
            )  # fmt: skip
            for shared, address in self._searcher.search(query, MAX_CANDIDATES, count=False).hits:
                candidates.append((round(shared), None, address))
        in_batch: dict[str, list[Any]] = {}
        for band in bands:
            for other_id, other_cluster, other in self._batch.get(band, ()):
                if other_id != item.id:
                    entry = in_batch.setdefault(other_id, [0, other_cluster, other])
                    entry[0] += 1
        candidates += [tuple(entry) for entry in in_batch.values()]
        candidates.sort(key=lambda c: -c[0])  # stable: indexed (earlier) articles first
        for _, batch_cluster, source in candidates[:MAX_VERIFIED]:
            cluster: str | None = batch_cluster
            if cluster is None:
                doc = self._searcher.doc(source)
                stored = doc.get_first("doc")
                if doc.get_first("id") == item.id or stored is None:
                    continue
                cluster = doc.get_first("cluster") or doc.get_first("id")
                shingles = dedup.shingles(json.loads(stored).get("text", ""))
            else:
                shingles = self._shingles_of(source)
            if dedup.jaccard(self._shingles_of(item), shingles) >= dedup.JACCARD_THRESHOLD:
                return str(cluster)
        return None


def _bands(item: IndexedArticle) -> tuple[int, ...]:
    """The article's band terms: the event's when it has them in this scheme (an extractor
    computed them), else computed here; none for a text too short to compare."""
    if item.dedup_bands is None:
        return dedup.bands(item.body) or ()
    return item.dedup_bands if dedup.comparable(item.body) else ()


class Folded:
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
                data = json.loads(stored)
                if data.get("id") == shown_id:
                    continue
                url = data.get("canonical_url") or data.get("url") or ""
                links.append(AlsoOn(id=data["id"], url=url, site=site_key(url)))
            if shown_id is not None and links:
                out[str(shown_id)] = links[:ALSO_ON_MAX]
        return out


class Fold:
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

    Recency boost (`request.recency`, relevance order only): the first `RECENCY_DEPTH`
    documents by relevance are re-ranked by score times `fields.recency_boost` (the age
    counted from the start of the current hour, so pages fetched within an hour agree);
    documents past that depth keep the relevance order after them. A cluster's best member
    is then the first of it in that order.
    """

    def __init__(
        self, schema: tantivy.Schema, searcher: tantivy.Searcher, query: tantivy.Query,
        request: SearchRequest, *, scored: bool,
    ) -> None:  # fmt: skip
        self._schema = schema
        self._searcher, self._query, self._request = searcher, query, request
        self._relevance = request.sort is Sort.RELEVANCE and scored
        self._recency = request.recency if self._relevance else None
        self._boosted: _Boosted | None = None

    def run(self) -> Folded:
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
        return Folded(searcher, self._schema, total, shown, cursor)

    def _first_of_cluster(self, address: Any, ckey: int | None, seen: set[int]) -> bool:
        if ckey is None:
            return True
        if ckey in seen:
            return False
        seen.add(ckey)
        if self._request.offset == 0 or self._searcher.doc_freq("cluster_key", ckey) <= 1:
            return True
        if self._recency is not None and ckey in (boosted := self._ranked()).first:
            return bool(boosted.first[ckey] == address)
        member = tantivy.Query.term_query(self._schema, "cluster_key", ckey)
        only = tantivy.Query.const_score_query(member, 0.0)
        within = tantivy.Query.boolean_query([(_Occur.Must, self._query), (_Occur.Must, only)])
        best = self._window(within, 1, 0, count=False).hits
        return not best or best[0][1] == address

    def _window(self, query: tantivy.Query, limit: int, offset: int, *, count: bool) -> Any:
        if self._recency is not None and query is self._query:
            return self._ranked().window(self._searcher, query, limit, offset)
        if self._relevance:
            return self._searcher.search(query, limit=limit, offset=offset, count=count)
        order = tantivy.Order.Asc if self._request.sort is Sort.OLDEST else tantivy.Order.Desc
        return self._searcher.search(
            query, limit=limit, offset=offset, count=count,
            order_by_field="sort_date", order=order,
        )  # fmt: skip

    def _ranked(self) -> _Boosted:
        if self._boosted is None:
            assert self._recency is not None
            self._boosted = _Boosted.rank(self._searcher, self._query, self._recency)
        return self._boosted


RECENCY_DEPTH = 200
"""Documents re-ranked by the recency boost (the rest keep the relevance order after them)."""


@dataclass(frozen=True, slots=True)
class _Window:
    hits: list[tuple[float, Any]]
    count: int


@dataclass(frozen=True, slots=True)
class _Boosted:
    """The first `RECENCY_DEPTH` documents by relevance, in boosted order."""

    hits: list[tuple[float, Any]]
    count: int
    first: dict[int, Any]
    """Cluster key -> the address of its first member in the boosted order."""

    @classmethod
    def rank(cls, searcher: tantivy.Searcher, query: tantivy.Query, half_life: int) -> _Boosted:
        result: Any = searcher.search(query, limit=RECENCY_DEPTH, count=True)
        addresses = [address for _, address in result.hits]
        stamps = searcher.fast_field_values("sort_ts", addresses) if addresses else []
        keys = searcher.fast_field_values("cluster_key", addresses) if addresses else []
        now = time.time() // 3600 * 3600
        boosted = sorted(
            (
                (float(score) * recency_boost(now - float(stamp or 0), half_life), i)
                for i, ((score, _), stamp) in enumerate(zip(result.hits, stamps, strict=True))
            ),
            key=lambda item: (-item[0], item[1]),
        )
        first: dict[int, Any] = {}
        for _, i in boosted:
            key = keys[i] if keys else None
            if key is not None:
                first.setdefault(int(key), addresses[i])
        hits = [(score, addresses[i]) for score, i in boosted]
        return cls(hits, int(result.count or 0), first)

    def window(
        self, searcher: tantivy.Searcher, query: tantivy.Query, limit: int, offset: int
    ) -> _Window:
        hits = self.hits[offset : offset + limit]
        if offset + limit > RECENCY_DEPTH and len(self.hits) == RECENCY_DEPTH:
            start = max(offset, RECENCY_DEPTH)
            deeper = searcher.search(query, limit=offset + limit - start, offset=start)
            hits += [(float(score), address) for score, address in deeper.hits]
        return _Window(hits, self.count)


def with_also_on(hits: list[SearchHit], also_on: dict[str, list[AlsoOn]]) -> list[SearchHit]:
    return [
        hit.model_copy(update={"also_on": also_on[hit.id]}) if hit.id in also_on else hit
        for hit in hits
    ]


def cluster_of(
    schema: tantivy.Schema, searcher: tantivy.Searcher, article_id: str
) -> list[tantivy.Query]:
    """A query for the article's cluster (empty when it is unknown)."""
    query = tantivy.Query.term_query(schema, "id", article_id)
    found = searcher.search(query, limit=1, count=False).hits
    if not found:
        return []
    ckey = searcher.fast_field_values("cluster_key", [found[0][1]])[0]
    return [] if ckey is None else [tantivy.Query.term_query(schema, "cluster_key", ckey)]
