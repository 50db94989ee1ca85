"""The indexer's Prometheus metrics (`runtime.metrics` has the ones every consumer has),
served at the search API's `/metrics` (behind the API token when one is set).
docs/operations.md lists them with alerts."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import Counter, Gauge, Histogram

from runtime.metrics import ServiceMetrics

COMMIT_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
SEARCH_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class IndexerMetrics(ServiceMetrics):
    def __init__(self, documents: Callable[[], float]) -> None:
        """`documents`: how many documents the store holds, read at each scrape."""
        super().__init__("indexer")
        self.articles = Counter(
            "pagewire_indexer_articles", "Article events committed to the store (a duplicate or "
            "an older version counts, and changes nothing).", registry=self.registry,
        )  # fmt: skip
        self.written = Counter(
            "pagewire_indexer_documents_written", "Documents written: new, or replaced by a "
            "newer version.", registry=self.registry,
        )  # fmt: skip
        self.documents = Gauge(
            "pagewire_indexer_documents", "Documents in the index.", registry=self.registry
        )
        self.documents.set_function(documents)
        self.commit_seconds = Histogram(
            "pagewire_indexer_commit_seconds", "Time to write and commit one batch.",
            buckets=COMMIT_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.search_seconds = Histogram(
            "pagewire_search_request_seconds", "Search API requests (/search), by HTTP status; "
            "`_count` is the number of requests.", ["status"], buckets=SEARCH_BUCKETS,
            registry=self.registry,
        )  # fmt: skip

    def observe_commit(self, articles: int, written: int, seconds: float) -> None:
        self.articles.inc(articles)
        self.written.inc(written)
        self.commit_seconds.observe(seconds)

    def observe_search(self, status: int, seconds: float) -> None:
        self.search_seconds.labels(status=str(status)).observe(seconds)
